package store_test

import (
	"fmt"
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

// A file large enough to pass through many write batches and several
// in-memory rollup flushes, imported, re-imported in part and overlapped:
// the rollups must still equal the payments, every duplicate must be
// counted, and every payment must belong to a run of its buyer.
func TestSpendImportLargeFileRollupsAndIntegrity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		store.SmallSpendLoadForTest(s)
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		// 70,000 payments over three months, 60,000 distinct groups (more
		// than one flush of the in-memory rollup), every tenth line twice.
		var b strings.Builder
		b.WriteString("Date,Supplier,Amount,Service,Expense Type\n")
		lines := 0
		for i := range 70000 {
			line := fmt.Sprintf("%02d/%02d/2026,Supplier %d,%d.%02d,Service %d,Type %d\n", 1+i%28, 4+i%3, i%60000, 1+i%997, i%100, i%7, i%5)
			b.WriteString(line)
			lines++
			if i%10 == 0 {
				b.WriteString(line)
				lines++
			}
		}
		// One payee paid 3,000 times in April: its payments fill several
		// blocks.
		for i := range 3000 {
			fmt.Fprintf(&b, "%02d/04/2026,Big Co,%d.00,Service 1,Type 1\n", 1+i%28, 1+i)
			lines++
		}
		run, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "big.csv", b.String()), "big")
		if err != nil || run.RowsImported != lines || run.DateFrom != "2026-04-01" || run.DateTo != "2026-06-28" {
			t.Fatalf("import %+v %v", run, err)
		}
		// Re-importing May alone (with June's first line) adds only June's
		// line as new... which is already stored too: nothing is added.
		var may strings.Builder
		may.WriteString("Date,Supplier,Amount,Service,Expense Type\n")
		for _, l := range strings.Split(b.String(), "\n")[1:] {
			if strings.Contains(l, "/05/2026") {
				may.WriteString(l + "\n")
			}
		}
		again, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "may.csv", may.String()), "may")
		if err != nil || again.RowsImported != 0 || again.RowsDuplicate == 0 || again.RowsDuplicate != again.RowsRead {
			t.Fatalf("re-import of May %+v %v", again, err)
		}
		// A July file is new; a line repeated in it is kept twice.
		july := "Date,Supplier,Amount,Service,Expense Type\n01/07/2026,Supplier 1,5.00,Service 1,Type 1\n01/07/2026,Supplier 1,5.00,Service 1,Type 1\n"
		if j, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "july.csv", july), "july"); err != nil || j.RowsImported != 2 {
			t.Fatalf("july %+v %v", j, err)
		}
		n, total, _ := s.SpendTotals(ctx, buyer.ID)
		if n != lines+2 || total != run.TotalNetPence+1000 {
			t.Fatalf("stored %d payments, %d pence; want %d, %d", n, total, lines+2, run.TotalNetPence+1000)
		}
		whole, err := s.SpendBySupplier(ctx, store.SpendFilter{From: "2026-04-01", To: "2026-07-31"})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := s.SpendBySupplier(ctx, store.SpendFilter{From: "2026-03-31", To: "2026-08-01"})
		if err != nil {
			t.Fatal(err)
		}
		sorted := func(rows []spend.SupplierSpend) []spend.SupplierSpend {
			slices.SortFunc(rows, func(a, b spend.SupplierSpend) int { return strings.Compare(a.Name, b.Name) })
			return rows
		}
		if len(whole) != 60001 || !slices.Equal(sorted(whole), sorted(raw)) {
			t.Fatalf("rollup (%d payees) differs from payments (%d payees)", len(whole), len(raw))
		}
		sa, _ := s.SpendByService(ctx, store.SpendFilter{From: "2026-04-01", To: "2026-07-31"})
		sb, _ := s.SpendByService(ctx, store.SpendFilter{From: "2026-03-31", To: "2026-08-01"})
		if !slices.Equal(sa, sb) || len(sa) != 7 {
			t.Fatalf("by service: rollup %+v, payments %+v", sa, sb)
		}
		if bad, err := store.SpendIntegrityForTest(s); err != nil || bad != 0 {
			t.Fatalf("%d rows break the payments' invariants (%v)", bad, err)
		}
		pays, err := s.SpendPaymentsTo(ctx, buyer.ID, []string{"Big Co"}, false, "2026-04-01", "2026-04-30", 5000)
		var sum int64
		for i, p := range pays {
			sum += p.NetPence
			if i > 0 && p.Date > pays[i-1].Date {
				t.Fatalf("payments to Big Co not newest first at %d: %s after %s", i, p.Date, pays[i-1].Date)
			}
		}
		if err != nil || len(pays) != 3000 || sum != 3000*3001/2*100 {
			t.Fatalf("payments to Big Co: %d, %d pence (%v)", len(pays), sum, err)
		}
		if top, _ := s.SpendPaymentsTo(ctx, buyer.ID, []string{"Big Co"}, false, "2026-04-28", "2026-04-28", 3); len(top) != 3 || top[0].Date != "2026-04-28" || top[0].NetPence != 299600 {
			t.Fatalf("latest payments to Big Co on 28 April %+v", top)
		}
		// The rollups agree with the payments decoded from every block.
		blocks, rollup, err := store.SpendBlocksForTest(s)
		if err != nil || len(blocks) != len(rollup) {
			t.Fatalf("%d groups in blocks, %d in the rollup (%v)", len(blocks), len(rollup), err)
		}
		for k, v := range rollup {
			if blocks[k] != v {
				t.Fatalf("%s: blocks %v, rollup %v", k, blocks[k], v)
			}
		}
	})
}
