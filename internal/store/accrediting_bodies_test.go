package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// A hub administrator designates an accrediting body per scheme (audited,
// one body per scheme); the body's verification is kept with its name and
// counts for the gates; a rejection clears the verification, keeps its
// reason and is audited; verifying again clears the rejection.
func TestAccreditingBodies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		lwf, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.VCSE, LegalName: "Living Wage Foundation"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.VCSE, LegalName: "Fair Tax Foundation"}, 0)
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm", Accreditations: []orgs.Accreditation{
			{Kind: "real_living_wage", AwardedOn: "2024-01-01"}, {Kind: "fair_tax_mark", ExpiresOn: "2028-01-01"}}}, 0)

		var inv *problem.Invalid
		if err := s.DesignateAccreditingBody(ctx, admin, "national_toms", lwf.ID); !errors.As(err, &inv) || !inv.Has("body_kind") {
			t.Fatalf("unknown scheme: %v", err)
		}
		if err := s.DesignateAccreditingBody(ctx, admin, "real_living_wage", other.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DesignateAccreditingBody(ctx, admin, "real_living_wage", lwf.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DesignateAccreditingBody(ctx, admin, "fair_tax_mark", other.ID); err != nil {
			t.Fatal(err)
		}
		bodies, err := s.AccreditingBodies(ctx)
		if err != nil || len(bodies) != 2 || bodies[0].Kind != "real_living_wage" || bodies[0].OrgName != "Living Wage Foundation" || bodies[0].OrgSlug != lwf.Slug ||
			bodies[1].Kind != "fair_tax_mark" || bodies[1].OrgID != other.ID || bodies[0].DesignatedBy != "admin@example.org" || bodies[0].DesignatedAt.IsZero() {
			t.Fatalf("bodies: %v %+v", err, bodies)
		}
		ev, _ := s.ListAudit(ctx, store.AuditFilter{Action: "organisation.accrediting_body.designate"})
		if len(ev) != 3 || !strings.Contains(ev[0].Summary, "fair_tax_mark") {
			t.Fatalf("designation audit: %+v", ev)
		}

		claims, err := s.ClaimedAccreditations(ctx, "real_living_wage")
		if err != nil || len(claims) != 1 || claims[0].OrgName != "Firm" || claims[0].OrgSlug != firm.Slug || claims[0].Kind != "real_living_wage" {
			t.Fatalf("claims: %v %+v", err, claims)
		}
		rlw := claims[0].ID
		cert := &orgs.Document{Name: "certificate.pdf", Type: "application/pdf", Size: 15, SHA256: "abc123", Content: []byte("%PDF-1.4\n%%EOF\n")}
		if err := s.VerifyAccreditation(ctx, admin, firm.ID, rlw, orgs.Verification{On: "2026-12-01", Until: "2027-11-30", By: "x@lwf.example", Body: "Living Wage Foundation", Document: cert}); err != nil {
			t.Fatal(err)
		}
		if d, err := s.AccreditationDocument(ctx, firm.ID, rlw); err != nil || d.Name != "certificate.pdf" || string(d.Content) != string(cert.Content) || d.Type != "application/pdf" {
			t.Fatalf("document: %v %+v", err, d)
		}
		if _, err := s.AccreditationDocument(ctx, other.ID, rlw); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("another organisation's document: %v", err)
		}
		if c, _ := s.ClaimedAccreditations(ctx, "real_living_wage"); len(c) != 1 || c[0].VerifiedDocument != "certificate.pdf" {
			t.Fatalf("claims with document: %+v", c)
		}
		o, _ := s.OrganisationByID(ctx, firm.ID)
		acc := o.Accreditations[1]
		if acc.Kind != "real_living_wage" || acc.Standing("2026-12-07") != "Verified" || acc.Verifier() != "Living Wage Foundation" {
			t.Fatalf("verified by the body: %+v", acc)
		}
		if v, _ := s.VerifiedAccreditations(ctx, []int64{firm.ID}, "2026-12-07"); !v[firm.ID]["real_living_wage"] {
			t.Fatalf("the body's verification does not count: %v", v)
		}
		ev, _ = s.ListAudit(ctx, store.AuditFilter{Action: "organisation.accreditation.verify"})
		if len(ev) != 1 || !strings.Contains(ev[0].Summary, "Living Wage Foundation") || !strings.Contains(ev[0].Summary, "certificate.pdf") {
			t.Fatalf("verify audit: %+v", ev)
		}
		if acc.VerifiedDocument != "certificate.pdf" {
			t.Fatalf("document name not loaded with the organisation: %+v", acc)
		}

		if err := s.RejectAccreditation(ctx, admin, other.ID, rlw, orgs.Rejection{Reason: "x", On: "2026-12-07"}); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("rejected another organisation's accreditation: %v", err)
		}
		if err := s.RejectAccreditation(ctx, admin, firm.ID, rlw, orgs.Rejection{Reason: "Not on the register", On: "2026-12-07", Body: "Living Wage Foundation"}); err != nil {
			t.Fatal(err)
		}
		o, _ = s.OrganisationByID(ctx, firm.ID)
		acc = o.Accreditations[1]
		if acc.Standing("2026-12-07") != "Rejected" || acc.RejectedReason != "Not on the register" || acc.Rejecter() != "Living Wage Foundation" || acc.VerifiedOn != "" || acc.VerifiedBody != "" {
			t.Fatalf("rejected: %+v", acc)
		}
		if v, _ := s.VerifiedAccreditations(ctx, []int64{firm.ID}, "2026-12-07"); len(v) != 0 {
			t.Fatalf("a rejected accreditation counts: %v", v)
		}
		if _, err := s.AccreditationDocument(ctx, firm.ID, rlw); !errors.Is(err, problem.ErrNotFound) || acc.VerifiedDocument != "" {
			t.Fatalf("rejection kept the document: %v", err)
		}
		ev, _ = s.ListAudit(ctx, store.AuditFilter{Action: "organisation.accreditation.reject"})
		if len(ev) != 1 || !strings.Contains(ev[0].Summary, "Not on the register") {
			t.Fatalf("reject audit: %+v", ev)
		}
		if err := s.VerifyAccreditation(ctx, admin, firm.ID, rlw, orgs.Verification{Evidence: "https://example.org/register", On: "2026-12-07", Until: "2027-12-06", By: "admin@example.org"}); err != nil {
			t.Fatal(err)
		}
		o, _ = s.OrganisationByID(ctx, firm.ID)
		if acc = o.Accreditations[1]; acc.RejectedOn != "" || acc.Verifier() != "the hub" || acc.Standing("2026-12-07") != "Verified" {
			t.Fatalf("verified again by the hub: %+v", acc)
		}

		if err := s.RemoveAccreditingBody(ctx, admin, "real_living_wage", other.ID); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("removed a designation the organisation does not hold: %v", err)
		}
		if err := s.RemoveAccreditingBody(ctx, admin, "real_living_wage", lwf.ID); err != nil {
			t.Fatal(err)
		}
		if bodies, _ = s.AccreditingBodies(ctx); len(bodies) != 1 || bodies[0].Kind != "fair_tax_mark" {
			t.Fatalf("after removal: %+v", bodies)
		}
		if ev, _ = s.ListAudit(ctx, store.AuditFilter{Action: "organisation.accrediting_body.remove"}); len(ev) != 1 {
			t.Fatalf("removal audit: %+v", ev)
		}
	})
}
