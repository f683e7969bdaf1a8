package store_test

import (
	"errors"
	"testing"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func TestSupplierLinksConfirmRejectUndo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		bank, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.VCSE, LegalName: "Salford Food Bank"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Salford Foods Ltd"}, 0)
		key := spend.NormaliseSupplier("Salford Foodbank Trst")

		id, err := s.DecideSupplierLink(ctx, admin, key, "Salford Foodbank Trst", bank.ID, "confirmed", 0.71)
		if err != nil {
			t.Fatal(err)
		}
		// A supplier is confirmed as one organisation only.
		if _, err := s.DecideSupplierLink(ctx, admin, key, "Salford Foodbank Trst", bank.ID, "confirmed", 0.71); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("second decision on the same pair: %v", err)
		}
		if _, err := s.DecideSupplierLink(ctx, admin, key, "Salford Foodbank Trst", other.ID, "confirmed", 0.6); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("confirming a second organisation: %v", err)
		}
		if _, err := s.DecideSupplierLink(ctx, admin, key, "Salford Foodbank Trst", other.ID, "rejected", 0.6); err != nil {
			t.Fatalf("rejecting another organisation: %v", err)
		}
		if _, err := s.DecideSupplierLink(ctx, admin, key, "Salford Foodbank Trst", 99999, "confirmed", 0.6); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("unknown organisation: %v", err)
		}
		if _, err := s.DecideSupplierLink(ctx, admin, key, "Salford Foodbank Trst", bank.ID, "maybe", 0.6); err == nil {
			t.Fatal("a decision other than confirmed or rejected was accepted")
		}
		list, err := s.OrgsForMatching(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range list {
			if o.ID == bank.ID && (len(o.Confirmed) != 1 || o.Confirmed[0] != key) {
				t.Fatalf("bank's confirmed keys %v", o.Confirmed)
			}
			if o.ID == other.ID && len(o.Confirmed) != 0 {
				t.Fatalf("a rejection must not link: %v", o.Confirmed)
			}
		}
		links, _ := s.SupplierLinks(ctx)
		if len(links) != 2 || links[0].Name != "Salford Foodbank Trst" {
			t.Fatalf("links %+v", links)
		}
		// Undo is the unmerge: the link goes, the audit chain keeps it.
		if err := s.UndoSupplierLink(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
		if err := s.UndoSupplierLink(ctx, admin, id); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("undo twice: %v", err)
		}
		list, _ = s.OrgsForMatching(ctx)
		for _, o := range list {
			if len(o.Confirmed) != 0 {
				t.Fatalf("after undo %v", o.Confirmed)
			}
		}
		events, err := s.ListAudit(ctx, store.AuditFilter{ObjectType: "supplier_link"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, e := range events {
			got[e.Action]++
		}
		if got["supplier.confirmed"] != 1 || got["supplier.rejected"] != 1 || got["supplier.undo"] != 1 {
			t.Fatalf("audit events %v", got)
		}
	})
}
