package geo

import (
	"strings"
	"testing"
)

func TestNormalisePostcode(t *testing.T) {
	good := map[string]string{
		"m1 1ae":     "M1 1AE",
		"M11AE":      "M1 1AE",
		"  bl9  0eh": "BL9 0EH",
		"OL16 1AA":   "OL16 1AA",
		"M2A 1AA":    "M2A 1AA",
		"WA15 8QL":   "WA15 8QL",
		"M1 IAE":     "M1 1AE", // I for 1 in the inward digit
		"M1 1A3":     "",       // not fixable
		"M15 4AB":    "M15 4AB",
		"M15 4A8":    "",
		"SK4 1O0":    "",
		"M1 10E":     "M1 1OE", // 0 for O in a letter place... but O is not allowed
	}
	for in, want := range good {
		got, err := NormalisePostcode(in)
		if want == "" || strings.Contains(want, "OE") {
			if err == nil {
				t.Errorf("%q: want error, got %q", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "M1", "12345", "MMM 1AA", "M1 1AEX", "Q1 1AA", "M1 1CA"} {
		if _, err := NormalisePostcode(bad); err == nil {
			t.Errorf("%q: want error", bad)
		} else if bad != "" && !strings.Contains(err.Error(), "postcode") {
			t.Errorf("%q: error should explain: %v", bad, err)
		}
	}
}

func FuzzNormalisePostcode(f *testing.F) {
	for _, s := range []string{"M1 1AE", "m11ae", "BL9 0EH", "OL16 1AA", "M2A 1AA", "M1 IAE", "SW1A 1AA", "", "12345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalisePostcode(s)
		if err != nil {
			return
		}
		// A normalised postcode is its own normal form.
		if m, err := NormalisePostcode(n); err != nil || m != n {
			t.Fatalf("%q → %q → %q %v", s, n, m, err)
		}
		if len(n) < 6 || len(n) > 8 || strings.Count(n, " ") != 1 {
			t.Fatalf("%q → malformed %q", s, n)
		}
	})
}

func TestOutsideGM(t *testing.T) {
	for pc, want := range map[string]bool{"M1 1AE": false, "SK4 1AA": false, "WA15 8QL": false, "SW1A 1AA": true, "L1 8JQ": true, "LS1 1UR": true, "CH1 1AA": true} {
		if got := OutsideGM(pc); got != want {
			t.Errorf("%s: %v", pc, got)
		}
	}
}
