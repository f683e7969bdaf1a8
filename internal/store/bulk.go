package store

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"strconv"
	"strings"
)

// bulkInsert adds n rows to table in multi-row statements. On SQLite the
// statements use anonymous ? parameters: SQLite resolves $N names by a
// linear search, which made a statement with thousands of them slower than
// row-by-row inserts; ? parameters bind by position. A full-size batch
// statement is prepared once and reused.
func (s *Store) bulkInsert(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, row func(i int) []any) error {
	return s.bulkUpsert(ctx, tx, table, cols, "", n, row)
}

// bulkUpsert is bulkInsert with a clause after the VALUES, such as ON
// CONFLICT … DO UPDATE.
func (s *Store) bulkUpsert(ctx context.Context, tx *sql.Tx, table string, cols []string, suffix string, n int, row func(i int) []any) error {
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	if s.dialect == SQLite {
		const batch = 100
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		stmt := func(rows int) string {
			return head + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ") + " " + suffix
		}
		full, err := tx.PrepareContext(ctx, stmt(batch))
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		defer full.Close()
		args := make([]any, 0, batch*len(cols))
		for i := 0; i < n; i += batch {
			end := min(i+batch, n)
			args = args[:0]
			for j := i; j < end; j++ {
				args = append(args, row(j)...)
			}
			if end-i == batch {
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, stmt(end-i), args...)
			}
			if err != nil {
				return fmt.Errorf("insert into %s, rows %d-%d: %w", table, i+1, end, err)
			}
		}
		return nil
	}
	batch := max(1, 30000/len(cols)) // PostgreSQL allows 65,535 parameters
	for i := 0; i < n; i += batch {
		end := min(i+batch, n)
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, (end-i)*len(cols))
		for j := i; j < end; j++ {
			if j > i {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(len(args)+1, len(cols)) + ")")
			args = append(args, row(j)...)
		}
		b.WriteString(" " + suffix)
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert into %s, rows %d-%d: %w", table, i+1, end, err)
		}
	}
	return nil
}

// placeholders returns "$from, $from+1, …" for n parameters.
func placeholders(from, n int) string {
	var b strings.Builder
	for k := range n {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+k))
	}
	return b.String()
}

// bulkLoad writes rows in the transaction as fast as the engine allows:
// COPY on PostgreSQL (through the pgx connection under the transaction),
// prepared multi-row INSERTs on SQLite.
func (s *Store) bulkLoad(ctx context.Context, tx *sql.Tx, conn *sql.Conn, table string, cols []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	if s.dialect != Postgres || conn == nil {
		return s.bulkInsert(ctx, tx, table, cols, n, row)
	}
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection", table)
		}
		if _, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(n, func(i int) ([]any, error) { return row(i), nil })); err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		return nil
	})
}
