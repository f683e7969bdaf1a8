package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/store"
)

// seedPublishedRound runs a whole Collaboration Fund round through the
// store's lifecycle, as the pages would: proposals, eligibility review,
// residents' approval ballots, closing, allocation by the round's rule
// (internal/fund, the same code the publish button runs), publication and
// progress updates from the funded projects. It runs before the round that
// is still voting, so that round stays the newest.
func seedPublishedRound(ctx context.Context, s *store.Store, sys auth.Actor, slugs map[string]string) error {
	now := time.Now()
	rd := fund.Round{Title: "Warm, connected neighbourhoods (demonstration)", Rule: "mes-add1", BudgetPence: 10_000_000, MaxPence: 5_000_000, Electorate: fund.Residents,
		Description:    "Demonstration data. Projects that keep people warm, connected and in work, chosen by residents' approval votes and allocated proportionally.",
		ProposalsUntil: now.Add(time.Minute), VotingFrom: now.Add(-time.Hour), VotingUntil: now.Add(24 * time.Hour)}
	rid, ids, err := seedRound(ctx, s, sys, slugs, rd, "Shaped with the people it serves at open sessions.", "Partners from all three sectors commit staff time beyond the grant.",
		[]demoProposal{
			{"Rochdale Carers Network", "Warm and well at home", "Home energy visits for unpaid carers, with small repairs done by a local electrician.", 4_500_000, []string{"Rochdale Council", "Middleton Electrical Contractors Ltd"}},
			{"Prestwich Repair Café", "Repair cafés in every Bury township", "Monthly repair cafés in six towns, with furniture reuse for families setting up home.", 2_000_000, []string{"Bury Council", "Failsworth Furniture Ltd"}},
			{"Wigan Digital Inclusion CIC", "Digital skills in libraries", "Drop-in help with devices, data and online services in eight Wigan libraries.", 3_000_000, []string{"Wigan Council", "Northern Quarter Digital Ltd"}},
			{"Denton Young Carers", "Breaks for young carers", "Weekend breaks and outdoor days for young carers, planned with them.", 1_500_000, []string{"Tameside Council", "Tame Valley Landscapes Ltd"}},
			{"Bolton Refugee Welcome", "From welcome to work", "English for work, mentoring and paid placements for people granted refugee status.", 2_500_000, []string{"Bolton Council", "Westhoughton Training Ltd"}},
			{"Stockport Men's Shed", "A bigger shed", "A second workshop so twice as many older men can make, mend and meet.", 3_500_000, []string{"Stockport Council", "Ramsbottom Architects LLP"}},
		})
	if err != nil {
		return err
	}
	// Sixty residents in three groups with different priorities, so a
	// proportional rule and a most-votes count can choose differently. The
	// demo resident's own ballot is one of them.
	for i := range 60 {
		var pick []int
		switch {
		case i < 30:
			pick = []int{0, 2}
			if i%3 == 0 {
				pick = append(pick, 5)
			}
		case i < 45:
			pick = []int{1, 3}
			if i%2 == 0 {
				pick = append(pick, 4)
			}
		default:
			pick = []int{4, 5}
			if i%4 == 0 {
				pick = append(pick, 0)
			}
		}
		var approve []int64
		for _, k := range pick {
			approve = append(approve, ids[k])
		}
		if err := s.CastFundBallot(ctx, sys, rid, fmt.Sprintf("demo:resident-%d", i+1), fund.Residents, approve, now); err != nil {
			return fmt.Errorf("seed fund ballot: %w", err)
		}
	}
	resident, err := s.UserByEmail(ctx, "resident@example.org")
	if err != nil {
		return err
	}
	ra, err := s.ActorForUser(ctx, resident)
	if err != nil {
		return err
	}
	if err := s.CastFundBallot(ctx, ra, rid, fmt.Sprintf("user:%d", resident.ID), fund.Residents, []int64{ids[1], ids[3]}, now); err != nil {
		return fmt.Errorf("seed fund ballot: %w", err)
	}
	if err := s.MoveFundRound(ctx, sys, rid, fund.PhaseClosed); err != nil {
		return err
	}
	// Publication: the same steps as the administrator's publish button.
	closed, err := s.FundRound(ctx, rid)
	if err != nil {
		return err
	}
	ps, err := s.Proposals(ctx, rid)
	if err != nil {
		return err
	}
	ballots, cons, err := s.FundBallots(ctx, rid)
	if err != nil {
		return err
	}
	doc, err := fund.Publication(closed, ps, ballots, cons)
	if err != nil {
		return fmt.Errorf("seed fund results: %w", err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	if err := s.PublishFundResults(ctx, sys, rid, closed.Rule, doc.TotalPence, string(js), now); err != nil {
		return err
	}
	// Progress reports from the funded projects, oldest first.
	notes := []fund.Update{
		{Percent: 15, Status: "on_track", Note: "Partners have met, staff are recruited and the first sessions are booked."},
		{Percent: 40, Status: "on_track", Note: "The first sessions ran; people who came helped plan the next ones."},
		{Percent: 55, Status: "at_risk", Note: "A venue closed for repairs; we are moving sessions and may finish a month late."},
		{Percent: 100, Status: "complete", Note: "Every planned session ran; the partners have agreed to carry on without the grant."},
	}
	n := 0
	for _, p := range doc.Proposals {
		if !p.Funded {
			continue
		}
		// The first funded project has finished; the others are further behind.
		for k := range max(1, len(notes)-n) {
			u := notes[k]
			u.ProposalID = p.ID
			if _, err := s.AddFundUpdate(ctx, sys, u, doc.Funded(p.ID)); err != nil {
				return fmt.Errorf("seed fund update: %w", err)
			}
		}
		n++
	}
	return nil
}
