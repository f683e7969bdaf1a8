package store

import (
	"context"
	"database/sql"
	"strings"
)

// GenerationTriggersForTest lists, per table, the writes (INSERT, UPDATE,
// DELETE) that fire a trigger whose name contains part (generationTriggers).
func (s *Store) GenerationTriggersForTest(ctx context.Context, part string) (map[string]map[string]bool, error) {
	return s.generationTriggers(ctx, part)
}

// generationTriggers lists, per table, the writes (INSERT, UPDATE, DELETE)
// that fire a trigger whose name contains part, read from the trigger's
// definition ("AFTER INSERT OR UPDATE …" on PostgreSQL, "AFTER INSERT ON"
// on SQLite), never from its body.
func (s *Store) generationTriggers(ctx context.Context, part string) (map[string]map[string]bool, error) {
	q := `SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%' || $1 || '%'`
	if s.dialect == Postgres {
		q = `SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE '%' || $1 || '%'`
	}
	type row struct{ table, def string }
	rows, err := query(ctx, s, part+" triggers", func(r *sql.Rows) (row, error) {
		var x row
		return x, r.Scan(&x.table, &x.def)
	}, q, part)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]bool{}
	for _, x := range rows {
		if out[x.table] == nil {
			out[x.table] = map[string]bool{}
		}
		words := strings.Fields(strings.ToUpper(x.def))
		for i, w := range words {
			// "AFTER INSERT OR UPDATE …" (PostgreSQL) or "AFTER INSERT ON" (SQLite).
			if (w == "INSERT" || w == "UPDATE" || w == "DELETE") && i > 0 && (words[i-1] == "AFTER" || words[i-1] == "OR") {
				out[x.table][w] = true
			}
		}
	}
	return out, nil
}
