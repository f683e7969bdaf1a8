package store_test

import (
	"testing"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// The spend generation (migration 45) moves with every change that could
// move a buyer's spend report: the buyer's own imports move only its own;
// organisations, supplier matches and register imports move everyone's.
func TestSpendGenerationMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		other, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Other Council"}, 0)
		gen := func(id int64) int64 {
			t.Helper()
			g, err := s.SpendGeneration(ctx, id)
			if err != nil || g < 1 {
				t.Fatalf("generation %d: %v", g, err)
			}
			return g
		}
		b0, o0 := gen(buyer.ID), gen(other.ID)
		if g := gen(buyer.ID); g != b0 {
			t.Fatalf("reading moved the generation: %d then %d", b0, g)
		}
		if _, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "a.csv", "Date,Supplier,Amount\n01/04/2026,A Ltd,100.00\n"), "a"); err != nil {
			t.Fatal(err)
		}
		b1, o1 := gen(buyer.ID), gen(other.ID)
		if b1 <= b0 || o1 != o0 {
			t.Fatalf("after the buyer's import: buyer %d -> %d, other %d -> %d", b0, b1, o0, o1)
		}
		supplier, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "A Limited"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		b2, o2 := gen(buyer.ID), gen(other.ID)
		if b2 <= b1 || o2 <= o1 {
			t.Fatalf("a new organisation did not move every report: %d -> %d, %d -> %d", b1, b2, o1, o2)
		}
		id, err := s.DecideSupplierLink(ctx, admin, spend.NormaliseSupplier("A Ltd"), "A Ltd", supplier.ID, "confirmed", 0.9)
		if err != nil {
			t.Fatal(err)
		}
		b3 := gen(buyer.ID)
		if b3 <= b2 {
			t.Fatalf("confirming a match did not move the report: %d -> %d", b2, b3)
		}
		if err := s.UndoSupplierLink(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
		b4 := gen(buyer.ID)
		if b4 <= b3 {
			t.Fatalf("undoing a match did not move the report: %d -> %d", b3, b4)
		}
		if _, err := s.ImportRegister(ctx, admin, "reg.csv", []spend.RegisterEntry{{Source: spend.CharityRegister, Number: "1000001", Name: "A Charity", Line: 2}}); err != nil {
			t.Fatal(err)
		}
		if b5, o5 := gen(buyer.ID), gen(other.ID); b5 <= b4 || o5 <= o2 {
			t.Fatalf("a register import did not move every report: %d -> %d, %d -> %d", b4, b5, o2, o5)
		}
	})
}

// SpendGenerations reads every buyer's generation at once: each buyer's
// is the one SpendGeneration gives, and All moves when a body imports its
// first spend (the list of buyers changes) but not on a read.
func TestSpendGenerationsAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		other, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Other Council"}, 0)
		all := func() store.SpendGenerations {
			t.Helper()
			g, err := s.SpendGenerations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []int64{buyer.ID, other.ID} {
				one, err := s.SpendGeneration(ctx, id)
				if err != nil || one != g.Of(id) {
					t.Fatalf("buyer %d: generation %d read alone, %d read at once (%v)", id, one, g.Of(id), err)
				}
			}
			return g
		}
		g0 := all()
		if g := all(); g.All() != g0.All() {
			t.Fatalf("reading moved the generations: %d then %d", g0.All(), g.All())
		}
		if _, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "a.csv", "Date,Supplier,Amount\n01/04/2026,A Ltd,100.00\n"), "a"); err != nil {
			t.Fatal(err)
		}
		g1 := all()
		if g1.All() <= g0.All() || g1.Of(other.ID) != g0.Of(other.ID) || g1.Of(buyer.ID) <= g0.Of(buyer.ID) {
			t.Fatalf("a first import: all %d -> %d, buyer %d -> %d, other %d -> %d", g0.All(), g1.All(), g0.Of(buyer.ID), g1.Of(buyer.ID), g0.Of(other.ID), g1.Of(other.ID))
		}
		if _, err := s.ImportSpend(ctx, admin, other.ID, readSpend(t, "b.csv", "Date,Supplier,Amount\n01/04/2026,B Ltd,100.00\n"), "b"); err != nil {
			t.Fatal(err)
		}
		if g2 := all(); g2.All() <= g1.All() || g2.Of(buyer.ID) != g1.Of(buyer.ID) {
			t.Fatalf("the other body's first import: all %d -> %d, buyer %d -> %d", g1.All(), g2.All(), g1.Of(buyer.ID), g2.Of(buyer.ID))
		}
	})
}
