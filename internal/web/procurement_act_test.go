package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// TestPublishingChecksSection54: an above-threshold services tender with a
// two-hour period is refused on publishing, naming the minimum, the section
// and the earliest deadline, and stays a draft; with 26 days it publishes
// with its tender notice. Below the threshold the short period publishes
// with the warning shown. Bad procedure fields are refused on saving.
func TestPublishingChecksSection54(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	form := tenderForm(t, h, h.now().Add(2*time.Hour).Truncate(time.Minute))
	form.Set("procedure", "open")
	form.Set("contract_type", "services")

	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("procedure", "below-threshold") // £750,000 of services is above the £207,720 threshold
	bad.Set("planned_notice", "15/01/2026")
	if res, body := postBody(t, buyer, h.URL+"/tenders", bad); res.StatusCode != 422 || !strings.Contains(body, "cannot use the below-threshold procedure") || !strings.Contains(body, "like 2026-01-15") {
		t.Fatalf("bad procedure fields: %d", res.StatusCode)
	}
	bad = url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("procedure", "direct-award")
	if res, body := postBody(t, buyer, h.URL+"/tenders", bad); res.StatusCode != 422 || !strings.Contains(body, "Choose the Schedule 5 ground") || !strings.Contains(body, "Explain why the direct award ground applies") {
		t.Fatalf("direct award without a ground: %d", res.StatusCode)
	}

	res := post(t, buyer, h.URL+"/tenders", form)
	if res.StatusCode != 303 {
		t.Fatalf("create tender: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
	r, body := postBody(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}})
	earliest := h.now().AddDate(0, 0, 25).In(tenders.London).Format("2 January 2006")
	for _, want := range []string{"Section 54(4) requires at least 25 days", "Set the deadline to", earliest, "The tender was not published"} {
		if !strings.Contains(body, want) {
			t.Errorf("refusal lacks %q", want)
		}
	}
	if r.StatusCode != 422 {
		t.Fatalf("short above-threshold period: %d", r.StatusCode)
	}
	if tn, _ := h.store.Tender(ctx, id, h.now()); tn.Status != tenders.Draft {
		t.Fatalf("refused tender is %s", tn.Status)
	}
	if refused, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "tender.publish.refused"}); len(refused) == 0 {
		t.Error("the refusal was not audited")
	}
	form.Set("deadline", h.now().AddDate(0, 0, 26).In(tenders.London).Format("2006-01-02T15:04"))
	if r := post(t, buyer, h.URL+path+"/edit", form); r.StatusCode != 303 {
		t.Fatalf("edit: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish with 26 days: %d", r.StatusCode)
	}
	ns, err := h.store.TenderNotices(ctx, id)
	if err != nil || len(ns) != 1 || ns[0].Kind != tenders.NoticeTender {
		t.Fatalf("tender notices = %+v, %v", ns, err)
	}
	if r, body := get(t, h.client(t), h.URL+fmt.Sprintf("/notices/%d", ns[0].ID)); r.StatusCode != 200 || !strings.Contains(body, "UK4") || !strings.Contains(body, "Minimum tendering period") || !strings.Contains(body, "25 days") {
		t.Fatalf("tender notice page: %d", r.StatusCode)
	}
	if _, body := get(t, h.client(t), h.URL+path); !strings.Contains(body, "Open procedure") || !strings.Contains(body, "Above the £207,720 threshold") || !strings.Contains(body, "/notices/") {
		t.Fatal("the tender page does not show the procedure, threshold and notice")
	}

	// Below the threshold (works under £5,193,000) the short period is a warning.
	below := tenderForm(t, h, h.now().Add(48*time.Hour).Truncate(time.Minute))
	res = post(t, buyer, h.URL+"/tenders", below)
	bpath := res.Header.Get("Location")
	if r := post(t, buyer, h.URL+bpath+"/state", url.Values{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish below threshold: %d", r.StatusCode)
	}
	if _, body := get(t, h.client(t), h.URL+bpath); !strings.Contains(body, "Time limit warning") || !strings.Contains(body, "Below the threshold this is allowed") {
		t.Fatal("the below-threshold warning is not shown")
	}
}

