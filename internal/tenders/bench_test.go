package tenders

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// BenchmarkEvaluate200Bids scores a tender with 200 bids, 40 measures, 4
// quality criteria plus the social value answer, and 5 evaluators: each
// consensus mark is the exact mean of 5 marks, then every bid is scored,
// flagged and ranked in exact arithmetic.
func BenchmarkEvaluate200Bids(b *testing.B) {
	const bids, measures, evaluators = 200, 40, 5
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	people := EvalPeople{Weights: map[string]string{}}
	for p := range 6 {
		people.Weights[fmt.Sprintf("P%d", p+1)] = []string{"0.22", "0.08", "0.2", "0.15", "0.15", "0.2"}[p]
	}
	base := Evaluation{Format: EvaluationFormat, Weights: ModelWeights{Price: 40, Quality: 40, SocialValue: 20}, Alpha: "0.5", Method: MethodRelative, People: people, Gates: []string{GateRLW}}
	for c := range 4 {
		base.Criteria = append(base.Criteria, EvalCriterion{Key: CriterionKey(c), Title: "criterion", Weight: 10})
	}
	for m := range measures {
		base.Measures = append(base.Measures, EvalMeasure{Key: fmt.Sprintf("M%d", m), Unit: "units", Priority: fmt.Sprintf("P%d", m%6+1), ProxyPence: int64(100 + m)})
	}
	// marks[bid][criterion] holds the five evaluators' marks.
	marks := make([][][]int, bids)
	quantities := make([]map[string]string, bids)
	for i := range bids {
		marks[i] = make([][]int, 5)
		for c := range 5 {
			for e := range evaluators {
				marks[i][c] = append(marks[i][c], (i+c*3+e*7)%6)
			}
		}
		quantities[i] = map[string]string{}
		for m := range measures {
			quantities[i][fmt.Sprintf("M%d", m)] = strconv.Itoa((i*37+m*11)%500) + "." + strconv.Itoa(i%10)
		}
	}
	for b.Loop() {
		e := base
		e.Bids = make([]EvalBid, bids)
		for i := range bids {
			bid := EvalBid{ID: strconv.Itoa(i), PricePence: int64(80_000_000 + i*12_345), SubmittedAt: t0.Add(time.Duration(i) * time.Minute),
				Gates: map[string]bool{GateRLW: i%9 != 0}, Marks: map[string]string{}, Quantities: quantities[i], Plans: map[string]string{}}
			for c := range 4 {
				bid.Marks[CriterionKey(c)] = MeanMark(marks[i][c])
			}
			bid.Qualitative = MeanMark(marks[i][4])
			e.Bids[i] = bid
		}
		res, err := Evaluate(e)
		if err != nil || len(res) != bids {
			b.Fatal(err)
		}
	}
}
