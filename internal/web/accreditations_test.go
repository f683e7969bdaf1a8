package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/store"
)

// Issue 17 part 2: a hub administrator verifies an accreditation with
// evidence; others cannot; a self-declared one is labelled.
func TestVerifyAccreditation(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	vc := orgID(t, h, "vcse-admin@example.org")
	o, err := h.store.OrganisationByID(ctx, vc)
	if err != nil || len(o.Accreditations) == 0 {
		t.Fatalf("demo VCSE accreditations: %v %+v", err, o.Accreditations)
	}
	// Undo the demo's verification by recording a new, self-declared one.
	admin := h.signedIn(t, "admin@example.org")
	vcAdmin := h.signedIn(t, "vcse-admin@example.org")
	if r := post(t, vcAdmin, h.URL+"/organisations/"+o.Slug+"/accreditations", url.Values{"acc_kind": {"fair_tax_mark"}, "acc_expires_on": {"2099-01-01"}}); r.StatusCode != 303 {
		t.Fatalf("add accreditation: %d", r.StatusCode)
	}
	o, _ = h.store.OrganisationByID(ctx, vc)
	var ftm int64
	for _, a := range o.Accreditations {
		if a.Kind == "fair_tax_mark" {
			ftm = a.ID
		}
	}
	_, page := get(t, h.client(t), h.URL+"/organisations/"+o.Slug)
	if !strings.Contains(page, "Self-declared</strong>; does not count toward the kite mark") {
		t.Fatal("self-declared accreditation not labelled on the organisation page")
	}
	u := fmt.Sprintf("%s/organisations/%s/accreditations/%d/verify", h.URL, o.Slug, ftm)
	if r := post(t, vcAdmin, u, url.Values{"verified_evidence": {"https://example.org/ftm"}, "verified_on": {h.now().Format(time.DateOnly)}, "verified_until": {"2098-01-01"}}); r.StatusCode != 403 {
		t.Fatalf("an organisation verified its own accreditation: %d", r.StatusCode)
	}
	if r, body := get(t, admin, u); r.StatusCode != 200 || !strings.Contains(body, "Verify the Fair Tax Mark accreditation") {
		t.Fatalf("verify form: %d", r.StatusCode)
	}
	for name, c := range map[string]struct {
		f   url.Values
		msg string
	}{
		"no evidence":  {url.Values{"verified_on": {"2026-01-01"}, "verified_until": {"2098-01-01"}}, "Enter the web address of the evidence"},
		"future check": {url.Values{"verified_evidence": {"https://example.org/ftm"}, "verified_on": {"2098-01-01"}, "verified_until": {"2099-01-01"}}, "cannot be in the future"},
		"no expiry":    {url.Values{"verified_evidence": {"https://example.org/ftm"}, "verified_on": {"2026-01-01"}}, "Enter the date the accreditation runs out"},
	} {
		if r, body := postBody(t, admin, u, c.f); r.StatusCode != 422 || !strings.Contains(body, c.msg) || !strings.Contains(body, "govuk-error-summary") {
			t.Errorf("%s: %d, want 422 with %q", name, r.StatusCode, c.msg)
		}
	}
	if r := post(t, admin, u, url.Values{"verified_evidence": {"https://example.org/ftm"}, "verified_on": {h.now().Format(time.DateOnly)}, "verified_until": {"2098-01-01"}}); r.StatusCode != 303 {
		t.Fatalf("verify: %d", r.StatusCode)
	}
	_, page = get(t, h.client(t), h.URL+"/organisations/"+o.Slug)
	if !strings.Contains(page, `<strong class="govuk-tag govuk-tag--green">Verified</strong>`) || !strings.Contains(page, "https://example.org/ftm") {
		t.Fatal("verified accreditation not shown as verified")
	}
	if ev, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "organisation.accreditation.verify"}); len(ev) != 1 {
		t.Fatalf("verify audit events: %d", len(ev))
	}
}

