package tenders

import (
	"encoding/json"
	"math/big"
	"os"
	"testing"
	"time"
)

// workedExample is the worked example, exactly as written there.
func workedExample() Evaluation {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return Evaluation{
		Format:   EvaluationFormat,
		Tender:   EvalTender{ID: 1, Title: "Worked example from the procurement issue", Buyer: "Example council"},
		Weights:  ModelWeights{Price: 40, Quality: 40, SocialValue: 20},
		Alpha:    "0.5",
		Method:   MethodRelative,
		Criteria: []EvalCriterion{{Key: "Q1", Title: "Delivery", Weight: 25}, {Key: "Q2", Title: "Staffing", Weight: 15}},
		People: EvalPeople{Source: "People's Weights given in the issue", Weights: map[string]string{"best_employment": "0.25", "clean_air": "0.10", "skills": "0.20",
			"strong_community": "0.10", "greener": "0.15", "local_supply_chain": "0.20"}},
		Measures: []EvalMeasure{
			{Key: "M1", Title: "Local people employed", Unit: "FTE", Priority: "best_employment"},
			{Key: "M2", Title: "Apprenticeship weeks", Unit: "weeks", Priority: "skills"},
			{Key: "M3", Title: "Spend with GM SMEs and VCSEs", Unit: "£", Priority: "local_supply_chain"},
			{Key: "M4", Title: "Tonnes CO2e avoided", Unit: "tCO2e", Priority: "greener"},
		},
		Gates: []string{GateRLW},
		Bids: []EvalBid{
			{ID: "A", Supplier: "Supplier A", PricePence: 900_000_00, SubmittedAt: t0, Gates: map[string]bool{GateRLW: true}, Marks: map[string]string{"Q1": "4", "Q2": "3"},
				Qualitative: "3", Quantities: map[string]string{"M1": "5", "M2": "104", "M3": "120000", "M4": "30"}},
			{ID: "B", Supplier: "Supplier B", PricePence: 1_000_000_00, SubmittedAt: t0, Gates: map[string]bool{GateRLW: true}, Marks: map[string]string{"Q1": "5", "Q2": "4"},
				Qualitative: "4", Quantities: map[string]string{"M1": "8", "M2": "52", "M3": "200000", "M4": "10"}},
			{ID: "C", Supplier: "Supplier C", PricePence: 850_000_00, SubmittedAt: t0, Gates: map[string]bool{GateRLW: false}, Marks: map[string]string{"Q1": "3", "Q2": "3"},
				Qualitative: "2", Quantities: map[string]string{"M1": "2", "M2": "0", "M3": "50000", "M4": "40"}},
		},
	}
}

func byBid(t *testing.T, rs []Result) map[string]Result {
	t.Helper()
	m := map[string]Result{}
	for _, r := range rs {
		m[r.Bid] = r
	}
	return m
}

