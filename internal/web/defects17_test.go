package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// openTenderWithBid publishes a tender closing in two hours and has
// supplier@ bid on it; it returns the tender's path.
func openTenderWithBid(t *testing.T, h *hub) string {
	t.Helper()
	buyer := h.signedIn(t, "buyer@example.org")
	res := post(t, buyer, h.URL+"/tenders", tenderForm(t, h, h.now().Add(2*time.Hour).Truncate(time.Minute)))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create tender: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	if r := post(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
	tn, err := h.store.Tender(context.Background(), id, h.now())
	if err != nil {
		t.Fatal(err)
	}
	if r, body := postBody(t, h.signedIn(t, "supplier@example.org"), h.URL+path+"/bid", bidForm(tn, orgID(t, h, "supplier@example.org"), "912345", "5", "yes")); r.StatusCode != http.StatusOK {
		t.Fatalf("bid: %d %s", r.StatusCode, body[:min(len(body), 300)])
	}
	return path
}

// Defect 6: before the deadline the audit page does not say who bid, to any
// admin but the one who bid; after the deadline it does.
func TestAuditHidesBiddersUntilDeadline(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	path := openTenderWithBid(t, h)
	id := strings.TrimPrefix(path, "/tenders/")
	admin := h.signedIn(t, "admin@example.org")
	for _, u := range []string{"/admin/audit", "/admin/audit?action=bid.", "/admin/audit?object_type=tender&object_id=" + id, "/admin/audit?actor=supplier"} {
		r, body := get(t, admin, h.URL+u)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", u, r.StatusCode)
		}
		if bidEvents(body, id) > 0 {
			t.Errorf("GET %s before the deadline shows who bid on tender %s", u, id)
		}
		if !strings.Contains(body, "hidden until the deadline") {
			t.Errorf("GET %s does not say bid events are hidden", u)
		}
	}
	// The bidder itself, were it a hub admin, sees its own bid event.
	sup, err := h.store.UserByEmail(ctx, "supplier@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.SetAdmin(ctx, auth.Actor{}, sup.ID, true); err != nil {
		t.Fatal(err)
	}
	if r, body := get(t, h.signedIn(t, "supplier@example.org"), h.URL+"/admin/audit?action=bid."); r.StatusCode != http.StatusOK || bidEvents(body, id) != 1 {
		t.Errorf("the bidder does not see its own bid event: %d", r.StatusCode)
	}
	// After the deadline the bidders are on the record for everyone.
	h.advance(3 * time.Hour)
	if r, body := get(t, admin, h.URL+"/admin/audit?action=bid."); r.StatusCode != http.StatusOK || bidEvents(body, id) != 1 || !strings.Contains(body, "supplier@example.org") {
		t.Errorf("after the deadline the bid event is still hidden: %d", r.StatusCode)
	}
}

// bidEvents counts the audit page's rows of bid events on tender id.
func bidEvents(body, id string) int {
	n := 0
	for _, row := range strings.Split(body, "<tr") {
		if strings.Contains(row, ">bid.") && strings.Contains(row, ">tender "+id+"<") {
			n++
		}
	}
	return n
}

// Defect 5: the award page lists the bids first place first, the excluded
// last, on every awarded demo tender (several of which store their bids
// out of rank order).
func TestAwardPageInRankOrder(t *testing.T) {
	h := newHub(t)
	all, err := h.store.ListTenders(context.Background(), store.TenderFilter{}, h.now())
	if err != nil {
		t.Fatal(err)
	}
	cell := regexp.MustCompile(`<tr class="govuk-table__row"><td class="govuk-table__cell">([0-9]+|Excluded:)`)
	pages := 0
	for _, tn := range all {
		if tn.Status != tenders.Awarded {
			continue
		}
		u := fmt.Sprintf("%s/tenders/%d/award", h.URL, tn.ID)
		r, body := get(t, h.client(t), u)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", u, r.StatusCode)
		}
		var ranks []string
		for _, m := range cell.FindAllStringSubmatch(body, -1) {
			ranks = append(ranks, m[1])
		}
		if len(ranks) < 2 {
			continue
		}
		pages++
		excluded := false
		for i, k := range ranks {
			if k == "Excluded:" {
				excluded = true
			} else if excluded || k != strconv.Itoa(i+1) {
				t.Errorf("%s lists ranks %v, want 1, 2, … then the excluded", tn.Title, ranks)
				break
			}
		}
	}
	if pages == 0 {
		t.Fatal("no awarded demo tender with two or more bids")
	}
}

