package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/store"
)

// seedFund adds contributions from all three sectors, a round whose
// results are published, and a round that is open for voting, with
// eligible cross-sector proposals.
func seedFund(ctx context.Context, s *store.Store, sys auth.Actor, slugs map[string]string) error {
	contrib := []struct {
		org   string
		pence int64
	}{
		{"Greater Manchester Combined Authority", 25_000_000}, {"Manchester City Council", 10_000_000}, {"Trafford Council", 5_000_000},
		{"Trafford Park Manufacturing Ltd", 7_500_000}, {"Heywood Distribution Ltd", 2_500_000}, {"Manchester Mind Matters", 500_000},
	}
	for _, c := range contrib {
		o, err := s.OrganisationBySlug(ctx, slugs[c.org])
		if err != nil {
			return fmt.Errorf("seed fund: %s: %w", c.org, err)
		}
		if _, err := s.AddLedgerEntry(ctx, sys, fund.Entry{Kind: fund.Contribution, Pence: c.pence, OrgID: o.ID, Sector: fund.SectorOf(o.Kind), Note: "Demonstration contribution"}); err != nil {
			return err
		}
	}
	if err := seedPublishedRound(ctx, s, sys, slugs); err != nil {
		return err
	}
	now := time.Now()
	_, _, err := seedRound(ctx, s, sys, slugs, fund.Round{Title: "Healthy neighbourhoods (demonstration)", Rule: "mes-add1", BudgetPence: 20_000_000, MaxPence: 8_000_000,
		Description:    "Demonstration data. Projects that keep people well where they live, designed with the people they serve.",
		ProposalsUntil: now.Add(time.Minute), VotingFrom: now.Add(-time.Hour), VotingUntil: now.Add(21 * 24 * time.Hour)},
		"Designed with residents at open sessions run by the community organisation.", "A lasting partnership between the organisations involved.",
		[]demoProposal{
			{"Moss Side Community Kitchen", "Community food hubs", "Three food hubs run with local cafés, where families cook and eat together.", 6_000_000, []string{"Manchester City Council", "Wigan Pier Catering Co Ltd"}},
			{"Bury Cycle Recycle CIC", "Bikes for work", "Refurbished bikes and repair training for people starting new jobs.", 3_500_000, []string{"Bury Market Logistics Ltd", "Bury Council"}},
			{"Trafford Deaf Centre", "Signing in public services", "British Sign Language training for front-line council and NHS staff.", 2_500_000, []string{"Trafford Council", "Manchester University NHS Foundation Trust"}},
			{"Ince Community Energy", "Solar on school roofs", "Community-owned solar panels on four Wigan schools, with profits to the schools.", 7_500_000, []string{"Middleton Electrical Contractors Ltd", "Wigan Council"}},
		})
	return err
}

// demoProposal is a seeded proposal: the organisation that leads it, its
// title, summary and budget, and its partners, each by name.
type demoProposal struct {
	org, title, summary string
	pence               int64
	partners            []string
}

// seedRound creates round rd, submits the proposals (each with the same
// co-production and systemic-change answers), finds every one eligible and
// opens voting. It returns the round's id and the proposals' ids in order.
func seedRound(ctx context.Context, s *store.Store, sys auth.Actor, slugs map[string]string, rd fund.Round, coproduction, systemic string, proposals []demoProposal) (int64, []int64, error) {
	rid, err := s.CreateFundRound(ctx, sys, rd)
	if err != nil {
		return 0, nil, fmt.Errorf("seed round %q: %w", rd.Title, err)
	}
	var ids []int64
	for _, p := range proposals {
		org, err := s.OrganisationBySlug(ctx, slugs[p.org])
		if err != nil {
			return 0, nil, fmt.Errorf("seed round %q: %s: %w", rd.Title, p.org, err)
		}
		pr := fund.Proposal{RoundID: rid, OrgID: org.ID, Title: p.title, Summary: p.summary, BudgetPence: p.pence, Coproduction: coproduction, Systemic: systemic}
		for _, name := range p.partners {
			po, err := s.OrganisationBySlug(ctx, slugs[name])
			if err != nil {
				return 0, nil, fmt.Errorf("seed round %q: partner %s: %w", rd.Title, name, err)
			}
			pr.Partners = append(pr.Partners, fund.Partner{OrgID: po.ID})
		}
		id, err := s.SubmitProposal(ctx, sys, pr)
		if err != nil {
			return 0, nil, err
		}
		ids = append(ids, id)
	}
	if err := s.MoveFundRound(ctx, sys, rid, fund.PhaseReview); err != nil {
		return 0, nil, err
	}
	for _, id := range ids {
		if err := s.ReviewProposal(ctx, sys, id, fund.Eligible, "Meets every criterion."); err != nil {
			return 0, nil, err
		}
	}
	return rid, ids, s.MoveFundRound(ctx, sys, rid, fund.PhaseVoting)
}
