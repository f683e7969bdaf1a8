package tenders

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/problem"
)

// monetisedExample is the worked example scored by the monetised method
// with unit costs of the GMCA Unit Cost Database v1.4, all in 2012/13
// prices: E&E1.0 (£9,800 per claimant entering work for a year), E&E2.0
// (£8,632), E&E1.6 (£71 per new claim) and E&E1.8 (£7 per review).
func monetisedExample() Evaluation {
	e := workedExample()
	e.Gates = nil
	e.Method = MethodMonetised
	for i, p := range []int64{980000, 863200, 7100, 700} {
		e.Measures[i].ProxyPence = p
		e.Measures[i].ProxySource = "Unit Cost Database 1.4"
		e.Measures[i].ProxyPriceYear = "2012/13"
	}
	return e
}

func TestMonetisedSumsInOnePriceYear(t *testing.T) {
	rs, err := Evaluate(monetisedExample())
	if err != nil {
		t.Fatal(err)
	}
	r := byBid(t, rs)
	// By hand, in pounds of 2012/13:
	//   A: 5×9,800 + 104×8,632 + 120,000×71 + 30×7 = 9,466,938
	//   B: 8×9,800 +  52×8,632 + 200,000×71 + 10×7 = 14,727,334 (the highest)
	//   C: 2×9,800 +   0×8,632 +  50,000×71 + 40×7 = 3,569,880
	want := map[string]*big.Rat{"A": big.NewRat(9466938, 14727334), "B": big.NewRat(1, 1), "C": big.NewRat(3569880, 14727334)}
	for bid, q := range want {
		var line, first LineExpl
		for _, l := range r[bid].Lines {
			if l.Item == "Monetised commitments" {
				line = l
			}
			if strings.HasPrefix(l.Item, "M1 ") {
				first = l
			}
		}
		if line.Value != Show(q) {
			t.Errorf("bid %s monetised share = %s, want %s", bid, line.Value, Show(q))
		}
		if !strings.Contains(first.Input, "× £9,800 (Unit Cost Database 1.4, in 2012/13 prices)") {
			t.Errorf("bid %s line does not state the unit cost and its price year: %q", bid, first.Input)
		}
	}
}

func TestMonetisedRefusesMixedPriceYears(t *testing.T) {
	e := monetisedExample()
	e.Measures[3].ProxyPence, e.Measures[3].ProxyPriceYear = 24100, "2020" // the carbon value
	if _, err := Evaluate(e); err == nil || !strings.Contains(err.Error(), "different years' prices (2012/13, 2020) without an uplift index") {
		t.Fatalf("err = %v", err)
	}
	// The points method does not add values, so it may use them.
	e.Method = MethodRelative
	if _, err := Evaluate(e); err != nil {
		t.Fatal(err)
	}
	tender := Tender{Method: MethodMonetised, Measures: []Measure{
		{Code: "GM-P3-02", ProxyPence: 980000, ProxyPriceYear: "2012/13"},
		{Code: "GM-P5-01", ProxyPence: 24100, ProxyPriceYear: "2020"},
	}}
	var v *problem.Invalid
	if err := tender.Validate(); !errors.As(err, &v) || !strings.Contains(v.Message("method"), "different years' prices (2012/13 and 2020)") {
		t.Fatalf("validate: %v", err)
	}
	tender.Measures[1].ProxyPriceYear = "2012/13"
	if err := tender.Validate(); errors.As(err, &v) && v.Has("method") {
		t.Fatalf("one price year refused: %v", v.Message("method"))
	}
}
