package demo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/demo"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

func seed(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	if err := app.EnsureGeo(ctx, s, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	key, _ := tenders.ParseKey(tenders.NewKey())
	sealer, _ := tenders.NewSealer(key)
	start := time.Now()
	if _, err := demo.Seed(ctx, s, auth.NewHasher(0), "demo-test-password", sealer); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))
}

// The demo's published fund round went through the real lifecycle: its
// frozen results are what the allocation rule gives on its stored
// ballots, within budget, and the funded projects report progress.
func TestDemoPublishedFundRound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seed(t, s)
		ctx := context.Background()
		rounds, err := s.ListFundRounds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rounds) != 2 || rounds[0].Phase != fund.PhaseVoting || rounds[1].Phase != fund.PhasePublished {
			t.Fatalf("want the voting round newest and a published one before it, got %+v", rounds)
		}
		rd := rounds[1]
		rule, total, js, err := s.FundResults(ctx, rd.ID)
		if err != nil {
			t.Fatal(err)
		}
		var doc fund.Document
		if err := json.Unmarshal([]byte(js), &doc); err != nil {
			t.Fatal(err)
		}
		ps, _ := s.Proposals(ctx, rd.ID)
		ballots, cons, _ := s.FundBallots(ctx, rd.ID)
		again, err := fund.Publication(rd, ps, ballots, cons)
		if err != nil {
			t.Fatal(err)
		}
		var funded, recomputed []int64
		for _, p := range doc.Proposals {
			if p.Funded {
				funded = append(funded, p.ID)
			}
		}
		for _, p := range again.Proposals {
			if p.Funded {
				recomputed = append(recomputed, p.ID)
			}
		}
		if rule != rd.Rule || total != doc.TotalPence || total > rd.BudgetPence || len(funded) < 2 || !slices.Equal(funded, recomputed) || doc.Voters != 61 {
			t.Fatalf("results: rule %s total %d of %d, funded %v, recomputed %v, voters %d", rule, total, rd.BudgetPence, funded, recomputed, doc.Voters)
		}
		for _, p := range doc.Proposals {
			t.Logf("%s: %d approvals, £%d, funded %v %s", p.Title, p.Approvals, p.Pence/100, p.Funded, p.Reason)
		}
		if slices.Equal(doc.GreedyFunded, funded) {
			t.Errorf("the demo should show a proportional allocation that differs from most-votes: both fund %v", funded)
		}
		updates, err := s.FundUpdates(ctx, rd.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range funded {
			if len(updates[id]) == 0 {
				t.Errorf("funded proposal %d has no progress update", id)
			}
		}
		if len(updates) != len(funded) {
			t.Errorf("updates for %d proposals, %d funded", len(updates), len(funded))
		}
	})
}

// The completed school transport contract has verified, queried and
// rejected delivery lines, and a resident's concern with the buyer's
// public response.
func TestDemoContractStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seed(t, s)
		ctx := context.Background()
		cs, err := s.ListContracts(ctx, store.ContractFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		for _, c := range cs {
			if c.Title == "Home to school transport" {
				id = c.ID
			}
		}
		if id == 0 {
			t.Fatalf("no school transport contract among %d", len(cs))
		}
		lines, err := s.DeliveryLines(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]int{}
		var concerns []contracts.Concern
		for _, l := range lines {
			status[l.Status]++
			concerns = append(concerns, l.Concerns...)
		}
		if status[contracts.Verified] == 0 || status[contracts.Queried] == 0 || status[contracts.Rejected] == 0 {
			t.Errorf("line statuses %v, want verified, queried and rejected", status)
		}
		if len(concerns) != 1 || concerns[0].Response == "" || concerns[0].RespondedAt == nil || !concerns[0].RespondedAt.After(concerns[0].CreatedAt) {
			t.Errorf("concerns %+v, want one answered", concerns)
		}
	})
}

// Trafford Council's spend is the real published file, cut down, and its
// source says so; Manchester's says it is generated.
func TestDemoRealSpendLabelled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seed(t, s)
		ctx := context.Background()
		for slug, want := range map[string]string{"trafford-council": "Real published data: Trafford Council supplier spend 2024-25, cut down to ", "manchester-city-council": "Demonstration data: generated payments, not real"} {
			o, err := s.OrganisationBySlug(ctx, slug)
			if err != nil {
				t.Fatal(err)
			}
			src, err := s.SpendSources(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(src) != 1 || !strings.HasPrefix(src[0].File, want) || src[0].RowsImported < 200 {
				t.Errorf("%s sources %+v, want one starting %q", slug, src, want)
			}
			if slug == "trafford-council" && !strings.Contains(src[0].File, fmt.Sprintf("cut down to %d payments", src[0].RowsImported)) {
				t.Errorf("label %q does not give the %d payments stored", src[0].File, src[0].RowsImported)
			}
		}
	})
}
