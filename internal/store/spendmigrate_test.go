package store_test

import (
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// Payments stored one per row before migration 20 move into blocks with
// their keys and values: the totals, the rollups, a payee's payments and
// part-month reports read the same, and re-importing the file finds every
// line already stored.
func TestMigrationMovesPaymentsIntoBlocks(t *testing.T) {
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
			if err := store.MigrateToForTest(s, 19); err != nil {
				t.Fatal(err)
			}
			admin := mkUser(t, s, "admin@example.org", true)
			buyer, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
			if err != nil {
				t.Fatal(err)
			}
			file := "Date,Supplier,Amount,Gross,Service,Notes\n" +
				"01/05/2026,Acme Ltd,100.00,120.00,Adults,first\n" +
				"01/05/2026,Acme Ltd,100.00,120.00,Adults,first\n" +
				"20/05/2026,Acme Ltd,-5.50,,Children,\n" +
				"03/06/2026,REDACTED,40.00,,Adults,x\n"
			res := readSpend(t, "old.csv", file)
			exec := func(q string, args ...any) {
				t.Helper()
				if err := store.ExecForTest(s, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec(`INSERT INTO spend_runs (buyer_org_id, file_name, file_sha256, rows_read, rows_imported, rows_rejected, rows_duplicate, total_net_pence, date_from, date_to, columns, date_order, created_at, extra_columns)
				VALUES ($1, 'old.csv', 'x', 4, 4, 0, 0, 23450, '2026-05-01', '2026-06-03', '{}', 'dmy', $2, '["Notes"]')`, buyer.ID, time.Now().UTC())
			for i, p := range res.Payments {
				var gross any
				if p.GrossPence != nil {
					gross = *p.GrossPence
				}
				extra := ""
				if p.Extra != nil {
					b, _ := json.Marshal(p.Extra)
					extra = string(b)
				}
				if i == 3 { // as stored before migration 18: a JSON object
					extra = `{"Notes":"x"}`
				}
				exec(`INSERT INTO spend_payments (buyer_org_id, run_id, payment_key, paid_on, supplier_name, redacted, net_pence, gross_pence, transaction_no, supplier_id, vat_number, company_number, postcode, service, expense_type, merchant, extra)
					VALUES ($1, (SELECT MAX(id) FROM spend_runs), $2, $3, $4, $5, $6, $7, '', '', '', '', '', $8, '', '', $9)`,
					buyer.ID, hex.EncodeToString(p.Key[:]), p.Date.Format(time.DateOnly), p.Supplier, p.Redacted, p.NetPence, gross, p.Service, extra)
			}
			exec(`INSERT INTO spend_rollup (buyer_org_id, month, supplier_name, redacted, service, expense_type, vat_number, company_number, net_pence, payments)
				SELECT buyer_org_id, SUBSTR(paid_on, 1, 7), supplier_name, redacted, service, expense_type, MAX(vat_number), MAX(company_number), SUM(net_pence), COUNT(*)
				FROM spend_payments GROUP BY buyer_org_id, SUBSTR(paid_on, 1, 7), supplier_name, redacted, service, expense_type`)
			exec(`INSERT INTO spend_rollup_supplier (buyer_org_id, month, supplier_name, redacted, vat_number, company_number, net_pence, payments)
				SELECT buyer_org_id, month, supplier_name, redacted, MAX(vat_number), MAX(company_number), SUM(net_pence), SUM(payments)
				FROM spend_rollup GROUP BY buyer_org_id, month, supplier_name, redacted`)

			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := store.ExecForTest(s, `SELECT 1 FROM spend_payments`); err == nil {
				t.Error("spend_payments still exists after migration 20")
			}
			if n, total, err := s.SpendTotals(ctx, buyer.ID); err != nil || n != 4 || total != 23450 {
				t.Fatalf("totals %d %d %v", n, total, err)
			}
			blocks, rollup, err := store.SpendBlocksForTest(s)
			if err != nil || len(blocks) != 3+2 || len(blocks) != len(rollup) {
				t.Fatalf("blocks %v rollup %v (%v)", blocks, rollup, err)
			}
			for k, v := range rollup {
				if blocks[k] != v {
					t.Errorf("%s: blocks %v, rollup %v", k, blocks[k], v)
				}
			}
			pays, err := s.SpendPaymentsTo(ctx, buyer.ID, []string{"Acme Ltd"}, false, "2026-05-01", "2026-05-31", 10)
			if err != nil || len(pays) != 3 || pays[0].Date != "2026-05-20" || pays[0].NetPence != -550 || pays[0].Service != "Children" || pays[2].NetPence != 10000 {
				t.Fatalf("payments to Acme %+v %v", pays, err)
			}
			part, err := s.SpendByService(ctx, store.SpendFilter{From: "2026-05-02", To: "2026-06-03"})
			if err != nil || len(part) != 2 || part[0].Service != "Adults" || part[0].NetPence != 4000 || part[1].NetPence != -550 {
				t.Fatalf("part-month report %+v %v", part, err)
			}
			again, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "old.csv", file), "x")
			if err != nil || again.RowsImported != 0 || again.RowsDuplicate != 4 {
				t.Fatalf("re-import after migration %+v %v", again, err)
			}
		})
	}
}
