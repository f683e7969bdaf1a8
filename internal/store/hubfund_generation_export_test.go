package store

import (
	"context"
	"database/sql"
	"strings"
)

// HubFundTriggersForTest lists, per generation (hub, fund) and table, the
// writes (INSERT, UPDATE, DELETE) that fire a trigger of migration 57.
func (s *Store) HubFundTriggersForTest(ctx context.Context) (map[string]map[string]map[string]bool, error) {
	q := `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE '%hub_generation%' OR name LIKE '%fund_generation%')`
	if s.dialect == Postgres {
		q = `SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE '%hub_generation%' OR t.tgname LIKE '%fund_generation%'`
	}
	type row struct{ name, table, def string }
	rows, err := query(ctx, s, "hub and fund triggers", func(r *sql.Rows) (row, error) {
		var x row
		return x, r.Scan(&x.name, &x.table, &x.def)
	}, q)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]map[string]bool{}
	for _, x := range rows {
		kind := RefFund
		if strings.Contains(x.name, "_hub_generation") {
			kind = RefHub
		}
		if out[kind] == nil {
			out[kind] = map[string]map[string]bool{}
		}
		if out[kind][x.table] == nil {
			out[kind][x.table] = map[string]bool{}
		}
		def := strings.ToUpper(x.def)
		// What fires it (between AFTER and ON), and which row it raises.
		events := def
		if a, b := strings.Index(def, " AFTER "), strings.Index(def, " ON "); a >= 0 && b > a {
			events = def[a+len(" AFTER ") : b]
		}
		k := strings.ToUpper(kind)
		if !strings.Contains(def, "NAME = '"+k+"'") && !strings.Contains(def, "REFERENCE_GENERATION_"+k+"()") {
			continue
		}
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			if strings.Contains(events, op) {
				out[kind][x.table][op] = true
			}
		}
	}
	return out, nil
}
