package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// TestTenderPageKeptUntilWritten: every demo tender's page, built from what
// it keeps under its generations, is byte for byte what a node that has
// kept nothing serves, on two nodes sharing one database, for readers who
// see different pages (signed out, resident, the buyer, a supplier, an
// evaluator, an administrator), after each write the page shows — a
// question (the buyer's answer form), its answer, a document, a renamed
// buyer — and after a bid and the deadline passing with nothing written
// (the tender closes and the bid is counted); a bid shows nowhere while
// sealed. On SQLite and PostgreSQL.
func TestTenderPageKeptUntilWritten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		h := newHubOn(t, s)
		node2 := h.nodeServer(t, h.now)
		readers := map[string]*http.Client{"anonymous": h.client(t)}
		for _, who := range []string{"resident", "buyer", "supplier", "evaluator", "admin"} {
			readers[who] = h.signedIn(t, who+"@example.org")
		}
		all, err := h.store.ListTenders(ctx, store.TenderFilter{}, h.now())
		if err != nil || len(all) == 0 {
			t.Fatalf("demo tenders: %d, %v", len(all), err)
		}
		hubURL, _ := url.Parse(h.URL)
		// pages checks every tender's page for every reader on both
		// nodes (twice: the second from what each kept) against a node
		// that has kept nothing, and returns node 2's pages by reader.
		pages := func(step string, ids ...int64) map[string]string {
			t.Helper()
			if len(ids) == 0 {
				for _, tn := range all {
					ids = append(ids, tn.ID)
				}
			}
			out := map[string]string{}
			for who, c := range readers {
				empty := h.node(t, h.now)
				for _, id := range ids {
					p := fmt.Sprintf("/tenders/%d?bench=1", id)
					req := httptest.NewRequest(http.MethodGet, p, nil)
					for _, k := range c.Jar.Cookies(hubURL) {
						req.AddCookie(k)
					}
					rec := httptest.NewRecorder()
					empty.Handler().ServeHTTP(rec, req)
					for _, node := range []string{h.URL, node2.URL} {
						for range 2 {
							res, body := get(t, c, node+p)
							if res.StatusCode != rec.Code || body != rec.Body.String() {
								t.Fatalf("%s: %s%s as %s (%d) differs from a node that kept nothing (%d)", step, node, p, who, res.StatusCode, rec.Code)
							}
							out[fmt.Sprint(who, id)] = body
						}
					}
				}
			}
			return out
		}
		pages("demo")

		buyerUser, err := h.store.UserByEmail(ctx, "buyer@example.org")
		if err != nil {
			t.Fatal(err)
		}
		buyerOf, err := h.store.MembershipsOfUser(ctx, buyerUser.ID)
		if err != nil || len(buyerOf) == 0 {
			t.Fatalf("buyer's memberships: %v", err)
		}
		supplierUser, err := h.store.UserByEmail(ctx, "supplier@example.org")
		if err != nil {
			t.Fatal(err)
		}
		supplierOf, err := h.store.MembershipsOfUser(ctx, supplierUser.ID)
		if err != nil || len(supplierOf) == 0 {
			t.Fatalf("supplier's memberships: %v", err)
		}
		var open tenders.Tender
		for _, tn := range all {
			if tn.Open(h.now()) && !tn.HasLots() && !tn.IsLot() && tn.BuyerOrgID == buyerOf[0].OrgID {
				open = tn
				break
			}
		}
		if open.ID == 0 {
			t.Fatal("the demo buyer has no open tender without lots")
		}
		sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		key := func(who string) string { return fmt.Sprint(who, open.ID) }

		if err := h.store.AskQuestion(ctx, sys, store.Question{TenderID: open.ID, AskerOrgID: supplierOf[0].OrgID, Question: "Kept page probe: may we bid jointly?"}, h.now()); err != nil {
			t.Fatal(err)
		}
		got := pages("a question", open.ID)
		if !strings.Contains(got[key("buyer")], "Kept page probe: may we bid jointly?") || !strings.Contains(got[key("buyer")], "Publish answer") {
			t.Error("the buyer does not see the new question with its answer form")
		}
		if strings.Contains(got[key("anonymous")], "Kept page probe") || strings.Contains(got[key("supplier")], "Kept page probe") {
			t.Error("an unanswered question is shown to others than the buyer")
		}
		qs, err := h.store.Questions(ctx, open.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.store.AnswerQuestion(ctx, sys, open.ID, qs[len(qs)-1].ID, "Kept page probe answer: yes.", h.now()); err != nil {
			t.Fatal(err)
		}
		got = pages("an answer", open.ID)
		if !strings.Contains(got[key("anonymous")], "Kept page probe answer: yes.") {
			t.Error("the answer is not shown on the next request")
		}
		if err := h.store.AddTenderDocument(ctx, sys, store.TenderDocument{TenderID: open.ID, Name: "kept-page-probe.txt", ContentType: "text/plain", Content: []byte("probe")}, h.now()); err != nil {
			t.Fatal(err)
		}
		got = pages("a document", open.ID)
		if !strings.Contains(got[key("supplier")], "kept-page-probe.txt") {
			t.Error("the new document is not listed on the next request")
		}

		// A bid: nothing about it shows but to its bidder while sealed.
		wrapped, err := h.store.TenderKey(ctx, open.ID)
		if err != nil {
			t.Fatal(err)
		}
		org := supplierOf[0].OrgID
		c := tenders.BidContent{PricePence: 90_000_00}.Canonical()
		before := pages("before a bid", open.ID)
		if _, err := h.store.SubmitBid(ctx, sys, open.ID, org, tenders.Digest(c), func(v int) ([]byte, error) { return h.sealer.SealBid(open.ID, wrapped, org, v, c) }, nil, h.now()); err != nil {
			t.Fatal(err)
		}
		got = pages("a bid", open.ID)
		for who := range readers {
			if who != "supplier" && got[key(who)] != before[key(who)] {
				t.Errorf("a sealed bid changed the page for %s", who)
			}
		}
		if got[key("supplier")] == before[key("supplier")] || !strings.Contains(got[key("supplier")], "submitted 1 version") {
			t.Error("the bidder does not see its bid on the next request")
		}

		buyer, err := h.store.OrganisationByID(ctx, open.BuyerOrgID)
		if err != nil {
			t.Fatal(err)
		}
		buyer.LegalName = "Kept Page Probe City Council"
		if err := h.store.UpdateOrganisation(ctx, sys, buyer); err != nil {
			t.Fatal(err)
		}
		got = pages("a renamed buyer")
		if !strings.Contains(got[key("anonymous")], "Kept Page Probe City Council") {
			t.Error("the renamed buyer is not shown on the next request")
		}

		// Past the deadline, with nothing written: closed, and the bids
		// are counted.
		h.advance(open.Deadline.Sub(h.now()) + time.Second)
		got = pages("past the deadline")
		page := got[key("anonymous")]
		if !strings.Contains(page, "Bids received") || strings.Contains(page, "Open for bids") {
			t.Error("past the deadline the page does not show the tender closed with its bids counted")
		}
	})
}
