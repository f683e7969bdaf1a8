package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

func postBody(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

func orgID(t *testing.T, h *hub, name string) int64 {
	t.Helper()
	u, err := h.store.UserByEmail(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := h.store.MembershipsOfUser(context.Background(), u.ID)
	if err != nil || len(ms) == 0 {
		t.Fatalf("memberships of %s: %v", name, err)
	}
	return ms[0].OrgID
}

func userID(t *testing.T, h *hub, email string) string {
	u, err := h.store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(u.ID, 10)
}

// tenderForm is a valid tender using the published People's Weights.
func tenderForm(t *testing.T, h *hub, deadline time.Time) url.Values {
	ctx := context.Background()
	rounds, _ := h.store.ListRounds(ctx)
	var round int64
	for _, r := range rounds {
		if r.Status == priorities.Published {
			round = r.ID
		}
	}
	if round == 0 {
		t.Fatal("demo has no published People's Weights")
	}
	f, _ := h.store.Framework(ctx, 1)
	var measures []string
	for _, p := range f.Priorities[:3] {
		measures = append(measures, strconv.FormatInt(p.Outcomes[0].Measures[0].ID, 10))
	}
	london, _ := time.LoadLocation("Europe/London")
	return url.Values{"buyer": {strconv.FormatInt(orgID(t, h, "buyer@example.org"), 10)}, "title": {"Library refurbishment"}, "description": {"Refit two libraries."},
		"value": {"750000"}, "deadline": {deadline.In(london).Format("2006-01-02T15:04")}, "w_price": {"40"}, "w_quality": {"40"}, "w_sv": {"20"},
		"criterion_title_0": {"Approach"}, "criterion_weight_0": {"25"}, "criterion_title_1": {"Team"}, "criterion_weight_1": {"15"},
		"weights_round": {strconv.FormatInt(round, 10)}, "measures": measures, "alpha": {"50"}, "method": {"relative"}, "gates": {"rlw"},
		// A works contract below the £5,193,000 threshold: a short tendering period is only warned about.
		"procedure": {"open"}, "contract_type": {"works"}}
}

func bidForm(tn tenders.Tender, org int64, price string, qty string, rlw string) url.Values {
	f := url.Values{"org": {strconv.FormatInt(org, 10)}, "price": {price}, "answer_Q1": {"Our approach SECRET-ANSWER-" + price}, "answer_Q2": {"Our team"},
		"sv_answer": {"Local jobs"}, "gate_rlw": {rlw}, "evidence_rlw": {"accredited"}}
	for _, m := range tn.Measures {
		f.Set("qty_"+m.Code, qty)
		f.Set("plan_"+m.Code, "plan")
	}
	return f
}

// TestProcurementLifecycle drives a tender from creation to verified
// delivery through the HTTP interface, checking at each step that sealed
// bids stay sealed and that refusals are refused.
func TestProcurementLifecycle(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	supplier := h.signedIn(t, "supplier@example.org")
	vcse := h.signedIn(t, "vcse-admin@example.org")
	admin := h.signedIn(t, "admin@example.org")
	resident := h.signedIn(t, "resident@example.org")
	deadline := h.now().Add(2 * time.Hour).Truncate(time.Minute)

	// Bad tenders re-render with specific errors.
	bad := tenderForm(t, h, deadline)
	bad.Set("w_price", "50")
	if res, body := postBody(t, buyer, h.URL+"/tenders", bad); res.StatusCode != 422 || !strings.Contains(body, "must sum to 100; they sum to 110") || !strings.Contains(body, "Library refurbishment") {
		t.Fatalf("weights not summing to 100: %d", res.StatusCode)
	}
	bad = tenderForm(t, h, deadline)
	bad.Set("w_sv", "5")
	bad.Set("w_quality", "55")
	bad.Set("criterion_weight_0", "40")
	if res, body := postBody(t, buyer, h.URL+"/tenders", bad); res.StatusCode != 422 || !strings.Contains(body, "at least the policy minimum of 10%") {
		t.Fatalf("social value under the minimum: %d", res.StatusCode)
	}
	if res := post(t, supplier, h.URL+"/tenders", tenderForm(t, h, deadline)); res.StatusCode != 403 {
		t.Fatalf("supplier created a tender: %d", res.StatusCode)
	}
	res := post(t, buyer, h.URL+"/tenders", tenderForm(t, h, deadline))
	if res.StatusCode != 303 {
		t.Fatalf("create tender: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
	if r, _ := get(t, h.client(t), h.URL+path); r.StatusCode != 404 {
		t.Fatalf("draft visible to the public: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	if r, body := get(t, h.client(t), h.URL+path); r.StatusCode != 200 || !strings.Contains(body, "People&#39;s Weights from") {
		t.Fatalf("public tender page: %d", r.StatusCode)
	}
	tn, err := h.store.Tender(ctx, id, h.now())
	if err != nil {
		t.Fatal(err)
	}
	sup, vc := orgID(t, h, "supplier@example.org"), orgID(t, h, "vcse-admin@example.org")

	// Bad bids are refused with field errors and nothing is stored.
	for name, c := range map[string]struct{ field, msg string }{
		"negative":    {"qty_" + tn.Measures[0].Code, "cannot be negative"},
		"non-numeric": {"qty_" + tn.Measures[0].Code, "is not a number"},
		"zero price":  {"price", "more than zero"},
		"no gate":     {"gate_rlw", "Say whether your organisation"},
	} {
		f := bidForm(tn, sup, "912345", "5", "yes")
		switch name {
		case "negative":
			f.Set(c.field, "-3")
		case "non-numeric":
			f.Set(c.field, "lots")
		case "zero price":
			f.Set("price", "0")
		case "no gate":
			f.Del("gate_rlw")
		}
		if res, body := postBody(t, supplier, h.URL+path+"/bid", f); res.StatusCode != 422 || !strings.Contains(body, c.msg) {
			t.Errorf("%s: %d, want 422 with %q", name, res.StatusCode, c.msg)
		}
	}
	if bids, _ := h.store.OrgBids(ctx, id, sup); len(bids) != 0 {
		t.Fatalf("a refused bid was stored")
	}
	// Two suppliers bid; one resubmits. Each gets a receipt with the SHA-256.
	var receipts []string
	for _, b := range []struct {
		c     *http.Client
		f     url.Values
		canon string
	}{{supplier, bidForm(tn, sup, "912345", "5", "yes"), ""}, {supplier, bidForm(tn, sup, "876543", "8", "yes"), ""}, {vcse, bidForm(tn, vc, "990123", "2", "yes"), ""}} {
		res, body := postBody(t, b.c, h.URL+path+"/bid", b.f)
		m := regexp.MustCompile(`id="receipt-sha">([0-9a-f]{64})<`).FindStringSubmatch(body)
		if res.StatusCode != 200 || m == nil {
			t.Fatalf("bid: %d %s", res.StatusCode, body[:min(len(body), 400)])
		}
		receipts = append(receipts, m[1])
	}
	own, _ := h.store.OrgBids(ctx, id, sup)
	if len(own) != 2 || own[0].Version != 2 || own[0].SHA256 != receipts[1] {
		t.Fatalf("versions: %+v", own)
	}
	// The stored bid is ciphertext: the answer text is not in the table.
	if bytes.Contains(own[0].Sealed, []byte("SECRET-ANSWER")) {
		t.Fatal("bid body stored in clear")
	}

	// Before the deadline nobody but the bidder can read any part of a bid.
	for _, who := range []struct {
		name string
		c    *http.Client
	}{{"buyer", buyer}, {"admin", admin}, {"evaluator", h.signedIn(t, "evaluator@example.org")}, {"other bidder", vcse}, {"resident", resident}} {
		for _, u := range []string{path + "/bids", fmt.Sprintf("%s/bids/%d", path, sup), path + "/evaluation", path + "/evaluation.json", path + "/marking", path + "/moderation", "/api/v1/tenders/" + strconv.FormatInt(id, 10), "/ocds.json"} {
			r, body := get(t, who.c, h.URL+u)
			if strings.Contains(body, "SECRET-ANSWER") || strings.Contains(body, "876543") || strings.Contains(body, "850,000") {
				t.Errorf("%s read bid content at %s before the deadline (%d)", who.name, u, r.StatusCode)
			}
			if strings.Contains(u, "/bids") && r.StatusCode != 403 {
				t.Errorf("%s GET %s before the deadline: %d, want 403", who.name, u, r.StatusCode)
			}
		}
	}
	if r, body := get(t, supplier, h.URL+fmt.Sprintf("%s/bids/%d", path, sup)); r.StatusCode != 200 || !strings.Contains(body, "SECRET-ANSWER-876543") {
		t.Fatalf("bidder reads own bid: %d", r.StatusCode)
	}
	refusals, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "bid.view.refused"})
	if len(refusals) == 0 {
		t.Error("early bid access was not audited")
	}

	// After the deadline: late bids refused; the buyer's people read bids.
	h.advance(3 * time.Hour)
	if res, body := postBody(t, supplier, h.URL+path+"/bid", bidForm(tn, sup, "1", "1", "yes")); res.StatusCode != 409 || !strings.Contains(body, "not accepting bids") {
		t.Fatalf("late bid: %d", res.StatusCode)
	}
	if r, body := get(t, buyer, h.URL+path+"/bids"); r.StatusCode != 200 || !strings.Contains(body, "876,543") || strings.Contains(body, "912,345") {
		t.Fatalf("bids after deadline: %d", r.StatusCode)
	}
	if r, _ := get(t, vcse, h.URL+fmt.Sprintf("%s/bids/%d", path, sup)); r.StatusCode != 403 {
		t.Fatalf("another bidder read a rival bid after the deadline: %d", r.StatusCode)
	}
	if r, _ := get(t, admin, h.URL+path+"/bids"); r.StatusCode != 403 {
		t.Fatalf("hub admin read bids: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+path+"/evaluators", url.Values{"evaluators": {userID(t, h, "evaluator@example.org"), userID(t, h, "council-admin@example.org")}}); r.StatusCode != 303 {
		t.Fatalf("assign evaluators: %d", r.StatusCode)
	}
	e1, e2 := h.signedIn(t, "evaluator@example.org"), h.signedIn(t, "council-admin@example.org")
	marks := func(q1 map[int64]string, reason string) url.Values {
		f := url.Values{}
		for org, m := range q1 {
			for _, k := range []string{"Q1", "Q2", "SV"} {
				f.Set(fmt.Sprintf("mark_%d_%s", org, k), m)
				f.Set(fmt.Sprintf("reason_%d_%s", org, k), reason)
			}
		}
		return f
	}
	// Missing reasons are refused with field errors.
	incomplete := marks(map[int64]string{sup: "4", vc: "3"}, "")
	if res, body := postBody(t, e1, h.URL+path+"/marking", incomplete); res.StatusCode != 422 || !strings.Contains(body, "Give a reason") {
		t.Fatalf("marks without reasons: %d", res.StatusCode)
	}
	if r := post(t, e1, h.URL+path+"/marking", marks(map[int64]string{sup: "4", vc: "3"}, "E1-REASON")); r.StatusCode != 303 {
		t.Fatalf("evaluator 1 marks: %d", r.StatusCode)
	}
	// Evaluator 2 cannot see evaluator 1's marks before submitting.
	if _, body := get(t, e2, h.URL+path+"/marking"); strings.Contains(body, "E1-REASON") {
		t.Fatal("an evaluator saw another's marks before submitting")
	}
	if r, _ := get(t, buyer, h.URL+path+"/marking"); r.StatusCode != 403 {
		t.Fatalf("non-evaluator marking page: %d", r.StatusCode)
	}
	if r := post(t, e2, h.URL+path+"/marking", marks(map[int64]string{sup: "5", vc: "3"}, "E2-REASON")); r.StatusCode != 303 {
		t.Fatalf("evaluator 2 marks: %d", r.StatusCode)
	}
	if _, body := get(t, e2, h.URL+path+"/marking"); !strings.Contains(body, "E1-REASON") {
		t.Fatal("after submitting, an evaluator should see the others' marks")
	}
	// Moderation defaults to the mean (9/2 for the supplier).
	r, body := get(t, buyer, h.URL+path+"/moderation")
	if r.StatusCode != 200 || !strings.Contains(body, `value="4.5"`) {
		t.Fatalf("moderation form: %d", r.StatusCode)
	}
	mod := url.Values{}
	for _, org := range []int64{sup, vc} {
		for _, k := range []string{"Q1", "Q2", "SV"} {
			mean := map[int64]string{sup: "9/2", vc: "3"}[org]
			mod.Set(fmt.Sprintf("mark_%d_%s", org, k), mean)
			mod.Set(fmt.Sprintf("reason_%d_%s", org, k), "Mean")
		}
	}
	if r := post(t, buyer, h.URL+path+"/moderation", mod); r.StatusCode != 303 {
		t.Fatalf("moderate: %d", r.StatusCode)
	}
	// Marking after moderation is refused (403) and audited.
	if r := post(t, e2, h.URL+path+"/marking", marks(map[int64]string{sup: "1", vc: "1"}, "late")); r.StatusCode != 403 {
		t.Fatalf("marking after moderation: %d", r.StatusCode)
	}
	if refused, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "tender.marks.submit.refused"}); len(refused) == 0 {
		t.Error("marking after moderation was not audited")
	}
	// Evaluation page and export; the export recomputes to the same result.
	if r, body := get(t, buyer, h.URL+path+"/evaluation"); r.StatusCode != 200 || !strings.Contains(body, "Every number in") {
		t.Fatalf("evaluation page: %d", r.StatusCode)
	}
	r, body = get(t, buyer, h.URL+path+"/evaluation.json")
	var ev tenders.Evaluation
	if r.StatusCode != 200 || json.Unmarshal([]byte(body), &ev) != nil || len(ev.Results) != 2 {
		t.Fatalf("evaluation.json: %d %s", r.StatusCode, body[:min(200, len(body))])
	}
	again, err := tenders.Evaluate(ev)
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if again[i].Total != ev.Results[i].Total || again[i].Rank != ev.Results[i].Rank {
			t.Fatalf("recomputed %s: %s/%d, exported %s/%d", again[i].Bid, again[i].Total, again[i].Rank, ev.Results[i].Total, ev.Results[i].Rank)
		}
	}
	winner := tenders.BidKey(sup)
	if ev.Results[0].Bid != winner || ev.Results[0].Rank != 1 {
		t.Fatalf("supplier should rank first: %+v", ev.Results)
	}
	if r, _ := get(t, resident, h.URL+path+"/evaluation.json"); r.StatusCode != 403 {
		t.Fatalf("resident read the evaluation export: %d", r.StatusCode)
	}
	today := h.now().Format(time.DateOnly)
	if r := post(t, buyer, h.URL+path+"/award", url.Values{"winner": {winner}, "rationale": {"Best value"}, "standstill_end": {today}, "start": {today}, "end": {h.now().AddDate(1, 0, 0).Format(time.DateOnly)}}); r.StatusCode != 303 {
		t.Fatalf("award: %d", r.StatusCode)
	}
	aw, err := h.store.AwardOf(ctx, id)
	if err != nil || aw.SupplierID != sup {
		t.Fatalf("award: %v %+v", err, aw)
	}
	if msgs, _ := h.store.ListOutbox(ctx, "vcse-admin@example.org", 5); len(msgs) == 0 || !strings.Contains(msgs[0].Subject, "not successful") {
		t.Fatalf("the unsuccessful bidder was not told: %+v", msgs)
	}
	if msgs, _ := h.store.ListOutbox(ctx, "supplier@example.org", 5); len(msgs) == 0 || !strings.Contains(msgs[0].Subject, "You have been awarded") {
		t.Fatalf("the winner was not told: %+v", msgs)
	}
	// The unsuccessful bidder sees its assessment summary; the public sees scores only.
	if _, body := get(t, vcse, h.URL+path+"/award"); !strings.Contains(body, "Your assessment summary") {
		t.Fatal("unsuccessful bidder has no assessment summary")
	} else if !strings.Contains(body, "criterion by criterion") || !strings.Contains(body, "Approach") || !strings.Contains(body, "No standstill: below the threshold") {
		t.Fatal("the assessment summary lacks the winner's points per criterion, or the award page the standstill")
	}
	if _, body := get(t, h.client(t), h.URL+path+"/award"); strings.Contains(body, "Your assessment summary") || strings.Contains(body, "SECRET-ANSWER") {
		t.Fatal("public award page shows confidential content")
	}

	// Delivery: the supplier reports, another organisation may not.
	cpath := fmt.Sprintf("/contracts/%d", aw.ContractID)
	cms, _ := h.store.Commitments(ctx, aw.ContractID)
	if len(cms) != 3 {
		t.Fatalf("commitments: %d", len(cms))
	}
	rep := url.Values{"period_start": {today}, "period_end": {today}}
	for i, c := range cms[:2] {
		rep.Set(fmt.Sprintf("qty_%d", c.ID), []string{"3", "2"}[i])
		rep.Set(fmt.Sprintf("evidence_%d", c.ID), "timesheets")
		rep.Set(fmt.Sprintf("attributable_%d", c.ID), "1")
		rep.Set(fmt.Sprintf("additional_%d", c.ID), "1")
	}
	if r := post(t, vcse, h.URL+cpath+"/report", rep); r.StatusCode != 403 {
		t.Fatalf("another organisation reported on the contract: %d", r.StatusCode)
	}
	if refused, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "delivery.report.refused"}); len(refused) == 0 {
		t.Error("refused report not audited")
	}
	noDecl := url.Values{"period_start": {today}, "period_end": {today}, fmt.Sprintf("qty_%d", cms[0].ID): {"1"}, fmt.Sprintf("evidence_%d", cms[0].ID): {"x"}}
	if res, body := postBody(t, supplier, h.URL+cpath+"/report", noDecl); res.StatusCode != 422 || !strings.Contains(body, "attributable only to this contract") {
		t.Fatalf("report without declarations: %d", res.StatusCode)
	}
	if r := post(t, supplier, h.URL+cpath+"/report", rep); r.StatusCode != 303 {
		t.Fatalf("report: %d", r.StatusCode)
	}
	lines, _ := h.store.DeliveryLines(ctx, aw.ContractID)
	if r := post(t, buyer, h.URL+fmt.Sprintf("%s/lines/%d", cpath, lines[0].ID), url.Values{"decision": {"verified"}}); r.StatusCode != 303 {
		t.Fatalf("verify: %d", r.StatusCode)
	}
	if res, _ := postBody(t, buyer, h.URL+fmt.Sprintf("%s/lines/%d", cpath, lines[1].ID), url.Values{"decision": {"rejected"}}); res.StatusCode != 422 {
		t.Fatalf("reject without a reason: %d", res.StatusCode)
	}
	if r := post(t, buyer, h.URL+fmt.Sprintf("%s/lines/%d", cpath, lines[1].ID), url.Values{"decision": {"rejected"}, "note": {"No evidence"}}); r.StatusCode != 303 {
		t.Fatalf("reject: %d", r.StatusCode)
	}
	if r := post(t, supplier, h.URL+fmt.Sprintf("%s/lines/%d", cpath, lines[1].ID), url.Values{"decision": {"verified"}}); r.StatusCode != 403 {
		t.Fatalf("supplier verified its own line: %d", r.StatusCode)
	}
	if r := post(t, resident, h.URL+fmt.Sprintf("%s/lines/%d/concerns", cpath, lines[0].ID), url.Values{"concern": {"I know this didn't happen"}}); r.StatusCode != 303 {
		t.Fatalf("concern: %d", r.StatusCode)
	}
	if msgs, _ := h.store.ListOutbox(ctx, "buyer@example.org", 5); len(msgs) == 0 || !strings.Contains(msgs[0].Body, "I know this didn't happen") {
		t.Fatalf("the buyer was not told about the concern: %+v", msgs)
	}
	if r := post(t, h.client(t), h.URL+fmt.Sprintf("%s/lines/%d/concerns", cpath, lines[0].ID), url.Values{"concern": {"x"}}); r.StatusCode != 401 && r.StatusCode != 403 {
		t.Fatalf("anonymous concern: %d", r.StatusCode)
	}
	lines, _ = h.store.DeliveryLines(ctx, aw.ContractID)
	concern := lines[0].Concerns[0].ID
	if r := post(t, resident, h.URL+fmt.Sprintf("%s/concerns/%d/response", cpath, concern), url.Values{"response": {"x"}}); r.StatusCode != 403 {
		t.Fatalf("a resident answered for the buyer: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+fmt.Sprintf("%s/concerns/%d/response", cpath, concern), url.Values{"response": {"We checked the timesheets with the college."}}); r.StatusCode != 303 {
		t.Fatalf("respond: %d", r.StatusCode)
	}
	r, body = get(t, h.client(t), h.URL+cpath)
	if !strings.Contains(body, "We checked the timesheets with the college.") {
		t.Fatal("the buyer's response is not public")
	}
	if r.StatusCode != 200 || !strings.Contains(body, "I know this didn&#39;t happen") || !strings.Contains(body, "Verified") || !strings.Contains(body, "Rejected") {
		t.Fatalf("public contract page: %d", r.StatusCode)
	}
	cms, _ = h.store.Commitments(ctx, aw.ContractID)
	verified := int64(0)
	for _, c := range cms {
		verified += c.VerifiedMilli
	}
	if verified != 3000 {
		t.Fatalf("verified total %d, want 3000 (only the verified line counts)", verified)
	}
	// Every state change above is in the audit chain, which still verifies.
	if _, err := h.store.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	evs, _ := h.store.ListAudit(ctx, store.AuditFilter{ObjectType: "tender"})
	seen := map[string]bool{}
	for _, e := range evs {
		seen[e.Action] = true
	}
	for _, a := range []string{"tender.create", "tender.published", "bid.submit", "tender.evaluators", "tender.marks.submit", "tender.moderate", "tender.award"} {
		if !seen[a] {
			t.Errorf("no audit event %s", a)
		}
	}
}

