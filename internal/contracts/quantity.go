package contracts

import (
	"math/big"
	"strings"

	"github.com/svhub/svhub/internal/fund"
)

// countUnits are units of whole things: a quantity of them is shown as a
// whole number (an average of 3.92 people reads "4 people").
var countUnits = map[string]string{
	"people": "person", "organisations": "organisation", "placements": "placement", "plans": "plan",
	"initiatives": "initiative", "deliveries": "delivery", "trips": "trip", "apprentices": "apprentice",
	"jobs": "job", "volunteers": "volunteer", "items": "item",
}

// measuredUnits are units that may be fractional: a quantity of them keeps
// one decimal place when it is not whole (45.58 weeks reads "45.6 weeks").
var measuredUnits = map[string]string{
	"weeks": "week", "hours": "hour", "days": "day", "km": "km", "tonnes": "tonne", "tonnes CO2e": "tonne CO2e",
	"square metres": "square metre", "full-time equivalent jobs": "full-time equivalent job",
}

// Quantity writes an amount held in thousandths (milli) in the natural units
// of unit: pounds for "£" units (the one money format), a whole number of
// whole things such as people, at most one decimal place otherwise, with
// thousands separators and the unit in the singular for exactly one.
func Quantity(milli int64, unit string) string {
	unit = strings.TrimSpace(unit)
	if rest, ok := strings.CutPrefix(unit, "£"); ok {
		// Thousandths of a pound to pence, halves away from zero.
		p := roundDiv(big.NewRat(milli, 10))
		if rest = strings.TrimSpace(rest); rest != "" {
			return fund.Pounds(p) + " " + rest
		}
		return fund.Pounds(p)
	}
	if rest, ok := strings.CutPrefix(unit, "%"); ok {
		return decimal(milli, 1) + "%" + rest
	}
	if one, ok := countUnits[unit]; ok {
		n := roundDiv(big.NewRat(milli, 1000))
		if n == 1 || n == -1 {
			return decimal(n*1000, 0) + " " + one
		}
		return decimal(n*1000, 0) + " " + unit
	}
	s := decimal(milli, 1)
	if one, ok := measuredUnits[unit]; ok && (s == "1" || s == "−1") {
		return s + " " + one
	}
	if unit == "" {
		return s
	}
	return s + " " + unit
}

// roundDiv rounds r to the nearest whole number, halves away from zero.
func roundDiv(r *big.Rat) int64 {
	n, d := new(big.Int).Set(r.Num()), r.Denom()
	neg := n.Sign() < 0
	n.Abs(n)
	q, m := new(big.Int).QuoRem(n, d, new(big.Int))
	if new(big.Int).Lsh(m, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q.Int64()
}

// decimal writes milli thousandths to at most places decimal places
// (rounded, halves away from zero; a trailing ".0" dropped), with
// thousands separators and a typeset minus sign.
func decimal(milli int64, places int) string {
	scale := int64(1000)
	for range places {
		scale /= 10
	}
	units := roundDiv(big.NewRat(milli, scale)) // in 10^-places
	sign := ""
	u := uint64(units)
	if units < 0 {
		sign, u = "−", -u
	}
	div := uint64(1)
	for range places {
		div *= 10
	}
	whole, frac := u/div, u%div
	s := thousands(whole)
	if frac != 0 {
		f := strings.TrimRight(strings.Repeat("0", places-len(itoa(frac)))+itoa(frac), "0")
		s += "." + f
	}
	if s == "0" {
		sign = ""
	}
	return sign + s
}

func itoa(u uint64) string { return new(big.Int).SetUint64(u).String() }

func thousands(u uint64) string {
	s := itoa(u)
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
