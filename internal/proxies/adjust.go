package proxies

import (
	"fmt"
	"math/big"
	"strings"
)

// Adjustment is what is taken off a gross pound figure because not all of
// an outcome is the contract's doing: deadweight (what would have happened
// anyway), displacement (what was only moved from elsewhere) and attribution
// (what is down to others). Each is a share from 0 to under 1, or nil when
// it is not configured; nothing is assumed. Net = gross × (1 − deadweight)
// × (1 − displacement) × (1 − attribution), exactly; figures are rounded only
// for display (to the pound, half away from zero) and in exports (to the
// penny, half away from zero).
type Adjustment struct {
	Deadweight, Displacement, Attribution *big.Rat
	Source                                string // where the shares come from
}

// ParseAdjustment reads the three shares as percentages, such as "25" or
// "12.5"; an empty string leaves that share unset. A source is required
// once any share is set.
func ParseAdjustment(deadweight, displacement, attribution, source string) (Adjustment, error) {
	var a Adjustment
	for _, f := range []struct {
		name, value string
		into        **big.Rat
	}{{"deadweight", deadweight, &a.Deadweight}, {"displacement", displacement, &a.Displacement}, {"attribution", attribution, &a.Attribution}} {
		v := strings.TrimSpace(f.value)
		if v == "" {
			continue
		}
		r, ok := new(big.Rat).SetString(v)
		if !ok || r.Sign() < 0 || r.Cmp(big.NewRat(100, 1)) >= 0 || strings.ContainsAny(v, "/eE") {
			return Adjustment{}, fmt.Errorf("%s %q must be a percentage from 0 to under 100, such as 25", f.name, f.value)
		}
		*f.into = r.Quo(r, big.NewRat(100, 1))
	}
	a.Source = strings.TrimSpace(source)
	if a.Set() && a.Source == "" {
		return Adjustment{}, fmt.Errorf("say where the deadweight, displacement or attribution shares come from")
	}
	return a, nil
}

// Set reports whether any share is configured.
func (a Adjustment) Set() bool {
	return a.Deadweight != nil || a.Displacement != nil || a.Attribution != nil
}

// Factor is the share of a gross figure that remains net: the product of
// one minus each configured share (1 when none is set).
func (a Adjustment) Factor() *big.Rat {
	f := big.NewRat(1, 1)
	for _, s := range []*big.Rat{a.Deadweight, a.Displacement, a.Attribution} {
		if s != nil {
			f.Mul(f, new(big.Rat).Sub(big.NewRat(1, 1), s))
		}
	}
	return f
}

// Net is a gross amount after the adjustment, exactly.
func (a Adjustment) Net(gross *big.Rat) *big.Rat {
	return new(big.Rat).Mul(gross, a.Factor())
}

// Kept is the share of a gross figure that remains net, as a percentage
// such as "67.5%".
func (a Adjustment) Kept() string { return percent(a.Factor()) }

// Describe names the configured shares in words, such as "deadweight 25%
// and displacement 10%", or says that nothing is deducted.
func (a Adjustment) Describe() string {
	if !a.Set() {
		return "not adjusted for deadweight or additionality"
	}
	var parts []string
	for _, f := range []struct {
		name  string
		share *big.Rat
	}{{"deadweight", a.Deadweight}, {"displacement", a.Displacement}, {"attribution", a.Attribution}} {
		if f.share != nil {
			parts = append(parts, f.name+" "+percent(f.share))
		}
	}
	if len(parts) > 1 {
		return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	return parts[0]
}

// percent shows a share as a percentage, such as "12.5%".
func percent(share *big.Rat) string {
	p := new(big.Rat).Mul(share, big.NewRat(100, 1))
	if p.IsInt() {
		return p.Num().String() + "%"
	}
	return strings.TrimRight(strings.TrimRight(p.FloatString(4), "0"), ".") + "%"
}