// reportingSupplier makes business-admin@ a supplier-side member of the
// demo contract that started last, and returns the contract and its client.
func reportingSupplier(t *testing.T, h *hub) (contracts.Contract, *http.Client) {
	t.Helper()
	ctx := context.Background()
	all, err := h.store.ListContracts(ctx, store.ContractFilter{})
	if err != nil || len(all) == 0 {
		t.Fatalf("demo contracts: %v", err)
	}
	c := all[0]
	for _, x := range all {
		if x.Start > c.Start {
			c = x
		}
	}
	u, err := h.store.UserByEmail(ctx, "business-admin@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.AddMember(ctx, auth.Actor{User: &auth.User{Email: "test"}}, c.SupplierID, u.ID, auth.RoleSupplier); err != nil {
		t.Fatal(err)
	}
	return c, h.signedIn(t, "business-admin@example.org")
}

// Defect 3: the report form offers a period inside the contract, and a
// period before the contract started is refused, saying why.
func TestReportPeriodWithinContract(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	c, sup := reportingSupplier(t, h)
	if h.now().Format(time.DateOnly) < c.Start {
		t.Fatalf("demo contract %d starts in the future (%s)", c.ID, c.Start)
	}
	path := fmt.Sprintf("%s/contracts/%d/report", h.URL, c.ID)
	r, body := get(t, sup, path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("report form: %d", r.StatusCode)
	}
	value := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" type="date" value="([0-9-]*)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %s on the form", name)
		}
		return m[1]
	}
	start, end := value("period_start"), value("period_end")
	if start < c.Start || end < start || (c.End != "" && end > c.End) {
		t.Errorf("form offers %s to %s for a contract running %s to %s", start, end, c.Start, c.End)
	}
	cms, err := h.store.Commitments(ctx, c.ID)
	if err != nil || len(cms) == 0 {
		t.Fatalf("commitments: %v", err)
	}
	cs, _ := time.Parse(time.DateOnly, c.Start)
	before := cs.AddDate(0, 0, -1).Format(time.DateOnly)
	f := url.Values{"period_start": {cs.AddDate(0, -3, 0).Format(time.DateOnly)}, "period_end": {before}}
	id := strconv.FormatInt(cms[0].ID, 10)
	f.Set("qty_"+id, "1")
	f.Set("evidence_"+id, "timesheets")
	f.Set("attributable_"+id, "1")
	f.Set("additional_"+id, "1")
	res, body := postBody(t, sup, path, f)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The contract started on "+cs.Format("2 January 2006")) {
		t.Errorf("a report before the contract start: %d, want 422 saying when it started", res.StatusCode)
	}
	if reps, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "delivery.report", Actor: "business-admin"}); len(reps) != 0 {
		t.Errorf("the refused report was stored")
	}
	// The same report within the contract is accepted.
	f.Set("period_start", start)
	f.Set("period_end", end)
	if res, body := postBody(t, sup, path, f); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a report for the offered period: %d %s", res.StatusCode, body[:min(len(body), 400)])
	}
}

// Defect 4: a report's validation names the measure, not an internal number.
func TestReportErrorsNameTheMeasure(t *testing.T) {
	h := newHub(t)
	c, sup := reportingSupplier(t, h)
	cms, err := h.store.Commitments(context.Background(), c.ID)
	if err != nil || len(cms) == 0 {
		t.Fatalf("commitments: %v", err)
	}
	cm := cms[len(cms)-1]
	id := strconv.FormatInt(cm.ID, 10)
	f := url.Values{"period_start": {c.Start}, "period_end": {c.Start}, "qty_" + id: {"2"}}
	res, body := postBody(t, sup, fmt.Sprintf("%s/contracts/%d/report", h.URL, c.ID), f)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("report without evidence: %d", res.StatusCode)
	}
	for _, want := range []string{"Give evidence for " + cm.MeasureCode + ": ", "attributable only to this contract", "additional to what would have happened"} {
		if !strings.Contains(body, want) {
			t.Errorf("errors do not say %q", want)
		}
	}
	if regexp.MustCompile(`line [0-9]+`).MatchString(body) {
		t.Errorf("errors name a line number: %s", regexp.MustCompile(`[^>]*line [0-9]+[^<]*`).FindString(body))
	}
}
