package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

const ucdAttribution = "Unit Cost Database © Greater Manchester Combined Authority, Creative Commons Attribution 4.0"

func newProxyHub(t *testing.T) *hub {
	t.Helper()
	s := storetest.SQLite(t)
	if err := app.EnsureProxies(context.Background(), s, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	return newHubOn(t, s)
}

func TestProxyPages(t *testing.T) {
	h := newProxyHub(t)
	c := h.client(t)

	res, body := get(t, c, h.URL+"/proxies")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/proxies: %d", res.StatusCode)
	}
	for _, want := range []string{`href="/proxies/unit-cost-database-1.4"`, "Valuation of greenhouse gas emissions", ">674<", ucdAttribution, "Open Government Licence v3.0", "No price index has been loaded", `href="/proxies/explained"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/proxies lacks %q", want)
		}
	}

	res, body = get(t, c, h.URL+"/proxies/unit-cost-database-1.4")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("source page: %d", res.StatusCode)
	}
	if n := strings.Count(body, `<tr class="govuk-table__row"><td class="govuk-table__cell">`); n != 674 {
		t.Errorf("source page lists %d values, want 674", n)
	}
	for _, want := range []string{"CR1.0", "Anti-social behaviour further action necessary (cost of dealing with incident)", "Per incident", "£500", "2002/03", "Police (Local authority)", "Fiscal", "674 in 7 themes", ucdAttribution, "is not cash", "Employment &amp; Economy"} {
		if !strings.Contains(body, want) {
			t.Errorf("source page lacks %q", want)
		}
	}
	_, body = get(t, c, h.URL+"/proxies/valuation-of-greenhouse-gas-emissions-2021")
	if !strings.Contains(body, "£241") || !strings.Contains(body, "Per tonne CO2e") || !strings.Contains(body, "1 in 1 theme, in the prices of 1 different year") {
		t.Error("carbon source page lacks its value")
	}
	res, body = get(t, c, h.URL+"/proxies/unit-cost-database-1.4/csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || strings.Count(body, "\n") != 675 || !strings.Contains(body, "CR1.0,ANTI-SOCIAL BEHAVIOUR") || !strings.Contains(body, ucdAttribution) {
		t.Errorf("CSV export: %d, %d lines", res.StatusCode, strings.Count(body, "\n"))
	}
	if res, _ := get(t, c, h.URL+"/proxies/no-such-source"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown source: %d", res.StatusCode)
	}

	_, body = get(t, c, h.URL+"/proxies/explained")
	for _, want := range []string{"A fiscal saving is not cash", "deadweight", "GDP deflator", ucdAttribution} {
		if !strings.Contains(body, want) {
			t.Errorf("explainer lacks %q", want)
		}
	}
	_, body = get(t, c, h.URL+"/about")
	if !strings.Contains(body, ucdAttribution) || !strings.Contains(body, `href="/proxies"`) {
		t.Error("/about lacks the Unit Cost Database attribution")
	}
}

func TestLicensedProxiesAreNeverPublic(t *testing.T) {
	h := newProxyHub(t)
	admin := auth.Actor{User: &auth.User{Email: "licensee", IsAdmin: true}}
	toms := proxies.Edition{Source: proxies.Source{Name: "National TOMs", Publisher: "Social Value Portal", Edition: "2024", Licence: "CC BY-NC-ND 4.0", Attribution: "National TOMs © Social Value Portal", LicensedOnly: true},
		Values: []proxies.Value{{Code: "NT1", Theme: "Jobs", Description: "Local person employed", Unit: "Per person per year", Pence: 4242424, PriceYear: "2024", Kind: proxies.Economic}}}
	if _, err := h.store.ImportProxyEdition(context.Background(), admin, toms); err != nil {
		t.Fatal(err)
	}
	ix := proxies.Index{Name: "GDP deflator", Source: "HM Treasury", Published: "2026-09-30", Years: map[string]*big.Rat{"2013/14": big.NewRat(90, 1), "2020/21": big.NewRat(110, 1)}}
	if _, _, err := h.store.ImportPriceIndex(context.Background(), admin, ix); err != nil {
		t.Fatal(err)
	}
	anon := h.client(t)
	for _, path := range []string{"/proxies", "/about", "/proxies/explained"} {
		_, body := get(t, anon, h.URL+path)
		if strings.Contains(body, "National TOMs ©") || strings.Contains(body, "national-toms-2024") {
			t.Errorf("%s shows the licensed source", path)
		}
	}
	if res, _ := get(t, h.signedIn(t, "admin@example.org"), h.URL+"/proxies/national-toms-2024/csv"); res.StatusCode != http.StatusNotFound {
		t.Errorf("licensed source exported: %d", res.StatusCode)
	}
	if res, _ := get(t, anon, h.URL+"/proxies/national-toms-2024"); res.StatusCode != http.StatusNotFound {
		t.Errorf("licensed source page for the public: %d", res.StatusCode)
	}
	_, body := get(t, anon, h.URL+"/proxies")
	if !strings.Contains(body, "GDP deflator, published 2026-09-30 (HM Treasury): 2 years, 2013/14 to 2020/21") {
		t.Error("/proxies does not list the price index")
	}
	ed := h.signedIn(t, "admin@example.org")
	res, body := get(t, ed, h.URL+"/proxies/national-toms-2024")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "never published") || !strings.Contains(body, "£42,424.24") {
		t.Errorf("a framework editor cannot see the licensed source: %d", res.StatusCode)
	}
}

func TestFrameworkAdminLinksMeasureToUnitCost(t *testing.T) {
	h := newProxyHub(t)
	ctx := context.Background()
	admin := h.signedIn(t, "admin@example.org")
	list, err := h.store.ListFrameworks(ctx)
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	// The demo's GM edition is published with the shipped links; the
	// framework page says which unit cost each measure uses and why.
	pub := list[0]
	_, body := get(t, h.client(t), h.URL+"/frameworks/"+itoa(pub.ID))
	for _, want := range []string{`href="/proxies/unit-cost-database-1.4">E&amp;E1.0</a>`, "£9,800 Per claimant per year (2012/13 prices)", "Why: A full-time equivalent job", ucdAttribution, "No open proxy: counted in its own unit"} {
		if !strings.Contains(body, want) {
			t.Errorf("framework page lacks %q", want)
		}
	}
	// Links are edited on a draft edition.
	res := post(t, admin, h.URL+"/admin/frameworks/"+itoa(pub.ID)+"/editions", url.Values{"edition": {"2027"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new edition: %d", res.StatusCode)
	}
	list, _ = h.store.ListFrameworks(ctx)
	var draft int64
	for _, f := range list {
		if f.Edition == "2027" {
			draft = f.ID
		}
	}
	f, _ := h.store.Framework(ctx, draft)
	var mid int64
	for _, p := range f.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				if m.Code == "GM-P1-04" {
					mid = m.ID
				}
			}
		}
	}
	base := h.URL + "/admin/frameworks/" + itoa(draft) + "/measures/" + itoa(mid)
	_, body = get(t, admin, base)
	if !strings.Contains(body, "This measure has no unit cost yet") || !strings.Contains(body, `<option value="unit-cost-database-1.4">Unit Cost Database, edition 1.4</option>`) {
		t.Fatal("measure page lacks the link form")
	}
	// The rationale is required; an unknown code is named.
	res, err = admin.PostForm(base+"/links", url.Values{"link_source": {"unit-cost-database-1.4"}, "link_code": {"E&E2.0"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "Explain why this unit cost fits the measure") || !strings.Contains(string(b), `href="#rationale"`) {
		t.Fatalf("no rationale: %d", res.StatusCode)
	}
	res, _ = admin.PostForm(base+"/links", url.Values{"link_source": {"unit-cost-database-1.4"}, "link_code": {"XX9"}, "rationale": {"because"}})
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), "has no unit cost with the code") || !strings.Contains(string(b), `href="#link_code"`) {
		t.Fatalf("unknown code: %d", res.StatusCode)
	}
	why := "A person facing barriers who is employed for a year and was claiming Employment and Support Allowance."
	res = post(t, admin, base+"/links", url.Values{"link_source": {"unit-cost-database-1.4"}, "link_code": {"E&E2.0"}, "rationale": {why}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("link: %d", res.StatusCode)
	}
	_, body = get(t, admin, base)
	if !strings.Contains(body, "Why: "+why) || !strings.Contains(body, "£8,632 Per claimant per year, in 2012/13 prices") || !strings.Contains(body, ucdAttribution) {
		t.Fatal("the link is not shown on the measure page")
	}
	f, _ = h.store.Framework(ctx, draft)
	var uid int64
	for _, p := range f.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				if m.ID == mid && len(m.Links) == 1 {
					uid = m.Links[0].UnitCostID
				}
			}
		}
	}
	if uid == 0 {
		t.Fatal("link not stored")
	}
	// Only framework editors may link; a published edition cannot change.
	if res := post(t, h.signedIn(t, "resident@example.org"), base+"/links", url.Values{"link_source": {"unit-cost-database-1.4"}, "link_code": {"E&E1.0"}, "rationale": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a resident linked a measure: %d", res.StatusCode)
	}
	res = post(t, admin, base+"/links/"+itoa(uid)+"/delete", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlink: %d", res.StatusCode)
	}
	_, body = get(t, admin, base)
	if !strings.Contains(body, "This measure has no unit cost yet") {
		t.Fatal("link not removed")
	}
	if res := post(t, admin, h.URL+"/admin/frameworks/"+itoa(draft)+"/publish", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	if res := post(t, admin, base+"/links", url.Values{"link_source": {"unit-cost-database-1.4"}, "link_code": {"E&E1.0"}, "rationale": {"x"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("linked a published edition's measure: %d", res.StatusCode)
	}
}

func TestMonetisedTenderUsesLinkedUnitCosts(t *testing.T) {
	h := newProxyHub(t)
	ctx := context.Background()
	buyer := h.signedIn(t, "buyer@example.org")
	f, err := h.store.Framework(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, p := range f.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				ids[m.Code] = itoa(m.ID)
			}
		}
	}
	form := tenderForm(t, h, h.now().Add(2*time.Hour).Truncate(time.Minute))
	form.Set("method", "monetised")
	// A job for a long-term unemployed resident is priced in 2012/13
	// prices, carbon in 2020 prices: they cannot be added without an index.
	form["measures"] = []string{ids["GM-P3-02"], ids["GM-P5-01"]}
	if res, body := postBody(t, buyer, h.URL+"/tenders", form); res.StatusCode != 422 || !strings.Contains(body, "different years&#39; prices (2012/13 and 2020) without an uplift index") {
		t.Fatalf("mixed price years: %d", res.StatusCode)
	}
	form["measures"] = []string{ids["GM-P3-02"]}
	res := post(t, buyer, h.URL+"/tenders", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("monetised tender: %d", res.StatusCode)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/tenders/"), 10, 64)
	tn, err := h.store.Tender(ctx, id, h.now())
	if err != nil {
		t.Fatal(err)
	}
	m := tn.Measures[0]
	if m.ProxyPence != 980000 || m.ProxyPriceYear != "2012/13" || !strings.Contains(m.ProxySource, "Unit Cost Database 1.4, E&E1.0") || !strings.Contains(m.ProxySource, ucdAttribution) {
		t.Fatalf("tender measure = %+v", m)
	}
}

func TestContractPageShowsPounds(t *testing.T) {
	h := newProxyHub(t)
	ctx := context.Background()
	list, err := h.store.ListContracts(ctx, store.ContractFilter{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range list {
		cms, err := h.store.Commitments(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, cm := range cms {
			if cm.MeasureCode != "GM-P5-01" {
				continue
			}
			// By hand: the carbon value is £241 a tonne in 2020 prices.
			committed := proxies.RoundHalfAway(big.NewRat(cm.QuantityMilli*241, 1000)).Int64()
			verified := proxies.RoundHalfAway(big.NewRat(cm.VerifiedMilli*241, 1000)).Int64()
			_, body := get(t, h.client(t), h.URL+"/contracts/"+itoa(c.ID))
			row := "<td class=\"govuk-table__cell\">2020</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">" + gbpText(committed) + "</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">" + gbpText(verified) + "</td>"
			if !strings.Contains(body, "Social value in pounds") || !strings.Contains(body, row) || !strings.Contains(body, "£241 each, counted in tonnes CO2e, in 2020 prices") {
				t.Fatalf("contract %d page lacks %s", c.ID, row)
			}
			if !strings.Contains(body, "counted only in their own units") && !strings.Contains(body, "counted only in its own units") {
				t.Errorf("contract %d page does not say which commitments have no unit value", c.ID)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("the demo has no contract committing to GM-P5-01")
	}
}

// gbpText is whole pounds with thousands separators, as the pages show them.
func gbpText(pounds int64) string {
	s := strconv.FormatInt(pounds, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return "£" + b.String()
}

func TestContractsDashboardShowsPounds(t *testing.T) {
	h := newProxyHub(t)
	ctx := context.Background()
	list, err := h.store.ListContracts(ctx, store.ContractFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: every demo commitment to GM-P5-01, at £241 a tonne.
	var committed, verified int64
	for _, c := range list {
		cms, _ := h.store.Commitments(ctx, c.ID)
		for _, cm := range cms {
			if cm.MeasureCode == "GM-P5-01" {
				committed += cm.QuantityMilli
				verified += cm.VerifiedMilli
			}
		}
	}
	if committed == 0 {
		t.Fatal("the demo has no carbon commitments")
	}
	// The delivery CSV carries each commitment's value with its price year.
	_, csvBody := get(t, h.client(t), h.URL+"/contracts/delivery.csv")
	lines := strings.Split(strings.TrimSpace(csvBody), "\n")
	if !strings.Contains(lines[0], ",unit_value_pence,price_year,committed_value_pence,verified_value_pence,unit_value_source,") {
		t.Fatalf("delivery CSV header = %s", lines[0])
	}
	found := false
	for _, l := range lines[1:] {
		if strings.Contains(l, ",GM-P5-01,") {
			found = true
			if !strings.Contains(l, ",24100,2020,") {
				t.Errorf("carbon line lacks its value: %s", l)
			}
		}
	}
	if !found {
		t.Error("delivery CSV has no carbon commitment")
	}
	_, body := get(t, h.client(t), h.URL+"/contracts")
	row := "<td class=\"govuk-table__cell\">2020</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">" + gbpText(proxies.RoundHalfAway(big.NewRat(committed*241, 1000)).Int64()) +
		"</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">" + gbpText(proxies.RoundHalfAway(big.NewRat(verified*241, 1000)).Int64()) + "</td>"
	if !strings.Contains(body, "Social value in pounds") || !strings.Contains(body, row) || !strings.Contains(body, "measures have no open unit value") {
		t.Fatalf("/contracts lacks %s", row)
	}
}

func TestFrameworkAPICarriesUnitCosts(t *testing.T) {
	h := newProxyHub(t)
	_, body := get(t, h.client(t), h.URL+"/api/v1/frameworks/1")
	var doc struct {
		Priorities []struct {
			Outcomes []struct {
				Measures []struct {
					Code      string `json:"code"`
					UnitCosts []struct {
						Source, Code, PriceYear, Attribution, Rationale, Kind string
						Pence                                                 int64
					} `json:"unit_costs"`
				} `json:"measures"`
			} `json:"outcomes"`
		} `json:"priorities"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%v: %.200s", err, body)
	}
	seen := 0
	for _, p := range doc.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				switch m.Code {
				case "GM-P3-02":
					u := m.UnitCosts
					if len(u) != 1 || u[0].Source != "unit-cost-database-1.4" || u[0].Code != "E&E1.0" || u[0].Pence != 980000 || u[0].Attribution != ucdAttribution || u[0].Rationale == "" || u[0].Kind != "fiscal" {
						t.Errorf("GM-P3-02 unit costs = %+v", u)
					}
					seen++
				case "GM-P4-01":
					if m.UnitCosts == nil || len(m.UnitCosts) != 0 {
						t.Errorf("GM-P4-01 unit costs = %+v", m.UnitCosts)
					}
					seen++
				}
			}
		}
	}
	if seen != 2 {
		t.Fatalf("measures not found in %.300s", body)
	}
}

