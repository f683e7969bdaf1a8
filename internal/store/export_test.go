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
		(SELECT COUNT(*) FROM spend_blocks p LEFT JOIN spend_runs r ON r.id = p.run_id WHERE r.id IS NULL OR r.buyer_org_id <> p.buyer_org_id)
		+ (SELECT COUNT(*) FROM spend_rollup x LEFT JOIN organisations o ON o.id = x.buyer_org_id WHERE o.id IS NULL)
		+ (SELECT COUNT(*) FROM spend_rollup_supplier x LEFT JOIN organisations o ON o.id = x.buyer_org_id WHERE o.id IS NULL)`).Scan(&n)
	return n, err
}

// SmallSpendLoadForTest makes the spend import write its rollup sums every
// thousand groups (so groups are written more than once and upserted) and
// finish its open payment blocks every few kilobytes, so small test files
// exercise both.
func SmallSpendLoadForTest(s *Store) { s.spendRollGroups, s.spendOpenBytes = 1000, 4096 }

// OpenUnmigratedForTest opens a store without applying migrations (Open
// always migrates SQLite).
func OpenUnmigratedForTest(dsn string) (*Store, error) { return open(context.Background(), dsn) }

// MigrateToForTest applies migrations up to and including version.
func MigrateToForTest(s *Store, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(context.Background(), version)
	return err
}

// ExecForTest runs a statement on the writer, for setting up states the
// application no longer writes (payments stored one per row before
// migration 20).
func ExecForTest(s *Store, query string, args ...any) error {
	_, err := s.w.ExecContext(context.Background(), query, args...)
	return err
}

// SpendBlocksForTest decodes every stored payment block and sums the
// payments by the spend_rollup grain, keyed "buyer|month|payee|redacted|
// service|category", and by the spend_rollup_supplier grain, keyed
// "payee|buyer|month|payee|redacted", with the count and net pence; it
// also returns the same sums added up from the two rollups' partial sums,
// to compare.
func SpendBlocksForTest(s *Store) (blocks, rollup map[string][2]int64, err error) {
	ctx := context.Background()
	blocks, rollup = map[string][2]int64{}, map[string][2]int64{}
	rows, err := s.r.QueryContext(ctx, `SELECT buyer_org_id, month, supplier_name, redacted, payments, net_pence, data FROM spend_blocks`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var buyer, n, net int64
		var month, supplier string
		var redacted bool
		var data []byte
		if err := rows.Scan(&buyer, &month, &supplier, &redacted, &n, &net, &data); err != nil {
			return nil, nil, err
		}
		var gotN, gotNet int64
		if err := decodeBlock(data, func(p *decodedPayment) {
			for _, k := range []string{fmt.Sprintf("%d|%s|%s|%t|%s|%s", buyer, month, supplier, redacted, p.Service, p.ExpenseType), fmt.Sprintf("payee|%d|%s|%s|%t", buyer, month, supplier, redacted)} {
				v := blocks[k]
				blocks[k] = [2]int64{v[0] + 1, v[1] + p.NetPence}
			}
			gotN++
			gotNet += p.NetPence
		}); err != nil {
			return nil, nil, err
		}
		if gotN != n || gotNet != net {
			return nil, nil, fmt.Errorf("block of %s in %s says %d payments, %d pence; holds %d, %d", supplier, month, n, net, gotN, gotNet)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rrows, err := s.r.QueryContext(ctx, `SELECT buyer_org_id, month, supplier_name, redacted, service, expense_type, payments, net_pence FROM spend_rollup`)
	if err != nil {
		return nil, nil, err
	}
	defer rrows.Close()
	for rrows.Next() {
		var buyer, n, net int64
		var month, supplier, service, category string
		var redacted bool
		if err := rrows.Scan(&buyer, &month, &supplier, &redacted, &service, &category, &n, &net); err != nil {
			return nil, nil, err
		}
		k := fmt.Sprintf("%d|%s|%s|%t|%s|%s", buyer, month, supplier, redacted, service, category)
		v := rollup[k] // the rollups hold partial sums: add them up
		rollup[k] = [2]int64{v[0] + n, v[1] + net}
	}
	if err := rrows.Err(); err != nil {
		return nil, nil, err
	}
	prows, err := s.r.QueryContext(ctx, `SELECT buyer_org_id, month, supplier_name, redacted, payments, net_pence FROM spend_rollup_supplier`)
	if err != nil {
		return nil, nil, err
	}
	defer prows.Close()
	for prows.Next() {
		var buyer, n, net int64
		var month, supplier string
		var redacted bool
		if err := prows.Scan(&buyer, &month, &supplier, &redacted, &n, &net); err != nil {
			return nil, nil, err
		}
		k := fmt.Sprintf("payee|%d|%s|%s|%t", buyer, month, supplier, redacted)
		v := rollup[k]
		rollup[k] = [2]int64{v[0] + n, v[1] + net}
	}
	return blocks, rollup, prows.Err()
}
