package proxies

import (
	"math/big"
	"testing"
)

func TestDiscountGreenBookHandComputed(t *testing.T) {
	gb := GreenBookRate()
	if gb.Percent() != "3.5%" {
		t.Fatalf("percent = %s", gb.Percent())
	}
	// £1,000 (100000 pence) in year 2: 100000 / 1.035² = 100000 / 1.071225
	// = 100000000000 / 1071225 = 4000000000/42849 pence ≈ £933.51.
	got, err := gb.Discount(big.NewRat(100000, 1), 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := big.NewRat(4000000000, 42849); got.Cmp(want) != 0 {
		t.Fatalf("year 2: got %s, want %s", got, want)
	}
	if RoundHalfAway(got).Int64() != 93351 {
		t.Fatalf("rounded = %s, want 93351", RoundHalfAway(got))
	}
	// Year 0 is not discounted.
	got, _ = gb.Discount(big.NewRat(12345, 1), 0)
	if got.Cmp(big.NewRat(12345, 1)) != 0 {
		t.Fatalf("year 0 = %s", got)
	}
	if _, err := gb.Discount(big.NewRat(1, 1), 31); err == nil {
		t.Fatal("year 31 discounted at the 0–30 rate")
	}
}

func TestParseRate(t *testing.T) {
	r, err := ParseRate("1.5", "test")
	if err != nil || r.Rate.Cmp(big.NewRat(3, 200)) != 0 || r.Percent() != "1.5%" {
		t.Fatalf("1.5: %v %v", r.Rate, err)
	}
	for _, bad := range []string{"", "x", "-1", "100"} {
		if _, err := ParseRate(bad, "test"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestYearOf(t *testing.T) {
	for _, c := range []struct {
		date string
		want int
	}{{"2026-04-01", 0}, {"2027-03-31", 0}, {"2027-04-01", 1}, {"2029-06-30", 3}, {"2025-01-01", 0}} {
		if got, err := YearOf("2026-04-01", c.date); err != nil || got != c.want {
			t.Errorf("%s: %d %v, want %d", c.date, got, err, c.want)
		}
	}
	if _, err := YearOf("2026-04-01", "31/03/2027"); err == nil {
		t.Error("bad date accepted")
	}
}
