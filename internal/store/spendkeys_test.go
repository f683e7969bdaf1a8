package store_test

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// spendKeysFile writes a spend file of n lines over three months, forty
// payees, five service areas and a dozen categories, with repeated lines,
// a binary-float amount, a part-penny amount and a line that is not a
// payment.
func spendKeysFile(n, seed int) string {
	var b strings.Builder
	b.WriteString("Date,Supplier,Amount,Service,Category,VAT\n")
	for i := range n {
		k := i*7 + seed
		day := 1 + k%28
		month := 4 + k%3
		amount := fmt.Sprintf("%d.%02d", 10+k%900, k%100)
		switch i % 97 {
		case 3:
			amount = "607.4799999999999"
		case 5:
			amount = "1530.995"
		}
		fmt.Fprintf(&b, "%02d/%02d/2026,Supplier %d Ltd,%s,Service %d,Category %d,GB%d\n", day, month, k%40, amount, k%5, k%12, 100000+k%40)
		if i%50 == 0 { // the same line twice: both are kept
			fmt.Fprintf(&b, "%02d/%02d/2026,Supplier %d Ltd,%s,Service %d,Category %d,GB%d\n", day, month, k%40, amount, k%5, k%12, 100000+k%40)
		}
	}
	b.WriteString("not a date,Nobody,1.00,,,\n")
	return b.String()
}

// spendKeysState is every stored spend table (rollups and totals summed by
// group, so partial sums written in other flushes compare equal; blocks by
// their contents, whatever ids they got) and what the reports read.
func spendKeysState(t *testing.T, s *store.Store, buyers []int64) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, q := range map[string]string{
		"runs":     `SELECT buyer_org_id, file_name, file_sha256, rows_read, rows_imported, rows_rejected, rows_duplicate, total_net_pence, date_from, date_to, columns, rounded_amounts FROM spend_runs ORDER BY id`,
		"blocks":   `SELECT buyer_org_id, month, supplier_name, redacted, payments, net_pence, data FROM spend_blocks`,
		"rollup":   `SELECT buyer_org_id, month, supplier_name, redacted, service, expense_type, MAX(vat_number), MAX(company_number), SUM(net_pence), SUM(payments) FROM spend_rollup GROUP BY buyer_org_id, month, supplier_name, redacted, service, expense_type`,
		"payees":   `SELECT buyer_org_id, month, supplier_name, redacted, MAX(vat_number), MAX(company_number), SUM(net_pence), SUM(payments) FROM spend_rollup_supplier GROUP BY buyer_org_id, month, supplier_name, redacted`,
		"months":   `SELECT buyer_org_id, month, SUM(net_pence), SUM(payments) FROM spend_month_totals GROUP BY buyer_org_id, month`,
		"services": `SELECT buyer_org_id, month, service, SUM(net_pence), SUM(payments) FROM spend_service_totals GROUP BY buyer_org_id, month, service`,
		"choices":  `SELECT buyer_org_id, field, value FROM spend_choices`,
		"rejects":  `SELECT run_id, line, field, reason, raw FROM spend_rejects`,
	} {
		rows, err := store.QueryRowsForTest(s, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name != "runs" {
			slices.Sort(rows)
		}
		out[name] = fmt.Sprintf("%d rows %x", len(rows), sha256.Sum256([]byte(strings.Join(rows, "\n"))))
	}
	filters := []store.SpendFilter{
		{BuyerIDs: buyers[:1], From: "2026-04-01", To: "2026-06-30"},
		{BuyerIDs: buyers[:1], From: "2026-04-03", To: "2026-06-17"}, // part-months from the blocks
		{From: "2026-04-01", To: "2026-06-30"},                       // every buyer, by the month indexes
		{BuyerIDs: buyers, From: "2026-05-01", To: "2026-05-31", Service: "Service 2"},
		{BuyerIDs: buyers[:1], From: "2026-04-01", To: "2026-06-30", ExpenseType: "Category 7"},
		{From: "2026-04-01", To: "2026-06-30", Service: "Service 1", ExpenseType: "Category 3"},
	}
	for i, f := range filters {
		sup, err := s.SpendBySupplier(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(sup, func(a, b spend.SupplierSpend) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		svc, err := s.SpendByService(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("report %d", i)] = fmt.Sprint(sup, svc)
	}
	for _, b := range buyers {
		years, err := s.SpendByYear(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		services, types, err := s.SpendCategories(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		n, total, err := s.SpendTotals(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		pays, err := s.SpendPaymentsTo(ctx, b, []string{"Supplier 3 Ltd", "Supplier 17 Ltd"}, false, "2026-04-10", "2026-06-20", 1000)
		if err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("buyer %d", b)] = fmt.Sprint(years, services, types, n, total, pays)
	}
	return out
}

// Migration 60 changes keys and collations on PostgreSQL (and nothing on
// SQLite): a database with imports migrated up stores and reports the
// same, imports more (de-duplicating against what it held) with the same
// result as a database migrated first, and migrated down again still
// reads the same.
func TestSpendImportKeysMigration(t *testing.T) {
	engines := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "m.db") },
		"postgres": func(t *testing.T) string { return storetest.PostgresDSN(t) },
	}
	for name, dsn := range engines {
		t.Run(name, func(t *testing.T) {
			// Two databases: one migrated before its imports, one after.
			var states [2]map[string]string
			for i, late := range []bool{false, true} {
				db := dsn(t)
				s, err := store.OpenUnmigratedForTest(db)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				// A store opened after a migration reads it: PostgreSQL
				// refuses a statement prepared before a column's collation
				// changed ("cached plan must not change result type"; pgx
				// then prepares it again).
				reopen := func() *store.Store {
					t.Helper()
					r, err := store.OpenUnmigratedForTest(db)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { r.Close() })
					return r
				}
				store.SmallSpendLoadForTest(s) // rollups written in many flushes, blocks finished early
				if !late {
					if _, err := s.Migrate(ctx); err != nil {
						t.Fatal(err)
					}
				} else if err := store.MigrateToForTest(s, 57); err != nil {
					t.Fatal(err)
				}
				admin := mkUser(t, s, "admin@example.org", true)
				var buyers []int64
				for _, n := range []string{"Council", "Other Council"} {
					o, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: n}, 0)
					if err != nil {
						t.Fatal(err)
					}
					buyers = append(buyers, o.ID)
				}
				for j, b := range buyers {
					run, err := s.ImportSpend(ctx, admin, b, readSpend(t, "spend.csv", spendKeysFile(3000, j)), "x")
					if err != nil || run.RowsImported != 3060 || run.RowsRejected != 1 || run.RoundedAmounts == 0 {
						t.Fatalf("import %+v %v", run, err)
					}
				}
				if late {
					before := spendKeysState(t, s, buyers)
					if _, err := s.Migrate(ctx); err != nil {
						t.Fatal(err)
					}
					s = reopen()
					store.SmallSpendLoadForTest(s)
					if after := spendKeysState(t, s, buyers); !maps.Equal(before, after) {
						t.Fatalf("migration 60 changed what is stored or reported:\nbefore %v\nafter  %v", before, after)
					}
				}
				// A second file overlapping the first: its repeated lines
				// are found as duplicates.
				run, err := s.ImportSpend(ctx, admin, buyers[0], readSpend(t, "more.csv", spendKeysFile(4000, 0)), "y")
				if err != nil || run.RowsDuplicate != 3060 || run.RowsImported != 4080-3060 {
					t.Fatalf("overlapping import %+v %v", run, err)
				}
				if n, err := store.SpendIntegrityForTest(s); err != nil || n != 0 {
					t.Fatalf("integrity %d %v", n, err)
				}
				orphans, err := store.QueryRowsForTest(s, `SELECT
					(SELECT COUNT(*) FROM spend_month_totals x LEFT JOIN organisations o ON o.id = x.buyer_org_id WHERE o.id IS NULL)
					+ (SELECT COUNT(*) FROM spend_service_totals x LEFT JOIN organisations o ON o.id = x.buyer_org_id WHERE o.id IS NULL)
					+ (SELECT COUNT(*) FROM spend_choices x LEFT JOIN organisations o ON o.id = x.buyer_org_id WHERE o.id IS NULL)`)
				if err != nil || !slices.Equal(orphans, []string{"0"}) {
					t.Fatalf("totals or choices without their buyer: %v %v", orphans, err)
				}
				states[i] = spendKeysState(t, s, buyers)
				if name == "postgres" {
					checkSpendKeysSchema(t, s, true)
				}
				// Down and up again: the same data, read the same.
				if err := store.MigrateDownToForTest(s, 59); err != nil {
					t.Fatal(err)
				}
				if name == "postgres" {
					checkSpendKeysSchema(t, s, false)
				}
				if down := spendKeysState(t, reopen(), buyers); !maps.Equal(states[i], down) {
					t.Fatalf("down from migration 60 changed data:\nup   %v\ndown %v", states[i], down)
				}
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if !maps.Equal(states[0], states[1]) {
				t.Fatalf("migrated before and after importing differ:\n%v\n%v", states[0], states[1])
			}
		})
	}
}

