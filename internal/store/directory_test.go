package store_test

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestDirectoryGenerationBumpedByEveryWrite: every table the directory,
// organisation profiles and kite marks are read from has a trigger for each
// kind of write (so a table rebuilt by a later migration without them fails
// here); writes through the store raise the generation in their own
// transaction; reads and unrelated writes leave it put.
func TestDirectoryGenerationBumpedByEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		requireTriggers(t, s, "directory_generation", "the directory generation", store.DirectoryTables()...)
		gen := func() int64 {
			t.Helper()
			g, err := s.ReferenceGeneration(ctx, store.RefDirectory)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		last := gen()
		step := func(what string, moved bool) {
			t.Helper()
			g := gen()
			if moved && g <= last {
				t.Errorf("%s: generation %d, not above %d", what, g, last)
			}
			if !moved && g != last {
				t.Errorf("%s: generation moved from %d to %d", what, last, g)
			}
			last = g
		}
		admin := mkUser(t, s, "admin@example.org", true)
		step("user created (no organisation)", false)
		o, err := s.CreateOrganisation(ctx, admin, orgsVCSE("Group"), 0)
		if err != nil {
			t.Fatal(err)
		}
		step("organisation created", true)
		if _, _, err := s.ListOrganisations(ctx, orgs.Filter{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AllKiteFacts(ctx, "2026-12-07"); err != nil {
			t.Fatal(err)
		}
		step("directory and kite marks read", false)
		if err := s.SetVerified(ctx, admin, o.ID, true); err != nil {
			t.Fatal(err)
		}
		step("organisation verified", true)
		if err := s.AddAccreditation(ctx, admin, orgs.Accreditation{OrgID: o.ID, Kind: "real_living_wage", AwardedOn: "2025-01-01"}); err != nil {
			t.Fatal(err)
		}
		step("accreditation added", true)
		if err := s.AddSite(ctx, admin, orgs.Site{OrgID: o.ID, Kind: "branch", Postcode: "M1 1AA"}); err != nil {
			t.Fatal(err)
		}
		step("site added", true)
		if err := s.AddChampion(ctx, admin, hub.Champion{OrgID: o.ID, Name: "Sam", Role: "Lead", Consent: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
		step("champion named", true)
		mkUser(t, s, "someone@example.org", false)
		step("unrelated write", false)
	})
}
