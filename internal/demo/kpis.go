package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// seedKPIs gives the first awarded demo contract three key performance
// indicators and a published assessment of each (a contract performance
// notice), so the contract page and the OCDS export show them.
func seedKPIs(ctx context.Context, s *store.Store, sys auth.Actor, contractID int64, now time.Time) error {
	kpis := []contracts.KPI{
		{Name: "Service delivered on time", Target: "98% of scheduled visits within 15 minutes", Measure: "Monthly visit logs"},
		{Name: "Complaints resolved", Target: "95% resolved within 10 working days", Measure: "Complaints register"},
		{Name: "Local staff", Target: "At least 60% of staff live in Greater Manchester", Measure: "Quarterly staff postcode return"},
	}
	if err := s.SetKPIs(ctx, sys, contractID, kpis, now); err != nil {
		return fmt.Errorf("seed KPIs: %w", err)
	}
	set, err := s.KPIs(ctx, contractID)
	if err != nil {
		return err
	}
	period := now.AddDate(0, -1, 0).Format(time.DateOnly)
	ratings := []string{contracts.RatingGood, contracts.RatingApproaching, contracts.RatingGood}
	var as []contracts.Assessment
	var facts []tenders.Fact
	for i, k := range set {
		a := contracts.Assessment{KPIID: k.ID, PeriodEnd: period, Rating: ratings[i%len(ratings)], Note: "Demonstration assessment."}
		as = append(as, a)
		facts = append(facts, tenders.Fact{Label: fmt.Sprintf("KPI %d: %s (target %s)", i+1, k.Name, k.Target), Value: contracts.RatingLabel(a.Rating) + ". " + a.Note})
	}
	if _, err := s.RecordAssessments(ctx, sys, contractID, as, facts, now); err != nil {
		return fmt.Errorf("seed KPI assessments: %w", err)
	}
	return nil
}
