package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// spendChoice is one filter choice: a field and its value.
type spendChoice struct{ field, value string }

// addSpendChoices records the service areas and expense categories of a
// flush of rollup sums as the buyer's filter choices (spend_choices,
// migration 43), in the import's transaction. Values already known are
// left alone, so the table only ever holds each once. written holds the
// choices this import has already sent (by field, then value), so each
// flush sends only new ones: a 5-million-row file's twenty flushes each
// re-sent its ~15,000 choices, which cost PostgreSQL more than writing
// the rollups. It remembers at most remember choices; past that, later
// flushes send the rest again (the upsert leaves them alone), so a file of
// endless distinct categories costs time, not memory.
func (s *Store) addSpendChoices(ctx context.Context, tx *sql.Tx, buyerID int64, roll spendRollup, written *[2]map[string]struct{}, remember int) error {
	type choice = spendChoice
	var add []choice
	for k := range roll {
		for f, v := range [2]string{k.service, k.expenseType} {
			if v == "" {
				continue
			}
			if _, done := written[f][v]; done {
				continue
			}
			if len(written[0])+len(written[1]) < remember {
				written[f][v] = struct{}{}
			}
			add = append(add, choice{[2]string{SpendChoiceService, SpendChoiceCategory}[f], v})
		}
	}
	// In key order, so the primary key index takes them in order; once
	// the memory of what was written is full a value may come twice.
	slices.SortFunc(add, func(a, b choice) int {
		return cmp.Or(strings.Compare(a.field, b.field), strings.Compare(a.value, b.value))
	})
	add = slices.Compact(add)
	vals := make([]any, 3)
	if err := s.bulkUpsert(ctx, tx, "spend_choices", []string{"buyer_org_id", "field", "value"}, "ON CONFLICT DO NOTHING", len(add), func(i int) []any {
		vals[0], vals[1], vals[2] = buyerID, add[i].field, add[i].value
		return vals
	}); err != nil {
		return fmt.Errorf("spend filter choices: %w", err)
	}
	return nil
}

// SpendCategories lists a buyer's distinct service areas and expense
// categories, for filter choices, as its imports recorded them.
func (s *Store) SpendCategories(ctx context.Context, buyerID int64) (services, types []string, err error) {
	rows, err := s.read(ctx, `SELECT field, value FROM spend_choices WHERE buyer_org_id = $1 ORDER BY field, value`, buyerID)
	if err != nil {
		return nil, nil, fmt.Errorf("spend filter choices: %w", wrapConn(err))
	}
	defer rows.Close()
	for rows.Next() {
		var field, value string
		if err := rows.Scan(&field, &value); err != nil {
			return nil, nil, fmt.Errorf("spend filter choices: %w", err)
		}
		if field == SpendChoiceService {
			services = append(services, value)
		} else {
			types = append(types, value)
		}
	}
	return services, types, rows.Err()
}

// writeTotals appends a flush of rollup sums to the month and service
// totals (migration 44), partial sums like the rollups they come from.
func (s *Store) writeTotals(ctx context.Context, tx *sql.Tx, conn *sql.Conn, buyerID int64, roll spendRollup, months monthNames) error {
	type serviceMonth struct {
		ym      int
		service string
	}
	byMonth, byService := map[int]*rollSum{}, map[serviceMonth]*rollSum{}
	for k, v := range roll {
		m := byMonth[k.ym]
		if m == nil {
			m = &rollSum{}
			byMonth[k.ym] = m
		}
		m.net, m.n = m.net+v.net, m.n+v.n
		sk := serviceMonth{k.ym, k.service}
		sv := byService[sk]
		if sv == nil {
			sv = &rollSum{}
			byService[sk] = sv
		}
		sv.net, sv.n = sv.net+v.net, sv.n+v.n
	}
	monthKeys := slices.Sorted(maps.Keys(byMonth))
	serviceKeys := slices.SortedFunc(maps.Keys(byService), func(a, b serviceMonth) int {
		return cmp.Or(cmp.Compare(a.ym, b.ym), strings.Compare(a.service, b.service))
	})
	vals := make([]any, 5) // reused: the loaders copy or encode each row at once
	if err := s.bulkLoad(ctx, tx, conn, "spend_month_totals", []string{"buyer_org_id", "month", "net_pence", "payments"}, len(monthKeys), func(i int) []any {
		v := byMonth[monthKeys[i]]
		vals[0], vals[1], vals[2], vals[3] = buyerID, months.name(monthKeys[i]), v.net, v.n
		return vals[:4]
	}); err != nil {
		return fmt.Errorf("spend month totals: %w", err)
	}
	if err := s.bulkLoad(ctx, tx, conn, "spend_service_totals", []string{"buyer_org_id", "month", "service", "net_pence", "payments"}, len(serviceKeys), func(i int) []any {
		k := serviceKeys[i]
		v := byService[k]
		vals[0], vals[1], vals[2], vals[3], vals[4] = buyerID, months.name(k.ym), k.service, v.net, v.n
		return vals
	}); err != nil {
		return fmt.Errorf("spend service totals: %w", err)
	}
	return nil
}

// The fields of spend_choices.
const (
	SpendChoiceService  = "service"
	SpendChoiceCategory = "expense_type"
)

// SpendChoiceList is a buyer's filter choices for one field: how many
// there are, and the values themselves when there are few enough to list.
type SpendChoiceList struct {
	Count  int
	Values []string
}

// SpendChoiceLists counts a buyer's service areas and expense categories
// and lists those of a field with at most max values: a page offering a
// text box for the longer lists need not read thousands of them.
func (s *Store) SpendChoiceLists(ctx context.Context, buyerID int64, max int) (services, types SpendChoiceList, err error) {
	rows, err := s.read(ctx, `SELECT field, COUNT(*) FROM spend_choices WHERE buyer_org_id = $1 GROUP BY field`, buyerID)
	if err != nil {
		return services, types, fmt.Errorf("spend filter choices: %w", wrapConn(err))
	}
	defer rows.Close()
	for rows.Next() {
		var field string
		var n int
		if err := rows.Scan(&field, &n); err != nil {
			return services, types, fmt.Errorf("spend filter choices: %w", err)
		}
		if field == SpendChoiceService {
			services.Count = n
		} else {
			types.Count = n
		}
	}
	if err := rows.Err(); err != nil {
		return services, types, err
	}
	for _, l := range []struct {
		field string
		list  *SpendChoiceList
	}{{SpendChoiceService, &services}, {SpendChoiceCategory, &types}} {
		if l.list.Count == 0 || l.list.Count > max {
			continue
		}
		rows, err := s.read(ctx, `SELECT value FROM spend_choices WHERE buyer_org_id = $1 AND field = $2 ORDER BY value`, buyerID, l.field)
		if l.list.Values, err = collect("spend filter choices", rows, err, scanString); err != nil {
			return services, types, err
		}
	}
	return services, types, nil
}

// HasSpendChoice says whether a buyer's files name a service area
// (field SpendChoiceService) or expense category (SpendChoiceCategory).
func (s *Store) HasSpendChoice(ctx context.Context, buyerID int64, field, value string) (bool, error) {
	var n int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM spend_choices WHERE buyer_org_id = $1 AND field = $2 AND value = $3`, buyerID, field, value).Scan(&n); err != nil {
		return false, fmt.Errorf("spend filter choice: %w", wrapConn(err))
	}
	return n > 0, nil
}
