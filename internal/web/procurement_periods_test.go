package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/tenders"
)

// The rest of section 54 on the tender form: a state of urgency allows
// 10 days above the threshold and a light touch contract has no minimum;
// each needs the buyer's reason, which is kept and published on the tender
// notice. Without the case the same deadline is refused.
func TestTenderingPeriodCases(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	form := tenderForm(t, h, h.now().AddDate(0, 0, 12).Truncate(time.Minute))
	form.Set("procedure", "open")
	form.Set("contract_type", "services") // £750,000: above the threshold

	form.Set("period_case", "urgency")
	if res, body := postBody(t, buyer, h.URL+"/tenders", form); res.StatusCode != 422 || !strings.Contains(body, "Explain the state of urgency") || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `value="urgency" checked`) {
		t.Fatalf("urgency without a reason: %d", res.StatusCode)
	}
	form.Set("period_case", "fast-track")
	if res, body := postBody(t, buyer, h.URL+"/tenders", form); res.StatusCode != 422 || !strings.Contains(body, "Choose which minimum tendering period applies") {
		t.Fatalf("unknown case: %d", res.StatusCode)
	}

	create := func(kase, reason string, deadline time.Time) (int64, string) {
		t.Helper()
		form.Set("period_case", kase)
		form.Set("period_reason", reason)
		form.Set("deadline", deadline.In(tenders.London).Format("2006-01-02T15:04"))
		res := post(t, buyer, h.URL+"/tenders", form)
		if res.StatusCode != 303 {
			t.Fatalf("create %s tender: %d", kase, res.StatusCode)
		}
		path := res.Header.Get("Location")
		id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
		return id, path
	}
	twelve := h.now().AddDate(0, 0, 12).Add(time.Hour)

	// The usual period: 12 days is refused.
	_, path := create("usual", "ignored", twelve)
	if r, body := postBody(t, buyer, h.URL+path+"/state", map[string][]string{"to": {"published"}}); r.StatusCode != 422 || !strings.Contains(body, "at least 25 days") {
		t.Fatalf("12 days with the usual period: %d", r.StatusCode)
	}
	// Urgency: 12 days publishes; the reason is on the tender and its notice.
	reason := "The contractor running the district's only night shelter went into administration on 1 December"
	id, path := create("urgency", reason, twelve)
	if tn, _ := h.store.Tender(ctx, id, h.now()); tn.PeriodCase != tenders.PeriodUrgency || tn.PeriodReason != reason {
		t.Fatalf("case not kept: %q %q", tn.PeriodCase, tn.PeriodReason)
	}
	if _, body := get(t, buyer, h.URL+path+"/edit"); !strings.Contains(body, `value="urgency" checked`) || !strings.Contains(body, "night shelter") {
		t.Fatal("edit form does not keep the case and reason")
	}
	if r := post(t, buyer, h.URL+path+"/state", map[string][]string{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish urgent tender: %d", r.StatusCode)
	}
	ns, err := h.store.TenderNotices(ctx, id)
	if err != nil || len(ns) != 1 {
		t.Fatalf("notices: %v %+v", err, ns)
	}
	_, notice := get(t, h.client(t), fmt.Sprintf("%s/notices/%d", h.URL, ns[0].ID))
	for _, want := range []string{"10 days", "state of urgency", "Why this period applies", "night shelter"} {
		if !strings.Contains(notice, want) {
			t.Errorf("tender notice lacks %q", want)
		}
	}
	if _, page := get(t, h.client(t), h.URL+path); !strings.Contains(page, "10 days from the tender notice") || !strings.Contains(page, "night shelter") {
		t.Error("tender page does not show the urgency row and its reason")
	}
	// Urgency does not allow less than 10 days.
	_, path = create("urgency", reason, h.now().AddDate(0, 0, 6))
	if r, body := postBody(t, buyer, h.URL+path+"/state", map[string][]string{"to": {"published"}}); r.StatusCode != 422 || !strings.Contains(body, "at least 10 days") {
		t.Fatalf("6 days with urgency: %d", r.StatusCode)
	}
	// A light touch contract: three days publishes, with no minimum.
	id, path = create("light-touch", "Home care for older residents (CPV 85000000, Schedule 1 light touch service)", h.now().AddDate(0, 0, 3))
	if r := post(t, buyer, h.URL+path+"/state", map[string][]string{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish light touch tender: %d", r.StatusCode)
	}
	ns, _ = h.store.TenderNotices(ctx, id)
	_, notice = get(t, h.client(t), fmt.Sprintf("%s/notices/%d", h.URL, ns[0].ID))
	if !strings.Contains(notice, "None (section 54(3) and (4)") || !strings.Contains(notice, "Home care for older residents") {
		t.Error("light touch notice lacks the row or its reason")
	}
}
