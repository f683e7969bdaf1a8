package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func readSpend(t *testing.T, name, body string) *spend.Result {
	t.Helper()
	r, err := spend.Read(strings.NewReader(body), name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSpendImportMultisetDedupe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		other, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Other"}, 0)
		may := "Date,Supplier,Amount\n01/05/2026,A,100.00\n01/05/2026,A,100.00\n02/05/2026,B,50.00\nbad,C,1\n"
		run, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "may.csv", may), "x")
		if err != nil {
			t.Fatal(err)
		}
		if run.RowsImported != 3 || run.RowsRejected != 1 || run.TotalNetPence != 25000 || run.DateFrom != "2026-05-01" {
			t.Fatalf("first import %+v", run)
		}
		// Importing the same file again adds nothing.
		again, _ := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "may.csv", may), "x")
		if again.RowsImported != 0 || again.RowsDuplicate != 3 {
			t.Fatalf("re-import %+v", again)
		}
		// A quarter file overlapping May adds only what May did not have:
		// a third copy of the A line, and June.
		quarter := "Date,Supplier,Amount\n01/05/2026,A,100.00\n01/05/2026,A,100.00\n01/05/2026,A,100.00\n02/05/2026,B,50.00\n01/06/2026,D,10.00\n"
		q, _ := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "q.csv", quarter), "y")
		if q.RowsImported != 2 || q.RowsDuplicate != 3 || q.TotalNetPence != 11000 {
			t.Fatalf("overlap %+v", q)
		}
		n, total, _ := s.SpendTotals(ctx, buyer.ID)
		if n != 5 || total != 36000 {
			t.Fatalf("stored %d payments, %d pence", n, total)
		}
		// Another buyer's identical lines are its own.
		o, _ := s.ImportSpend(ctx, admin, other.ID, readSpend(t, "may.csv", may), "x")
		if o.RowsImported != 3 {
			t.Fatalf("other buyer %+v", o)
		}
		rej, _ := s.SpendRejects(ctx, run.ID)
		if len(rej) != 1 || rej[0].Line != 5 || rej[0].Field != "date" {
			t.Fatalf("rejects %+v", rej)
		}
		// A failure part-way leaves nothing: a buyer that does not exist
		// fails on the first insert, inside the transaction.
		if _, err := s.ImportSpend(ctx, admin, 999999, readSpend(t, "may.csv", may), "x"); err == nil {
			t.Fatal("import for a missing buyer succeeded")
		}
		if n2, _, _ := s.SpendTotals(ctx, 999999); n2 != 0 {
			t.Fatal("a failed import left payments")
		}
	})
}

// The monthly rollup answers whole-month periods; it must give exactly what
// summing the payments gives, after re-imports and overlapping files.
func TestSpendRollupMatchesPayments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		files := []string{
			"Date,Supplier,Amount,Service,VAT Registration Number\n01/05/2026,A Ltd,100.00,Adults,\n01/05/2026,A Ltd,100.00,Adults,GB123\n31/05/2026,B,50.00,Children,\n",
			"Date,Supplier,Amount,Service,VAT Registration Number\n01/05/2026,A Ltd,100.00,Adults,\n01/05/2026,A Ltd,100.00,Adults,\n01/05/2026,A Ltd,100.00,Adults,\n01/06/2026,B,-20.00,Children,\n30/06/2026,REDACTED,70.00,Adults,\n",
			"Date,Supplier,Amount,Service,VAT Registration Number\n01/05/2026,A Ltd,100.00,Adults,\n",
		}
		for i, f := range files {
			if _, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "f.csv", f), string(rune('a'+i))); err != nil {
				t.Fatal(err)
			}
		}
		sorted := func(rows []spend.SupplierSpend) []spend.SupplierSpend {
			slices.SortFunc(rows, func(a, b spend.SupplierSpend) int { return strings.Compare(a.Name, b.Name) })
			return rows
		}
		for _, f := range []struct{ whole, raw store.SpendFilter }{
			{store.SpendFilter{From: "2026-05-01", To: "2026-06-30"}, store.SpendFilter{From: "2026-04-30", To: "2026-07-01"}},
			{store.SpendFilter{BuyerIDs: []int64{buyer.ID}, From: "2026-05-01", To: "2026-05-31", Service: "Adults"}, store.SpendFilter{BuyerIDs: []int64{buyer.ID}, From: "2026-04-02", To: "2026-05-31", Service: "Adults"}},
		} {
			a, err := s.SpendBySupplier(ctx, f.whole)
			if err != nil {
				t.Fatal(err)
			}
			b, err := s.SpendBySupplier(ctx, f.raw)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sorted(a), sorted(b)) || len(a) == 0 {
				t.Fatalf("rollup %+v\npayments %+v", a, b)
			}
			sa, _ := s.SpendByService(ctx, f.whole)
			sb, _ := s.SpendByService(ctx, f.raw)
			if !slices.Equal(sa, sb) {
				t.Fatalf("by service: rollup %+v, payments %+v", sa, sb)
			}
		}
		years, err := s.SpendByYear(ctx, buyer.ID)
		n, total, _ := s.SpendTotals(ctx, buyer.ID)
		if err != nil || len(years) != 1 || years[0].NetPence != total || years[0].Payments != n {
			t.Fatalf("years %+v (%v), stored %d payments, %d pence", years, err, n, total)
		}
		services, types, err := s.SpendCategories(ctx, buyer.ID)
		if err != nil || !slices.Equal(services, []string{"Adults", "Children"}) || len(types) != 0 {
			t.Fatalf("categories %v %v %v", services, types, err)
		}
		rows, _ := s.SpendBySupplier(ctx, store.SpendFilter{From: "2026-05-01", To: "2026-05-31"})
		for _, r := range rows {
			if r.Name == "A Ltd" && (r.Payments != 4 || r.NetPence != 40000 || r.VATNumber != "GB123") {
				t.Fatalf("A Ltd in May: %+v", r)
			}
		}
	})
}
