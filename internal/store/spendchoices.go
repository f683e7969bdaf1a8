package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// addSpendChoices records the service areas and expense categories of a
// flush of rollup sums as the buyer's filter choices (spend_choices,
// migration 43), in the import's transaction. Values already known are
// left alone, so the table only ever holds each once.
func (s *Store) addSpendChoices(ctx context.Context, tx *sql.Tx, buyerID int64, roll spendRollup) error {
	type choice struct{ field, value string }
	seen := map[choice]bool{}
	var add []choice
	for k := range roll {
		for _, c := range []choice{{"service", k.service}, {"expense_type", k.expenseType}} {
			if c.value != "" && !seen[c] {
				seen[c] = true
				add = append(add, c)
			}
		}
	}
	// In key order, so the primary key index takes them in order.
	slices.SortFunc(add, func(a, b choice) int {
		return cmp.Or(strings.Compare(a.field, b.field), strings.Compare(a.value, b.value))
	})
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
		if field == "service" {
			services = append(services, value)
		} else {
			types = append(types, value)
		}
	}
	return services, types, rows.Err()
}
