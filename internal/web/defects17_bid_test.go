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
)

// Defect 2: a bid page shows no attachment link for a criterion answered
// without a file, to the bidder before the deadline or the buyer after.
func TestBidPageNoEmptyAttachments(t *testing.T) {
	h := newHub(t)
	path := openTenderWithBid(t, h)
	u := fmt.Sprintf("%s%s/bids/%d", h.URL, path, orgID(t, h, "supplier@example.org"))
	check := func(who string, c *http.Client) {
		t.Helper()
		r, body := get(t, c, u)
		if r.StatusCode != http.StatusOK || !strings.Contains(body, "SECRET-ANSWER-912345") {
			t.Fatalf("%s reads the bid: %d", who, r.StatusCode)
		}
		if strings.Contains(body, "/files/") || strings.Contains(body, "bytes, SHA-256") {
			t.Errorf("%s sees an empty attachment link on a bid with no files", who)
		}
	}
	check("bidder", h.signedIn(t, "supplier@example.org"))
	h.advance(3 * time.Hour)
	check("buyer", h.signedIn(t, "buyer@example.org"))
}

// Defect 4: a commitment's place is named ("Manchester"), not coded.
func TestBidPageNamesThePlace(t *testing.T) {
	h := newHub(t)
	buyer := h.signedIn(t, "buyer@example.org")
	res := post(t, buyer, h.URL+"/tenders", tenderForm(t, h, h.now().Add(2*time.Hour).Truncate(time.Minute)))
	path := res.Header.Get("Location")
	if r := post(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
	tn, err := h.store.Tender(context.Background(), id, h.now())
	if err != nil {
		t.Fatal(err)
	}
	sup := orgID(t, h, "supplier@example.org")
	f := bidForm(tn, sup, "912345", "5", "yes")
	f.Set("where_"+tn.Measures[0].Code, "E08000003")
	supplier := h.signedIn(t, "supplier@example.org")
	if r, _ := postBody(t, supplier, h.URL+path+"/bid", f); r.StatusCode != http.StatusOK {
		t.Fatalf("bid: %d", r.StatusCode)
	}
	r, body := get(t, supplier, fmt.Sprintf("%s%s/bids/%d", h.URL, path, sup))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("bid page: %d", r.StatusCode)
	}
	if strings.Contains(body, "E08000003") || !strings.Contains(body, `<td class="govuk-table__cell">Manchester</td>`) {
		t.Errorf("the bid page does not name the place of a commitment in Manchester")
	}
}
