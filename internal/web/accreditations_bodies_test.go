package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
)

// Issue 17 part 2: a hub administrator designates the accrediting body of
// a scheme (audited); the body's members see that scheme's claimed
// accreditations and verify or reject them, and only that scheme's; an
// ordinary member, another scheme's body and anonymous visitors are
// refused; the accreditation says who verified it.
func TestAccreditingBodyVerifies(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
	hash, err := auth.NewHasher(0).Hash(ctx, pw)
	if err != nil {
		t.Fatal(err)
	}
	body := func(name, email string) orgs.Organisation {
		o, err := h.store.CreateOrganisation(ctx, sys, orgs.Organisation{Kind: orgs.VCSE, LegalName: name}, 0)
		if err != nil {
			t.Fatal(err)
		}
		u, err := h.store.CreateVerifiedUser(ctx, "test", auth.User{Email: email, Name: email, PasswordHash: hash})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.store.AddMember(ctx, sys, o.ID, u.ID, auth.RoleVCSE); err != nil {
			t.Fatal(err)
		}
		return o
	}
	lwf := body("Living Wage Foundation", "checker@lwf.example")
	ftf := body("Fair Tax Foundation", "checker@ftf.example")

	// A supplier claims both schemes, self-declared.
	sup := orgID(t, h, "supplier@example.org")
	o, _ := h.store.OrganisationByID(ctx, sup)
	for _, a := range o.Accreditations {
		if err := h.store.DeleteAccreditation(ctx, sys, sup, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []orgs.Accreditation{{OrgID: sup, Kind: "real_living_wage", AwardedOn: "2024-01-01"}, {OrgID: sup, Kind: "fair_tax_mark", ExpiresOn: "2099-01-01"}} {
		if err := h.store.AddAccreditation(ctx, sys, a); err != nil {
			t.Fatal(err)
		}
	}
	o, _ = h.store.OrganisationByID(ctx, sup)
	ids := map[string]int64{}
	for _, a := range o.Accreditations {
		ids[a.Kind] = a.ID
	}
	acc := func(kind, action string) string {
		return fmt.Sprintf("%s/organisations/%s/accreditations/%d/%s", h.URL, o.Slug, ids[kind], action)
	}

	admin := h.signedIn(t, "admin@example.org")
	lwfc := h.signedIn(t, "checker@lwf.example")
	anon := h.client(t)

	// Designation: hub administrators only, audited; a bad scheme is named.
	designate := func(o orgs.Organisation) string { return h.URL + "/organisations/" + o.Slug + "/accrediting-body" }
	if r := post(t, lwfc, designate(lwf), url.Values{"body_kind": {"real_living_wage"}}); r.StatusCode != 403 {
		t.Fatalf("a member designated its own organisation: %d", r.StatusCode)
	}
	if r := post(t, anon, designate(lwf), url.Values{"body_kind": {"real_living_wage"}}); r.StatusCode != 401 && r.StatusCode != 303 && r.StatusCode != 403 {
		t.Fatalf("anonymous designation: %d", r.StatusCode)
	}
	if r, b := postBody(t, admin, designate(lwf), url.Values{"body_kind": {"national_toms"}}); r.StatusCode != 422 || !strings.Contains(b, "Choose the accreditation scheme this organisation accredits") {
		t.Fatalf("unknown scheme: %d", r.StatusCode)
	}
	if bs, _ := h.store.AccreditingBodies(ctx); len(bs) != 0 {
		t.Fatalf("refused designations stored: %+v", bs)
	}
	for _, d := range []struct {
		o    orgs.Organisation
		kind string
	}{{lwf, "real_living_wage"}, {ftf, "fair_tax_mark"}} {
		if r := post(t, admin, designate(d.o), url.Values{"body_kind": {d.kind}}); r.StatusCode != 303 {
			t.Fatalf("designate %s: %d", d.kind, r.StatusCode)
		}
	}
	if ev, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "organisation.accrediting_body.designate"}); len(ev) != 2 || ev[1].Actor != "admin@example.org" {
		t.Fatalf("designation audit: %+v", ev)
	}
	if _, page := get(t, lwfc, h.URL+"/organisations/"+lwf.Slug); !strings.Contains(page, "is the accrediting body for the Real Living Wage employer") || !strings.Contains(page, `href="/accreditations/checks"`) {
		t.Fatal("the body's page does not say what it accredits or link to its checks")
	}

	// The checks page: the body's own scheme only.
	r, page := get(t, lwfc, h.URL+"/accreditations/checks")
	if r.StatusCode != 200 || !strings.Contains(page, "Real Living Wage employer") || strings.Contains(page, "Fair Tax Mark") || !strings.Contains(page, o.LegalName) ||
		!strings.Contains(page, fmt.Sprintf("/accreditations/%d/verify", ids["real_living_wage"])) {
		t.Fatalf("body's checks page: %d", r.StatusCode)
	}
	if r, _ := get(t, h.signedIn(t, "vcse-admin@example.org"), h.URL+"/accreditations/checks"); r.StatusCode != 403 {
		t.Fatalf("an ordinary member saw the checks page: %d", r.StatusCode)
	}
	if r, _ := get(t, anon, h.URL+"/accreditations/checks"); r.StatusCode == 200 {
		t.Fatal("an anonymous visitor saw the checks page")
	}

	verify := url.Values{"verified_evidence": {"https://www.livingwage.org.uk/accredited-employers"}, "verified_on": {h.now().Format(time.DateOnly)}, "verified_until": {"2098-01-01"}}
	// Refused: another scheme's body, an ordinary member, anonymous; for
	// verifying and rejecting alike.
	for name, c := range map[string]struct {
		u    string
		kind string
		want int
	}{
		"other scheme's body verifies": {"checker@ftf.example", "real_living_wage", 403},
		"body verifies other scheme":   {"checker@lwf.example", "fair_tax_mark", 403},
		"ordinary member":              {"vcse-admin@example.org", "real_living_wage", 403},
	} {
		cl := h.signedIn(t, c.u)
		if r, _ := get(t, cl, acc(c.kind, "verify")); r.StatusCode != c.want {
			t.Errorf("%s: form %d", name, r.StatusCode)
		}
		if r := post(t, cl, acc(c.kind, "verify"), verify); r.StatusCode != c.want {
			t.Errorf("%s: verify %d", name, r.StatusCode)
		}
		if r := post(t, cl, acc(c.kind, "reject"), url.Values{"rejected_reason": {"no"}}); r.StatusCode != c.want {
			t.Errorf("%s: reject %d", name, r.StatusCode)
		}
	}
	for _, action := range []string{"verify", "reject"} {
		if r := post(t, anon, acc("real_living_wage", action), verify); r.StatusCode == 303 && !strings.Contains(r.Header.Get("Location"), "login") || r.StatusCode == 200 {
			t.Errorf("anonymous %s: %d", action, r.StatusCode)
		}
	}
	if o2, _ := h.store.OrganisationByID(ctx, sup); o2.Accreditations[0].VerifiedOn != "" || o2.Accreditations[1].VerifiedOn != "" || o2.Accreditations[0].RejectedOn != "" || o2.Accreditations[1].RejectedOn != "" {
		t.Fatalf("a refused check was stored: %+v", o2.Accreditations)
	}

	// The body rejects without a reason (refused), then with one.
	if r, b := postBody(t, lwfc, acc("real_living_wage", "reject"), url.Values{"rejected_reason": {"  "}}); r.StatusCode != 422 || !strings.Contains(b, "Enter why the accreditation is rejected") || !strings.Contains(b, "govuk-error-summary") {
		t.Fatalf("reject without reason: %d", r.StatusCode)
	}
	if r := post(t, lwfc, acc("real_living_wage", "reject"), url.Values{"rejected_reason": {"Not on our register of accredited employers"}}); r.StatusCode != 303 || r.Header.Get("Location") != "/accreditations/checks" {
		t.Fatalf("reject: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if _, page := get(t, anon, h.URL+"/organisations/"+o.Slug); !strings.Contains(page, "Rejected</strong> by Living Wage Foundation") || !strings.Contains(page, "Not on our register") {
		t.Fatal("rejection not shown with who and why")
	}
	if _, raw := get(t, anon, h.URL+"/api/v1/organisations/"+o.Slug); !strings.Contains(raw, `"standing": "rejected"`) {
		t.Fatalf("the API does not say the accreditation was rejected: %s", raw)
	}
	// Then verifies it, with evidence.
	if r, b := get(t, lwfc, acc("real_living_wage", "verify")); r.StatusCode != 200 || !strings.Contains(b, "You are checking this for Living Wage Foundation") {
		t.Fatalf("body's verify form: %d", r.StatusCode)
	}
	if r, b := postBody(t, lwfc, acc("real_living_wage", "verify"), url.Values{"verified_on": {"2026-01-01"}, "verified_until": {"2098-01-01"}}); r.StatusCode != 422 || !strings.Contains(b, "Enter the web address of the evidence") {
		t.Fatalf("verify without evidence: %d", r.StatusCode)
	}
	if r := post(t, lwfc, acc("real_living_wage", "verify"), verify); r.StatusCode != 303 {
		t.Fatalf("verify: %d", r.StatusCode)
	}
	if _, page := get(t, anon, h.URL+"/organisations/"+o.Slug); !strings.Contains(page, "Verified</strong> by Living Wage Foundation on") {
		t.Fatal("the accreditation does not say the body verified it")
	}
	if _, raw := get(t, anon, h.URL+"/api/v1/organisations/"+o.Slug); !strings.Contains(raw, `"verified_by": "Living Wage Foundation"`) {
		t.Fatalf("the API does not name the body that verified: %s", raw)
	}
	v, _ := h.store.VerifiedAccreditations(ctx, []int64{sup}, h.now().Format(time.DateOnly))
	if !v[sup]["real_living_wage"] || v[sup]["fair_tax_mark"] {
		t.Fatalf("verified: %v", v)
	}
	ev, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "organisation.accreditation."})
	var verified, rejected bool
	for _, e := range ev {
		switch e.Action {
		case "organisation.accreditation.verify":
			verified = e.Actor == "checker@lwf.example" && strings.Contains(e.Summary, "Living Wage Foundation")
		case "organisation.accreditation.reject":
			rejected = e.Actor == "checker@lwf.example" && strings.Contains(e.Summary, "Not on our register")
		}
	}
	if !verified || !rejected {
		t.Fatalf("audit of the body's checks: %+v", ev)
	}
	// The hub administrator still checks any scheme.
	if r := post(t, admin, acc("fair_tax_mark", "verify"), verify); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/organisations/") {
		t.Fatalf("admin verify: %d", r.StatusCode)
	}
	if _, page := get(t, anon, h.URL+"/organisations/"+o.Slug); !strings.Contains(page, "Verified</strong> by the hub on") {
		t.Fatal("the hub's verification not named")
	}
	// Removing the designation ends the body's access.
	if r := post(t, admin, designate(lwf)+"/remove", url.Values{"body_kind": {"real_living_wage"}}); r.StatusCode != 303 {
		t.Fatalf("remove designation: %d", r.StatusCode)
	}
	if r, _ := get(t, lwfc, acc("real_living_wage", "verify")); r.StatusCode != 403 {
		t.Fatalf("a former body still checks: %d", r.StatusCode)
	}
}
