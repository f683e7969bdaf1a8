package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/spend"
)

// ImportSpendStream stores a file for a buyer in one transaction as it is
// read, so an interrupted import leaves nothing behind and memory stays
// bounded.
//
// Reading and writing overlap: the file is parsed, counted and summed into
// the rollups on one goroutine while the transaction writes the previous
// batch on this one.
//
// Payments are de-duplicated as a multiset: for each payment key (every
// mapped field of the line, so the date too) only as many copies are kept
// as the file has beyond those already stored, so re-imports and
// overlapping files add nothing twice while identical lines within a file
// are all kept. A payment can only repeat a stored one in a month that
// already held payments for the buyer, so only those months are
// compared, after the file is written, in SQL; a file of new months (the
// usual case, and every first import) skips the comparison entirely.
func (s *Store) ImportSpendStream(ctx context.Context, actor auth.Actor, buyerID int64, file, sha string, stream SpendStream) (SpendRun, error) {
	run := SpendRun{File: file, SHA256: sha}
	err := s.txConn(ctx, func(tx *sql.Tx, conn *sql.Conn) error {
		if s.dialect == Postgres {
			// Two nodes importing for one buyer at once would each miss
			// the other's uncommitted payments when de-duplicating.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7243003, $1)`, int32(buyerID)); err != nil {
				return fmt.Errorf("spend import lock: %w", err)
			}
		}
		stored := map[int]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT month FROM spend_rollup_supplier WHERE buyer_org_id = $1`, buyerID)
		months, err := collect("stored spend months", rows, err, scanString)
		if err != nil {
			return err
		}
		for _, m := range months {
			if ym, ok := parseMonth(m); ok {
				stored[ym] = true
			}
		}
		// The run row comes first so payments can reference it; its counts
		// are filled in at the end, in the same transaction.
		if err := tx.QueryRowContext(ctx, `INSERT INTO spend_runs (buyer_org_id, file_name, file_sha256, rows_read, rows_imported, rows_rejected, rows_duplicate, total_net_pence, date_from, date_to, columns, date_order, created_at)
			VALUES ($1, $2, $3, 0, 0, 0, 0, 0, '', '', '{}', '', $4) RETURNING id`, buyerID, file, sha, time.Now().UTC()).Scan(&run.ID); err != nil {
			return fmt.Errorf("spend run: %w", err)
		}
		if err := s.createRollupLoad(ctx, tx); err != nil {
			return err
		}
		r := newSpendReader(stored, buyerID, run.ID)
		batches := make(chan spendBatch, 4)
		stop := make(chan struct{})
		var meta spend.Meta
		var readErr error
		go func() {
			defer close(batches)
			meta, readErr = r.read(stream, batches, stop)
		}()
		var writeErr error
		loaded := 0 // rows in the rollup scratch table
		for b := range batches {
			if writeErr == nil {
				if writeErr = s.writeSpendBatch(ctx, tx, conn, buyerID, run.ID, b, &loaded); writeErr != nil {
					close(stop) // the reader stops at its next row
				}
			}
		}
		if writeErr != nil {
			return writeErr
		}
		if readErr != nil {
			return readErr
		}
		run.RowsImported, run.RowsRejected, run.TotalNetPence = r.imported, r.rejected, r.net
		if err := s.mergeRollupLoad(ctx, tx, buyerID); err != nil {
			return err
		}
		if s.dialect == SQLite {
			if _, err := tx.ExecContext(ctx, `DROP TABLE temp.spend_rollup_load`); err != nil {
				return fmt.Errorf("spend rollup scratch table: %w", err)
			}
		}
		if err := s.dedupeSpendMonths(ctx, tx, buyerID, &run, r); err != nil {
			return err
		}
		run.RowsBlank, run.Columns, run.DateOrder = meta.Blank, meta.Columns.Name, string(meta.DateOrder)
		run.RowsRead = run.RowsImported + run.RowsDuplicate + run.RowsRejected + run.RowsBlank
		if run.RowsImported > 0 {
			run.DateFrom, run.DateTo = dayString(r.from), dayString(r.to)
		}
		cols, _ := json.Marshal(run.Columns)
		extra, _ := json.Marshal(meta.Columns.ExtraNames())
		if _, err := tx.ExecContext(ctx, `UPDATE spend_runs SET rows_read = $1, rows_imported = $2, rows_rejected = $3, rows_duplicate = $4, total_net_pence = $5, date_from = $6, date_to = $7, columns = $8, date_order = $9, extra_columns = $10 WHERE id = $11`,
			run.RowsRead, run.RowsImported, run.RowsRejected, run.RowsDuplicate, run.TotalNetPence, run.DateFrom, run.DateTo, string(cols), run.DateOrder, string(extra), run.ID); err != nil {
			return fmt.Errorf("spend run: %w", err)
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "spend.import", ObjectType: "spend_run", ObjectID: strconv.FormatInt(run.ID, 10),
			Summary: audit.Summary(nil, map[string]any{"buyer_org_id": buyerID, "file": run.File, "imported": run.RowsImported, "rejected": run.RowsRejected, "duplicate": run.RowsDuplicate, "total_net_pence": run.TotalNetPence})})
	})
	return run, err
}

// spendBatch is what the reader hands the writer: payments and rejects to
// insert, and, now and then, rollup sums to add.
type spendBatch struct {
	pays []any // len(payCols) values per payment, ready to bind
	rejs []spend.Reject
	roll spendRollup
}

// Rollups are summed in memory and added to the tables when they grow past
// this many groups, so memory stays bounded on files of any size.
const (
	spendBatchRows  = 4000
	spendRollGroups = 50000
)

// spendReader parses the file on its own goroutine: it counts, sums and
// dates the rows, and sums the rollups for months that held no payments
// before (those that did are recomputed after de-duplication).
type spendReader struct {
	stored   map[int]bool // months (year×12+month) with payments before this run
	overlap  map[int]bool // stored months this file has payments in
	imported int
	rejected int
	net      int64
	from, to int // yyyymmdd of payments outside overlapping months
	roll     spendRollup
	buyerID  int64
	runID    int64
	days     map[time.Time]string // dates as stored, formatted once each
}

func newSpendReader(stored map[int]bool, buyerID, runID int64) *spendReader {
	return &spendReader{stored: stored, overlap: map[int]bool{}, roll: spendRollup{}, buyerID: buyerID, runID: runID, days: map[time.Time]string{}}
}

func (r *spendReader) read(stream SpendStream, out chan<- spendBatch, stop <-chan struct{}) (spend.Meta, error) {
	b := spendBatch{pays: make([]any, 0, spendBatchRows*len(payCols))}
	send := func() bool {
		select {
		case out <- b:
		case <-stop:
			return false
		}
		b = spendBatch{pays: make([]any, 0, spendBatchRows*len(payCols))}
		return true
	}
	errStopped := fmt.Errorf("spend import stopped")
	meta, err := stream(func(p *spend.Payment, rej *spend.Reject) error {
		if rej != nil {
			r.rejected++
			b.rejs = append(b.rejs, *rej)
		} else {
			r.imported++
			r.net += p.NetPence
			ym := p.Date.Year()*12 + int(p.Date.Month()) - 1
			if r.stored[ym] {
				r.overlap[ym] = true
			} else {
				day := p.Date.Year()*10000 + int(p.Date.Month())*100 + p.Date.Day()
				if r.from == 0 || day < r.from {
					r.from = day
				}
				if day > r.to {
					r.to = day
				}
				r.roll.add(ym, p)
			}
			b.pays = r.appendRow(b.pays, p)
		}
		if len(r.roll) >= spendRollGroups {
			b.roll, r.roll = r.roll, spendRollup{}
		}
		if len(b.pays)/len(payCols)+len(b.rejs) >= spendBatchRows || b.roll != nil {
			if !send() {
				return errStopped
			}
		}
		return nil
	})
	if err != nil {
		return meta, err
	}
	b.roll = r.roll
	if !send() {
		return meta, errStopped
	}
	return meta, nil
}

// spendRollup sums payments by month, payee spelling, service and
// category, as spend_rollup groups them (the payee rollup is summed from
// these at the end).
type spendRollup map[rollKey]*rollSum

type rollKey struct {
	ym                             int
	supplier, service, expenseType string
	redacted                       bool
}

type rollSum struct {
	vat, company string // the greatest seen, as the SQL rollups keep MAX
	net, n       int64
}

func (r spendRollup) add(ym int, p *spend.Payment) {
	k := rollKey{ym, p.Supplier, p.Service, p.ExpenseType, p.Redacted}
	sum := r[k]
	if sum == nil {
		// Copies, so a group does not keep its first line's whole record.
		k.supplier, k.service, k.expenseType = strings.Clone(k.supplier), strings.Clone(k.service), strings.Clone(k.expenseType)
		sum = &rollSum{}
		r[k] = sum
	}
	sum.net += p.NetPence
	sum.n++
	if p.VATNumber > sum.vat {
		sum.vat = strings.Clone(p.VATNumber)
	}
	if p.CompanyNumber > sum.company {
		sum.company = strings.Clone(p.CompanyNumber)
	}
}

// appendRow adds a payment's column values, built here on the reading
// goroutine so the writer only binds them.
func (r *spendReader) appendRow(row []any, p *spend.Payment) []any {
	var gross any
	if p.GrossPence != nil {
		gross = *p.GrossPence
	}
	day, ok := r.days[p.Date]
	if !ok {
		day = p.Date.Format(time.DateOnly)
		r.days[p.Date] = day
	}
	return append(row, r.buyerID, r.runID, p.Key, day, p.Supplier, p.Redacted, p.NetPence, gross, p.Transaction, p.SupplierID, p.VATNumber, p.CompanyNumber, p.Postcode, p.Service, p.ExpenseType, p.Merchant, p.Extra)
}

var payCols = []string{"buyer_org_id", "run_id", "payment_key", "paid_on", "supplier_name", "redacted", "net_pence", "gross_pence", "transaction_no", "supplier_id", "vat_number", "company_number", "postcode", "service", "expense_type", "merchant", "extra"}

// writeSpendBatch inserts a batch's payments and rejects and adds its
// rollup sums.
func (s *Store) writeSpendBatch(ctx context.Context, tx *sql.Tx, conn *sql.Conn, buyerID, runID int64, b spendBatch, loaded *int) error {
	w := len(payCols)
	if err := s.bulkLoad(ctx, tx, conn, "spend_payments", payCols, len(b.pays)/w, func(i int) []any { return b.pays[i*w : (i+1)*w] }); err != nil {
		return err
	}
	if err := s.bulkLoad(ctx, tx, conn, "spend_rejects", []string{"run_id", "line", "field", "reason", "raw"}, len(b.rejs), func(i int) []any {
		r := &b.rejs[i]
		return []any{runID, r.Line, r.Field, r.Reason, r.Raw}
	}); err != nil {
		return err
	}
	if b.roll == nil {
		return nil
	}
	keys := make([]rollKey, 0, len(b.roll))
	for k := range b.roll {
		keys = append(keys, k)
	}
	if err := s.bulkLoad(ctx, tx, conn, "spend_rollup_load", []string{"month", "supplier_name", "redacted", "service", "expense_type", "vat_number", "company_number", "net_pence", "payments"}, len(keys), func(i int) []any {
		k, v := keys[i], b.roll[keys[i]]
		return []any{monthString(k.ym), k.supplier, k.redacted, k.service, k.expenseType, v.vat, v.company, v.net, v.n}
	}); err != nil {
		return err
	}
	// The scratch table is merged when it grows large, so it stays small
	// (SQLite keeps it in memory).
	if *loaded += len(keys); *loaded >= s.spendLoadRows {
		*loaded = 0
		return s.mergeRollupLoad(ctx, tx, buyerID)
	}
	return nil
}

// createRollupLoad makes the transaction's scratch table for rollup sums:
// summed in memory, written here without indexes as they fill, then added
// to the rollup tables in two set-based statements now and then and at
// the end.
func (s *Store) createRollupLoad(ctx context.Context, tx *sql.Tx) error {
	cols := `(month TEXT NOT NULL, supplier_name TEXT NOT NULL, redacted BOOLEAN NOT NULL, service TEXT NOT NULL, expense_type TEXT NOT NULL,
		vat_number TEXT NOT NULL, company_number TEXT NOT NULL, net_pence BIGINT NOT NULL, payments BIGINT NOT NULL)`
	q := []string{`CREATE TEMP TABLE spend_rollup_load ` + cols + ` ON COMMIT DROP`}
	if s.dialect == SQLite { // temporary tables last as long as the connection
		q = []string{`DROP TABLE IF EXISTS temp.spend_rollup_load`, `CREATE TEMP TABLE spend_rollup_load ` + cols}
	}
	for _, stmt := range q {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("spend rollup scratch table: %w", err)
		}
	}
	return nil
}

// mergeRollupLoad adds the scratch sums to both rollup tables and empties
// the scratch table.
func (s *Store) mergeRollupLoad(ctx context.Context, tx *sql.Tx, buyerID int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO spend_rollup (buyer_org_id, month, supplier_name, redacted, service, expense_type, vat_number, company_number, net_pence, payments)
		SELECT $1, month, supplier_name, redacted, service, expense_type, MAX(vat_number), MAX(company_number), SUM(net_pence), SUM(payments)
		FROM spend_rollup_load WHERE true GROUP BY month, supplier_name, redacted, service, expense_type
		ON CONFLICT (buyer_org_id, month, supplier_name, redacted, service, expense_type) DO UPDATE SET `+rollupMerge("spend_rollup"), buyerID); err != nil {
		return fmt.Errorf("spend rollup: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO spend_rollup_supplier (buyer_org_id, month, supplier_name, redacted, vat_number, company_number, net_pence, payments)
		SELECT $1, month, supplier_name, redacted, MAX(vat_number), MAX(company_number), SUM(net_pence), SUM(payments)
		FROM spend_rollup_load WHERE true GROUP BY month, supplier_name, redacted
		ON CONFLICT (buyer_org_id, month, supplier_name, redacted) DO UPDATE SET `+rollupMerge("spend_rollup_supplier"), buyerID); err != nil {
		return fmt.Errorf("spend supplier rollup: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM spend_rollup_load`); err != nil {
		return fmt.Errorf("spend rollup scratch table: %w", err)
	}
	return nil
}

// rollupMerge adds an upserted row's sums to the stored row's, keeping the
// greater VAT and company numbers.
func rollupMerge(table string) string {
	return `net_pence = ` + table + `.net_pence + excluded.net_pence, payments = ` + table + `.payments + excluded.payments,
		vat_number = CASE WHEN excluded.vat_number > ` + table + `.vat_number THEN excluded.vat_number ELSE ` + table + `.vat_number END,
		company_number = CASE WHEN excluded.company_number > ` + table + `.company_number THEN excluded.company_number ELSE ` + table + `.company_number END`
}

// dedupeSpendMonths removes, in each month the file shares with payments
// stored before, the file's copies of each payment key up to the number
// already stored, then recomputes those months' rollups from the payments.
func (s *Store) dedupeSpendMonths(ctx context.Context, tx *sql.Tx, buyerID int64, run *SpendRun, r *spendReader) error {
	if len(r.overlap) > 0 && s.dialect == Postgres {
		// Without statistics on the rows just copied in, the planner
		// takes the comparison below for a handful of rows and joins them
		// in nested loops (over two minutes for 25,000 rows a side).
		if _, err := tx.ExecContext(ctx, `ANALYZE spend_payments`); err != nil {
			return fmt.Errorf("spend duplicates: %w", err)
		}
	}
	for ym := range r.overlap {
		first, next := monthString(ym)+"-01", monthString(ym+1)+"-01"
		rows, err := tx.QueryContext(ctx, `WITH n AS (
				SELECT id, payment_key, ROW_NUMBER() OVER (PARTITION BY payment_key ORDER BY id) AS rn
				FROM spend_payments WHERE buyer_org_id = $1 AND paid_on >= $2 AND paid_on < $3 AND run_id = $4),
			e AS (
				SELECT payment_key, COUNT(*) AS c
				FROM spend_payments WHERE buyer_org_id = $1 AND paid_on >= $2 AND paid_on < $3 AND run_id <> $4 GROUP BY payment_key)
			DELETE FROM spend_payments WHERE id IN (SELECT n.id FROM n JOIN e ON e.payment_key = n.payment_key WHERE n.rn <= e.c)
			RETURNING net_pence`, buyerID, first, next, run.ID)
		if err != nil {
			return fmt.Errorf("spend duplicates in %s: %w", monthString(ym), err)
		}
		for rows.Next() {
			var net int64
			if err := rows.Scan(&net); err != nil {
				rows.Close()
				return fmt.Errorf("spend duplicates in %s: %w", monthString(ym), err)
			}
			run.RowsDuplicate++
			run.RowsImported--
			run.TotalNetPence -= net
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("spend duplicates in %s: %w", monthString(ym), err)
		}
		var lo, hi sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT MIN(paid_on), MAX(paid_on) FROM spend_payments WHERE buyer_org_id = $1 AND paid_on >= $2 AND paid_on < $3 AND run_id = $4`,
			buyerID, first, next, run.ID).Scan(&lo, &hi); err != nil {
			return fmt.Errorf("spend dates in %s: %w", monthString(ym), err)
		}
		if lo.Valid {
			l, h := dayNumber(lo.String), dayNumber(hi.String)
			if r.from == 0 || l < r.from {
				r.from = l
			}
			r.to = max(r.to, h)
		}
		month := monthString(ym)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM spend_rollup WHERE buyer_org_id = $1 AND month = $2`, []any{buyerID, month}},
			{`INSERT INTO spend_rollup (buyer_org_id, month, supplier_name, redacted, service, expense_type, vat_number, company_number, net_pence, payments)
				SELECT buyer_org_id, $2, supplier_name, redacted, service, expense_type, MAX(vat_number), MAX(company_number), SUM(net_pence), COUNT(*)
				FROM spend_payments WHERE buyer_org_id = $1 AND paid_on >= $3 AND paid_on < $4 GROUP BY buyer_org_id, supplier_name, redacted, service, expense_type`, []any{buyerID, month, first, next}},
			{`DELETE FROM spend_rollup_supplier WHERE buyer_org_id = $1 AND month = $2`, []any{buyerID, month}},
			{`INSERT INTO spend_rollup_supplier (buyer_org_id, month, supplier_name, redacted, vat_number, company_number, net_pence, payments)
				SELECT buyer_org_id, month, supplier_name, redacted, MAX(vat_number), MAX(company_number), SUM(net_pence), SUM(payments)
				FROM spend_rollup WHERE buyer_org_id = $1 AND month = $2 GROUP BY buyer_org_id, month, supplier_name, redacted`, []any{buyerID, month}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return fmt.Errorf("spend rollup for %s: %w", month, err)
			}
		}
	}
	return nil
}

// Months are counted as year×12 + (month−1); days as yyyymmdd.
func monthString(ym int) string {
	return fmt.Sprintf("%04d-%02d", ym/12, ym%12+1)
}

func parseMonth(s string) (int, bool) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return 0, false
	}
	return t.Year()*12 + int(t.Month()) - 1, true
}

func dayString(d int) string {
	return fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
}

func dayNumber(s string) int {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0
	}
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}