func TestWorkedExample(t *testing.T) {
	e := workedExample()
	omega, err := MeasureWeights(e.People, e.Measures)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"M1": "0.3125", "M2": "0.25", "M3": "0.25", "M4": "0.1875"} {
		if got := Exact(omega[k]); got != want {
			t.Errorf("ω %s = %s, want %s", k, got, want)
		}
	}
	rs, err := Evaluate(e)
	if err != nil {
		t.Fatal(err)
	}
	r := byBid(t, rs)
	if r["C"].Compliant || r["C"].Rank != 0 || r["C"].Excluded == "" {
		t.Errorf("C should be excluded by the Real Living Wage gate: %+v", r["C"])
	}
	check := func(id, price, quality, sv, total string, rank int) {
		t.Helper()
		got := r[id]
		if got.Price != price || got.Quality != quality || got.SocialValue != sv || got.Total != total || got.Rank != rank {
			t.Errorf("%s = price %s quality %s sv %s total %s rank %d; want %s %s %s %s %d", id, got.Price, got.Quality, got.SocialValue, got.Total, got.Rank, price, quality, sv, total, rank)
		}
	}
	check("A", "40", "29", "13.828125", "82.828125", 2)
	check("B", "36", "37", "15.5", "88.5", 1)

	// Without the gate every bid is compliant.
	e.Gates = nil
	rs, err = Evaluate(e)
	if err != nil {
		t.Fatal(err)
	}
	r = byBid(t, rs)
	for id, want := range map[string]string{"A": "80.1372", "B": "86.3438", "C": "71.2813"} {
		if r[id].Total4 != want {
			t.Errorf("no gate: %s total %s (%s), want %s", id, r[id].Total4, r[id].Total, want)
		}
	}
	if r["B"].Total != "86.34375" || r["C"].Total != "71.28125" {
		t.Errorf("no gate exact totals: B %s C %s", r["B"].Total, r["C"].Total)
	}
	if a, _ := new(big.Rat).SetString("80.1372"); new(big.Rat).Sub(r["A"].TotalRat(), a).Abs(new(big.Rat).Sub(r["A"].TotalRat(), a)).Cmp(big.NewRat(1, 20000)) >= 0 {
		t.Errorf("A no gate total %s not 80.1372 to 4 decimals", r["A"].Total)
	}
	if r["B"].Rank != 1 || r["A"].Rank != 2 || r["C"].Rank != 3 {
		t.Errorf("ranks: %d %d %d", r["A"].Rank, r["B"].Rank, r["C"].Rank)
	}
}

// The export round-trips through JSON and gives the same digits.
func TestEvaluationRoundTrip(t *testing.T) {
	e := workedExample()
	want, err := Evaluate(e)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(e)
	var back Evaluation
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got, err := Evaluate(back)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i].Total != want[i].Total || got[i].Rank != want[i].Rank {
			t.Errorf("bid %s: %s/%d after round trip, %s/%d before", want[i].Bid, got[i].Total, got[i].Rank, want[i].Total, want[i].Rank)
		}
	}
}

func TestTieBreaks(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	e := Evaluation{Format: EvaluationFormat, Weights: ModelWeights{Price: 50, Quality: 40, SocialValue: 10}, Alpha: "0", Method: MethodRelative,
		Criteria: []EvalCriterion{{Key: "Q1", Weight: 40}},
		Bids: []EvalBid{
			{ID: "late", PricePence: 100, SubmittedAt: t0.Add(time.Hour), Marks: map[string]string{"Q1": "3"}, Qualitative: "3"},
			{ID: "early", PricePence: 100, SubmittedAt: t0, Marks: map[string]string{"Q1": "3"}, Qualitative: "3"},
		}}
	rs, err := Evaluate(e)
	if err != nil {
		t.Fatal(err)
	}
	r := byBid(t, rs)
	if r["early"].Rank != 1 || r["late"].Rank != 2 {
		t.Errorf("equal bids should rank by earlier submission: %+v", rs)
	}
}

func TestFlagsAndMonetised(t *testing.T) {
	e := workedExample()
	e.Gates = nil
	e.Method = MethodMonetised
	for i := range e.Measures {
		e.Measures[i].ProxyPence = 100_000_00 // £100,000 per unit: implausible on purpose
		e.Measures[i].ProxySource = "test"
	}
	e.Bids[1].Plans = map[string]string{"M1": "plan"}
	rs, err := Evaluate(e)
	if err != nil {
		t.Fatal(err)
	}
	r := byBid(t, rs)
	if len(r["A"].Flags) == 0 {
		t.Fatal("expected plausibility flags")
	}
	found := false
	for _, f := range r["A"].Flags {
		if f == "M1: a commitment with no delivery plan" {
			found = true
		}
	}
	if !found {
		t.Errorf("missing no-plan flag: %v", r["A"].Flags)
	}
	if r["A"].Compliant != true {
		t.Error("flags must never exclude")
	}
}