func TestMonetisedTenderWithPriceIndex(t *testing.T) {
	h := newProxyHub(t)
	ctx := context.Background()
	ix := proxies.Index{Name: "GDP deflator", Source: "HM Treasury", Published: "2026-09-30", Years: map[string]*big.Rat{"2012/13": big.NewRat(88, 1), "2020": big.NewRat(110, 1)}}
	if _, _, err := h.store.ImportPriceIndex(ctx, auth.Actor{User: &auth.User{Email: "admin", IsAdmin: true}}, ix); err != nil {
		t.Fatal(err)
	}
	buyer := h.signedIn(t, "buyer@example.org")
	f, _ := h.store.Framework(ctx, 1)
	ids := map[string]string{}
	for _, p := range f.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				ids[m.Code] = itoa(m.ID)
			}
		}
	}
	_, body := get(t, buyer, h.URL+"/tenders/new")
	if !strings.Contains(body, `<option value="GDP deflator | 2026-09-30">GDP deflator, published 2026-09-30 (HM Treasury), 2012/13 to 2020</option>`) {
		t.Fatal("the tender form does not offer the price index")
	}
	form := tenderForm(t, h, h.now().Add(2*time.Hour).Truncate(time.Minute))
	form.Set("method", "monetised")
	form["measures"] = []string{ids["GM-P3-02"], ids["GM-P5-01"]}
	form.Set("uplift_index", "GDP deflator | 2026-09-30")
	form.Set("uplift_year", "2024")
	if res, body := postBody(t, buyer, h.URL+"/tenders", form); res.StatusCode != 422 || !strings.Contains(body, "The GDP deflator has no value for 2024; it runs from 2012/13 to 2020") {
		t.Fatalf("a year the index lacks: %d", res.StatusCode)
	}
	form.Set("uplift_year", "2020")
	res := post(t, buyer, h.URL+"/tenders", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("monetised tender with an index: %d", res.StatusCode)
	}
	path := res.Header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/tenders/"), 10, 64)
	tn, err := h.store.Tender(ctx, id, h.now())
	if err != nil {
		t.Fatal(err)
	}
	if tn.Uplift == nil || tn.Uplift.PriceYear != "2020" || tn.Uplift.Years["2012/13"] != "88" {
		t.Fatalf("tender uplift = %+v", tn.Uplift)
	}
	// The edit form keeps the choice.
	_, body = get(t, buyer, h.URL+path+"/edit")
	if !strings.Contains(body, `<option value="GDP deflator | 2026-09-30" selected>`) || !strings.Contains(body, `value="2020"`) {
		t.Fatal("the edit form lost the price index")
	}
}
