package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/spend"
)

// spendBlocksMigration is migration 20: it moves payments stored one per
// row (spend_payments) into blocks, a buyer-month at a time so memory
// stays bounded, and drops the row table. It is Go rather than SQL
// because blocks are encoded here.
const spendBlocksMigration = 20

func migrateSpendBlocks(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT buyer_org_id, substr(paid_on, 1, 7) FROM spend_payments`)
	if err != nil {
		return fmt.Errorf("payments to move: %w", err)
	}
	type buyerMonth struct {
		buyer int64
		month string
	}
	var todo []buyerMonth
	for rows.Next() {
		var bm buyerMonth
		if err := rows.Scan(&bm.buyer, &bm.month); err != nil {
			rows.Close()
			return fmt.Errorf("payments to move: %w", err)
		}
		todo = append(todo, bm)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("payments to move: %w", err)
	}
	for _, bm := range todo {
		if err := moveSpendMonth(ctx, tx, bm.buyer, bm.month); err != nil {
			return fmt.Errorf("move payments of buyer %d in %s: %w", bm.buyer, bm.month, err)
		}
	}
	_, err = tx.ExecContext(ctx, `DROP TABLE spend_payments`)
	return err
}

func moveSpendMonth(ctx context.Context, tx *sql.Tx, buyer int64, month string) error {
	ym, ok := parseMonth(month)
	if !ok {
		return fmt.Errorf("month %q is not YYYY-MM", month)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, run_id, payment_key, paid_on, supplier_name, redacted, net_pence, gross_pence, transaction_no, supplier_id, vat_number, company_number, postcode, service, expense_type, merchant, extra
		FROM spend_payments WHERE buyer_org_id = $1 AND paid_on >= $2 AND paid_on < $3 ORDER BY id`, buyer, month, monthString(ym+1))
	if err != nil {
		return err
	}
	type group struct {
		run      int64
		supplier string
		redacted bool
	}
	type pending struct {
		group
		e *blockEncoder
	}
	open := map[group]*blockEncoder{}
	var done []pending
	for rows.Next() {
		var (
			id              int64
			g               group
			key, day, extra string
			gross           sql.NullInt64
			p               spend.Payment
		)
		if err := rows.Scan(&id, &g.run, &key, &day, &g.supplier, &g.redacted, &p.NetPence, &gross, &p.Transaction, &p.SupplierID, &p.VATNumber, &p.CompanyNumber, &p.Postcode, &p.Service, &p.ExpenseType, &p.Merchant, &extra); err != nil {
			rows.Close()
			return err
		}
		k, err := hex.DecodeString(key)
		if err != nil || len(k) != 16 {
			rows.Close()
			return fmt.Errorf("payment %d: key %q is not 32 hex digits", id, key)
		}
		copy(p.Key[:], k)
		d, err := strconv.Atoi(strings.TrimPrefix(day, month+"-"))
		if err != nil || d < 1 || d > 31 {
			rows.Close()
			return fmt.Errorf("payment %d: date %q", id, day)
		}
		if gross.Valid {
			p.GrossPence = &gross.Int64
		}
		// Runs since migration 18 stored a JSON array of values; earlier
		// ones a JSON object, kept as its text.
		if extra != "" && (!strings.HasPrefix(extra, "[") || json.Unmarshal([]byte(extra), &p.Extra) != nil) {
			p.Extra = []string{extra}
		}
		e := open[g]
		if e == nil {
			e = newBlockEncoder()
			open[g] = e
		}
		e.add(d, &p)
		if e.encodedLen() >= blockMaxBytes {
			done = append(done, pending{g, e})
			delete(open, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for g, e := range open {
		done = append(done, pending{g, e})
	}
	for _, b := range done {
		if _, err := tx.ExecContext(ctx, `INSERT INTO spend_blocks (buyer_org_id, run_id, month, supplier_name, redacted, payments, net_pence, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			buyer, b.run, month, b.supplier, b.redacted, b.e.n, b.e.net, b.e.bytes()); err != nil {
			return err
		}
	}
	return nil
}

func unmigrateSpendBlocks(context.Context, *sql.Tx) error {
	return errors.New("migration 20 cannot be undone: payments are stored in blocks now; restore the database from a backup taken before it")
}
