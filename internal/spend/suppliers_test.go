package spend

import (
	"strings"
	"testing"
)

func TestNormaliseSupplier(t *testing.T) {
	same := [][]string{
		{"George Cox & Sons Ltd", "GEORGE COX AND SONS LIMITED", "The George Cox & Sons Ltd."},
		{"VLC (Stairlifts) Limited", "vlc stairlifts ltd"},
		{"Acme Ltd T/A Acme Cleaning", "ACME LIMITED"},
		{"Smith, Jones & Co", "Smith Jones and Co."},
	}
	for _, group := range same {
		want := NormaliseSupplier(group[0])
		for _, n := range group[1:] {
			if got := NormaliseSupplier(n); got != want {
				t.Errorf("%q → %q, but %q → %q", group[0], want, n, got)
			}
		}
	}
	if NormaliseSupplier("Acme Ltd") == NormaliseSupplier("Acme Care Ltd") {
		t.Error("different words were merged")
	}
	if NormaliseSupplier("Ltd") != "ltd" {
		t.Error("a name that is only a legal form must not vanish")
	}
}

func FuzzNormaliseSupplier(f *testing.F) {
	for _, s := range []string{"George Cox & Sons Ltd", "The Co-operative Group", "A T/A B", "\xa3", "", "the the acme", "the t a x", "x ltd ltd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormaliseSupplier(s)
		if NormaliseSupplier(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, NormaliseSupplier(n))
		}
		if n != strings.TrimSpace(n) || strings.Contains(n, "  ") {
			t.Fatalf("untidy key %q", n)
		}
	})
}
