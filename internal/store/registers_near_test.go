package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// Register entries whose names are near a payee's, not equal, are found
// (by the start of the name or of a previous name) and scored: at or above
// spend.AutoMatchThreshold the payee is placed without asking; between
// spend.CandidateThreshold and it, the pair goes to the review queue,
// largest spend first; confirming it places the payee in the report and
// survives a re-import of the register; rejecting drops the proposal; a
// second confirmation is refused; undoing unplaces. Both engines, with a
// fixture in the published BasicCompanyData layout.
func TestRegisterNearNamesPlacedOrQueued(t *testing.T) {
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	const fixture = "../spend/testdata/registers/BasicCompanyData-near.csv"
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Trafford Council"}, 0)
		file := "Date,Supplier,Amount\n" +
			"01/05/2026,Claremont Residential Home Uk Ltd,1000.00\n" +
			"01/05/2026,Brookfield Children's Services Ltd,500.00\n" +
			"01/05/2026,Ashgrove Community Transport,300.00\n" +
			"01/05/2026,Nobody Near Ltd,10.00\n"
		if _, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "may.csv", file), "x"); err != nil {
			t.Fatal(err)
		}
		supplier := func(rep spend.Report, payee string) spend.Supplier {
			for _, sp := range rep.Top {
				for _, n := range sp.Spellings {
					if n == payee {
						return sp
					}
				}
			}
			t.Fatalf("no supplier %q in %+v", payee, rep.Top)
			return spend.Supplier{}
		}
		queue := func() []spend.Candidate {
			t.Helper()
			rows, err := s.SpendBySupplier(ctx, store.SpendFilter{From: "1990-01-01", To: "2100-12-31"})
			if err != nil {
				t.Fatal(err)
			}
			orgList, err := s.SupplierCandidatesFor(ctx, rows)
			if err != nil {
				t.Fatal(err)
			}
			links, err := s.SupplierLinks(ctx)
			if err != nil {
				t.Fatal(err)
			}
			decided := map[string]bool{}
			for _, l := range links {
				decided[spend.DecisionKey(l.SupplierKey, l.OrgID)] = true
			}
			return spend.FuzzyCandidates(spend.BuildReport(rows, orgList, "", nil, 0).Top, orgList, decided, 0)
		}
		before := traffordReport(t, s, buyer.ID)
		if c := supplier(before, "Claremont Residential Home Uk Ltd"); c.Location != spend.Unknown {
			t.Fatalf("placed before any register: %+v", c)
		}
		if n := importRegisterFile(t, s, fixture, spend.CompaniesHouse); n != 6 {
			t.Fatalf("register: %d entries", n)
		}
		rep := traffordReport(t, s, buyer.ID)
		c := supplier(rep, "Claremont Residential Home Uk Ltd")
		if c.OrgID >= 0 || c.Location != spend.InDistrict || c.SME != "yes" || !strings.HasPrefix(c.MatchedBy, "similar name (") {
			t.Fatalf("Claremont: %+v", c)
		}
		if b := supplier(rep, "Brookfield Children's Services Ltd"); b.Location != spend.Unknown || b.OrgID != 0 {
			t.Fatalf("Brookfield placed without asking: %+v", b)
		}
		q := queue()
		if len(q) != 2 {
			t.Fatalf("queue: %+v", q)
		}
		if q[0].SupplierName != "Brookfield Children's Services Ltd" || q[0].OrgName != "BROOKFIELD CHILDCARE SERVICES LIMITED" || q[0].OrgID >= 0 || q[0].OrgSource != "Companies House" ||
			q[0].Score < spend.CandidateThreshold || q[0].Score >= spend.AutoMatchThreshold {
			t.Fatalf("first in the queue: %+v", q[0])
		}
		// Found by its previous name, ASHGROVE COMMUNITY TRAVEL LTD.
		if q[1].SupplierName != "Ashgrove Community Transport" || q[1].OrgName != "NORTHWARD TRAVEL LIMITED" || q[1].NetPence != 30000 {
			t.Fatalf("second in the queue: %+v", q[1])
		}
		id, err := s.DecideSupplierLink(ctx, admin, q[0].SupplierKey, q[0].SupplierName, q[0].OrgID, "confirmed", q[0].Score)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideSupplierLink(ctx, admin, q[0].SupplierKey, q[0].SupplierName, q[1].OrgID, "confirmed", 0.6); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("a second confirmation: %v", err)
		}
		if _, err := s.DecideSupplierLink(ctx, admin, q[1].SupplierKey, q[1].SupplierName, q[1].OrgID, "rejected", q[1].Score); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideSupplierLink(ctx, admin, "someone", "Someone", -999999, "confirmed", 0.7); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("an entry that does not exist: %v", err)
		}
		after := traffordReport(t, s, buyer.ID)
		if b := supplier(after, "Brookfield Children's Services Ltd"); b.Location != spend.InDistrict || !strings.HasPrefix(b.MatchedBy, "confirmed by a person") || b.OrgID != q[0].OrgID {
			t.Fatalf("Brookfield after confirming: %+v", b)
		}
		if after.PlacedShare <= rep.PlacedShare {
			t.Fatalf("placed share did not grow: %.3f then %.3f", rep.PlacedShare, after.PlacedShare)
		}
		if q := queue(); len(q) != 0 {
			t.Fatalf("queue after deciding both: %+v", q)
		}
		links, err := s.SupplierLinks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(links) != 2 || links[0].OrgName == "" || links[0].ID >= 0 {
			t.Fatalf("links: %+v", links)
		}
		// The register imported again: the confirmation stands.
		importRegisterFile(t, s, fixture, spend.CompaniesHouse)
		if b := supplier(traffordReport(t, s, buyer.ID), "Brookfield Children's Services Ltd"); !strings.HasPrefix(b.MatchedBy, "confirmed by a person") {
			t.Fatalf("after a re-import: %+v", b)
		}
		if err := s.UndoSupplierLink(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
		if b := supplier(traffordReport(t, s, buyer.ID), "Brookfield Children's Services Ltd"); b.Location != spend.Unknown {
			t.Fatalf("after undo: %+v", b)
		}
	})
}

