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

// TestResourcesGeneration: the resources and the organisations that write
// them have a trigger raising the resource library's generation for each
// kind of write; writing, publishing and renaming raise it, a read and a
// hub need do not; migration 61 goes down and up again cleanly. Both
// engines.
func TestResourcesGeneration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		requireTriggers(t, s, "resources_generation", "the resource library's generation", store.ResourceTables()...)
		if err := store.MigrateDownToForTest(s, 60); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReferenceGeneration(ctx, store.RefResources); err == nil {
			t.Error("the resource library's generation survived migration 61 down")
		}
		if left, err := s.GenerationTriggersForTest(ctx, "resources_generation"); err != nil || len(left) != 0 {
			t.Errorf("triggers left after migration 61 down: %v, %v", left, err)
		}
		if err := store.MigrateToForTest(s, 1<<40); err != nil {
			t.Fatal(err)
		}
		gen := func() int64 {
			t.Helper()
			g, err := s.ReferenceGeneration(ctx, store.RefResources)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		admin := mkUser(t, s, "admin@example.org", true)
		g := gen()
		group, err := s.CreateOrganisation(ctx, admin, orgsVCSE("Library Group"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if gen() <= g {
			t.Error("creating an organisation left the resource library's generation unchanged")
		}
		g = gen()
		now := time.Now()
		id, err := s.CreateResource(ctx, admin, hub.Resource{OrgID: group.ID, Title: "Counting apprenticeships", Kind: "guide", Summary: "How", Body: "Like this"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if gen() <= g {
			t.Error("writing a resource left the generation unchanged")
		}
		g = gen()
		for _, to := range []string{hub.ResReview, hub.ResPublished} {
			if err := s.MoveResource(ctx, admin, id, to, now); err != nil {
				t.Fatal(err)
			}
			if gen() <= g {
				t.Errorf("moving the resource to %s left the generation unchanged", to)
			}
			g = gen()
		}
		if _, err := s.SearchResources(ctx, store.ResourceFilter{Query: "apprenticeships"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateNeed(ctx, admin, hub.Need{OrgID: group.ID, Title: "Painters", Kind: "volunteers", Priorities: []string{"P4"}, Size: 4, Contact: "call us"}, now); err != nil {
			t.Fatal(err)
		}
		if gen() != g {
			t.Error("a search or a hub need moved the resource library's generation")
		}
	})
}
