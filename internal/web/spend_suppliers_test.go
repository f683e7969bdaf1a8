package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// The rows of the whole suppliers list are rendered once per report and
// data generation: the next request after an import lists the new payee,
// a search is still made per request, and bad filters get the form's
// errors (they were a 500 before the list was kept).
func TestSpendSuppliersShowNewFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHubOn(t, s)
		ctx := context.Background()
		const page = "/spend/suppliers?buyer=manchester-city-council"
		show := func(q string) (int, string) {
			t.Helper()
			res, body := get(t, h.client(t), h.URL+page+q)
			return res.StatusCode, body
		}
		code, first := show("")
		if code != 200 || !strings.Contains(first, ">Irwell Valley Joinery Ltd</a>") {
			t.Fatalf("suppliers: %d\n%.2000s", code, first)
		}
		if _, second := show(""); second != first {
			t.Fatal("the kept list differs from the first one rendered")
		}
		if strings.Contains(first, "Newly Listed Supplier Ltd") {
			t.Fatal("the new payee is there before its import")
		}
		manchester, err := s.OrganisationBySlug(ctx, "manchester-city-council")
		if err != nil {
			t.Fatal(err)
		}
		res, err := spend.Read(strings.NewReader("Date,Supplier,Amount\n02/04/2025,Newly Listed Supplier Ltd,100000.00\n"), "suppliers-more.csv", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportSpend(ctx, auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, manchester.ID, res, "suppliers-more.csv"); err != nil {
			t.Fatal(err)
		}
		if code, after := show(""); code != 200 || !strings.Contains(after, ">Newly Listed Supplier Ltd</a>") || !strings.Contains(after, "£100,000") {
			t.Fatalf("after the import: %d, new payee missing", code)
		}
		// A search is made per request, from the same report.
		if code, found := show("&q=newly+listed"); code != 200 || !strings.Contains(found, ">Newly Listed Supplier Ltd</a>") || strings.Contains(found, "Irwell Valley Joinery") {
			t.Fatalf("search: %d", code)
		}
		if code, none := show("&q=zzzz"); code != 200 || !strings.Contains(none, "No suppliers match.") {
			t.Fatalf("search for nothing: %d", code)
		}
		// A bad period re-renders the form with the reason, and an empty table.
		if code, bad := show("&from=2025-13-01"); code != 422 || !strings.Contains(bad, "Enter the first day of the period as a date like 2026-04-01") || !strings.Contains(bad, "No suppliers match.") {
			t.Fatalf("bad period: %d\n%.3000s", code, bad)
		}
	})
}
