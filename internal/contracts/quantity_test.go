package contracts

import "testing"

func TestQuantityInNaturalUnits(t *testing.T) {
	for _, c := range []struct {
		milli int64
		unit  string
		want  string
	}{
		{3920, "people", "4 people"},
		{1000, "people", "1 person"},
		{1400, "people", "1 person"},
		{0, "people", "0 people"},
		{12_000_000, "people", "12,000 people"},
		{45580, "weeks", "45.6 weeks"},
		{45000, "weeks", "45 weeks"},
		{1000, "weeks", "1 week"},
		{1040, "weeks", "1 week"},
		{2500, "hours", "2.5 hours"},
		{1_234_500, "tonnes CO2e", "1,234.5 tonnes CO2e"},
		{2_500_000_000, "£", "£2,500,000"},
		{12_505, "£", "£12.51"},
		{-1_200_000, "£", "−£1,200"},
		{7_000, "£ market value", "£7 market value"},
		{12_500, "% of staff", "12.5% of staff"},
		{50, "km", "0.1 km"},
		{40, "km", "0 km"},
		{-2500, "tonnes", "−2.5 tonnes"},
		{2000, "", "2"},
	} {
		if got := Quantity(c.milli, c.unit); got != c.want {
			t.Errorf("Quantity(%d, %q) = %q, want %q", c.milli, c.unit, got, c.want)
		}
	}
}
