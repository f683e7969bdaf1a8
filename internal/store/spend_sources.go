package store

import (
	"context"
	"database/sql"
)

// SpendSources lists the files a buyer's stored payments came from, oldest
// first, so pages can say where their figures come from.
func (s *Store) SpendSources(ctx context.Context, buyerID int64) ([]SpendRun, error) {
	rows, err := s.read(ctx, `SELECT id, file_name, rows_imported, total_net_pence, date_from, date_to FROM spend_runs WHERE buyer_org_id = $1 AND rows_imported > 0 ORDER BY id`, buyerID)
	return collect("spend sources", rows, err, func(r *sql.Rows) (SpendRun, error) {
		var run SpendRun
		return run, r.Scan(&run.ID, &run.File, &run.RowsImported, &run.TotalNetPence, &run.DateFrom, &run.DateTo)
	})
}
