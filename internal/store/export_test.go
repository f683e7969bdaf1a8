package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// TamperAuditForTest lets the external tests corrupt an event.
func TamperAuditForTest(s *Store, seq int64, summary string) error {
	return s.tamperAudit(context.Background(), seq, summary)
}

// SeedDeliveryForBench writes contracts awarded tenders, commitments
// (four per contract, over the given measures) and delivery lines straight
// into the tables, for the dashboard benchmark: going through the tender
// workflow for 5,000 contracts would take minutes and measure nothing new.
func SeedDeliveryForBench(ctx context.Context, s *Store, buyers, suppliers []int64, frameworkID int64, measures []int64, districts []string, contracts, lines int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := time.Now().UTC()
		perContract := lines / contracts
		lineNo := 0
		for c := 0; c < contracts; c++ {
			buyer, supplier := buyers[c%len(buyers)], suppliers[c%len(suppliers)]
			var tid, cid int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO tenders (buyer_org_id, title, description, value_pence, deadline, status, w_price, w_quality, w_sv, sv_minimum, alpha_percent, method, framework_id, sealed_key, created_at)
VALUES ($1, $2, 'bench', 100000000, $3, 'awarded', 40, 40, 20, 10, 50, 'relative', $4, $5, $3) RETURNING id`, buyer, fmt.Sprintf("Bench contract %d", c), now, frameworkID, []byte{1}).Scan(&tid); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO contracts (tender_id, buyer_org_id, supplier_org_id, title, value_pence, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, 100000000, '2025-04-01', '2027-03-31', $5) RETURNING id`,
				tid, buyer, supplier, fmt.Sprintf("Bench contract %d", c), now).Scan(&cid); err != nil {
				return err
			}
			var cms []int64
			for k := 0; k < 4; k++ {
				var id int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO commitments (contract_id, measure_id, quantity_milli, due_date, area_code) VALUES ($1, $2, $3, '2027-03-31', $4) RETURNING id`,
					cid, measures[(c+k)%len(measures)], int64(1000*(10+(c+k)%90)), districts[(c+k)%len(districts)]).Scan(&id); err != nil {
					return err
				}
				cms = append(cms, id)
			}
			var rid int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO delivery_reports (contract_id, period_start, period_end, submitted_at) VALUES ($1, '2025-04-01', '2025-06-30', $2) RETURNING id`, cid, now).Scan(&rid); err != nil {
				return err
			}
			for l := 0; l < perContract; l++ {
				status := []string{"verified", "verified", "verified", "submitted", "rejected", "queried"}[lineNo%6]
				if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_lines (report_id, commitment_id, quantity_milli, area_code, evidence, attributable, additional, status) VALUES ($1, $2, $3, '', 'bench', TRUE, TRUE, $4)`,
					rid, cms[l%len(cms)], int64(500+lineNo%2000), status); err != nil {
					return err
				}
				lineNo++
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE commitments SET
verified_milli = COALESCE((SELECT SUM(l.quantity_milli) FROM delivery_lines l WHERE l.commitment_id = commitments.id AND l.status = 'verified'), 0),
claimed_milli = COALESCE((SELECT SUM(l.quantity_milli) FROM delivery_lines l WHERE l.commitment_id = commitments.id AND l.status IN ('submitted', 'queried')), 0)`)
		return err
	})
}

// SpendIntegrityForTest counts payments whose run is missing or belongs to
// another buyer, and rollup rows whose buyer is missing: the invariants
// the import keeps where PostgreSQL no longer checks foreign keys.
func SpendIntegrityForTest(s *Store) (int, error) {
	var n int
	err := s.readRow(context.Background(), `SELECT
		(SELECT COUNT(*) FROM spend_payments p LEFT JOIN spend_runs r ON r.id = p.run_id WHERE r.id IS NULL OR r.buyer_org_id <> p.buyer_org_id)
		+ (SELECT COUNT(*) FROM spend_rollup x LEFT JOIN organisations o ON o.id = x.buyer_org_id WHERE o.id IS NULL)
		+ (SELECT COUNT(*) FROM spend_rollup_supplier x LEFT JOIN organisations o ON o.id = x.buyer_org_id WHERE o.id IS NULL)`).Scan(&n)
	return n, err
}

// SmallSpendLoadForTest makes the spend import merge its rollup scratch
// table after every flush, so small test files exercise the merge.
func SmallSpendLoadForTest(s *Store) { s.spendLoadRows = 1 }
