package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// bulkInsert adds n rows to table. On PostgreSQL rows go in multi-row
// statements (fewer round trips); on SQLite one prepared single-row
// statement is reused, because SQLite resolves $N parameters by a linear
// search and a statement with thousands of them costs more than it saves.
func (s *Store) bulkInsert(ctx context.Context, tx *sql.Tx, table string, cols []string, n int, row func(i int) []any) error {
	one := "(" + placeholders(1, len(cols)) + ")"
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	if s.dialect == SQLite {
		st, err := tx.PrepareContext(ctx, head+one)
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		defer st.Close()
		for i := range n {
			if _, err := st.ExecContext(ctx, row(i)...); err != nil {
				return fmt.Errorf("insert into %s, row %d: %w", table, i+1, err)
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
