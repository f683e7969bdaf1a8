package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func importRegisterFile(t *testing.T, s *store.Store, path, source string) int {
	t.Helper()
	f, err := spend.OpenRegister(path, spend.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, err := s.ImportRegisterStream(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, path, source, func(each func(spend.RegisterEntry) error) error {
		_, err := spend.StreamRegister(f, path, source, spend.Limits{}, each)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The Companies House fixture (published header layout, previous names)
// and the Charity Commission extract place Trafford's payees by name: a
// legal-form spelling, a "T/A" trading name, a previous name; size from the
// accounts filed, VCSE from the company category or the charity register.
// A register that fails part-way imports nothing. Both engines.
func TestRegistersPlaceSuppliersByName(t *testing.T) {
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
		if _, err := s.ImportSpend(ctx, admin, buyer.ID, traffordYear(t), "t"); err != nil {
			t.Fatal(err)
		}
		if n := importRegisterFile(t, s, "../spend/testdata/registers/BasicCompanyData-sample.csv", spend.CompaniesHouse); n != 8 {
			t.Fatalf("companies: %d", n)
		}
		if n := importRegisterFile(t, s, "../spend/testdata/registers/publicextract.charity.txt", spend.CharityRegister); n != 5 {
			t.Fatalf("charities: %d", n)
		}
		rep := traffordReport(t, s, buyer.ID)
		by := map[string]spend.Supplier{}
		for _, sp := range rep.Top {
			for _, name := range sp.Spellings {
				by[name] = sp
			}
		}
		for payee, want := range map[string]struct{ loc, sme, vcse, how string }{
			"Escape Fitness LTD":                {spend.InDistrict, "yes", "no", "name (Companies House register)"},
			"Acucare Ltd T/A SureCare Trafford": {spend.InDistrict, "yes", "no", "name (Companies House register)"},
			"Maria Mallaband 16 Ltd":            {spend.OutsideGM, "no", "no", "name (Companies House register)"},
			"Future Directions CIC":             {spend.InDistrict, "yes", "yes", "name (Companies House register)"},
			"The Networking People (TNP) Ltd":   {spend.OutsideGM, "no", "no", "name (Companies House register)"},
			"Hollybank Trust":                   {spend.OutsideGM, "unknown", "yes", "name (charity register)"},
			// WA1 is Warrington, but the WA area reaches into Trafford: with
			// no postcode directory loaded it cannot be placed.
			"Making Space": {spend.Unknown, "unknown", "yes", "name (charity register)"},
		} {
			got := by[payee]
			if got.Location != want.loc || got.SME != want.sme || got.VCSE != want.vcse || got.MatchedBy != want.how {
				t.Errorf("%s: %+v, want %+v", payee, got, want)
			}
		}
		if rep.PlacedShare <= 0.2 || !rep.Provisional {
			t.Fatalf("placed %.3f provisional %v", rep.PlacedShare, rep.Provisional)
		}
		// A register with a bad row part-way keeps nothing of it.
		bad := " CompanyName, CompanyNumber,RegAddress.PostCode,CompanyCategory\nNEW ONE LIMITED,07000001,M1 1AE,Private Limited Company\n,07000002,M1 1AE,Private Limited Company\n"
		_, err := s.ImportRegisterStream(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, "bad.csv", spend.CompaniesHouse, func(each func(spend.RegisterEntry) error) error {
			_, err := spend.StreamRegister(strings.NewReader(bad), "bad.csv", spend.CompaniesHouse, spend.Limits{}, each)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "line 3: no number or no name") {
			t.Fatalf("bad register: %v", err)
		}
		cands, err := s.SupplierCandidatesFor(ctx, []spend.SupplierSpend{{Name: "New One Ltd"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cands {
			if c.Name == "NEW ONE LIMITED" {
				t.Fatal("a register that failed part-way left an entry behind")
			}
		}

		// A register past the size at which SQLite rebuilds its name
		// indexes at the end: the entries are found by name and by
		// previous name afterwards.
		big := 60_000
		n, err := s.ImportRegisterStream(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, "big.csv", spend.CompaniesHouse, func(each func(spend.RegisterEntry) error) error {
			for i := range big {
				if err := each(spend.RegisterEntry{Source: spend.CompaniesHouse, Number: fmt.Sprintf("B%07d", i), CompanyNumber: fmt.Sprintf("B%07d", i), Name: fmt.Sprintf("BULK %d LIMITED", i),
					Postcode: "LS1 4AP", Category: "Private Limited Company", PreviousNames: []string{fmt.Sprintf("OLD BULK %d LTD", i)}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || n != big {
			t.Fatalf("big register: %d %v", n, err)
		}
		cands, err = s.SupplierCandidatesFor(ctx, []spend.SupplierSpend{{Name: "Bulk 59999 Ltd"}, {Name: "Old Bulk 12 Limited"}})
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, c := range cands {
			if c.Name == "BULK 59999 LIMITED" || c.Name == "BULK 12 LIMITED" {
				found++
			}
		}
		if found != 2 {
			t.Fatalf("after a large import, name and previous-name lookups found %d of 2", found)
		}
	})
}
