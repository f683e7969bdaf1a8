package proxies

import (
	"fmt"
	"math/big"
	"strings"
	"time"
)

// DiscountRate is a social time preference rate: the share a year by which
// a value received later counts less than the same value now, with where
// the rate comes from.
type DiscountRate struct {
	Rate   *big.Rat // per year, such as 7/200 for 3.5%
	Source string
}

// GreenBookRate is HM Treasury's standard discount rate for the first 30
// years of an appraisal.
func GreenBookRate() DiscountRate {
	return DiscountRate{Rate: big.NewRat(35, 1000), Source: "HM Treasury, The Green Book (2022), Table 8: 3.5% a year for years 0 to 30"}
}

// ParseRate reads a rate given as a percentage, such as "3.5", exactly.
func ParseRate(percent, source string) (DiscountRate, error) {
	r, ok := new(big.Rat).SetString(percent)
	if !ok || r.Sign() < 0 || r.Cmp(big.NewRat(100, 1)) >= 0 {
		return DiscountRate{}, fmt.Errorf("discount rate %q must be a percentage from 0 to under 100, such as 3.5", percent)
	}
	return DiscountRate{Rate: r.Quo(r, big.NewRat(100, 1)), Source: source}, nil
}

// Percent shows the rate as a percentage, such as "3.5%".
func (d DiscountRate) Percent() string {
	p := new(big.Rat).Mul(d.Rate, big.NewRat(100, 1))
	if p.IsInt() {
		return p.Num().String() + "%"
	}
	return strings.TrimRight(p.FloatString(4), "0") + "%"
}

// MaxDiscountYears is the last year the Green Book's 3.5% applies to; later
// years have lower rates that this hub does not model, so Discount refuses
// them rather than overstating the discount.
const MaxDiscountYears = 30

// Discount is the present value of pence received in year t of a contract
// (t = 0 is its first year): pence ÷ (1 + rate)^t, exactly.
func (d DiscountRate) Discount(pence *big.Rat, t int) (*big.Rat, error) {
	if t < 0 || t > MaxDiscountYears {
		return nil, fmt.Errorf("year %d of a contract is outside the discount rate's years 0 to %d", t, MaxDiscountYears)
	}
	factor := new(big.Rat).Add(big.NewRat(1, 1), d.Rate)
	den := big.NewRat(1, 1)
	for range t {
		den.Mul(den, factor)
	}
	return new(big.Rat).Quo(pence, den), nil
}

// YearOf is which year of a contract starting on start a date falls in:
// 0 for the first twelve months, 1 for the next, and so on. Dates are
// YYYY-MM-DD; a date before the start is year 0.
func YearOf(start, date string) (int, error) {
	s, err := time.Parse(time.DateOnly, start)
	if err != nil {
		return 0, fmt.Errorf("contract start %q is not a date as YYYY-MM-DD", start)
	}
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, fmt.Errorf("date %q is not a date as YYYY-MM-DD", date)
	}
	t := 0
	for !s.AddDate(t+1, 0, 0).After(d) {
		t++
	}
	return t, nil
}