func TestEvaluateRefusesBadInput(t *testing.T) {
	for name, mod := range map[string]func(*Evaluation){
		"weights":  func(e *Evaluation) { e.Weights.Price = 50 },
		"format":   func(e *Evaluation) { e.Format = "x" },
		"negative": func(e *Evaluation) { e.Bids[0].Quantities["M1"] = "-1" },
		"nonnum":   func(e *Evaluation) { e.Bids[0].Quantities["M1"] = "lots" },
		"mark":     func(e *Evaluation) { e.Bids[0].Marks["Q1"] = "6" },
		"price":    func(e *Evaluation) { e.Bids[0].PricePence = 0 },
	} {
		e := workedExample()
		mod(&e)
		if _, err := Evaluate(e); err == nil {
			t.Errorf("%s: expected an error", name)
		}
	}
}

func TestParseQuantity(t *testing.T) {
	for in, want := range map[string]int64{"5": 5000, "104": 104000, "£120,000": 120000000, "0.125": 125, "0": 0} {
		got, err := ParseQuantity(in)
		if err != nil || got != want {
			t.Errorf("%q = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"-1", "abc", "", "1/2", "1e3", "0.0001"} {
		if _, err := ParseQuantity(bad); err == nil {
			t.Errorf("%q: expected an error", bad)
		}
	}
}

// The worked example is also kept as an export file, the input auditors
// give to `svhub tenders evaluate`; it must stay identical to the fixture.
func TestWorkedExampleFile(t *testing.T) {
	b, err := os.ReadFile("testdata/worked-example.json")
	if os.IsNotExist(err) || os.Getenv("UPDATE_TESTDATA") != "" {
		out, _ := json.MarshalIndent(workedExample(), "", "  ")
		if err := os.WriteFile("testdata/worked-example.json", append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	var e Evaluation
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(workedExample())
	got, _ := json.Marshal(e)
	if string(want) != string(got) {
		t.Fatal("testdata/worked-example.json differs from workedExample(); run with UPDATE_TESTDATA=1")
	}
}

func TestMedianWithout(t *testing.T) {
	for _, xs := range [][]int64{{1, 2, 3, 4, 5}, {1, 2, 3, 4}, {5, 5, 5}, {1, 9}, {7}} {
		sorted := make([]*big.Rat, len(xs))
		for i, x := range xs {
			sorted[i] = big.NewRat(x, 1)
		}
		c := &medianCache{sorted: sorted}
		c.fill()
		for k := range xs {
			var others []int64
			others = append(others, xs[:k]...)
			others = append(others, xs[k+1:]...)
			got, three := c.without(k)
			if len(others) == 0 {
				if got != nil {
					t.Errorf("%v without %d: %v, want nil", xs, k, got)
				}
				continue
			}
			n := len(others)
			want := big.NewRat(others[n/2], 1)
			if n%2 == 0 {
				want = big.NewRat(others[n/2-1]+others[n/2], 2)
			}
			if got.Cmp(want) != 0 || three.Cmp(new(big.Rat).Mul(want, big.NewRat(3, 1))) != 0 {
				t.Errorf("%v without %d: %s, want %s", xs, k, got, want)
			}
		}
	}
}

func TestMilliOfAgreesWithRat(t *testing.T) {
	for _, s := range []string{"0", "12", "4.5", "0.125", "104", "120000", "1.", "999999999999.999"} {
		n, ok := milliOf(s)
		r, _ := new(big.Rat).SetString(s)
		if !ok || big.NewRat(n, 1000).Cmp(r) != 0 {
			t.Errorf("%q: %d %v", s, n, ok)
		}
	}
	for _, s := range []string{"", ".5", "-1", "1.2345", "1/3", "1e3", " 5", "1,000"} {
		if _, ok := milliOf(s); ok {
			t.Errorf("%q accepted by the fast path", s)
		}
	}
}
