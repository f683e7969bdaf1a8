package store_test

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// TestOpenDataGenerations: every table the OCDS package and the anchors
// network are read from has a trigger for each kind of write (so a table
// rebuilt by a later migration without them fails here), writes raise the
// generations they guard and not the other, and the sum of generations
// moves with each of its parts.
func TestOpenDataGenerations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for kind, tables := range store.OpenDataTables() {
			requireTriggers(t, s, "opendata_generation", "the "+kind+" generation", tables...)
		}
		gen := func(kinds ...string) int64 {
			t.Helper()
			g, err := s.GenerationSum(ctx, kinds...)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		ocds, network, geo := gen(store.RefOCDS), gen(store.RefNetwork), gen(store.RefGeography)
		if both := gen(store.RefOCDS, store.RefGeography); both != ocds+geo {
			t.Errorf("sum of ocds %d and geography %d is %d", ocds, geo, both)
		}
		if _, err := s.GenerationSum(ctx, store.RefOCDS, "no such data"); err == nil {
			t.Error("an unknown generation was summed")
		}
		admin := mkUser(t, s, "admin@example.org", true)
		if gen(store.RefOCDS) != ocds || gen(store.RefNetwork) != network {
			t.Error("creating a user (no organisation) moved an open data generation")
		}
		council, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council", Anchor: true}, 0)
		if err != nil {
			t.Fatal(err)
		}
		group, err := s.CreateOrganisation(ctx, admin, orgsVCSE("Group"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if gen(store.RefOCDS) <= ocds || gen(store.RefNetwork) <= network {
			t.Error("creating organisations left a generation unchanged")
		}
		ocds, network = gen(store.RefOCDS), gen(store.RefNetwork)
		if err := s.DeclareRelationship(ctx, admin, council.ID, group.ID, "partnership", "2025-01-01", time.Now()); err != nil {
			t.Fatal(err)
		}
		if gen(store.RefNetwork) <= network || gen(store.RefOCDS) != ocds {
			t.Errorf("declaring a relationship: network %d (was %d), ocds %d (was %d)", gen(store.RefNetwork), network, gen(store.RefOCDS), ocds)
		}
		if err := s.DeclareRelationship(ctx, admin, council.ID, council.ID, "partnership", "2025-01-01", time.Now()); err == nil {
			t.Fatal("a relationship with itself was declared")
		}
		ocds, network = gen(store.RefOCDS), gen(store.RefNetwork)
		if _, err := s.NetworkEdges(ctx); err != nil {
			t.Fatal(err)
		}
		if gen(store.RefOCDS) != ocds || gen(store.RefNetwork) != network {
			t.Error("a read moved a generation")
		}
	})
}

// TestOCDSTendersAt: a published tender past its deadline counts as
// closed, as OCDSInput counts it, and the input is not changed.
func TestOCDSTendersAt(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	in := []tenders.Tender{{ID: 1, Status: tenders.Published, Deadline: now.Add(-time.Second)}, {ID: 2, Status: tenders.Published, Deadline: now.Add(time.Second)},
		{ID: 3, Status: tenders.Awarded, Deadline: now.Add(-time.Hour)}}
	out := store.OCDSTendersAt(in, now)
	if out[0].Status != tenders.Closed || out[1].Status != tenders.Published || out[2].Status != tenders.Awarded {
		t.Errorf("statuses %s %s %s", out[0].Status, out[1].Status, out[2].Status)
	}
	if in[0].Status != tenders.Published {
		t.Error("the input was changed")
	}
}
