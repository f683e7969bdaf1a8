package store

import (
	"context"
	"fmt"
	"strings"
)

// MigrateDownToForTest rolls migrations back until version is the last
// applied.
func MigrateDownToForTest(s *Store, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(context.Background(), version)
	return err
}

// QueryRowsForTest runs a query on the reader and returns each row's
// values joined by "|", in the order the query gives them.
func QueryRowsForTest(s *Store, query string, args ...any) ([]string, error) {
	rows, err := s.r.QueryContext(context.Background(), query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out, rows.Err()
}
