package tenders

import (
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
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
		if want := map[string]string{"A": "£9,466,938", "B": "£14,727,334", "C": "£3,569,880"}[bid]; line.Input != "this bid's total "+want+" ÷ highest compliant total £14,727,334" {
			t.Errorf("bid %s monetised line does not state the totals: %q", bid, line.Input)
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

// monetisedWorked is the worked example (three bids, C failing
// the Real Living Wage gate) scored by the monetised method, its four
// measures valued in 2012/13 prices by unit costs of the Unit Cost
// Database v1.4 (testdata/monetised-example.json).
func monetisedWorked() Evaluation {
	e := workedExample()
	e.Tender.Title = "Worked example, monetised with Unit Cost Database values"
	e.Method = MethodMonetised
	for i, v := range []struct {
		pence int64
		code  string
	}{{980000, "E&E1.0"}, {863200, "E&E2.0"}, {7100, "E&E1.6"}, {700, "E&E1.8"}} {
		e.Measures[i].ProxyPence = v.pence
		e.Measures[i].ProxySource = "Unit Cost Database 1.4, " + v.code + ". Unit Cost Database © Greater Manchester Combined Authority, Creative Commons Attribution 4.0"
		e.Measures[i].ProxyPriceYear = "2012/13"
	}
	return e
}

func TestMonetisedWorkedExample(t *testing.T) {
	rs, err := Evaluate(monetisedWorked())
	if err != nil {
		t.Fatal(err)
	}
	r := byBid(t, rs)
	// By hand (price and quality as in the relative worked example: A 40
	// and 29, B 36 and 37; C excluded). Monetised commitments in 2012/13
	// pounds: A 9,466,938, B 14,727,334 (the highest compliant), so A's
	// share is 9466938/14727334 = 4733469/7363667 and B's is 1.
	// Social value = 20 × (½ × share + ½ × qualitative ÷ 5):
	//   A: 10 × 4733469/7363667 + 10 × 3/5 = 91516692/7363667 ≈ 12.4281
	//   B: 10 × 1 + 10 × 4/5 = 18
	// Totals: A 69 + 91516692/7363667 = 599609715/7363667 ≈ 81.4281; B 91.
	want := map[string][2]*big.Rat{
		"A": {big.NewRat(91516692, 7363667), big.NewRat(599609715, 7363667)},
		"B": {big.NewRat(18, 1), big.NewRat(91, 1)},
	}
	for bid, w := range want {
		sv, _ := new(big.Rat).SetString(r[bid].SocialValue)
		if sv == nil || sv.Cmp(w[0]) != 0 || r[bid].TotalRat().Cmp(w[1]) != 0 {
			t.Errorf("bid %s: social value %s total %s; want %s and %s", bid, r[bid].SocialValue, r[bid].Total, w[0].RatString(), w[1].RatString())
		}
	}
	if r["B"].Rank != 1 || r["A"].Rank != 2 || r["C"].Compliant || r["A"].Total4 != "81.4281" {
		t.Errorf("ranks %d %d, C compliant %v, A total %s", r["B"].Rank, r["A"].Rank, r["C"].Compliant, r["A"].Total4)
	}
}

// The monetised export is committed for `svhub tenders evaluate`.
func TestMonetisedExampleFile(t *testing.T) {
	b, err := os.ReadFile("testdata/monetised-example.json")
	if os.IsNotExist(err) || os.Getenv("UPDATE_TESTDATA") != "" {
		out, _ := json.MarshalIndent(monetisedWorked(), "", "  ")
		if err := os.WriteFile("testdata/monetised-example.json", append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.MarshalIndent(monetisedWorked(), "", "  ")
	if string(append(want, '\n')) != string(b) {
		t.Fatal("testdata/monetised-example.json differs from monetisedWorked(); run with UPDATE_TESTDATA=1")
	}
}

func TestMonetisedWithUpliftIndex(t *testing.T) {
	e := monetisedExample()
	e.Measures[3].ProxyPence, e.Measures[3].ProxySource, e.Measures[3].ProxyPriceYear = 24100, "DESNZ carbon value", "2020"
	e.Uplift = &EvalUplift{Index: "GDP deflator", Source: "HM Treasury", Published: "2026-09-30", PriceYear: "2020", Years: map[string]string{"2012/13": "88", "2020": "110"}}
	rs, err := Evaluate(e)
	if err != nil {
		t.Fatal(err)
	}
	r := byBid(t, rs)
	// By hand, in pounds of 2020 (2012/13 values × 110 ÷ 88 = × 5/4):
	//   A: (5×9,800 + 104×8,632 + 120,000×71) × 5/4 + 30×241 = 11,833,410 + 7,230 = 11,840,640
	//   B: (8×9,800 +  52×8,632 + 200,000×71) × 5/4 + 10×241 = 18,409,080 + 2,410 = 18,411,490
	//   C: (2×9,800 +   0×8,632 +  50,000×71) × 5/4 + 40×241 =  4,462,000 + 9,640 =  4,471,640
	want := map[string]*big.Rat{"A": big.NewRat(11840640, 18411490), "B": big.NewRat(1, 1), "C": big.NewRat(4471640, 18411490)}
	for bid, q := range want {
		found := false
		for _, l := range r[bid].Lines {
			if l.Item == "Monetised commitments" {
				found = l.Value == Show(q)
			}
			if strings.HasPrefix(l.Item, "M1 ") && !strings.Contains(l.Input, "× 110 ÷ 88 (GDP deflator, HM Treasury, published 2026-09-30: 2012/13 prices moved to 2020 prices)") {
				t.Errorf("bid %s: the uplift is not explained: %q", bid, l.Input)
			}
		}
		if !found {
			t.Errorf("bid %s: monetised share is not %s", bid, Show(q))
		}
	}
	// The line for A's jobs: 5 × £9,800 × 5/4 = £61,250.
	for _, l := range r["A"].Lines {
		if strings.HasPrefix(l.Item, "M1 ") && l.Value != "£61,250" {
			t.Errorf("A's M1 line = %s, want £61,250", l.Value)
		}
	}
	// An index without one of the years is refused.
	delete(e.Uplift.Years, "2012/13")
	if _, err := Evaluate(e); err == nil || !strings.Contains(err.Error(), "no value above zero for 2012/13") {
		t.Fatalf("err = %v", err)
	}
}

func TestTenderWithUpliftMayMixPriceYears(t *testing.T) {
	ix := proxies.Index{Name: "GDP deflator", Source: "HM Treasury", Published: "2026-09-30", Years: map[string]*big.Rat{"2012/13": big.NewRat(88, 1), "2020": big.NewRat(110, 1), "2024": big.NewRat(2531, 20)}}
	u := UpliftFrom(ix, "2024")
	if u.Years["2024"] != "126.55" || u.Years["2012/13"] != "88" || u.PriceYear != "2024" {
		t.Fatalf("uplift = %+v", u)
	}
	tender := Tender{Method: MethodMonetised, Uplift: u, Measures: []Measure{
		{Code: "GM-P3-02", ProxyPence: 980000, ProxyPriceYear: "2012/13"},
		{Code: "GM-P5-01", ProxyPence: 24100, ProxyPriceYear: "2020"},
	}}
	var v *problem.Invalid
	if err := tender.Validate(); errors.As(err, &v) && (v.Has("method") || v.Has("uplift")) {
		t.Fatalf("mixed years with an index refused: %v", err)
	}
	tender.Measures[1].ProxyPriceYear = "2019"
	if err := tender.Validate(); !errors.As(err, &v) || !strings.Contains(v.Message("uplift"), "no value for 2019") {
		t.Fatalf("index lacking a year: %v", err)
	}
}
