package store_test

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestHubFundGenerations: every table the hub's and the fund's kept page
// data is read from has a trigger for each kind of write (so a table
// rebuilt by a later migration without them fails here); writes raise the
// generation they guard and not the other; reads raise neither; and the
// hub page's generation moves with the hub's, the geography's and the
// priorities'.
func TestHubFundGenerations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		triggers, err := s.HubFundTriggersForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for kind, tables := range store.HubFundTables() {
			for _, table := range tables {
				for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
					if !triggers[kind][table][op] {
						t.Errorf("%s: no trigger raises the %s generation on %s", table, kind, op)
					}
				}
			}
		}
		gen := func(kind string) int64 {
			t.Helper()
			g, err := s.ReferenceGeneration(ctx, kind)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		page := func() int64 {
			t.Helper()
			g, err := s.HubPageGeneration(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		if p := page(); p != gen(store.RefHub)+gen(store.RefGeography)+gen(store.RefPriorities) {
			t.Errorf("hub page generation %d is not the sum of its parts", p)
		}
		hubGen, fundGen := gen(store.RefHub), gen(store.RefFund)
		admin := mkUser(t, s, "admin@example.org", true)
		if gen(store.RefHub) != hubGen || gen(store.RefFund) != fundGen {
			t.Error("creating a user moved a generation")
		}
		group, err := s.CreateOrganisation(ctx, admin, orgsVCSE("Group"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if gen(store.RefHub) <= hubGen || gen(store.RefFund) <= fundGen {
			t.Error("creating an organisation left a generation unchanged")
		}
		hubGen, fundGen = gen(store.RefHub), gen(store.RefFund)
		before := page()
		now := time.Now()
		if _, err := s.CreateNeed(ctx, admin, hub.Need{OrgID: group.ID, Title: "Painters", Kind: "volunteers", Priorities: []string{"P4"}, Size: 4, Contact: "call us"}, now); err != nil {
			t.Fatal(err)
		}
		if gen(store.RefHub) <= hubGen || gen(store.RefFund) != fundGen || page() <= before {
			t.Errorf("posting a need: hub %d (was %d), fund %d (was %d)", gen(store.RefHub), hubGen, gen(store.RefFund), fundGen)
		}
		hubGen = gen(store.RefHub)
		if _, err := s.AddLedgerEntry(ctx, admin, fund.Entry{Kind: fund.Contribution, Pence: 100000, OrgID: group.ID, Sector: fund.SectorOf(orgs.VCSE)}); err != nil {
			t.Fatal(err)
		}
		if gen(store.RefFund) <= fundGen || gen(store.RefHub) != hubGen {
			t.Errorf("a ledger entry: fund %d (was %d), hub %d (was %d)", gen(store.RefFund), fundGen, gen(store.RefHub), hubGen)
		}
		fundGen = gen(store.RefFund)
		if _, err := s.AddLedgerEntry(ctx, admin, fund.Entry{Kind: fund.Correction, Pence: -1000000}); err == nil {
			t.Fatal("a correction below a zero balance was recorded")
		}
		if gen(store.RefFund) != fundGen {
			t.Error("a refused ledger entry moved the fund's generation")
		}
		if _, err := s.ListNeeds(ctx, store.NeedFilter{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Ledger(ctx); err != nil {
			t.Fatal(err)
		}
		if gen(store.RefHub) != hubGen || gen(store.RefFund) != fundGen {
			t.Error("a read moved a generation")
		}
	})
}
