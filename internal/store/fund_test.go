package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func balance(t *testing.T, s *store.Store) int64 {
	t.Helper()
	es, err := s.Ledger(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b int64
	for _, e := range es {
		b += e.Pence
	}
	return b
}

func TestFundLedgerRoundsAndBallots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0)
		group, _ := s.CreateOrganisation(ctx, admin, orgsVCSE("Group"), 0)
		if _, err := s.AddLedgerEntry(ctx, admin, fund.Entry{Kind: fund.Contribution, Pence: 5_000_000, OrgID: council.ID, Sector: fund.Public}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddLedgerEntry(ctx, admin, fund.Entry{Kind: fund.Contribution, Pence: 1_000_000, OrgID: firm.ID, Sector: fund.Private}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddLedgerEntry(ctx, admin, fund.Entry{Kind: fund.Correction, Pence: -7_000_000, Note: "too much"}); err == nil {
			t.Fatal("the balance went below zero")
		}
		if _, err := s.AddLedgerEntry(ctx, admin, fund.Entry{Kind: fund.Contribution, Pence: -5}); err == nil {
			t.Fatal("a negative contribution was accepted")
		}
		now := time.Now()
		r := fund.Round{Title: "Round", BudgetPence: 7_000_000, Rule: "mes-add1", ProposalsUntil: now.Add(time.Minute), VotingFrom: now.Add(-time.Hour), VotingUntil: now.Add(time.Hour)}
		if _, err := s.CreateFundRound(ctx, admin, r); err == nil {
			t.Fatal("a round reserved more than the balance")
		}
		r.BudgetPence = 4_000_000
		rid, err := s.CreateFundRound(ctx, admin, r)
		if err != nil {
			t.Fatal(err)
		}
		if b := balance(t, s); b != 2_000_000 {
			t.Fatalf("balance after reservation %d", b)
		}
		var pids []int64
		for i, title := range []string{"A", "B", "C"} {
			id, err := s.SubmitProposal(ctx, admin, fund.Proposal{RoundID: rid, OrgID: group.ID, Title: title, Summary: "s", BudgetPence: int64(1_000_000 * (i + 1)), Coproduction: "c", Systemic: "x",
				Partners: []fund.Partner{{OrgID: council.ID}}})
			if err != nil {
				t.Fatal(err)
			}
			pids = append(pids, id)
		}
		p, _ := s.Proposal(ctx, pids[0])
		if len(p.Partners) != 1 || p.Partners[0].Kind != orgs.PublicBody {
			t.Fatalf("partners %+v", p.Partners)
		}
		if err := s.ReviewProposal(ctx, admin, pids[0], fund.Eligible, ""); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("review outside the review phase: %v", err)
		}
		if err := s.MoveFundRound(ctx, admin, rid, fund.PhaseReview); err != nil {
			t.Fatal(err)
		}
		if err := s.WithdrawProposal(ctx, admin, pids[2]); err != nil {
			t.Fatal(err)
		}
		if err := s.ReviewProposal(ctx, admin, pids[0], fund.Eligible, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveFundRound(ctx, admin, rid, fund.PhaseVoting); err == nil {
			t.Fatal("voting opened with an undecided proposal")
		}
		if err := s.ReviewProposal(ctx, admin, pids[1], fund.Ineligible, ""); err == nil {
			t.Fatal("ineligible without a reason")
		}
		if err := s.ReviewProposal(ctx, admin, pids[1], fund.Ineligible, "Only one sector"); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveFundRound(ctx, admin, rid, fund.PhaseVoting); err != nil {
			t.Fatal(err)
		}
		if err := s.WithdrawProposal(ctx, admin, pids[0]); err == nil {
			t.Fatal("withdrawn during voting")
		}
		if err := s.CastFundBallot(ctx, admin, rid, "user:1", fund.Residents, []int64{pids[1]}, now); err == nil {
			t.Fatal("an ineligible proposal was approved")
		}
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.CastFundBallot(ctx, admin, rid, "user:1", fund.Residents, []int64{pids[0]}, now); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if err := s.CastFundBallot(ctx, admin, rid, "user:2", fund.Residents, nil, now); err != nil {
			t.Fatal(err)
		}
		if err := s.CastFundBallot(ctx, admin, rid, "org:1", fund.Organisations, nil, now); !errors.Is(err, problem.ErrForbidden) {
			t.Fatalf("an organisation voted in a residents' round: %v", err)
		}
		bs, cons, err := s.FundBallots(ctx, rid)
		if err != nil || len(bs) != 2 || len(bs[0]) != 1 || len(bs[1]) != 0 || cons[0] != fund.Residents {
			t.Fatalf("ballots %v %v", bs, err)
		}
		if err := s.CastFundBallot(ctx, admin, rid, "user:3", fund.Residents, []int64{pids[0]}, now.Add(2*time.Hour)); err == nil {
			t.Fatal("a ballot after the close was accepted")
		}
		if err := s.PublishFundResults(ctx, admin, rid, "mes-add1", 1_000_000, "{}", now); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("published during voting: %v", err)
		}
		if err := s.MoveFundRound(ctx, admin, rid, fund.PhaseClosed); err != nil {
			t.Fatal(err)
		}
		if err := s.PublishFundResults(ctx, admin, rid, "mes-add1", 5_000_000, "{}", now); err == nil {
			t.Fatal("an allocation above the budget was published")
		}
		if err := s.PublishFundResults(ctx, admin, rid, "mes-add1", 1_000_000, "{}", now); err != nil {
			t.Fatal(err)
		}
		if b := balance(t, s); b != 5_000_000 {
			t.Fatalf("balance after release %d, want the unspent £30,000 back", b)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n < 15 {
			t.Fatalf("audit %d %v", n, err)
		}
	})
}
