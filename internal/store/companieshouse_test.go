package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// What a Companies House search found, stored: the cache answers for 30
// days (by normalised query); an automatic placement adds the company to
// the register and places the payee by its postcode (size unknown), a
// proposal waits for a person, whose confirmation places the payee and
// whose rejection of a placement unplaces it; every change is audited
// and moves the report. Recording the same findings again adds nothing.
// Both engines.
func TestCompaniesHouseFindingsPlaceSuppliers(t *testing.T) {
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Trafford Council"}, 0)
		file := "Date,Supplier,Amount\n01/04/2026,Zyxwv Widgets Ltd,90000.00\n02/04/2026,Qwerty Care Services,50000.00\n03/04/2026,Plumb Co,1000.00\n"
		if _, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "s.csv", file), "t"); err != nil {
			t.Fatal(err)
		}
		where := func() map[string]spend.Supplier {
			rep := traffordReport(t, s, buyer.ID)
			out := map[string]spend.Supplier{}
			for _, sp := range rep.Top {
				for _, n := range sp.Spellings {
					out[n] = sp
				}
			}
			return out
		}
		if w := where(); w["Zyxwv Widgets Ltd"].Location != spend.Unknown || w["Qwerty Care Services"].Location != spend.Unknown {
			t.Fatalf("placed before any search: %+v", w)
		}

		// The cache.
		key := spend.NormaliseSupplier("Zyxwv Widgets Ltd")
		if _, ok, err := s.CompaniesHouseSearch(ctx, key, time.Now().AddDate(0, 0, -30)); err != nil || ok {
			t.Fatalf("empty cache answered: %v %v", ok, err)
		}
		fetched := time.Now().AddDate(0, 0, -10)
		if err := s.PutCompaniesHouseSearch(ctx, key, "Zyxwv Widgets Ltd", []byte(`{"items":[]}`), fetched); err != nil {
			t.Fatal(err)
		}
		if body, ok, err := s.CompaniesHouseSearch(ctx, key, time.Now().AddDate(0, 0, -30)); err != nil || !ok || string(body) != `{"items":[]}` {
			t.Fatalf("cache within 30 days: %q %v %v", body, ok, err)
		}
		if _, ok, _ := s.CompaniesHouseSearch(ctx, key, fetched.Add(time.Hour)); ok {
			t.Fatal("a stale answer was reused")
		}

		gen, _ := s.SpendGeneration(ctx, buyer.ID)
		found := []store.CompaniesHouseFinding{
			{SupplierKey: key, SupplierName: "Zyxwv Widgets Ltd", Choice: spend.CompanyChoice{Score: 1, Place: true,
				Hit: spend.CompanyHit{Number: "09999991", Name: "ZYXWV WIDGETS LIMITED", Status: "active", Type: "ltd", Postcode: "M15 4AB", Created: "2015-01-02"}}},
			{SupplierKey: spend.NormaliseSupplier("Qwerty Care Services"), SupplierName: "Qwerty Care Services", Choice: spend.CompanyChoice{Score: 0.8,
				Hit: spend.CompanyHit{Number: "08888881", Name: "QWERTY CARE SERVICES (NORTH WEST) LIMITED", Status: "active", Type: "private-limited-guarant-nsc", Postcode: "LS1 4AP"}}},
		}
		run, err := s.RecordCompaniesHouseRun(ctx, admin, store.CompaniesHouseRun{BuyerID: buyer.ID, Outcome: "done", Message: "2 searched", Searched: 2}, found)
		if err != nil {
			t.Fatal(err)
		}
		if run.Placed != 1 || run.Proposed != 1 || run.ID == 0 {
			t.Fatalf("run: %+v", run)
		}
		if g, _ := s.SpendGeneration(ctx, buyer.ID); g <= gen {
			t.Fatalf("generation not bumped: %d then %d", gen, g)
		}
		w := where()
		if z := w["Zyxwv Widgets Ltd"]; z.Location != spend.InDistrict || z.District != "E08000009" || z.SME != "unknown" || z.OrgID >= 0 {
			t.Fatalf("placed payee: %+v", z)
		}
		if q := w["Qwerty Care Services"]; q.Location != spend.Unknown {
			t.Fatalf("a proposal placed its payee: %+v", q)
		}
		searched, err := s.CompaniesHouseSearched(ctx)
		if err != nil || !searched[key] || !searched[found[1].SupplierKey] || searched["plumb co"] {
			t.Fatalf("searched: %v %v", searched, err)
		}
		again, err := s.RecordCompaniesHouseRun(ctx, admin, store.CompaniesHouseRun{BuyerID: buyer.ID, Outcome: "done", Cached: 2}, found)
		if err != nil || again.Placed != 0 || again.Proposed != 0 {
			t.Fatalf("the same findings again: %+v %v", again, err)
		}
		runs, err := s.CompaniesHouseRuns(ctx, 5)
		if err != nil || len(runs) != 2 || runs[0].ID != again.ID || runs[1].BuyerName != "Trafford Council" || runs[1].Placed != 1 {
			t.Fatalf("runs: %+v %v", runs, err)
		}

		proposed, err := s.CompaniesHouseMatches(ctx, store.CHProposed)
		if err != nil || len(proposed) != 1 || proposed[0].Company.Number != "08888881" || proposed[0].SupplierName != "Qwerty Care Services" {
			t.Fatalf("proposals: %+v %v", proposed, err)
		}
		var inv *problem.Invalid
		if _, err := s.DecideCompaniesHouseMatch(ctx, admin, proposed[0].ID, "maybe"); !errors.As(err, &inv) {
			t.Fatalf("a bad decision: %v", err)
		}
		// A payee a person confirmed as another organisation is not
		// confirmed again here until that is undone.
		other, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Qwerty Carers Directory Ltd"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		link, err := s.DecideSupplierLink(ctx, admin, proposed[0].SupplierKey, "Qwerty Care Services", other.ID, "confirmed", 0.6)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideCompaniesHouseMatch(ctx, admin, proposed[0].ID, store.CHConfirmed); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("confirmed over another confirmation: %v", err)
		}
		if err := s.UndoSupplierLink(ctx, admin, link); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideCompaniesHouseMatch(ctx, admin, proposed[0].ID, store.CHConfirmed); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideCompaniesHouseMatch(ctx, admin, proposed[0].ID, store.CHConfirmed); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("confirmed twice: %v", err)
		}
		if _, err := s.DecideCompaniesHouseMatch(ctx, admin, 99999, store.CHRejected); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("no such match: %v", err)
		}
		w = where()
		if q := w["Qwerty Care Services"]; q.Location != spend.OutsideGM || q.VCSE != "unknown" {
			t.Fatalf("confirmed payee: %+v", q)
		}
		placed, _ := s.CompaniesHouseMatches(ctx, store.CHPlaced)
		if len(placed) != 1 {
			t.Fatalf("placed: %+v", placed)
		}
		if _, err := s.DecideCompaniesHouseMatch(ctx, admin, placed[0].ID, store.CHRejected); err != nil {
			t.Fatal(err)
		}
		if z := where()["Zyxwv Widgets Ltd"]; z.Location != spend.Unknown {
			t.Fatalf("a rejected placement still places: %+v", z)
		}
		for _, action := range []string{"companies_house.search", "companies_house.confirmed", "companies_house.rejected"} {
			evs, err := s.ListAudit(ctx, store.AuditFilter{Action: action, Limit: 10})
			if err != nil || len(evs) == 0 {
				t.Fatalf("no %s audit event: %v", action, err)
			}
		}
	})
}
