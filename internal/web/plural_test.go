package web

import "testing"

// One function writes every count on the site with its agreeing word.
func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    any
		want string
	}{
		{1, "1 person"}, {0, "0 people"}, {2, "2 people"}, {int64(2345), "2,345 people"},
		{int64(1234567), "1,234,567 people"}, {-1, "-1 person"}, {int32(-1500), "-1,500 people"},
	} {
		if got, err := plural(c.n, "person", "people"); err != nil || got != c.want {
			t.Errorf("plural(%v) = %q, %v; want %q", c.n, got, err, c.want)
		}
	}
	if _, err := plural(3.92, "person", "people"); err == nil {
		t.Error("a fraction of a person was counted")
	}
}
