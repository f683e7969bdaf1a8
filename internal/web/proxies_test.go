package web_test

import (
	"context"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/proxies"
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
	for _, want := range []string{"CR1.0", "Anti-social behaviour further action necessary (cost of dealing with incident)", "Per incident", "£500.00", "2002/03", "Police (Local authority)", "Fiscal", "674 in 7 themes", ucdAttribution, "is not cash", "Employment &amp; Economy"} {
		if !strings.Contains(body, want) {
			t.Errorf("source page lacks %q", want)
		}
	}
	_, body = get(t, c, h.URL+"/proxies/valuation-of-greenhouse-gas-emissions-2021")
	if !strings.Contains(body, "£241.00") || !strings.Contains(body, "Per tonne CO2e") || !strings.Contains(body, "1 in 1 theme, in the prices of 1 different year") {
		t.Error("carbon source page lacks its value")
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