// A bid declaring the Real Living Wage with no verified accreditation is
// flagged to the evaluators and excluded at evaluation with the reason;
// the buyer's override needs a reason, is audited, and lets it stand.
func TestGateDeclarationsChecked(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	supplier := h.signedIn(t, "supplier@example.org")
	vcse := h.signedIn(t, "vcse-admin@example.org")
	sup, vc := orgID(t, h, "supplier@example.org"), orgID(t, h, "vcse-admin@example.org")
	// The VCSE's Real Living Wage accreditation is removed: its declaration
	// then has nothing behind it.
	o, _ := h.store.OrganisationByID(ctx, vc)
	sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
	for _, a := range o.Accreditations {
		if a.Kind == "real_living_wage" {
			if err := h.store.DeleteAccreditation(ctx, sys, vc, a.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	deadline := h.now().Add(2 * time.Hour).Truncate(time.Minute)
	res := post(t, buyer, h.URL+"/tenders", tenderForm(t, h, deadline))
	if res.StatusCode != 303 {
		t.Fatalf("create tender: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
	if r := post(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	tn, _ := h.store.Tender(ctx, id, h.now())
	for _, b := range []struct {
		c *http.Client
		f url.Values
	}{{supplier, bidForm(tn, sup, "912345", "5", "yes")}, {vcse, bidForm(tn, vc, "800000", "9", "yes")}} {
		if r, _ := postBody(t, b.c, h.URL+path+"/bid", b.f); r.StatusCode != 200 {
			t.Fatalf("bid: %d", r.StatusCode)
		}
	}
	if r, _ := get(t, buyer, h.URL+path+"/gates"); r.StatusCode != 403 && r.StatusCode != 409 {
		t.Fatalf("gate checks before the deadline: %d", r.StatusCode)
	}
	h.advance(3 * time.Hour)
	if r := post(t, buyer, h.URL+path+"/evaluators", url.Values{"evaluators": {userID(t, h, "evaluator@example.org")}}); r.StatusCode != 303 {
		t.Fatalf("assign evaluators: %d", r.StatusCode)
	}
	ev := h.signedIn(t, "evaluator@example.org")
	r, body := get(t, ev, h.URL+path+"/marking")
	if r.StatusCode != 200 || !strings.Contains(body, "Gate declarations without a verified accreditation") || !strings.Contains(body, "no verified Real Living Wage accreditation") {
		t.Fatalf("evaluators not told of the flag: %d", r.StatusCode)
	}
	marks := url.Values{}
	for _, org := range []int64{sup, vc} {
		for _, k := range []string{"Q1", "Q2", "SV"} {
			marks.Set(fmt.Sprintf("mark_%d_%s", org, k), "3")
			marks.Set(fmt.Sprintf("reason_%d_%s", org, k), "ok")
		}
	}
	if r := post(t, ev, h.URL+path+"/marking", marks); r.StatusCode != 303 {
		t.Fatalf("marks: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+path+"/moderation", marks); r.StatusCode != 303 {
		t.Fatalf("moderate: %d", r.StatusCode)
	}
	r, body = get(t, buyer, h.URL+path+"/evaluation")
	if r.StatusCode != 200 || !strings.Contains(body, "Does not meet the pass/fail gate") || !strings.Contains(body, "no verified Real Living Wage accreditation in the directory") {
		t.Fatalf("unverified declaration not excluded with its reason: %d", r.StatusCode)
	}
	flag := fmt.Sprintf("%d:rlw", vc)
	if r := post(t, ev, h.URL+path+"/gates/override", url.Values{"flag": {flag}, "reason": {"evaluator tries"}}); r.StatusCode != 403 {
		t.Fatalf("an evaluator overrode a gate: %d", r.StatusCode)
	}
	for name, c := range map[string]struct {
		f   url.Values
		msg string
	}{
		"no reason":      {url.Values{"flag": {flag}, "reason": {"  "}}, "Enter the reason the declaration stands"},
		"unflagged bid":  {url.Values{"flag": {fmt.Sprintf("%d:rlw", sup)}, "reason": {"x"}}, "Choose one of the flagged declarations"},
		"exclusion gate": {url.Values{"flag": {fmt.Sprintf("%d:exclusion", vc)}, "reason": {"x"}}, "Choose one of the flagged declarations"},
	} {
		if r, body := postBody(t, buyer, h.URL+path+"/gates/override", c.f); r.StatusCode != 422 || !strings.Contains(body, c.msg) {
			t.Errorf("%s: %d, want 422 with %q", name, r.StatusCode, c.msg)
		}
	}
	if got, _ := h.store.GateOverrides(ctx, id); len(got) != 0 {
		t.Fatalf("a refused override was stored: %+v", got)
	}
	if r := post(t, buyer, h.URL+path+"/gates/override", url.Values{"flag": {flag}, "reason": {"Accreditation letter seen at the site visit"}}); r.StatusCode != 303 {
		t.Fatalf("override: %d", r.StatusCode)
	}
	if _, body := get(t, buyer, h.URL+path+"/gates"); !strings.Contains(body, "Overridden") || !strings.Contains(body, "site visit") {
		t.Fatal("override not shown on the gate checks page")
	}
	if _, body := get(t, buyer, h.URL+path+"/evaluation"); strings.Contains(body, "Does not meet the pass/fail gate") || !strings.Contains(body, "the buyer overrode this") {
		t.Fatal("overridden declaration still excluded")
	}
	if evs, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "tender.gate.override"}); len(evs) != 1 || !strings.Contains(evs[0].Summary, "site visit") {
		t.Fatalf("override audit: %+v", evs)
	}
}
