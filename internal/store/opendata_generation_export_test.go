package store

import (
	"context"
	"database/sql"
)

// OpenDataTriggersForTest lists, per table, the writes (INSERT, UPDATE,
// DELETE) that fire a trigger of migration 56.
func (s *Store) OpenDataTriggersForTest(ctx context.Context) (map[string]map[string]bool, error) {
	q := `SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%opendata_generation%'`
	if s.dialect == Postgres {
		q = `SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE '%opendata_generation%'`
	}
	type row struct{ table, def string }
	rows, err := query(ctx, s, "open data triggers", func(r *sql.Rows) (row, error) {
		var x row
		return x, r.Scan(&x.table, &x.def)
	}, q)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]bool{}
	for _, x := range rows {
		if out[x.table] == nil {
			out[x.table] = map[string]bool{}
		}
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			if containsWord(x.def, op) {
				out[x.table][op] = true
			}
		}
	}
	return out, nil
}

func containsWord(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i:i+len(w)] == w && (i == 0 || s[i-1] == ' ') && (i+len(w) == len(s) || s[i+len(w)] == ' ') {
			return true
		}
	}
	return false
}