// A company number repeated in a register file keeps its last row, within
// a batch of rows and across batches (PostgreSQL merges the whole file at
// the end), and a second import of it changes nothing. Both engines.
func TestRegisterRepeatedNumberKeepsLastRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		load := func() {
			t.Helper()
			_, err := s.ImportRegisterStream(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, "repeat.csv", spend.CompaniesHouse, func(each func(spend.RegisterEntry) error) error {
				entry := func(number, name string) error {
					return each(spend.RegisterEntry{Source: spend.CompaniesHouse, Number: number, CompanyNumber: number, Name: name, Postcode: "LS1 4AP", Category: "Private Limited Company",
						PreviousNames: []string{"OLD " + name}})
				}
				if err := entry("R0000001", "FIRST SPELLING LIMITED"); err != nil {
					return err
				}
				if err := entry("R0000001", "SECOND SPELLING LIMITED"); err != nil {
					return err
				}
				for i := range 4500 {
					if err := entry(fmt.Sprintf("R1%07d", i), fmt.Sprintf("FILLER %d LIMITED", i)); err != nil {
						return err
					}
				}
				return entry("R0000001", "LAST SPELLING LIMITED")
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		load()
		load()
		orgs, err := s.SupplierCandidatesFor(ctx, []spend.SupplierSpend{{Name: "Last Spelling Ltd"}, {Name: "First Spelling Ltd"}, {Name: "Old First Spelling Ltd"}})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, o := range orgs {
			if o.CompanyNumber == "R0000001" {
				names = append(names, o.Name)
			}
		}
		if len(names) != 1 || names[0] != "LAST SPELLING LIMITED" {
			t.Fatalf("entries for the repeated number: %v", names)
		}
		all, err := s.RegisterOrgs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 4501 {
			t.Fatalf("%d entries, want 4501", len(all))
		}
	})
}
