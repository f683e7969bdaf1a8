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

// Issue 17 part 2: a verification's evidence is a link, a document (the
// certificate, checked by content) or both; the certificate downloads for
// the organisation's members, the scheme's accrediting body and hub
// administrators only, and a rejection removes it.
func TestAccreditationCertificate(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
	hash, _ := auth.NewHasher(0).Hash(ctx, pw)
	lwf, _ := h.store.CreateOrganisation(ctx, sys, orgs.Organisation{Kind: orgs.VCSE, LegalName: "Living Wage Foundation"}, 0)
	u, _ := h.store.CreateVerifiedUser(ctx, "test", auth.User{Email: "checker@lwf.example", Name: "Checker", PasswordHash: hash})
	if err := h.store.AddMember(ctx, sys, lwf.ID, u.ID, auth.RoleVCSE); err != nil {
		t.Fatal(err)
	}
	if err := h.store.DesignateAccreditingBody(ctx, sys, "real_living_wage", lwf.ID); err != nil {
		t.Fatal(err)
	}
	sup := orgID(t, h, "supplier@example.org")
	if err := h.store.AddAccreditation(ctx, sys, orgs.Accreditation{OrgID: sup, Kind: "real_living_wage", AwardedOn: "2025-01-01"}); err != nil {
		t.Fatal(err)
	}
	o, _ := h.store.OrganisationByID(ctx, sup)
	var id int64
	for _, a := range o.Accreditations {
		if a.Kind == "real_living_wage" && a.VerifiedOn == "" {
			id = a.ID
		}
	}
	base := fmt.Sprintf("%s/organisations/%s/accreditations/%d", h.URL, o.Slug, id)
	checker := h.signedIn(t, "checker@lwf.example")
	if _, form := get(t, checker, base+"/verify"); !strings.Contains(form, `enctype="multipart/form-data"`) || !strings.Contains(form, `name="files" type="file"`) {
		t.Fatal("the verification form does not take a certificate")
	}
	dates := url.Values{"verified_on": {h.now().Format(time.DateOnly)}, "verified_until": {"2098-01-01"}}
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
	for name, c := range map[string]struct {
		files map[string][]byte
		msg   string
	}{
		"renamed program": {map[string][]byte{"certificate.pdf": append([]byte("MZ"), make([]byte, 64)...)}, "certificate.pdf is a program"},
		"web page":        {map[string][]byte{"certificate.pdf": []byte("<!DOCTYPE html><html><script>x</script></html>")}, "certificate.pdf"},
		"two files":       {map[string][]byte{"a.pdf": pdf, "b.pdf": pdf}, "Upload one certificate; you chose 2 files"},
		"nothing at all":  {nil, "or upload the certificate"},
	} {
		if code, body := postMultipart(t, checker, base+"/verify", dates, c.files); code != 422 || !strings.Contains(body, c.msg) || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `value="2098-01-01"`) {
			t.Errorf("%s: %d, want 422 with %q and the dates kept", name, code, c.msg)
		}
	}
	if _, err := h.store.AccreditationDocument(ctx, sup, id); err == nil {
		t.Fatal("a refused certificate was stored")
	}
	// A certificate alone is evidence enough.
	if code, body := postMultipart(t, checker, base+"/verify", dates, map[string][]byte{"lwf-certificate.pdf": pdf}); code != 303 {
		t.Fatalf("verify with a certificate: %d %s", code, body[:min(400, len(body))])
	}
	if _, page := get(t, h.signedIn(t, "supplier@example.org"), h.URL+"/organisations/"+o.Slug); !strings.Contains(page, fmt.Sprintf("/accreditations/%d/document", id)) {
		t.Fatal("the organisation's member is not offered the certificate")
	}
	if _, page := get(t, h.client(t), h.URL+"/organisations/"+o.Slug); strings.Contains(page, fmt.Sprintf("/accreditations/%d/document", id)) || !strings.Contains(page, "certificate checked") {
		t.Fatal("the public page links the certificate, or does not say one was checked")
	}
	for who, want := range map[string]int{
		"supplier@example.org":   200, // the organisation's member
		"checker@lwf.example":    200, // the scheme's body
		"admin@example.org":      200,
		"vcse-admin@example.org": 403, // another organisation
		"buyer@example.org":      403,
	} {
		res, body := get(t, h.signedIn(t, who), base+"/document")
		if res.StatusCode != want {
			t.Errorf("%s: %d, want %d", who, res.StatusCode, want)
		}
		if want == 200 && (body != string(pdf) || res.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment")) {
			t.Errorf("%s: wrong download %q %q", who, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
	}
	if res, body := get(t, h.client(t), base+"/document"); res.StatusCode == 200 || body == string(pdf) {
		t.Error("an anonymous visitor downloaded the certificate")
	}
	if ev, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "organisation.accreditation.verify"}); len(ev) == 0 || !strings.Contains(ev[0].Summary, "lwf-certificate.pdf") {
		t.Fatalf("verification audit lacks the certificate: %+v", ev)
	}
	// Rejecting removes it.
	if r := post(t, checker, base+"/reject", url.Values{"rejected_reason": {"Certificate lapsed"}}); r.StatusCode != 303 {
		t.Fatalf("reject: %d", r.StatusCode)
	}
	if res, _ := get(t, checker, base+"/document"); res.StatusCode != 404 {
		t.Fatalf("certificate after rejection: %d", res.StatusCode)
	}
}
