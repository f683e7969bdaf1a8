package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/spend"
)

func upload(t *testing.T, c *http.Client, base string, buyer int64, name, body string) *http.Response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("buyer", fmt.Sprint(buyer))
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(body))
	_ = mw.Close()
	res, err := c.Post(base+"/spend/upload", mw.FormDataContentType(), &b)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func TestSpendUploadPermissionsAndJob(t *testing.T) {
	h := newHub(t)
	manchester, _ := h.store.OrganisationBySlug(bg, "manchester-city-council")
	bolton, _ := h.store.OrganisationBySlug(bg, "bolton-council")
	file := "Date,Supplier,Amount\n01/04/2026,A Ltd,100.00\nbad,B,1\n"
	if res := upload(t, h.signedIn(t, "resident@example.org"), h.URL, manchester.ID, "f.csv", file); res.StatusCode != 403 {
		t.Fatalf("resident upload: %d", res.StatusCode)
	}
	buyer := h.signedIn(t, "buyer@example.org")
	if res := upload(t, buyer, h.URL, bolton.ID, "f.csv", file); res.StatusCode != 403 {
		t.Fatalf("upload for another council: %d", res.StatusCode)
	}
	res := upload(t, buyer, h.URL, manchester.ID, "f.csv", file)
	if res.StatusCode != 303 {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	// Run the queued job as a node's runner would.
	var id int64
	fmt.Sscanf(loc, "/spend/uploads/%d", &id)
	j, ok, err := h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
	if err != nil || !ok {
		t.Fatalf("no job queued: %v", err)
	}
	if err := app.SpendImport(h.store)(bg, j.Payload); err != nil {
		t.Fatal(err)
	}
	_, page := get(t, buyer, h.URL+loc)
	if !strings.Contains(page, "1 imported, 1 rejected") || !strings.Contains(page, "is not in a recognised form") {
		t.Fatalf("status page:\n%s", page)
	}
	// Another council's officer cannot see it; the public analysis shows it.
	if r, _ := get(t, h.signedIn(t, "supplier@example.org"), h.URL+loc); r.StatusCode != 403 {
		t.Fatalf("a supplier saw the import: %d", r.StatusCode)
	}
	if r, page := get(t, h.client(t), h.URL+"/spend?buyer=manchester-city-council"); r.StatusCode != 200 || !strings.Contains(page, "A Ltd") {
		t.Fatalf("public analysis: %d", r.StatusCode)
	}
	// A file that is not a spend file fails the upload with the reason.
	res = upload(t, buyer, h.URL, manchester.ID, "people.csv", "name,address\nx,y\n")
	j, _, _ = h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
	if err := app.SpendImport(h.store)(bg, j.Payload); err != nil {
		t.Fatal(err)
	}
	if _, page := get(t, buyer, h.URL+res.Header.Get("Location")); !strings.Contains(page, "not a spend file") {
		t.Fatalf("failed upload page:\n%s", page)
	}
}

func TestSpendSupplierPages(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	res, page := get(t, c, h.URL+"/spend/suppliers?buyer=manchester-city-council&q=irwell")
	if res.StatusCode != 200 || !strings.Contains(page, "Irwell Valley Joinery Ltd") || strings.Contains(page, "Bury Market Logistics") {
		t.Fatalf("search: %d", res.StatusCode)
	}
	// A payee-name address moves to its organisation's once matched.
	res, _ = get(t, c, h.URL+"/spend/suppliers/irwell%20valley%20joinery?buyer=manchester-city-council")
	joinery, _ := h.store.OrganisationBySlug(bg, "irwell-valley-joinery-ltd")
	if want := fmt.Sprintf("/spend/suppliers/org-%d?buyer=manchester-city-council", joinery.ID); res.StatusCode != 301 || res.Header.Get("Location") != want {
		t.Fatalf("old address: %d %q, want 301 to %s", res.StatusCode, res.Header.Get("Location"), want)
	}
	res, page = get(t, c, h.URL+res.Header.Get("Location"))
	if res.StatusCode != 200 || !strings.Contains(page, "Payments (newest first") || strings.Count(page, "govuk-table__row") < 3 {
		t.Fatalf("supplier page: %d", res.StatusCode)
	}
	res, page = get(t, c, h.URL+"/spend/suppliers/redacted?buyer=manchester-city-council")
	if res.StatusCode != 200 || strings.Contains(page, ">REDACTED<") || !strings.Contains(page, "Redacted payee") {
		t.Fatalf("redacted page: %d", res.StatusCode)
	}
	if res, _ := get(t, c, h.URL+"/spend/suppliers/no%20such%20supplier?buyer=manchester-city-council"); res.StatusCode != 404 {
		t.Fatalf("unknown supplier: %d", res.StatusCode)
	}
	if res, _ := get(t, c, h.URL+"/spend?from=yesterday"); res.StatusCode != 422 {
		t.Fatalf("bad date: %d", res.StatusCode)
	}
}

func TestSpendDownloads(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	res, body := get(t, c, h.URL+"/spend/suppliers.csv?buyer=manchester-city-council")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if res.StatusCode != 200 || !strings.HasPrefix(lines[0], "rank,supplier,net_pence") || !strings.HasSuffix(lines[0], ",report_placed_share,report_provisional") || len(lines) < 40 || strings.Contains(body, "REDACTED") {
		t.Fatalf("csv: %d %d lines", res.StatusCode, len(lines))
	}
	res, body = get(t, c, h.URL+"/spend/report.json?buyer=manchester-city-council")
	if res.StatusCode != 200 || !strings.Contains(body, `"total_net_pence"`) || !strings.Contains(body, `"by_service"`) || !strings.Contains(body, `"placed_share":`) || !strings.Contains(body, `"provisional":`) || !strings.Contains(body, `"known":`) {
		t.Fatalf("json: %d", res.StatusCode)
	}
}

func TestSpendResolveConfirmRejectUndo(t *testing.T) {
	h := newHub(t)
	for _, who := range []string{"resident@example.org", "supplier@example.org"} {
		if r, _ := get(t, h.signedIn(t, who), h.URL+"/spend/resolve"); r.StatusCode != 403 {
			t.Fatalf("%s saw the resolution page: %d", who, r.StatusCode)
		}
	}
	buyer := h.signedIn(t, "buyer@example.org")
	_, page := get(t, buyer, h.URL+"/spend/resolve")
	for _, want := range []string{"Irwel Valley Joinery", "Medlock Facilities Managment Ltd", "Northern Quarter Digitial"} {
		if !strings.Contains(page, want) {
			t.Fatalf("candidate %q missing:\n%s", want, page)
		}
	}
	joinery, _ := h.store.OrganisationBySlug(bg, "irwell-valley-joinery-ltd")
	medlock, _ := h.store.OrganisationBySlug(bg, "medlock-facilities-management-ltd")
	if joinery.ID == 0 || medlock.ID == 0 {
		t.Fatal("demo organisations not found by slug")
	}
	key := spendKey
	// No state change on GET; an unknown decision is refused.
	if r := post(t, buyer, h.URL+"/spend/resolve", url.Values{"key": {key("Irwel Valley Joinery")}, "org": {fmt.Sprint(joinery.ID)}, "decision": {"merge"}}); r.StatusCode != 422 && r.StatusCode != 400 {
		t.Fatalf("bad decision: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+"/spend/resolve", url.Values{"key": {key("Irwel Valley Joinery")}, "org": {fmt.Sprint(joinery.ID)}, "score": {"0.7"}, "decision": {"confirmed"}, "name": {"Irwel Valley Joinery"}}); r.StatusCode != 303 {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+"/spend/resolve", url.Values{"key": {key("Medlock Facilities Managment Ltd")}, "org": {fmt.Sprint(medlock.ID)}, "score": {"0.8"}, "decision": {"rejected"}, "name": {"Medlock Facilities Managment Ltd"}}); r.StatusCode != 303 {
		t.Fatalf("reject: %d", r.StatusCode)
	}
	_, page = get(t, buyer, h.URL+"/spend/resolve")
	_, rest, _ := strings.Cut(page, ">Possible matches</caption>") // after any flash message
	offered, decisions, _ := strings.Cut(rest, ">Decisions</caption>")
	if strings.Contains(offered, "Irwel Valley Joinery") || strings.Contains(offered, "Medlock Facilities Managment Ltd") || !strings.Contains(offered, "Northern Quarter Digitial") {
		t.Fatal("decided candidates are still offered, or the undecided one is not")
	}
	if !strings.Contains(decisions, "Irwel Valley Joinery") || !strings.Contains(decisions, "Medlock Facilities Managment Ltd") {
		t.Fatal("decisions should name the payees as written")
	}
	// The confirmed spelling now counts as the organisation in the public analysis.
	// The spelling joins the organisation's row (Irwell Valley Joinery is in
	// Salford: elsewhere in GM for Manchester).
	rep := reportJSON(t, h)
	if _, alone := rep[key("Irwel Valley Joinery")]; alone || rep[fmt.Sprintf("org-%d", joinery.ID)] != "gm" {
		t.Fatalf("confirmed spelling not grouped under its organisation: %v", rep)
	}
	_, page = get(t, h.client(t), h.URL+fmt.Sprintf("/spend/suppliers/org-%d?buyer=manchester-city-council", joinery.ID))
	if !strings.Contains(page, "1,250") {
		t.Fatalf("the organisation's payments should include the confirmed spelling's:\n%s", page)
	}
	// Undo both; the confirmed spelling becomes its own unknown supplier again.
	links, _ := h.store.SupplierLinks(bg)
	for _, l := range links {
		if r := post(t, buyer, h.URL+fmt.Sprintf("/spend/resolve/%d/undo", l.ID), nil); r.StatusCode != 303 {
			t.Fatalf("undo: %d", r.StatusCode)
		}
	}
	if rep := reportJSON(t, h); rep[key("Irwel Valley Joinery")] != "unknown" {
		t.Fatalf("after undo the spelling should be unknown, got %q", rep[key("Irwel Valley Joinery")])
	}
	if r := post(t, h.signedIn(t, "resident@example.org"), h.URL+"/spend/resolve", url.Values{"key": {"x"}, "org": {fmt.Sprint(joinery.ID)}, "decision": {"confirmed"}}); r.StatusCode != 403 {
		t.Fatalf("resident decided: %d", r.StatusCode)
	}
}

// reportJSON maps each supplier key in Manchester's public report to its
// location class.
func reportJSON(t *testing.T, h *hub) map[string]string {
	t.Helper()
	_, body := get(t, h.client(t), h.URL+"/spend/report.json?buyer=manchester-city-council&top=1000")
	var rep struct {
		Report struct {
			Top []struct{ Key, Location string } `json:"top"`
		} `json:"report"`
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("report json: %v", err)
	}
	out := map[string]string{}
	for _, s := range rep.Report.Top {
		out[s.Key] = s.Location
	}
	return out
}

func spendKey(s string) string { return spend.NormaliseSupplier(s) }

func TestSpendFiltersByServiceAndCategory(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	_, all := get(t, c, h.URL+"/spend?buyer=manchester-city-council")
	if !strings.Contains(all, "Spend with placed suppliers, by ward") || strings.Contains(all, "No supplier paid in this period is placed in a ward") || !strings.Contains(all, `data-geojson="/geo/wards.geojson"`) {
		t.Fatal("ward map and table missing or empty")
	}
	if !strings.Contains(all, `<option value="Adults">Adults</option>`) || !strings.Contains(all, `<option value="Services">Services</option>`) {
		t.Fatal("filter choices missing")
	}
	total := func(q string) int64 {
		_, body := get(t, c, h.URL+"/spend/report.json?buyer=manchester-city-council"+q)
		var r struct {
			Report struct {
				Total int64 `json:"total_net_pence"`
			} `json:"report"`
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return r.Report.Total
	}
	var sum int64
	for _, d := range []string{"Adults", "Children%27s%20Services", "Neighbourhoods", "Growth%20and%20Development", "Corporate%20Core"} {
		part := total("&service=" + d)
		if part <= 0 {
			t.Fatalf("%s: %d", d, part)
		}
		sum += part
	}
	if everything := total(""); sum != everything || total("&category=Services") != everything {
		t.Fatalf("service areas sum to %d, all spend is %d", sum, everything)
	}
	res, page := get(t, c, h.URL+"/spend?buyer=manchester-city-council&service=Nowhere")
	if res.StatusCode != 422 || !strings.Contains(page, "Choose a service area this body has paid from") || !strings.Contains(page, `id="service-error"`) {
		t.Fatalf("unknown service: %d\n%s", res.StatusCode, page)
	}
}

// TestRespendSurvey: a buyer surveys its top local suppliers; a supplier on
// the hub answers; the LM3 page shows the answer's effect.
func TestRespendSurvey(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	b, _ := h.store.OrganisationByID(ctx, orgID(t, h, "buyer@example.org"))
	if r, _ := get(t, h.signedIn(t, "resident@example.org"), h.URL+"/spend/surveys?buyer="+b.Slug); r.StatusCode != 403 {
		t.Fatalf("resident opened surveys: %d", r.StatusCode)
	}
	if r, _ := get(t, buyer, h.URL+"/spend/surveys?buyer="+b.Slug); r.StatusCode != 200 {
		t.Fatalf("surveys page: %d", r.StatusCode)
	}
	res := post(t, buyer, h.URL+"/spend/surveys", url.Values{"buyer": {b.Slug}, "from": {"1990-01-01"}, "to": {"2100-12-31"}, "top": {"300"}})
	if res.StatusCode != 303 {
		t.Fatalf("create survey: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	var id int64
	fmt.Sscanf(path, "/spend/surveys/%d", &id)
	sv, err := h.store.Survey(ctx, id)
	if err != nil || len(sv.Suppliers) == 0 {
		t.Fatalf("survey: %v %d", err, len(sv.Suppliers))
	}
	var asked spend.SurveySupplier
	for _, x := range sv.Suppliers {
		if x.Status == spend.SurveySent && x.Location == "district" {
			asked = x
			break
		}
	}
	if asked.OrgID == 0 {
		t.Skip("no directory supplier based in the district among the demo's top suppliers")
	}
	_, before := get(t, buyer, h.URL+path)
	// Someone who does not act for the supplier cannot answer for it.
	answer := url.Values{"wage_share": {"50"}, "wage_district": {"80"}, "wage_gm": {"90"}, "purchase_share": {"30"}, "purchase_district": {"50"}, "purchase_gm": {"70"}}
	if r := post(t, buyer, h.URL+fmt.Sprintf("%s/answer/%s", path, url.PathEscape(asked.Key)), answer); r.StatusCode != 403 {
		t.Fatalf("the buyer answered for a supplier: %d", r.StatusCode)
	}
	members, _ := h.store.MembersOfOrg(ctx, asked.OrgID)
	u, _ := h.store.UserByEmail(ctx, "business-admin@example.org")
	if len(members) == 0 {
		_ = h.store.AddMember(ctx, auth.Actor{User: &auth.User{Email: "test"}}, asked.OrgID, u.ID, auth.RoleSupplier)
	} else {
		u, _ = h.store.UserByEmail(ctx, members[0].Email)
		_ = h.store.AddMember(ctx, auth.Actor{User: &auth.User{Email: "test"}}, asked.OrgID, u.ID, auth.RoleSupplier)
	}
	sup := h.signedIn(t, u.Email)
	bad := url.Values{"wage_share": {"70"}, "wage_district": {"80"}, "wage_gm": {"70"}, "purchase_share": {"40"}, "purchase_district": {"x"}, "purchase_gm": {"70"}}
	if res, body := postBody(t, sup, h.URL+fmt.Sprintf("%s/answer/%s", path, url.PathEscape(asked.Key)), bad); res.StatusCode != 422 || !strings.Contains(body, "cannot be more than 100%") || !strings.Contains(body, "cannot be smaller") {
		t.Fatalf("bad answer: %d", res.StatusCode)
	}
	if r := post(t, sup, h.URL+fmt.Sprintf("%s/answer/%s", path, url.PathEscape(asked.Key)), answer); r.StatusCode != 303 {
		t.Fatalf("answer: %d", r.StatusCode)
	}
	_, after := get(t, buyer, h.URL+path)
	if before == after || !strings.Contains(after, "from 1 answers") {
		t.Fatal("the answer did not change the LM3 page")
	}
}

// A buyer whose files name hundreds of categories (Trafford's free-text
// purposes) gets a text box for the category, not a drop-down of every one;
// an exact category filters, anything else is an error that keeps the text.
func TestSpendManyCategoriesTyped(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	ctx := context.Background()
	council, err := h.store.OrganisationBySlug(ctx, "manchester-city-council")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("Date,Supplier,Amount,Purpose\n")
	for i := range 300 {
		fmt.Fprintf(&b, "%02d/01/2020,Payee %d,%d.00,Purpose number %d\n", 1+i%28, i, 10+i, i)
	}
	res, err := spend.Read(strings.NewReader(b.String()), "purposes.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.ImportSpend(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, council.ID, res, "purposes"); err != nil {
		t.Fatal(err)
	}
	_, page := get(t, c, h.URL+"/spend?buyer=manchester-city-council")
	if !strings.Contains(page, `<input class="govuk-input govuk-!-width-two-thirds" id="category" name="category" type="text" value=""`) || strings.Contains(page, `<option value="Purpose number 7">`) {
		t.Fatal("category not offered as a text box")
	}
	if !strings.Contains(page, `<select class="govuk-select" id="service" name="service">`) {
		t.Fatal("the short list of service areas should stay a drop-down")
	}
	_, one := get(t, c, h.URL+"/spend/report.json?buyer=manchester-city-council&from=2020-01-01&to=2020-01-31&category=Purpose+number+7")
	if !strings.Contains(one, `"total_net_pence": 1700,`) {
		t.Fatalf("typed category did not filter: %s", one)
	}
	r, bad := get(t, c, h.URL+"/spend?buyer=manchester-city-council&category=Purpose+number")
	if r.StatusCode != 422 || !strings.Contains(bad, "Enter a category exactly as this body") || !strings.Contains(bad, `value="Purpose number"`) {
		t.Fatalf("unknown typed category: %d", r.StatusCode)
	}
}
