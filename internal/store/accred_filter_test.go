package store_test

import (
	"testing"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// The directory's accreditation filter counts only accreditations the hub
// has verified and which are in date, unless self-declared ones are asked
// for; the list carries each organisation's accreditations so that they
// can be labelled.
func TestAccreditationFilterCountsVerified(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		mk := func(name string) orgs.Organisation {
			o, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: name, Accreditations: []orgs.Accreditation{{Kind: "real_living_wage", AwardedOn: "2024-01-01"}}}, 0)
			if err != nil {
				t.Fatal(err)
			}
			o, _ = s.OrganisationByID(ctx, o.ID)
			return o
		}
		verified, lapsed := mk("Verified Ltd"), mk("Lapsed Ltd")
		mk("Declared Ltd")
		for o, until := range map[*orgs.Organisation]string{&verified: "2027-11-30", &lapsed: "2026-12-06"} {
			if err := s.VerifyAccreditation(ctx, admin, o.ID, o.Accreditations[0].ID, orgs.Verification{Evidence: "https://example.org/rlw", On: "2026-01-05", Until: until, By: "Admin"}); err != nil {
				t.Fatal(err)
			}
		}
		names := func(f orgs.Filter) []string {
			list, total, err := s.ListOrganisations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, o := range list {
				if len(o.Accreditations) != 1 {
					t.Fatalf("%s listed without its accreditations", o.LegalName)
				}
				out = append(out, o.LegalName)
			}
			if total != len(out) {
				t.Fatalf("total %d, listed %d", total, len(out))
			}
			return out
		}
		if got := names(orgs.Filter{Accred: "real_living_wage", Today: "2026-12-07"}); len(got) != 1 || got[0] != "Verified Ltd" {
			t.Fatalf("verified only: %v", got)
		}
		if got := names(orgs.Filter{Accred: "real_living_wage", SelfDeclared: true, Today: "2026-12-07"}); len(got) != 3 {
			t.Fatalf("with self-declared: %v", got)
		}
		if got := names(orgs.Filter{Accred: "real_living_wage", Today: "2027-12-01"}); len(got) != 0 {
			t.Fatalf("after the verification ran out: %v", got)
		}
		if got := names(orgs.Filter{Accred: "fair_tax_mark", SelfDeclared: true, Today: "2026-12-07"}); len(got) != 0 {
			t.Fatalf("another kind: %v", got)
		}
		list, _, _ := s.ListOrganisations(ctx, orgs.Filter{Query: "ltd", Today: "2026-12-07"})
		standing := map[string]string{}
		for _, o := range list {
			standing[o.LegalName] = o.Accreditations[0].Standing("2026-12-07")
		}
		if standing["Verified Ltd"] != "Verified" || standing["Lapsed Ltd"] != "Verification expired" || standing["Declared Ltd"] != "Self-declared" {
			t.Fatalf("standings: %v", standing)
		}
	})
}
