package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// spendChoicesFile writes n payments over two months with services and
// categories cycling through the given counts (every seventh row has no
// category), and returns the file with its distinct non-empty values.
func spendChoicesFile(n, services, types int, prefix string) (string, []string, []string) {
	var b strings.Builder
	b.WriteString("Date,Supplier,Amount,Service,Expense Type\n")
	svc, typ := map[string]bool{}, map[string]bool{}
	for i := range n {
		s := fmt.Sprintf("%sService %03d", prefix, i%services)
		t := fmt.Sprintf("%sType %03d", prefix, i%types)
		if i%7 == 0 {
			t = ""
		} else {
			typ[t] = true
		}
		svc[s] = true
		fmt.Fprintf(&b, "%02d/%02d/2026,Supplier %d,%d.%02d,%s,%s\n", i%28+1, 5+i%2, i%613, i%900+1, i%100, s, t)
	}
	keys := func(m map[string]bool) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	return b.String(), keys(svc), keys(typ)
}

// The filter choices are kept by the import in its transaction: a file
// whose rollups are written in many flushes records each service and
// category once; a second file adds only its new ones; re-importing adds
// nothing; a failed import leaves none of its values behind; another
// buyer's choices stay its own.
func TestSpendChoicesKeptByImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		store.SmallSpendLoadForTest(s) // rollups flushed every 1,000 groups
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		other, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Other Council"}, 0)
		check := func(id int64, wantS, wantT []string) {
			t.Helper()
			gotS, gotT, err := s.SpendCategories(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(gotS, wantS) || !slices.Equal(gotT, wantT) {
				t.Fatalf("services %d %v…, want %d %v…; types %d, want %d", len(gotS), gotS[:min(3, len(gotS))], len(wantS), wantS[:min(3, len(wantS))], len(gotT), len(wantT))
			}
		}
		check(buyer.ID, nil, nil)

		file, svc, typ := spendChoicesFile(6000, 150, 260, "")
		res := readSpend(t, "big.csv", file)
		if run, err := s.ImportSpend(ctx, admin, buyer.ID, res, "a"); err != nil || run.RowsImported != 6000 {
			t.Fatalf("import: %+v %v", run, err)
		}
		check(buyer.ID, svc, typ)
		check(other.ID, nil, nil)
		checkTotals := func(res *spend.Result) {
			t.Helper()
			var n int
			var net int64
			byService := map[string][2]int64{}
			for _, p := range res.Payments {
				n++
				net += p.NetPence
				v := byService[p.Service]
				byService[p.Service] = [2]int64{v[0] + 1, v[1] + p.NetPence}
			}
			years, err := s.SpendByYear(ctx, buyer.ID)
			if err != nil || len(years) != 1 || years[0].Payments != n || years[0].NetPence != net {
				t.Fatalf("years %+v %v, want %d payments, %d pence", years, err, n, net)
			}
			if gotN, gotNet, err := s.SpendTotals(ctx, buyer.ID); err != nil || gotN != n || gotNet != net {
				t.Fatalf("totals %d %d %v", gotN, gotNet, err)
			}
			services, err := s.SpendByService(ctx, store.SpendFilter{BuyerIDs: []int64{buyer.ID}, From: "2026-05-01", To: "2026-06-30"})
			if err != nil || len(services) != len(byService) {
				t.Fatalf("by service: %d %v, want %d", len(services), err, len(byService))
			}
			for _, v := range services {
				if w := byService[v.Service]; w[0] != int64(v.Payments) || w[1] != v.NetPence {
					t.Fatalf("service %q: %d payments %d pence, want %v", v.Service, v.Payments, v.NetPence, w)
				}
			}
			// Narrowed to a service, by service reads the same totals.
			one, err := s.SpendByService(ctx, store.SpendFilter{BuyerIDs: []int64{buyer.ID}, From: "2026-05-01", To: "2026-06-30", Service: "Service 007"})
			if w := byService["Service 007"]; err != nil || len(one) != 1 || int64(one[0].Payments) != w[0] || one[0].NetPence != w[1] {
				t.Fatalf("one service: %+v %v, want %v", one, err, w)
			}
		}
		checkTotals(res)
		// Lists: a field with at most max values is listed, a longer one
		// only counted; a value is found without reading the list.
		ls, lt, err := s.SpendChoiceLists(ctx, buyer.ID, 200)
		if err != nil || ls.Count != 150 || !slices.Equal(ls.Values, svc) || lt.Count != 260 || lt.Values != nil {
			t.Fatalf("lists: %d %d; %d %d; %v", ls.Count, len(ls.Values), lt.Count, len(lt.Values), err)
		}
		for _, c := range []struct {
			field, value string
			want         bool
		}{{store.SpendChoiceService, "Service 149", true}, {store.SpendChoiceCategory, "Type 259", true}, {store.SpendChoiceCategory, "Service 001", false}, {store.SpendChoiceService, "service 001", false}, {store.SpendChoiceService, "", false}} {
			if got, err := s.HasSpendChoice(ctx, buyer.ID, c.field, c.value); err != nil || got != c.want {
				t.Fatalf("has %s %q: %v %v", c.field, c.value, got, err)
			}
		}
		if got, _ := s.HasSpendChoice(ctx, other.ID, store.SpendChoiceService, "Service 001"); got {
			t.Fatal("another buyer's choice found")
		}

		// Re-importing the same file: all duplicates, choices unchanged.
		if run, err := s.ImportSpend(ctx, admin, buyer.ID, res, "a"); err != nil || run.RowsDuplicate != 6000 {
			t.Fatalf("re-import: %+v %v", run, err)
		}
		check(buyer.ID, svc, typ)

		// A failing import whose new values reached the table before the
		// failure (its rollups were flushed) leaves none of them.
		bad, _, _ := spendChoicesFile(4000, 90, 40, "New ")
		badRes := readSpend(t, "bad.csv", bad)
		boom := errors.New("disk on fire")
		_, err = s.ImportSpendStream(ctx, admin, buyer.ID, "bad.csv", "b", func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error) {
			for i := range badRes.Payments {
				if err := each(&badRes.Payments[i], nil); err != nil {
					return spend.Meta{}, err
				}
			}
			return spend.Meta{}, boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("failed import: %v", err)
		}
		check(buyer.ID, svc, typ)
		checkTotals(res)

		// A second file with some new values adds just those, in order.
		more := "Date,Supplier,Amount,Service,Expense Type\n01/07/2026,Supplier 1,5.00,Service 001,Type 001\n02/07/2026,Supplier 2,6.00,Aardvarks,\n03/07/2026,Supplier 3,7.00,,Zoo keeping\n"
		if _, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "july.csv", more), "c"); err != nil {
			t.Fatal(err)
		}
		check(buyer.ID, append([]string{"Aardvarks"}, svc...), append(slices.Clone(typ), "Zoo keeping"))

		// Another buyer with the same values keeps its own list.
		if _, err := s.ImportSpend(ctx, admin, other.ID, readSpend(t, "july.csv", more), "c"); err != nil {
			t.Fatal(err)
		}
		check(other.ID, []string{"Aardvarks", "Service 001"}, []string{"Type 001", "Zoo keeping"})
	})
}

