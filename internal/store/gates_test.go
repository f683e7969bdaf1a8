package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// A self-declared accreditation counts neither for the kite mark nor for
// a gate; once verified it counts until the verification runs out; a
// buyer's override of a flag is stored and audited.
func TestVerifiedAccreditationsAndGateOverrides(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		firm, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm", Accreditations: []orgs.Accreditation{
			{Kind: "real_living_wage", AwardedOn: "2024-01-01"}, {Kind: "carbon_reduction_plan", EvidenceURL: "https://example.org/crp", TargetYear: 2040}}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		f, _ := s.KiteFacts(ctx, firm.ID, "2026-12-07")
		if f.RealLivingWage || f.CarbonPlan {
			t.Fatalf("self-declared accreditations counted toward the kite mark: %+v", f)
		}
		v, _ := s.VerifiedAccreditations(ctx, []int64{firm.ID, council.ID}, "2026-12-07")
		if len(v) != 0 {
			t.Fatalf("self-declared counted as verified: %v", v)
		}
		o, _ := s.OrganisationByID(ctx, firm.ID)
		if o.Accreditations[0].Standing("2026-12-07") != "Self-declared" {
			t.Fatalf("standing %q", o.Accreditations[0].Standing("2026-12-07"))
		}
		var rlw int64
		for _, a := range o.Accreditations {
			if a.Kind == "real_living_wage" {
				rlw = a.ID
			}
		}
		if err := s.VerifyAccreditation(ctx, admin, council.ID, rlw, orgs.Verification{Evidence: "https://example.org/x", On: "2026-12-01", Until: "2027-11-30", By: "Admin"}); err == nil {
			t.Fatal("verified another organisation's accreditation")
		}
		if err := s.VerifyAccreditation(ctx, admin, firm.ID, rlw, orgs.Verification{Evidence: "https://example.org/x", On: "2026-12-01", Until: "2027-11-30", By: "Admin"}); err != nil {
			t.Fatal(err)
		}
		v, _ = s.VerifiedAccreditations(ctx, []int64{firm.ID}, "2026-12-07")
		if !v[firm.ID]["real_living_wage"] || v[firm.ID]["carbon_reduction_plan"] {
			t.Fatalf("verified: %v", v)
		}
		if v, _ = s.VerifiedAccreditations(ctx, []int64{firm.ID}, "2027-12-01"); len(v) != 0 {
			t.Fatalf("verification past its date still counts: %v", v)
		}
		if f, _ = s.KiteFacts(ctx, firm.ID, "2026-12-07"); !f.RealLivingWage || f.CarbonPlan {
			t.Fatalf("kite facts after verifying: %+v", f)
		}
		if f, _ = s.KiteFacts(ctx, firm.ID, "2027-12-01"); f.RealLivingWage {
			t.Fatalf("kite facts after the verification ran out: %+v", f)
		}
		ev, _ := s.ListAudit(ctx, store.AuditFilter{Action: "organisation.accreditation.verify"})
		if len(ev) != 1 || !strings.Contains(ev[0].Summary, "https://example.org/x") {
			t.Fatalf("verify audit: %+v", ev)
		}

		key, _ := tenders.ParseKey(tenders.NewKey())
		sealer, _ := tenders.NewSealer(key)
		fw := framework.GM2020()
		fw.Status = framework.Published
		fid, _ := s.CreateFramework(ctx, admin, fw)
		tid, err := s.CreateTender(ctx, admin, tenders.Tender{BuyerOrgID: council.ID, Title: "Parks", Description: "d", ValuePence: 1, Deadline: now.Add(time.Hour), WPrice: 40, WQuality: 40, WSV: 20,
			SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: fid, Gates: []string{tenders.GateRLW, tenders.GateCRP}}, sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		ov := tenders.GateOverride{TenderID: tid, OrgID: firm.ID, Gate: tenders.GateCRP, Reason: "Plan seen on the firm's website"}
		if err := s.RecordGateOverride(ctx, admin, ov); err != nil {
			t.Fatal(err)
		}
		ov.Reason = "Plan checked with the firm's director"
		if err := s.RecordGateOverride(ctx, admin, ov); err != nil {
			t.Fatal(err)
		}
		got, err := s.GateOverrides(ctx, tid)
		if err != nil || len(got) != 1 || got[0].Reason != ov.Reason || got[0].By == "" || got[0].At.IsZero() {
			t.Fatalf("overrides: %v %+v", err, got)
		}
		ev, _ = s.ListAudit(ctx, store.AuditFilter{Action: "tender.gate.override"})
		if len(ev) != 2 || !strings.Contains(ev[0].Summary, "director") {
			t.Fatalf("override audit: %+v", ev)
		}
	})
}
