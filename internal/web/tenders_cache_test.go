package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// rowOf is the table row of body that holds text ("" if none).
func rowOf(body, text string) string {
	i := strings.Index(body, text)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	if start < 0 || end < 0 {
		return ""
	}
	return body[start : i+end]
}

// TestTenderListKeptUntilWritten: /tenders and /tenders.atom, read from the
// list kept between requests, show a tender published after they were first
// served on the very next request, and a tender whose deadline passes shows
// as closed without any write.
func TestTenderListKeptUntilWritten(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	c := h.client(t)
	sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
	for _, p := range []string{"/tenders", "/tenders.atom", "/tenders?bench=1", "/tenders?q=cache+probe&bench=1"} {
		if res, body := get(t, c, h.URL+p); res.StatusCode != http.StatusOK || strings.Contains(body, "Cache probe tender") {
			t.Fatalf("%s before: %d", p, res.StatusCode)
		}
	}
	open, err := h.store.ListTenders(ctx, store.TenderFilter{Public: true, NoLots: true}, h.now())
	if err != nil {
		t.Fatal(err)
	}
	var model tenders.Tender
	for _, tn := range open {
		if tn.Status == tenders.Published && !tn.HasLots() {
			model, err = h.store.Tender(ctx, tn.ID, h.now())
			break
		}
	}
	if err != nil || model.ID == 0 {
		t.Fatalf("no open demo tender to copy: %v", err)
	}
	model.ID, model.Title, model.Deadline = 0, "Cache probe tender", h.now().Add(10*24*time.Hour)
	id, err := h.store.CreateTender(ctx, sys, model, h.sealer.NewTenderKey, h.now())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.MoveTender(ctx, sys, id, tenders.Published, h.now()); err != nil {
		t.Fatal(err)
	}
	link := fmt.Sprintf(`<a class="govuk-link" href="/tenders/%d">Cache probe tender</a>`, id)
	_, body := get(t, c, h.URL+"/tenders?bench=1")
	if row := rowOf(body, link); !strings.Contains(row, "Open for bids") {
		t.Fatalf("/tenders after publishing: row %q", row)
	}
	if _, found := get(t, c, h.URL+"/tenders?q=cache+probe&bench=1"); !strings.Contains(found, "1 tender matches your search") || rowOf(found, link) == "" {
		t.Fatal("/tenders search after publishing does not find the new tender")
	}
	if _, feed := get(t, c, h.URL+"/tenders.atom"); !strings.Contains(feed, "<title>Cache probe tender</title>") {
		t.Fatal("/tenders.atom after publishing lacks the new tender")
	}
	h.advance(11 * 24 * time.Hour)
	_, body = get(t, c, h.URL+"/tenders?bench=1")
	if row := rowOf(body, link); !strings.Contains(row, "Closed, being evaluated") {
		t.Fatalf("/tenders after the deadline: row %q", row)
	}
	if err := h.store.MoveTender(ctx, sys, id, tenders.Cancelled, h.now()); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, c, h.URL+"/tenders?bench=1")
	if row := rowOf(body, link); !strings.Contains(row, "Cancelled") {
		t.Fatalf("/tenders after cancelling: row %q", row)
	}
}

