package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/spend"
)

// The built spend report is kept per buyer and filters until the data
// generation moves: the second request reuses it; an import and a
// confirmed supplier match each build a new one; two buyers never share.
func TestSpendReportCached(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
	// A request looks up the buyer's filter choices and its report.
	lookups := func() (int64, int64) { return h.srv.SpendReportLookups() }
	h0, m0 := lookups()
	first := reportJSON(t, h)
	h1, m1 := lookups()
	second := reportJSON(t, h)
	h2, m2 := lookups()
	if m1 == m0 || h1 != h0 || h2 == h1 || m2 != m1 {
		t.Fatalf("lookups: hits %d %d %d, misses %d %d %d; want a build then a reuse", h0, h1, h2, m0, m1, m2)
	}
	if fmt.Sprint(first) != fmt.Sprint(second) {
		t.Fatalf("the reused report differs:\n%v\n%v", first, second)
	}
	// Another buyer's request builds its own report, with its own payees.
	bolton, err := h.store.OrganisationBySlug(ctx, "bolton-council")
	if err != nil {
		t.Fatal(err)
	}
	manchester, err := h.store.OrganisationBySlug(ctx, "manchester-city-council")
	if err != nil {
		t.Fatal(err)
	}
	importFile := func(buyer int64, name, body string) {
		t.Helper()
		res, err := spend.Read(strings.NewReader(body), name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.store.ImportSpend(ctx, admin, buyer, res, name); err != nil {
			t.Fatal(err)
		}
	}
	importFile(bolton.ID, "bolton.csv", "Date,Supplier,Amount\n01/04/2025,Bolton Only Cache Ltd,500.00\n")
	_, body := get(t, h.client(t), h.URL+"/spend/report.json?buyer=bolton-council")
	if !strings.Contains(body, "Bolton Only Cache Ltd") || strings.Contains(body, "Irwel Valley Joinery") {
		t.Fatalf("Bolton's report should hold its own payees only:\n%.600s", body)
	}
	if rep := reportJSON(t, h); rep[spendKey("Bolton Only Cache Ltd")] != "" {
		t.Fatal("Manchester's report shows Bolton's payee")
	}
	// An import for Manchester moves its report.
	importFile(manchester.ID, "more.csv", "Date,Supplier,Amount\n02/04/2025,Newly Paid Cache Ltd,750.00\n")
	if rep := reportJSON(t, h); rep[spendKey("Newly Paid Cache Ltd")] == "" {
		t.Fatalf("the report after an import lacks the new payee: %v", rep)
	}
	// Confirming a supplier match moves it too.
	joinery, err := h.store.OrganisationBySlug(ctx, "irwell-valley-joinery-ltd")
	if err != nil {
		t.Fatal(err)
	}
	if rep := reportJSON(t, h); rep[spendKey("Irwel Valley Joinery")] == "" {
		t.Fatalf("before the match the spelling should stand alone: %v", rep)
	}
	buyer := h.signedIn(t, "buyer@example.org")
	if r := post(t, buyer, h.URL+"/spend/resolve", url.Values{"key": {spendKey("Irwel Valley Joinery")}, "org": {fmt.Sprint(joinery.ID)}, "score": {"0.7"}, "decision": {"confirmed"}, "name": {"Irwel Valley Joinery"}}); r.StatusCode != 303 {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	rep := reportJSON(t, h)
	if _, alone := rep[spendKey("Irwel Valley Joinery")]; alone || rep[fmt.Sprintf("org-%d", joinery.ID)] != "gm" {
		t.Fatalf("after confirming, the cached report was served: %v", rep)
	}
}
