package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// The /spend page keeps its report part rendered with the built report,
// so a repeated request renders only the layout and the form around it;
// the next request after an import, a confirmed supplier match or a new
// buyer's first import shows the new figures. On both engines.
func TestSpendPageShowsNewFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHubOn(t, s)
		ctx := context.Background()
		admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		const page = "/spend?buyer=manchester-city-council"
		showBuyer := func(slug string) string {
			t.Helper()
			res, body := get(t, h.client(t), h.URL+"/spend?buyer="+slug)
			if res.StatusCode != 200 {
				t.Fatalf("/spend for %s: %d", slug, res.StatusCode)
			}
			return body
		}
		show := func() string { t.Helper(); return showBuyer("manchester-city-council") }
		first := show()
		h0, m0 := h.srv.SpendReportLookups()
		second := show()
		h1, m1 := h.srv.SpendReportLookups()
		if m1 != m0 || h1 == h0 {
			t.Fatalf("the second request built again: hits %d -> %d, misses %d -> %d", h0, h1, m0, m1)
		}
		if first != second {
			t.Fatal("the kept page differs from the first one rendered")
		}
		if !strings.Contains(first, "£10,313,834.14 in 403 payments to 49 suppliers") {
			t.Fatalf("demo figures missing:\n%.2000s", first)
		}
		// The form shows the period as typed, each time: an empty period
		// and the default one are one report but not one form.
		for _, from := range []string{"2025-04-01", "1990-01-01", ""} {
			for range 2 {
				_, body := get(t, h.client(t), h.URL+page+"&from="+from)
				if !strings.Contains(body, `name="from" type="text" value="`+from+`"`) {
					t.Fatalf("from=%q: the form does not show it:\n%.3000s", from, body)
				}
			}
		}
		// Filters are checked even when the page for the buyer is kept.
		if res, body := get(t, h.client(t), h.URL+page+"&service=Nope&from=2025-13-01"); res.StatusCode != 422 ||
			!strings.Contains(body, "Choose a service area this body has paid from") || !strings.Contains(body, "Enter the first day of the period as a date like 2026-04-01") {
			t.Fatalf("bad filters on a kept page: %d\n%.1500s", res.StatusCode, body)
		}
		// The signed-in links are per visitor, not kept with the page.
		buyer := h.signedIn(t, "buyer@example.org")
		if _, body := get(t, buyer, h.URL+page); !strings.Contains(body, `href="/spend/resolve"`) {
			t.Fatal("the signed-in buyer does not see the link to resolve suppliers")
		}
		if strings.Contains(show(), `href="/spend/resolve"`) {
			t.Fatal("an anonymous visitor sees the signed-in buyer's links")
		}

		manchester, err := s.OrganisationBySlug(ctx, "manchester-city-council")
		if err != nil {
			t.Fatal(err)
		}
		importFile := func(buyerID int64, name, body string) {
			t.Helper()
			res, err := spend.Read(strings.NewReader(body), name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ImportSpend(ctx, admin, buyerID, res, name); err != nil {
				t.Fatal(err)
			}
		}
		// An import: the next request shows the new total, payee and file.
		importFile(manchester.ID, "page-more.csv", "Date,Supplier,Amount\n02/04/2025,Newly Paid Page Ltd,100000.00\n")
		after := show()
		for _, want := range []string{"£10,413,834.14 in 404 payments to 50 suppliers", ">Newly Paid Page Ltd</a>", "page-more.csv — 1 payment"} {
			if !strings.Contains(after, want) {
				t.Fatalf("after an import the page lacks %q:\n%.3000s", want, after)
			}
		}
		// A confirmed match: the payee moves from its spelling to the organisation, placed in GM.
		joinery, err := s.OrganisationBySlug(ctx, "irwell-valley-joinery-ltd")
		if err != nil {
			t.Fatal(err)
		}
		spelling := `href="/spend/suppliers/` + url.PathEscape(spendKey("Irwel Valley Joinery")) + `?buyer=manchester-city-council"`
		matched := fmt.Sprintf(`href="/spend/suppliers/org-%d?buyer=manchester-city-council"`, joinery.ID)
		if !strings.Contains(after, spelling) {
			t.Fatalf("before the match the spelling should stand alone:\n%.3000s", after)
		}
		if r := post(t, buyer, h.URL+"/spend/resolve", url.Values{"key": {spendKey("Irwel Valley Joinery")}, "org": {fmt.Sprint(joinery.ID)}, "score": {"0.7"}, "decision": {"confirmed"}, "name": {"Irwel Valley Joinery"}}); r.StatusCode != 303 {
			t.Fatalf("confirm: %d", r.StatusCode)
		}
		confirmed := show()
		if strings.Contains(confirmed, spelling) || !strings.Contains(confirmed, matched) {
			t.Fatalf("after confirming the match the kept page was served:\n%.3000s", confirmed)
		}
		// A body's first import adds it to the list of public bodies.
		bolton, err := s.OrganisationBySlug(ctx, "bolton-council")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(confirmed, `<option value="bolton-council"`) {
			t.Fatal("Bolton is listed before it imported any spend")
		}
		importFile(bolton.ID, "bolton-page.csv", "Date,Supplier,Amount\n01/04/2025,Bolton Page Ltd,500.00\n")
		if !strings.Contains(show(), `<option value="bolton-council"`) {
			t.Fatal("Bolton's first import did not add it to the list of public bodies")
		}
		if body := showBuyer("bolton-council"); !strings.Contains(body, ">Bolton Page Ltd</a>") || strings.Contains(body, "Newly Paid Page Ltd") {
			t.Fatalf("Bolton's page should show its own payee only:\n%.3000s", body)
		}
	})
}
