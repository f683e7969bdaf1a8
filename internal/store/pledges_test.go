package store_test

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func TestPledgeKiteMarkAndNetwork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm", Accreditations: []orgs.Accreditation{
			{Kind: "real_living_wage", VerifiedEvidence: "https://example.org/rlw", VerifiedOn: "2026-11-01", VerifiedUntil: "2027-10-31"},
			{Kind: "good_employment_charter", Level: "member", VerifiedEvidence: "https://example.org/charter", VerifiedOn: "2026-11-01", VerifiedUntil: "2027-10-31"}}}, 0)
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council", Anchor: true}, 0)
		group, _ := s.CreateOrganisation(ctx, admin, orgsVCSE("Group"), 0)
		p, err := s.CurrentPledge(ctx)
		if err != nil || p.Version != 1 || p.Text == "" {
			t.Fatalf("pledge text: %v %+v", err, p)
		}
		if err := s.ReportPledge(ctx, admin, firm.ID, 2026, "early", now); err == nil {
			t.Fatal("report before signing")
		}
		if err := s.SignPledge(ctx, admin, firm.ID, 1, []string{"P1", "P3"}, now); err != nil {
			t.Fatal(err)
		}
		if err := s.ReportPledge(ctx, admin, firm.ID, 2026, "We paid everyone the Real Living Wage.", now); err != nil {
			t.Fatal(err)
		}
		f, err := s.KiteFacts(ctx, firm.ID, "2026-11-22")
		if err != nil || !f.Pledged || f.LastReport != 2026 || !f.RealLivingWage || !f.CharterMember {
			t.Fatalf("facts: %v %+v", err, f)
		}
		if level, _ := hub.KiteMark(f, now); level != "Achieving" {
			t.Fatalf("kite mark %q", level)
		}
		// Every organisation's facts in one read equal each one's own.
		all, err := s.AllKiteFacts(ctx, "2026-11-22")
		if err != nil || len(all) != 3 {
			t.Fatalf("all facts: %v %d", err, len(all))
		}
		for _, id := range []int64{firm.ID, council.ID, group.ID} {
			if one, _ := s.KiteFacts(ctx, id, "2026-11-22"); one != all[id] {
				t.Fatalf("org %d: %+v alone, %+v in the list", id, one, all[id])
			}
		}
		if err := s.AddChampion(ctx, admin, hub.Champion{OrgID: firm.ID, Name: "Ann", Consent: true}, now); err != nil {
			t.Fatal(err)
		}
		_ = s.AddChampion(ctx, admin, hub.Champion{OrgID: firm.ID, Name: "Bob", Consent: false}, now)
		if cs, _ := s.Champions(ctx, firm.ID, true); len(cs) != 1 || cs[0].Name != "Ann" {
			t.Fatalf("public champions: %+v", cs)
		}
		if err := s.DeclareRelationship(ctx, admin, council.ID, group.ID, "partnership", "2025-01-01", now); err != nil {
			t.Fatal(err)
		}
		nodes, _ := s.NetworkNodes(ctx)
		edges, err := s.NetworkEdges(ctx)
		if err != nil || len(edges) != 1 {
			t.Fatalf("edges: %v %+v", err, edges)
		}
		if u := hub.UntappedAnchors(nodes, edges, 1); len(u) != 1 || u[0].VCSELinks != 1 {
			t.Fatalf("untapped: %+v", u)
		}
	})
}
