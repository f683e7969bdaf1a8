package store_test

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestAreaFactsKeptMatchTheQueries: the kept district and ward facts that
// name a need's or offer's area equal what the per-row subqueries gave, for
// every shipped district and ward and for unknown codes, and a change to
// the geography is in the next list of needs and offers.
func TestAreaFactsKeptMatchTheQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ref, err := geo.Load(geo.ShippedFS())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		codes := []string{"", "E99999999", "not a code"}
		for _, d := range ref.Districts {
			codes = append(codes, d.Code)
		}
		for _, w := range ref.Wards {
			codes = append(codes, w.Code)
		}
		if len(codes) < 200 {
			t.Fatalf("only %d codes", len(codes))
		}
		for _, c := range codes {
			n1, d1, x1, err1 := s.AreaFactsForTest(ctx, c)
			n2, d2, x2, err2 := s.AreaFactsBySQLForTest(ctx, c)
			if err1 != nil || err2 != nil || n1 != n2 || d1 != d2 || x1 != x2 {
				t.Errorf("%q: kept %q %q %d (%v), by query %q %q %d (%v)", c, n1, d1, x1, err1, n2, d2, x2, err2)
			}
		}

		admin := mkUser(t, s, "admin@example.org", true)
		group, err := s.CreateOrganisation(ctx, admin, orgsVCSE("Moss Side Group"), 0)
		if err != nil {
			t.Fatal(err)
		}
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0)
		area := ref.Districts[0].Code
		now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		needID, err := s.CreateNeed(ctx, admin, hub.Need{OrgID: group.ID, Title: "Painters", Kind: "volunteers", Priorities: []string{"P4"}, Size: 4, Contact: "call us", Area: area}, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateOffer(ctx, admin, hub.Offer{OrgID: firm.ID, Title: "Paint", Kind: "volunteers", Capacity: 4, Area: area}, now); err != nil {
			t.Fatal(err)
		}
		name, district, _, _ := s.AreaFactsBySQLForTest(ctx, area)
		for _, decile := range []int{3, 9} {
			if n, err := s.SetDistrictDecilesForTest(ctx, area, decile); err != nil || n == 0 {
				t.Fatalf("set deciles: %d LSOAs, %v", n, err)
			}
			ns, err := s.ListNeeds(ctx, store.NeedFilter{District: district})
			if err != nil || len(ns) != 1 || ns[0].AreaName != name || ns[0].DistrictCode != district || ns[0].IMDDecile != decile {
				t.Fatalf("needs after deciles set to %d: %v %+v", decile, err, ns)
			}
			n, err := s.Need(ctx, needID)
			if err != nil || n.IMDDecile != decile || n.AreaName != name {
				t.Fatalf("need after deciles set to %d: %v %+v", decile, err, n)
			}
			os, err := s.ListOffers(ctx, "", 0)
			if err != nil || len(os) != 1 || os[0].AreaName != name || os[0].DistrictCode != district {
				t.Fatalf("offers: %v %+v", err, os)
			}
		}
		if _, err := s.Need(ctx, 999999); err == nil {
			t.Error("a missing need was found")
		}
	})
}