// checkSpendKeysSchema checks migration 60 on PostgreSQL: months (and a
// block's payee) compared as bytes, and no foreign keys on the totals and
// choices; or, when up is false, the schema before it.
func checkSpendKeysSchema(t *testing.T, s *store.Store, up bool) {
	t.Helper()
	cols, err := store.QueryRowsForTest(s, `SELECT table_name, column_name, COALESCE(collation_name, '') FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name IN ('spend_blocks', 'spend_rollup', 'spend_rollup_supplier', 'spend_month_totals', 'spend_service_totals')
		AND (column_name = 'month' OR (table_name = 'spend_blocks' AND column_name = 'supplier_name')) ORDER BY table_name, column_name`)
	if err != nil || len(cols) != 6 {
		t.Fatalf("columns %v %v", cols, err)
	}
	for _, c := range cols {
		if strings.HasSuffix(c, "|C") != up {
			t.Errorf("after migrating (up %v): %s", up, c)
		}
	}
	fks, err := store.QueryRowsForTest(s, `SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f'
		AND conrelid::regclass::text IN ('spend_month_totals', 'spend_service_totals', 'spend_choices') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"spend_choices", "spend_month_totals", "spend_service_totals"}; up && len(fks) != 0 || !up && !slices.Equal(fks, want) {
		t.Errorf("foreign keys (up %v): %v", up, fks)
	}
}