func TestProcurementAPI(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	c := h.client(t)
	_, body := get(t, c, h.URL+"/api/v1/tenders?per_page=100")
	var list struct {
		Items []struct {
			ID     int64  `json:"id"`
			Title  string `json:"title"`
			Status string `json:"status"`
			Bids   *int   `json:"bids"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || list.Total != 15 {
		t.Fatalf("tenders: %v %d %s", err, list.Total, body[:min(300, len(body))])
	}
	for _, it := range list.Items {
		if it.Title == "Community meals service" {
			t.Fatal("a draft tender is on the API")
		}
		if it.Status == "published" && it.Bids != nil {
			t.Fatal("the bid count of an open tender is on the API")
		}
	}
	if r, _ := get(t, c, h.URL+"/api/v1/tenders/1"); r.StatusCode != 404 {
		t.Fatalf("draft tender by id: %d", r.StatusCode)
	}
	// A contract that is not the demo supplier's own.
	contracts, _ := h.store.ListContracts(ctx, store.ContractFilter{})
	ct := contracts[0]
	for _, c := range contracts {
		if c.SupplierID != orgID(t, h, "supplier@example.org") {
			ct = c
			break
		}
	}
	r, body := get(t, c, h.URL+fmt.Sprintf("/api/v1/contracts/%d", ct.ID))
	var cb struct {
		Commitments []struct {
			ID int64 `json:"id"`
		} `json:"commitments"`
		Verified []struct {
			Quantity string `json:"quantity"`
		} `json:"verified_delivery"`
	}
	if err := json.Unmarshal([]byte(body), &cb); err != nil || r.StatusCode != 200 || len(cb.Commitments) == 0 || len(cb.Verified) == 0 {
		t.Fatalf("contract: %d %v", r.StatusCode, err)
	}
	lines, _ := h.store.DeliveryLines(ctx, ct.ID)
	verified := 0
	for _, l := range lines {
		if l.Status == "verified" {
			verified++
		}
	}
	if len(cb.Verified) != verified || verified == len(lines) {
		t.Fatalf("API shows %d lines, %d verified of %d", len(cb.Verified), verified, len(lines))
	}
	if r, body := get(t, c, h.URL+fmt.Sprintf("/api/v1/tenders/%d/award", ct.TenderID)); r.StatusCode != 200 || !strings.Contains(body, `"scores"`) || strings.Contains(body, "answers") {
		t.Fatalf("award: %d", r.StatusCode)
	}

	// A supplier's system reports delivery with a personal token.
	token := func(email string) string {
		user := h.signedIn(t, email)
		_, page := postBody(t, user, h.URL+"/account/tokens", url.Values{"name": {"delivery script"}})
		return regexp.MustCompile(`id="new-token">([^<]+)<`).FindStringSubmatch(page)[1]
	}
	send := func(tok, body string) (int, string) {
		req, _ := http.NewRequest("POST", h.URL+fmt.Sprintf("/api/v1/contracts/%d/reports", ct.ID), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(b)
	}
	report := fmt.Sprintf(`{"period_start":"2026-07-01","period_end":"2026-09-30","lines":[{"commitment":%d,"quantity":"4.5","evidence":"timesheets","attributable":true,"additional":true}]}`, cb.Commitments[0].ID)
	// supplier@ is not this contract's supplier: refused and audited.
	other := token("supplier@example.org")
	if code, _ := send(other, report); code != 403 {
		t.Fatalf("someone else's contract: %d", code)
	}
	sup, _ := h.store.UserByEmail(ctx, "business-admin@example.org")
	if err := h.store.AddMember(ctx, auth.Actor{User: &auth.User{Email: "test"}}, ct.SupplierID, sup.ID, auth.RoleSupplier); err != nil {
		t.Fatal(err)
	}
	mine := token("business-admin@example.org")
	bad := fmt.Sprintf(`{"period_start":"2026-07-01","period_end":"2026-09-30","lines":[{"commitment":%d,"quantity":"-1","evidence":"","attributable":false,"additional":true}]}`, cb.Commitments[0].ID)
	if code, body := send(mine, bad); code != 422 || !strings.Contains(body, "lines[0].quantity") {
		t.Fatalf("bad report: %d %s", code, body)
	}
	if code, body := send(mine, report); code != 201 || !strings.Contains(body, `"report"`) {
		t.Fatalf("report: %d %s", code, body)
	}
}

func TestTenderDocuments(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	upload := func(tender int, name string, content []byte) (int, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		fw, _ := w.CreateFormFile("document", name)
		_, _ = fw.Write(content)
		_ = w.Close()
		req, _ := http.NewRequest("POST", h.URL+fmt.Sprintf("/tenders/%d/upload", tender), &b)
		req.Header.Set("Content-Type", w.FormDataContentType())
		res, err := buyer.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(body)
	}
	if code, _ := upload(2, "specification.txt", []byte("Mow twice a month.")); code != 303 {
		t.Fatalf("upload: %d", code)
	}
	docs, _ := h.store.TenderDocuments(ctx, 2)
	if len(docs) != 1 {
		t.Fatalf("documents: %d", len(docs))
	}
	if r, body := get(t, h.client(t), h.URL+fmt.Sprintf("/tenders/2/documents/%d", docs[0].ID)); r.StatusCode != 200 || body != "Mow twice a month." {
		t.Fatalf("download: %d %q", r.StatusCode, body)
	}
	if code, body := upload(2, "tool.exe", []byte("MZ")); code != 422 || !strings.Contains(body, "not an allowed type") {
		t.Fatalf("disallowed type: %d", code)
	}
	if code, body := upload(2, "big.pdf", bytes.Repeat([]byte("x"), 6<<20)); code != 422 || !strings.Contains(body, "larger than the 5 MB limit") {
		t.Fatalf("too large: %d", code)
	}
	if code, _ := upload(3, "late.pdf", []byte("%PDF")); code != 403 {
		t.Fatalf("upload to a closed tender: %d", code)
	}
	if refused, _ := h.store.ListAudit(ctx, store.AuditFilter{Action: "tender.document.add.refused"}); len(refused) != 1 {
		t.Fatalf("refused upload audited %d times", len(refused))
	}
}

// TestBidAttachments: files attached to answers are sealed with the bid,
// listed in its canonical form, carried into a resubmission, and opened
// only under the bid's rules.
func TestBidAttachments(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	supplier := h.signedIn(t, "supplier@example.org")
	res := post(t, buyer, h.URL+"/tenders", tenderForm(t, h, h.now().Add(2*time.Hour)))
	path := res.Header.Get("Location")
	if r := post(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != 303 {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
	tn, _ := h.store.Tender(ctx, id, h.now())
	sup := orgID(t, h, "supplier@example.org")
	send := func(f url.Values, files map[string][2]string) (int, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for k, vs := range f {
			for _, v := range vs {
				_ = w.WriteField(k, v)
			}
		}
		for field, nc := range files {
			fw, _ := w.CreateFormFile(field, nc[0])
			_, _ = fw.Write([]byte(nc[1]))
		}
		_ = w.Close()
		req, _ := http.NewRequest("POST", h.URL+path+"/bid", &b)
		req.Header.Set("Content-Type", w.FormDataContentType())
		res, err := supplier.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(body)
	}
	if code, body := send(bidForm(tn, sup, "500000", "3", "yes"), map[string][2]string{"attachment_Q1": {"virus.exe", "MZ"}}); code != 422 || !strings.Contains(body, "not an allowed type") || !strings.Contains(body, "SECRET-ANSWER-500000") {
		t.Fatalf("disallowed attachment: %d", code)
	}
	secret := "METHOD-STATEMENT-CONFIDENTIAL"
	if code, _ := send(bidForm(tn, sup, "500000", "3", "yes"), map[string][2]string{"attachment_Q1": {"method.txt", secret}}); code != 200 {
		t.Fatalf("bid with attachment: %d", code)
	}
	// Resubmitting without a file keeps the one already attached.
	if code, _ := send(bidForm(tn, sup, "490000", "3", "yes"), nil); code != 200 {
		t.Fatalf("resubmission: %d", code)
	}
	own, _ := h.store.OrgBids(ctx, id, sup)
	wrapped, _ := h.store.TenderKey(ctx, id)
	content, err := h.sealer.OpenBid(tn, wrapped, sup, own[0].Version, own[0].Sealed, tenders.Opening{Now: h.now(), OwnBid: true})
	if err != nil || content.Attachments["Q1"].Name != "method.txt" || own[0].SHA256 != tenders.Digest(content.Canonical()) {
		t.Fatalf("latest version lost its attachment: %v %+v", err, content.Attachments)
	}
	sha := content.Attachments["Q1"].SHA256
	box, _ := h.store.SealedBidFile(ctx, id, sup, sha)
	if bytes.Contains(box, []byte(secret)) {
		t.Fatal("attachment stored in clear")
	}
	fileURL := fmt.Sprintf("%s%s/bids/%d/files/%s", h.URL, path, sup, sha)
	if r, body := get(t, supplier, fileURL); r.StatusCode != 200 || body != secret {
		t.Fatalf("bidder downloads own file: %d", r.StatusCode)
	}
	if r, body := get(t, buyer, fileURL); r.StatusCode != 403 || strings.Contains(body, secret) {
		t.Fatalf("buyer downloaded an attachment before the deadline: %d", r.StatusCode)
	}
	h.advance(3 * time.Hour)
	if r, body := get(t, buyer, fileURL); r.StatusCode != 200 || body != secret {
		t.Fatalf("buyer after the deadline: %d", r.StatusCode)
	}
	if r, _ := get(t, h.signedIn(t, "vcse-admin@example.org"), fileURL); r.StatusCode != 403 {
		t.Fatalf("another bidder downloaded the attachment: %d", r.StatusCode)
	}
}
