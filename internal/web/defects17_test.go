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
