package contracts

import (
	"errors"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

func TestDetailsNoticeNeedsKPIsOverFiveMillion(t *testing.T) {
	entered := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	big := Contract{ValuePence: 5_000_000_01, EnteredAt: &entered}
	for kpis, ok := range map[int]bool{0: false, 2: false, 3: true, 4: true} {
		err := CheckDetailsNotice(big, kpis)
		var inv *problem.Invalid
		if ok != (err == nil) || (!ok && (!errors.As(err, &inv) || !inv.Has("kpis"))) {
			t.Errorf("£5m + 1p with %d KPIs: %v", kpis, err)
		}
	}
	if err := CheckDetailsNotice(Contract{ValuePence: 5_000_000_00, EnteredAt: &entered}, 0); err != nil {
		t.Errorf("exactly £5m needs no KPIs (more than £5m does): %v", err)
	}
	if err := CheckDetailsNotice(Contract{ValuePence: 100}, 3); !errors.Is(err, problem.ErrConflict) {
		t.Errorf("not entered into: %v", err)
	}
}

func TestValidKPIAndAssessment(t *testing.T) {
	v := &problem.Invalid{}
	ValidKPI(v, 1, KPI{Name: "On-time delivery", Target: "", Measure: string(make([]byte, 501))})
	if !v.Has("kpi_target_1") || !v.Has("kpi_measure_1") || v.Has("kpi_name_1") {
		t.Errorf("KPI errors: %v", v)
	}
	c := Contract{Start: "2026-04-01", End: "2028-03-31"}
	now := time.Date(2027, 4, 10, 12, 0, 0, 0, time.UTC)
	good := Assessment{PeriodEnd: "2027-03-31", Rating: RatingApproaching, Note: "92% on time against 95%"}
	if err := ValidAssessment(c, good, now); err != nil {
		t.Errorf("valid assessment: %v", err)
	}
	for name, a := range map[string]Assessment{
		"rating":     {PeriodEnd: "2027-03-31", Rating: "excellent", Note: "x"},
		"period_end": {PeriodEnd: "2026-03-31", Rating: RatingGood, Note: "x"},
		"note":       {PeriodEnd: "2027-03-31", Rating: RatingGood},
	} {
		var inv *problem.Invalid
		if err := ValidAssessment(c, a, now); !errors.As(err, &inv) || !inv.Has(name) {
			t.Errorf("bad %s: %v", name, err)
		}
	}
	future := good
	future.PeriodEnd = "2027-06-30"
	if err := ValidAssessment(c, future, now); err == nil {
		t.Error("a period ending in the future was accepted")
	}
}

func TestAssessmentDue(t *testing.T) {
	entered := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	c := Contract{EnteredAt: &entered}
	due, ok := AssessmentDue(c, nil)
	if !ok || due.Format(time.DateOnly) != "2027-05-01" {
		t.Errorf("first due %s", due)
	}
	kpis := []KPI{{Assessments: []Assessment{{AssessedAt: time.Date(2027, 4, 20, 0, 0, 0, 0, time.UTC)}}}}
	if due, _ := AssessmentDue(c, kpis); due.Format(time.DateOnly) != "2028-04-20" {
		t.Errorf("next due %s", due)
	}
	if _, ok := AssessmentDue(Contract{}, nil); ok {
		t.Error("due before entering into the contract")
	}
	if RatingLabel(RatingImprove) != "Requires improvement" {
		t.Error(RatingLabel(RatingImprove))
	}
}