// TestStandstillAndKPIs: a £6m contract awarded today cannot be entered into
// during its eight-working-day standstill (409 with the end date, audited)
// and can after it; its contract details notice needs three KPIs; a KPI
// assessment is checked, recorded, published in a contract performance
// notice and shown on the contract page. Only the buyer may do any of it.
func TestStandstillAndKPIs(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	supplier := h.signedIn(t, "supplier@example.org")
	sys := auth.Actor{User: &auth.User{Email: "test"}}
	council, firm := orgID(t, h, "buyer@example.org"), orgID(t, h, "supplier@example.org")
	now := h.now()
	tid, err := h.store.CreateTender(ctx, sys, tenders.Tender{BuyerOrgID: council, Title: "Highways maintenance", Description: "d", ValuePence: 6_000_000_00, Deadline: now.Add(time.Hour),
		WPrice: 40, WQuality: 40, WSV: 20, SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: 1, Procedure: tenders.ProcOpen, ContractType: tenders.ContractServices},
		func(int64) []byte { return []byte{1} }, now)
	if err != nil {
		t.Fatal(err)
	}
	_ = h.store.MoveTender(ctx, sys, tid, tenders.Published, now)
	ev, _ := strconv.ParseInt(userID(t, h, "evaluator@example.org"), 10, 64)
	_ = h.store.AssignEvaluators(ctx, sys, tid, []int64{ev}, now.Add(2*time.Hour))
	_ = h.store.SubmitMarks(ctx, auth.Actor{User: &auth.User{ID: ev, Email: "evaluator@example.org"}}, tid, nil, now.Add(2*time.Hour))
	if err := h.store.Moderate(ctx, sys, tid, nil, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	end, ok := tenders.StandstillEnd(now)
	if !ok {
		t.Fatal("no bank holiday table for today")
	}
	cid, err := h.store.AwardTender(ctx, sys, store.Award{TenderID: tid, SupplierID: firm, ValuePence: 6_000_000_00, Evaluation: "{}", Rationale: "r", StandstillEnd: end.Format(time.DateOnly)},
		contracts.Contract{BuyerOrgID: council, Title: "Highways maintenance", Start: now.Format(time.DateOnly), End: now.AddDate(2, 0, 0).Format(time.DateOnly)}, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	cpath := fmt.Sprintf("%s/contracts/%d", h.URL, cid)
	if _, body := get(t, h.client(t), cpath); !strings.Contains(body, "ending on "+end.Format("Monday 2 January 2006")) {
		t.Fatal("the contract page does not show the standstill end")
	}
	if r := post(t, supplier, cpath+"/enter", nil); r.StatusCode != 403 {
		t.Fatalf("supplier entered the contract: %d", r.StatusCode)
	}
	r, body := postBody(t, buyer, cpath+"/enter", nil)
	if r.StatusCode != 409 || !strings.Contains(body, "cannot be entered into during the standstill period") || !strings.Contains(body, end.Format("Monday 2 January 2006")) {
		t.Fatalf("entered during the standstill: %d", r.StatusCode)
	}
	if refused, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "contract.enter.refused"}); len(refused) == 0 {
		t.Error("the refused entry was not audited")
	}
	// The day after the standstill ends (London midnight) it can be entered into.
	h.advance(time.Date(end.Year(), end.Month(), end.Day()+1, 0, 1, 0, 0, tenders.London).Sub(now))
	buyer = h.signedIn(t, "buyer@example.org")
	if r := post(t, buyer, cpath+"/enter", nil); r.StatusCode != 303 {
		t.Fatalf("enter after the standstill: %d", r.StatusCode)
	}
	// £6m: the contract details notice needs three KPIs.
	if r, body := postBody(t, buyer, cpath+"/details-notice", nil); r.StatusCode != 422 || !strings.Contains(body, "requires at least 3 key performance indicators") {
		t.Fatalf("details notice without KPIs: %d", r.StatusCode)
	}
	kf := url.Values{"kpi_name_0": {"Potholes fixed in 24 hours"}, "kpi_target_0": {"95%"}, "kpi_measure_0": {"Share of reported potholes"},
		"kpi_name_1": {"Local labour"}, "kpi_target_1": {""}, "kpi_measure_1": {"Hours worked by GM residents"}}
	if r, body := postBody(t, buyer, cpath+"/kpis", kf); r.StatusCode != 422 || !strings.Contains(body, "Enter the target of KPI 2") || !strings.Contains(body, "Potholes fixed in 24 hours") {
		t.Fatalf("KPI without a target: %d", r.StatusCode)
	}
	kf.Set("kpi_target_1", "40% of hours")
	kf.Set("kpi_name_2", "Complaints answered")
	kf.Set("kpi_target_2", "Within 10 working days")
	kf.Set("kpi_measure_2", "Complaints log")
	if r := post(t, supplier, cpath+"/kpis", kf); r.StatusCode != 403 {
		t.Fatalf("supplier set KPIs: %d", r.StatusCode)
	}
	if r := post(t, buyer, cpath+"/kpis", kf); r.StatusCode != 303 {
		t.Fatalf("set KPIs: %d", r.StatusCode)
	}
	if r := post(t, buyer, cpath+"/details-notice", nil); r.StatusCode != 303 {
		t.Fatalf("details notice with three KPIs: %d", r.StatusCode)
	}
	// An assessment must rate every KPI and say what it found.
	af := url.Values{"period_end": {h.now().In(tenders.London).Format(time.DateOnly)}, "rating_0": {"good"}, "note_0": {"97% in March"}, "rating_1": {"excellent"}, "note_1": {"38%"}, "rating_2": {"inadequate"}}
	if r, body := postBody(t, buyer, cpath+"/assessments", af); r.StatusCode != 422 || !strings.Contains(body, "KPI 2 (Local labour): Choose a rating") || !strings.Contains(body, "KPI 3 (Complaints answered): Say what the assessment found") {
		t.Fatalf("bad assessment: %d", r.StatusCode)
	}
	af.Set("rating_1", "approaching")
	af.Set("note_2", "Half answered late")
	res := post(t, buyer, cpath+"/assessments", af)
	if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/notices/") {
		t.Fatalf("assessment: %d", res.StatusCode)
	}
	if r, body := get(t, h.client(t), h.URL+res.Header.Get("Location")); r.StatusCode != 200 || !strings.Contains(body, "Contract performance notice") || !strings.Contains(body, "Approaching target. 38%") {
		t.Fatalf("performance notice: %d", r.StatusCode)
	}
	if _, body := get(t, h.client(t), cpath); !strings.Contains(body, "Inadequate for the period to") || !strings.Contains(body, "Contract details notice") || !strings.Contains(body, "Next performance assessment") {
		t.Fatal("the contract page does not show the assessment and notices")
	}
	// Change and termination notices.
	if r, body := postBody(t, buyer, cpath+"/change", url.Values{"change": {"Two more wards"}, "new_value": {"-5"}}); r.StatusCode != 422 || !strings.Contains(body, "Enter the new contract value in pounds") {
		t.Fatalf("bad change: %d", r.StatusCode)
	}
	if r := post(t, buyer, cpath+"/change", url.Values{"change": {"Two more wards"}, "new_value": {"6500000"}}); r.StatusCode != 303 {
		t.Fatalf("change: %d", r.StatusCode)
	}
	if r := post(t, buyer, cpath+"/terminate", url.Values{"reason": {"Supplier insolvent"}}); r.StatusCode != 303 {
		t.Fatalf("terminate: %d", r.StatusCode)
	}
	ns, _ := h.store.TenderNotices(ctx, tid)
	var kinds []string
	for _, n := range ns {
		kinds = append(kinds, n.Kind)
	}
	if strings.Join(kinds, " ") != "UK6 UK7 UK9 UK10 UK11" {
		t.Fatalf("notices = %v", kinds)
	}
}