// Migrations 43 and 44 fill the choices and the month and service totals
// from the rollups already stored.
func TestSpendChoicesMigrationBackfills(t *testing.T) {
	engines := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "m.db") },
		"postgres": func(t *testing.T) string { return storetest.PostgresDSN(t) },
	}
	for name, dsn := range engines {
		t.Run(name, func(t *testing.T) {
			s, err := store.OpenUnmigratedForTest(dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := store.MigrateToForTest(s, 42); err != nil {
				t.Fatal(err)
			}
			admin := mkUser(t, s, "admin@example.org", true)
			buyer, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
			if err != nil {
				t.Fatal(err)
			}
			// Partial sums as imports before migration 43 wrote them: one
			// group written twice, one row with neither value.
			for _, r := range [][2]string{{"Adults", "Care"}, {"Adults", "Care"}, {"Children", ""}, {"", "Fuel"}, {"", ""}} {
				if err := store.ExecForTest(s, `INSERT INTO spend_rollup (buyer_org_id, month, supplier_name, redacted, service, expense_type, vat_number, company_number, net_pence, payments)
					VALUES ($1, '2026-05', 'A Ltd', FALSE, $2, $3, '', '', 100, 1)`, buyer.ID, r[0], r[1]); err != nil {
					t.Fatal(err)
				}
			}
			if err := store.ExecForTest(s, `INSERT INTO spend_rollup_supplier (buyer_org_id, month, supplier_name, redacted, vat_number, company_number, net_pence, payments)
				SELECT buyer_org_id, month, supplier_name, redacted, '', '', SUM(net_pence), SUM(payments) FROM spend_rollup GROUP BY buyer_org_id, month, supplier_name, redacted`); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			services, types, err := s.SpendCategories(ctx, buyer.ID)
			if err != nil || !slices.Equal(services, []string{"Adults", "Children"}) || !slices.Equal(types, []string{"Care", "Fuel"}) {
				t.Fatalf("after migration: %v %v %v", services, types, err)
			}
			years, err := s.SpendByYear(ctx, buyer.ID)
			if err != nil || len(years) != 1 || years[0].Payments != 5 || years[0].NetPence != 500 {
				t.Fatalf("years after migration: %+v %v", years, err)
			}
			bySvc, err := s.SpendByService(ctx, store.SpendFilter{BuyerIDs: []int64{buyer.ID}, From: "2026-05-01", To: "2026-05-31"})
			want := []spend.ServiceSpend{{Service: "Adults", NetPence: 200, Payments: 2}, {Service: "Not given", NetPence: 200, Payments: 2}, {Service: "Children", NetPence: 100, Payments: 1}}
			if err != nil || !slices.Equal(bySvc, want) {
				t.Fatalf("by service after migration: %+v %v", bySvc, err)
			}
		})
	}
}
