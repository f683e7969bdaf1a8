package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/store"
)

// A clarification answer is emailed to every registered bidder: the
// organisation that asked and each organisation with a bid in.
func TestClarificationAnswerEmailedToBidders(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	supplier := h.signedIn(t, "supplier@example.org")
	vcse := h.signedIn(t, "vcse-admin@example.org")
	res := post(t, buyer, h.URL+"/tenders", tenderForm(t, h, h.now().Add(48*time.Hour).Truncate(time.Minute)))
	if res.StatusCode != 303 {
		t.Fatalf("create tender: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
	if r := post(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	tn, _ := h.store.Tender(ctx, id, h.now())
	sup, vc := orgID(t, h, "supplier@example.org"), orgID(t, h, "vcse-admin@example.org")
	if r := post(t, supplier, h.URL+path+"/questions", url.Values{"org": {strconv.FormatInt(sup, 10)}, "question": {"Is TUPE likely to apply?"}}); r.StatusCode != 303 {
		t.Fatalf("ask: %d", r.StatusCode)
	}
	if r, _ := postBody(t, vcse, h.URL+path+"/bid", bidForm(tn, vc, "800000", "9", "yes")); r.StatusCode != 200 {
		t.Fatalf("bid: %d", r.StatusCode)
	}
	// The VCSE turns clarification emails off on its account page.
	if r := post(t, vcse, h.URL+"/account/notifications", url.Values{"on": {"delivery", "concerns", "reminders"}}); r.StatusCode != 303 {
		t.Fatalf("email settings: %d", r.StatusCode)
	}
	if _, body := get(t, vcse, h.URL+"/account"); !strings.Contains(body, `value="clarifications">`) || !strings.Contains(body, `value="delivery" checked>`) {
		t.Fatal("account page does not show the settings")
	}
	if r := post(t, h.client(t), h.URL+"/account/notifications", url.Values{}); r.StatusCode == 303 {
		t.Fatal("anonymous changed email settings")
	}
	qs, _ := h.store.Questions(ctx, id)
	if r := post(t, buyer, fmt.Sprintf("%s%s/questions/%d/answer", h.URL, path, qs[0].ID), url.Values{"answer": {"No: ANSWER-TUPE"}}); r.StatusCode != 303 {
		t.Fatalf("answer: %d", r.StatusCode)
	}
	if msgs, _ := h.store.ListOutbox(ctx, "supplier@example.org", 5); len(msgs) == 0 || !strings.Contains(msgs[0].Subject, "Clarification answer on Library refurbishment") || !strings.Contains(msgs[0].Body, "ANSWER-TUPE") {
		t.Errorf("the asker was not emailed the answer: %+v", msgs)
	}
	if msgs, _ := h.store.ListOutbox(ctx, "vcse-admin@example.org", 5); len(msgs) != 0 && strings.Contains(msgs[0].Body, "ANSWER-TUPE") {
		t.Error("a bidder who turned clarification emails off was emailed")
	}
	if ev, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "user.notifications"}); len(ev) != 1 {
		t.Errorf("settings change audited %d times", len(ev))
	}
	if msgs, _ := h.store.ListOutbox(ctx, "resident@example.org", 5); len(msgs) != 0 && strings.Contains(msgs[0].Body, "ANSWER-TUPE") {
		t.Error("a resident with no bid was emailed the answer")
	}
}
