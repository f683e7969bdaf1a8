package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/cli"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// TestMonetisedWorkedExampleThroughThePage runs the worked
// monetised example (internal/tenders/testdata/monetised-example.json:
// three bids, four measures linked to Unit Cost Database v1.4 unit costs in
// 2012/13 prices) through the web: a framework admin links the measures and
// publishes the edition, the buyer runs a monetised tender, three suppliers
// bid, an evaluator marks, the buyer moderates. The evaluation page, its
// JSON export and the export recomputed as 'svhub tenders evaluate' does
// (tenders.Evaluate on the file alone) all give the hand-computed result:
//
//	monetised commitments in 2012/13 pounds:
//	  A: 5×9,800 + 104×8,632 + 120,000×71 + 30×7 = 9,466,938
//	  B: 8×9,800 +  52×8,632 + 200,000×71 + 10×7 = 14,727,334 (highest)
//	  C fails the Real Living Wage gate and is excluded
//	A: price 40 × 900,000 ÷ 900,000 = 40; quality 25×4/5 + 15×3/5 = 29;
//	   social value 10 × 9466938/14727334 + 10 × 3/5 = 91516692/7363667;
//	   total 599609715/7363667 ≈ 81.4281
//	B: price 40 × 900,000 ÷ 1,000,000 = 36; quality 25 + 12 = 37;
//	   social value 10 + 8 = 18; total 91
func TestMonetisedWorkedExampleThroughThePage(t *testing.T) {
	h := newProxyHub(t)
	ctx := context.Background()
	admin := h.signedIn(t, "admin@example.org")

	// The framework admin links four measures and publishes the edition.
	res := post(t, admin, h.URL+"/admin/frameworks/1/editions", url.Values{"edition": {"2027"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new edition: %d", res.StatusCode)
	}
	draft, _ := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/frameworks/"), 10, 64)
	f, err := h.store.Framework(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, p := range f.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				ids[m.Code] = m.ID
			}
		}
	}
	// M1..M4 of the example: the measure code, its unit cost, its quantities for A, B, C.
	measures := []struct{ code, unitCost, a, b, c string }{
		{"GM-P3-02", "E&E1.0", "5", "8", "2"}, // shipped link
		{"GM-P1-04", "E&E2.0", "104", "52", "0"},
		{"GM-P3-05", "E&E1.6", "120000", "200000", "50000"},
		{"GM-P3-04", "E&E1.8", "30", "10", "40"},
	}
	for _, m := range measures[1:] {
		r := post(t, admin, fmt.Sprintf("%s/admin/frameworks/%d/measures/%d/links", h.URL, draft, ids[m.code]),
			url.Values{"link_source": {"unit-cost-database-1.4"}, "link_code": {m.unitCost}, "rationale": {"The worked example's unit cost for this measure."}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("link %s to %s: %d", m.code, m.unitCost, r.StatusCode)
		}
	}
	if r := post(t, admin, fmt.Sprintf("%s/admin/frameworks/%d/publish", h.URL, draft), url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", r.StatusCode)
	}

	// The buyer's monetised tender: price 40, quality 40 (Q1 25, Q2 15),
	// social value 20 with half for commitments, the Real Living Wage gate.
	buyer := h.signedIn(t, "buyer@example.org")
	london, _ := time.LoadLocation("Europe/London")
	form := url.Values{"buyer": {strconv.FormatInt(orgID(t, h, "buyer@example.org"), 10)}, "title": {"Worked example, monetised"}, "description": {"The issue's worked example."},
		"value": {"1000000"}, "deadline": {h.now().Add(2 * time.Hour).In(london).Format("2006-01-02T15:04")}, "w_price": {"40"}, "w_quality": {"40"}, "w_sv": {"20"},
		"criterion_title_0": {"Delivery"}, "criterion_weight_0": {"25"}, "criterion_title_1": {"Staffing"}, "criterion_weight_1": {"15"},
		"alpha": {"50"}, "method": {"monetised"}, "gates": {"rlw"}, "procedure": {"open"}, "contract_type": {"works"}}
	for _, m := range measures {
		form.Add("measures", strconv.FormatInt(ids[m.code], 10))
	}
	res, body := postBody(t, buyer, h.URL+"/tenders", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create tender: %d %s", res.StatusCode, errorSummary(body))
	}
	path := res.Header.Get("Location")
	if r := post(t, buyer, h.URL+path+"/state", url.Values{"to": {"published"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish tender: %d", r.StatusCode)
	}

	// Three suppliers bid; C's bidder is a supplier of a third organisation.
	third := thirdSupplier(t, h)
	bidders := []struct {
		email, price, rlw string
		qty               func(i int) string
	}{
		{"supplier@example.org", "900000", "yes", func(i int) string { return measures[i].a }},
		{"vcse-admin@example.org", "1000000", "yes", func(i int) string { return measures[i].b }},
		{third, "850000", "no", func(i int) string { return measures[i].c }},
	}
	orgs := make([]int64, len(bidders))
	for i, b := range bidders {
		orgs[i] = orgID(t, h, b.email)
		f := url.Values{"org": {strconv.FormatInt(orgs[i], 10)}, "price": {b.price}, "answer_Q1": {"Delivery plan"}, "answer_Q2": {"Staffing plan"},
			"sv_answer": {"Local jobs"}, "gate_rlw": {b.rlw}, "evidence_rlw": {"accredited"}}
		for j, m := range measures {
			f.Set("qty_"+m.code, b.qty(j))
			f.Set("plan_"+m.code, "plan")
		}
		if res, body := postBody(t, h.signedIn(t, b.email), h.URL+path+"/bid", f); res.StatusCode != http.StatusOK {
			t.Fatalf("bid by %s: %d %s", b.email, res.StatusCode, errorSummary(body))
		}
	}

	// After the deadline: one evaluator marks (A 4, 3, qualitative 3; B 5,
	// 4, 4; C 3, 3, 2) and the buyer records those marks as the consensus.
	h.advance(3 * time.Hour)
	if r := post(t, buyer, h.URL+path+"/evaluators", url.Values{"evaluators": {userID(t, h, "evaluator@example.org")}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign evaluator: %d", r.StatusCode)
	}
	marks := map[int64][3]string{orgs[0]: {"4", "3", "3"}, orgs[1]: {"5", "4", "4"}, orgs[2]: {"3", "3", "2"}}
	mf := url.Values{}
	for org, ms := range marks {
		for i, k := range []string{"Q1", "Q2", "SV"} {
			mf.Set(fmt.Sprintf("mark_%d_%s", org, k), ms[i])
			mf.Set(fmt.Sprintf("reason_%d_%s", org, k), "As in the worked example")
		}
	}
	if r, body := postBody(t, h.signedIn(t, "evaluator@example.org"), h.URL+path+"/marking", mf); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("marking: %d %s", r.StatusCode, errorSummary(body))
	}
	if r, body := postBody(t, buyer, h.URL+path+"/moderation", mf); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("moderation: %d %s", r.StatusCode, errorSummary(body))
	}

	// The page: totals to one decimal place, every monetised line naming its
	// unit cost, source, attribution and price year.
	_, page := get(t, buyer, h.URL+path+"/evaluation")
	for _, want := range []string{">81.4<", ">91.0<", ">36.0<", ">37.0<", ">18.0<", "E&amp;E1.0", "E&amp;E2.0", "E&amp;E1.6", "E&amp;E1.8", "in 2012/13 prices", ucdAttribution, "£14,727,334", "£9,466,938"} {
		if !strings.Contains(page, want) {
			t.Errorf("evaluation page lacks %q", want)
		}
	}

	// The pound values are gross, and the page says so; with an adjustment
	// configured it says what share is kept and that no score changes.
	if !strings.Contains(page, "The pound values below are not adjusted for deadweight or additionality") {
		t.Error("evaluation page does not say its values are not adjusted")
	}
	adj, err := proxies.ParseAdjustment("25", "10", "", "a local evaluation")
	if err != nil {
		t.Fatal(err)
	}
	h.srv.Adjust = adj
	_, adjusted := get(t, buyer, h.URL+path+"/evaluation")
	if !strings.Contains(adjusted, "net of deadweight 25% and displacement 10% (a local evaluation), which keeps 67.5% of each figure") || !strings.Contains(adjusted, ">81.4<") {
		t.Error("evaluation page with an adjustment does not explain it, or its scores changed")
	}

	// The award to B, and the contract in pounds. Commitments fall due at
	// the contract's end, in its second year: B's commitments are worth
	// 14,727,334 in 2012/13 pounds gross, × 27/40 = 9,940,950.45 net; at
	// the contract's start, ÷ 1.035 = × 200/207: 14,229,308.21 gross and
	// 9,604,783.04 net.
	if r, body := postBody(t, buyer, h.URL+path+"/award", url.Values{"winner": {"org-" + strconv.FormatInt(orgs[1], 10)}, "rationale": {"Highest total"},
		"start": {"2027-01-01"}, "end": {"2028-12-31"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("award: %d %s", r.StatusCode, errorSummary(body))
	}
	if _, body := get(t, buyer, h.URL+path+"/award"); !strings.Contains(body, "which keeps 67.5% of each figure") {
		t.Error("award page does not say its pound values are gross")
	}
	cs, err := h.store.ListContracts(ctx, store.ContractFilter{SupplierOrgID: orgs[1]})
	if err != nil {
		t.Fatal(err)
	}
	var cid int64
	for _, c := range cs {
		if c.Title == "Worked example, monetised" {
			cid = c.ID
		}
	}
	_, body = get(t, h.client(t), h.URL+"/contracts/"+itoa(cid))
	for _, want := range []string{`<td class="govuk-table__cell">2012/13</td><td class="govuk-table__cell govuk-table__cell--numeric">£14,727,334</td><td class="govuk-table__cell govuk-table__cell--numeric">£9,940,950</td>`,
		"<li>£14,229,308 in 2012/13 prices gross, £9,604,783 net</li>", ucdAttribution} {
		if !strings.Contains(body, want) {
			t.Errorf("contract page lacks %q", want)
		}
	}

	// The export, and the export recomputed from the file alone.
	_, raw := get(t, buyer, h.URL+path+"/evaluation.json")
	var ev tenders.Evaluation
	if err := json.Unmarshal([]byte(raw), &ev); err != nil {
		t.Fatalf("evaluation.json: %v", err)
	}
	published := ev.Results
	ev.Results = nil
	again, err := tenders.Evaluate(ev)
	if err != nil {
		t.Fatal(err)
	}
	name := func(id int64) string {
		o, err := h.store.OrganisationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return o.LegalName
	}
	want := map[string]struct {
		total *big.Rat
		rank  int
	}{name(orgs[0]): {big.NewRat(599609715, 7363667), 2}, name(orgs[1]): {big.NewRat(91, 1), 1}}
	// 'svhub tenders evaluate' on the downloaded file, as an auditor runs it.
	file := filepath.Join(t.TempDir(), "evaluation.json")
	if err := os.WriteFile(file, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := cli.Main([]string{"svhub", "tenders", "evaluate", file}, nil, &out, &errOut); code != 0 {
		t.Fatalf("svhub tenders evaluate: exit %d: %s", code, errOut.String())
	}
	var cliOut struct {
		Results []tenders.Result `json:"results"`
		Agree   bool             `json:"file_results_agree"`
	}
	if err := json.Unmarshal(out.Bytes(), &cliOut); err != nil || !cliOut.Agree {
		t.Fatalf("svhub tenders evaluate: agree %v, %v: %.300s", cliOut.Agree, err, out.String())
	}
	for name, rs := range map[string][]tenders.Result{"export": published, "recomputed": again, "svhub tenders evaluate": cliOut.Results} {
		if len(rs) != 3 {
			t.Fatalf("%s: %d results", name, len(rs))
		}
		for _, r := range rs {
			w, ok := want[r.Supplier]
			if !ok {
				if r.Compliant {
					t.Errorf("%s: C (%s) is compliant", name, r.Supplier)
				}
				continue
			}
			got, ok := new(big.Rat).SetString(r.Total)
			if !ok || got.Cmp(w.total) != 0 || r.Rank != w.rank {
				t.Errorf("%s: %s total %s rank %d, want %s rank %d", name, r.Supplier, r.Total, r.Rank, w.total.RatString(), w.rank)
			}
		}
	}
}

// thirdSupplier adds a supplier representative to a demo business that has
// no users yet, so a third organisation can bid.
func thirdSupplier(t *testing.T, h *hub) string {
	t.Helper()
	ctx := context.Background()
	taken := orgID(t, h, "supplier@example.org")
	list, _, err := h.store.ListOrganisations(ctx, orgs.Filter{Kind: orgs.Business, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range list {
		if o.ID == taken {
			continue
		}
		hash, err := h.srv.Auth.Hasher.Hash(ctx, pw)
		if err != nil {
			t.Fatal(err)
		}
		u, err := h.store.CreateVerifiedUser(ctx, "test", auth.User{Email: "third-supplier@example.org", Name: "Third Supplier", PasswordHash: hash})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.store.AddMember(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, o.ID, u.ID, auth.RoleSupplier); err != nil {
			t.Fatal(err)
		}
		return u.Email
	}
	t.Fatal("the demo has no second business")
	return ""
}

// errorSummary is the text of a page's error summary, for failure messages.
func errorSummary(body string) string {
	i := strings.Index(body, "govuk-error-summary")
	if i < 0 {
		return ""
	}
	return body[i:min(len(body), i+800)]
}
