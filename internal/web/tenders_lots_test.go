package web_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// TestTenderLots: a buyer divides a draft into two lots with their own
// values and weights, publishing is refused while there is one lot and, for
// the whole procurement being above the threshold, while the period is
// short; suppliers bid per lot (a lot of another tender is refused, and so
// is the tender as a whole); lot 1 is evaluated and awarded with its own
// standstill and contract while lot 2 stays closed.
func TestTenderLots(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	supplier := h.signedIn(t, "supplier@example.org")
	vcse := h.signedIn(t, "vcse-admin@example.org")
	sup, vc := orgID(t, h, "supplier@example.org"), orgID(t, h, "vcse-admin@example.org")

	short := h.now().Add(2 * time.Hour).Truncate(time.Minute)
	form := tenderForm(t, h, short)
	form.Set("title", "Parks maintenance")
	form.Set("value", "1000")
	form.Set("contract_type", "services")
	res := post(t, buyer, h.URL+"/tenders", form)
	if res.StatusCode != 303 {
		t.Fatalf("create tender: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
	other := post(t, buyer, h.URL+"/tenders", tenderForm(t, h, short)).Header.Get("Location")
	otherID, _ := strconv.ParseInt(strings.TrimPrefix(other, "/tenders/"), 10, 64)

	// The lot form starts from the tender's weights; bad lots re-render with
	// specific errors and their values.
	if r, body := get(t, buyer, h.URL+path+"/lots/new"); r.StatusCode != 200 || !strings.Contains(body, "Add lot 1 to Parks maintenance") || !strings.Contains(body, `name="w_price"`) || strings.Contains(body, `name="deadline"`) {
		t.Fatalf("lot form: %d", r.StatusCode)
	}
	if r, _ := get(t, supplier, h.URL+path+"/lots/new"); r.StatusCode != 404 && r.StatusCode != 403 {
		t.Fatalf("supplier opened the lot form: %d", r.StatusCode)
	}
	lot := func(title, value string) url.Values {
		f := tenderForm(t, h, short)
		f.Set("title", title)
		f.Set("value", value)
		f.Del("deadline")
		f.Set("procedure", "below-threshold") // ignored: the lot takes the tender's
		return f
	}
	bad := lot("North", "0")
	bad.Set("w_sv", "30")
	if r, body := postBody(t, buyer, h.URL+path+"/lots", bad); r.StatusCode != 422 || !strings.Contains(body, "Enter the estimated value in pounds, more than zero") ||
		!strings.Contains(body, "must sum to 100; they sum to 110") || !strings.Contains(body, `value="North"`) {
		t.Fatalf("bad lot: %d", r.StatusCode)
	}
	if r := post(t, supplier, h.URL+path+"/lots", lot("North", "120000")); r.StatusCode != 404 && r.StatusCode != 403 {
		t.Fatalf("supplier added a lot: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+path+"/lots", lot("North", "120000")); r.StatusCode != 303 {
		t.Fatalf("lot 1: %d", r.StatusCode)
	}
	// One lot is not enough to publish.
	if r, body := postBody(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 422 || !strings.Contains(body, "needs at least 2 lots; it has 1") {
		t.Fatalf("published with one lot: %d", r.StatusCode)
	}
	lot2 := lot("South", "130000")
	lot2.Set("w_price", "30")
	lot2.Set("w_quality", "50")
	lot2.Set("criterion_weight_0", "35")
	if r := post(t, buyer, h.URL+path+"/lots", lot2); r.StatusCode != 303 {
		t.Fatalf("lot 2: %d", r.StatusCode)
	}
	lots, err := h.store.Lots(ctx, id, h.now())
	if err != nil || len(lots) != 2 || lots[0].Procedure != "open" || lots[1].WPrice != 30 || !lots[1].Deadline.Equal(short) {
		t.Fatalf("lots: %v %+v", err, lots)
	}
	l1, l2 := lots[0], lots[1]
	if r, body := get(t, buyer, h.URL+path); r.StatusCode != 200 || !strings.Contains(body, "Lot 1: North") || !strings.Contains(body, "Lot 2: South") || !strings.Contains(body, "£250,000") {
		t.Fatalf("container page: %d", r.StatusCode)
	}
	// £250,000 of services together is above the £207,720 threshold (each
	// lot alone is not): a two-hour period is refused.
	if r, body := postBody(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 422 || !strings.Contains(body, "25 days") {
		t.Fatalf("short period for the whole procurement: %d", r.StatusCode)
	}
	// A lot is edited with the same form, without the tender's deadline.
	lp1 := fmt.Sprintf("%s/tenders/%d", h.URL, l1.ID)
	if r, body := get(t, buyer, lp1+"/edit"); r.StatusCode != 200 || !strings.Contains(body, "Edit lot 1: North of Parks maintenance") || strings.Contains(body, `name="deadline"`) {
		t.Fatalf("lot edit form: %d", r.StatusCode)
	}
	renamed := lot("North and east", "120000")
	renamed.Set("deadline", "2030-01-01T12:00")
	if r := post(t, buyer, lp1+"/edit", renamed); r.StatusCode != 303 {
		t.Fatalf("edit lot: %d", r.StatusCode)
	}
	if got, _ := h.store.Tender(ctx, l1.ID, h.now()); got.Title != "North and east" || !got.Deadline.Equal(short) || got.LotNumber != 1 {
		t.Fatalf("edited lot: %q %v %d", got.Title, got.Deadline, got.LotNumber)
	}
	// A lot is never published alone.
	if r := post(t, buyer, fmt.Sprintf("%s/tenders/%d/state", h.URL, l1.ID), url.Values{"to": {"published"}}); r.StatusCode != 409 {
		t.Fatalf("lot published alone: %d", r.StatusCode)
	}
	// A planned procurement notice two months ago shortens the minimum to
	// 10 days (s.54(5)), which keeps this test within a session's life.
	deadline := h.now().Add(11 * 24 * time.Hour).Truncate(time.Minute)
	edit := tenderForm(t, h, deadline)
	edit.Set("title", "Parks maintenance")
	edit.Set("contract_type", "services")
	edit.Set("planned_notice", h.now().AddDate(0, -2, 0).Format(time.DateOnly))
	if r := post(t, buyer, h.URL+path+"/edit", edit); r.StatusCode != 303 {
		t.Fatalf("edit deadline: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	c, _ := h.store.Tender(ctx, id, h.now())
	if c.ValuePence != 250_000_00 {
		t.Fatalf("container value %d", c.ValuePence)
	}
	for _, l := range []int64{l1.ID, l2.ID} {
		if got, _ := h.store.Tender(ctx, l, h.now()); got.Status != tenders.Published || !got.Deadline.Equal(deadline) {
			t.Fatalf("lot %d after publishing: %s %v", l, got.Status, got.Deadline)
		}
	}
	// The tender notice (UK4) names each lot with its value and weights.
	ns, err := h.store.TenderNotices(ctx, id)
	if err != nil || len(ns) == 0 {
		t.Fatalf("tender notices: %v %d", err, len(ns))
	}
	_, notice := get(t, h.client(t), fmt.Sprintf("%s/notices/%d", h.URL, ns[0].ID))
	for _, l := range []int64{l1.ID, l2.ID} {
		lot, _ := h.store.Tender(ctx, l, h.now())
		want := fmt.Sprintf("Estimated value %s; weights: price %d%%, quality %d%%, social value %d%%", fund.Pounds(lot.ValuePence), lot.WPrice, lot.WQuality, lot.WSV)
		if text := html.UnescapeString(notice); !strings.Contains(text, lot.LotLabel()) || !strings.Contains(text, want) {
			t.Fatalf("the tender notice should list %q with %q", lot.LotLabel(), want)
		}
	}
	// The public list shows the tender with its lots, not the lots.
	if _, body := get(t, h.client(t), h.URL+"/tenders"); !strings.Contains(body, "2 lots") || strings.Contains(body, `href="/tenders/`+strconv.FormatInt(l1.ID, 10)+`"`) {
		t.Fatal("the tender list should show the tender with 2 lots and not list the lots")
	}
	if r, body := get(t, h.client(t), fmt.Sprintf("%s/tenders/%d", h.URL, l1.ID)); r.StatusCode != 200 || !strings.Contains(body, `href="/tenders/`+strconv.FormatInt(id, 10)+`"`) {
		t.Fatalf("lot page links back to its tender: %d", r.StatusCode)
	}

	l1, _ = h.store.Tender(ctx, l1.ID, h.now())
	l2, _ = h.store.Tender(ctx, l2.ID, h.now())
	lotBid := func(c interface{}, tenderID, lotID int64) string {
		return fmt.Sprintf("%s/tenders/%d/lots/%d/bid", h.URL, tenderID, lotID)
	}
	// A bid for a lot of another tender is refused, and so is a bid on the
	// tender as a whole; nothing is stored.
	if r, _ := postBody(t, supplier, lotBid(nil, otherID, l1.ID), bidForm(l1, sup, "100000", "5", "yes")); r.StatusCode != 404 {
		t.Fatalf("bid for a lot of another tender: %d", r.StatusCode)
	}
	if r, body := postBody(t, supplier, h.URL+path+"/bid", bidForm(l1, sup, "100000", "5", "yes")); r.StatusCode != 422 || !strings.Contains(body, "divided into 2 lots") {
		t.Fatalf("bid on the whole tender: %d", r.StatusCode)
	}
	if r, _ := get(t, supplier, h.URL+path+"/bid"); r.StatusCode != 303 && r.StatusCode != 200 {
		t.Fatalf("bid form of the whole tender: %d", r.StatusCode)
	}
	if bids, _ := h.store.OrgBids(ctx, l1.ID, sup); len(bids) != 0 {
		t.Fatal("a refused bid was stored")
	}
	if r, body := get(t, supplier, lotBid(nil, id, l1.ID)); r.StatusCode != 200 || !strings.Contains(body, "North") {
		t.Fatalf("lot bid form: %d", r.StatusCode)
	}
	for _, b := range []struct {
		lot   tenders.Tender
		org   int64
		price string
	}{{l1, sup, "100000"}, {l1, vc, "110000"}, {l2, sup, "120000"}} {
		c := supplier
		if b.org == vc {
			c = vcse
		}
		if r, body := postBody(t, c, lotBid(nil, id, b.lot.ID), bidForm(b.lot, b.org, b.price, "5", "yes")); r.StatusCode != 200 || !strings.Contains(body, "receipt-sha") {
			t.Fatalf("bid on lot %d: %d", b.lot.LotNumber, r.StatusCode)
		}
	}
	if bids, _ := h.store.OrgBids(ctx, id, sup); len(bids) != 0 {
		t.Fatal("a lot's bid was stored on the container")
	}

	// After the deadline lot 1 is marked, moderated and awarded; lot 2 stays closed.
	h.advance(12 * 24 * time.Hour)
	lp := fmt.Sprintf("%s/tenders/%d", h.URL, l1.ID)
	if r := post(t, buyer, lp+"/evaluators", url.Values{"evaluators": {userID(t, h, "evaluator@example.org")}}); r.StatusCode != 303 {
		t.Fatalf("assign evaluators: %d", r.StatusCode)
	}
	e1 := h.signedIn(t, "evaluator@example.org")
	marks, mod := url.Values{}, url.Values{}
	for _, org := range []int64{sup, vc} {
		for _, k := range []string{"Q1", "Q2", "SV"} {
			marks.Set(fmt.Sprintf("mark_%d_%s", org, k), "4")
			marks.Set(fmt.Sprintf("reason_%d_%s", org, k), "Clear")
			mod.Set(fmt.Sprintf("mark_%d_%s", org, k), "4")
			mod.Set(fmt.Sprintf("reason_%d_%s", org, k), "Agreed")
		}
	}
	if r := post(t, e1, lp+"/marking", marks); r.StatusCode != 303 {
		t.Fatalf("marks: %d", r.StatusCode)
	}
	if r := post(t, buyer, lp+"/moderation", mod); r.StatusCode != 303 {
		t.Fatalf("moderate: %d", r.StatusCode)
	}
	today := h.now().Format(time.DateOnly)
	if r := post(t, buyer, lp+"/award", url.Values{"winner": {tenders.BidKey(sup)}, "rationale": {"Best value"}, "start": {today}, "end": {h.now().AddDate(1, 0, 0).Format(time.DateOnly)}}); r.StatusCode != 303 {
		t.Fatalf("award lot 1: %d", r.StatusCode)
	}
	if msgs, _ := h.store.ListOutbox(ctx, "supplier@example.org", 5); len(msgs) == 0 || msgs[0].Subject != "You have been awarded Parks maintenance, lot 1: North and east" {
		t.Fatalf("the winner of lot 1 was not told which lot: %+v", msgs)
	}
	aw, err := h.store.AwardOf(ctx, l1.ID)
	if err != nil || aw.SupplierID != sup {
		t.Fatalf("award of lot 1: %v %+v", err, aw)
	}
	if _, err := h.store.AwardOf(ctx, l2.ID); err == nil {
		t.Fatal("lot 2 was awarded")
	}
	// The lot's award has its standstill (the whole procurement is above the threshold).
	if _, body := get(t, h.client(t), lp+"/award"); !strings.Contains(body, "standstill") || strings.Contains(body, "No standstill: below the threshold") {
		t.Fatal("lot 1's award page should show its standstill")
	}
	cs, err := h.store.ListContracts(ctx, store.ContractFilter{})
	found := false
	for _, c := range cs {
		if c.TenderID == l1.ID && c.SupplierID == sup {
			found = c.Title == "Parks maintenance, lot 1: North and east"
		}
		if c.TenderID == l2.ID || c.TenderID == id {
			t.Fatalf("contract on %d", c.TenderID)
		}
	}
	if err != nil || !found {
		t.Fatalf("no contract for lot 1: %v", err)
	}
	if r, body := get(t, h.client(t), h.URL+path); r.StatusCode != 200 || !strings.Contains(body, "Awarded") || !strings.Contains(body, "Closed, being evaluated") {
		t.Fatalf("container page after lot 1's award: %d", r.StatusCode)
	}
}