// TestFrameworkPageKeptUntilWritten: an edition's page, whose tree is kept
// between requests, shows a draft's edited measure on the next request, and
// once the edition is published drops the edit links for everyone.
func TestFrameworkPageKeptUntilWritten(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
	fws, err := h.store.ListFrameworks(ctx)
	if err != nil || len(fws) == 0 {
		t.Fatalf("frameworks: %v", err)
	}
	draft, err := h.store.NewDraftEdition(ctx, sys, fws[0].ID, "cache probe")
	if err != nil {
		t.Fatal(err)
	}
	f, err := h.store.Framework(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	m := f.Priorities[0].Outcomes[0].Measures[0]
	admin := h.signedIn(t, "admin@example.org")
	page := fmt.Sprintf("%s/frameworks/%d?bench=1", h.URL, draft)
	edit := fmt.Sprintf(`href="/admin/frameworks/%d/measures/%d"`, draft, m.ID)
	res, body := get(t, admin, page)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, m.Wording) || !strings.Contains(body, edit) {
		t.Fatalf("draft page: %d, wording %q or edit link missing", res.StatusCode, m.Wording)
	}
	if res, _ := get(t, h.client(t), page); res.StatusCode != http.StatusNotFound {
		t.Fatalf("draft page for anonymous: %d, want 404", res.StatusCode)
	}
	m.Wording = "Cache probe: hours of volunteering"
	if err := h.store.UpdateMeasure(ctx, sys, draft, m); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, admin, page); !strings.Contains(body, "Cache probe: hours of volunteering") {
		t.Fatal("draft page after editing a measure shows the old wording")
	}
	if err := h.store.PublishFramework(ctx, sys, draft); err != nil {
		t.Fatal(err)
	}
	for who, c := range map[string]*http.Client{"admin": admin, "anonymous": h.client(t)} {
		res, body := get(t, c, page)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Cache probe: hours of volunteering") || strings.Contains(body, edit) || !strings.Contains(body, "This edition can no longer change.") {
			t.Fatalf("published page for %s: %d, edit link or wording wrong", who, res.StatusCode)
		}
	}
}

// TestContractsDashboardKeptUntilWritten: the contracts dashboard (all of
// Greater Manchester, a buyer's and a supplier's), kept between requests,
// is byte-identical to what a node that has kept nothing serves, before and
// after a supplier is renamed and a delivery line is verified.
func TestContractsDashboardKeptUntilWritten(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
	cs, err := h.store.ListContracts(ctx, store.ContractFilter{})
	if err != nil || len(cs) == 0 {
		t.Fatalf("demo contracts: %d, %v", len(cs), err)
	}
	var line contracts.Line
	var c contracts.Contract
	for _, k := range cs {
		lines, err := h.store.DeliveryLines(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if l.Status == contracts.Submitted && line.ID == 0 {
				line, c = l, k
			}
		}
	}
	if line.ID == 0 {
		t.Fatal("no demo delivery line awaits verification")
	}
	pages := []string{"/contracts?bench=1", fmt.Sprintf("/contracts?buyer=%d&bench=1", c.BuyerOrgID), fmt.Sprintf("/contracts?supplier=%d&bench=1", c.SupplierID)}
	fresh := func(p string) string {
		t.Helper()
		srv := h.node(t, h.now)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		return rec.Body.String()
	}
	c1 := h.client(t)
	same := func(step string) []string {
		t.Helper()
		var bodies []string
		for _, p := range pages {
			res, body := get(t, c1, h.URL+p)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: %d", step, p, res.StatusCode)
			}
			if want := fresh(p); body != want {
				t.Fatalf("%s: %s differs from a node that kept nothing", step, p)
			}
			bodies = append(bodies, body)
		}
		return bodies
	}
	before := same("first")
	o, err := h.store.OrganisationByID(ctx, c.SupplierID)
	if err != nil {
		t.Fatal(err)
	}
	o.LegalName = "Renamed Probe Supplier Ltd"
	if err := h.store.UpdateOrganisation(ctx, sys, o); err != nil {
		t.Fatal(err)
	}
	renamed := same("after renaming the supplier")
	for i, b := range renamed {
		if !strings.Contains(b, "Renamed Probe Supplier Ltd") {
			t.Fatalf("%s after renaming: new name missing", pages[i])
		}
	}
	if err := h.store.DecideLine(ctx, sys, line.ID, contracts.Verified, "", h.now()); err != nil {
		t.Fatal(err)
	}
	verified := same("after verifying a line")
	if verified[0] == renamed[0] || verified[0] == before[0] {
		t.Fatal("/contracts did not change when a line was verified")
	}
}
