package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
)

// SpendUploadCancelled is the status of an upload whose import was
// cancelled from its page: the job stops (rolling back) and is not retried.
const SpendUploadCancelled = "cancelled"

// CancelSpendUpload marks an unfinished upload cancelled, with an audit
// event in the same transaction. An import running in this process
// (registered with RunningSpendImport) is cancelled at once; one on
// another node sees the status within a second (SpendUploadStatus) and
// stops; either rolls its transaction back. A job not yet started does
// nothing. An upload already done, failed or cancelled is a conflict.
func (s *Store) CancelSpendUpload(ctx context.Context, actor auth.Actor, id int64) error {
	// An import running in this process is stopped at once: on SQLite its
	// transaction holds the one write connection this update needs.
	if c, ok := s.importCancels.Load(id); ok {
		c.(context.CancelFunc)()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE spend_uploads SET status = $1, detail = $2 WHERE id = $3 AND status IN ('queued', 'reading', 'importing')`,
			SpendUploadCancelled, "Cancelled by "+actor.Label()+"; nothing from this file was imported", id)
		if err != nil {
			return fmt.Errorf("cancel upload: %w", wrapConn(err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("the import has already finished: %w", problem.ErrConflict)
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "spend.upload.cancel", ObjectType: "spend_upload", ObjectID: strconv.FormatInt(id, 10)})
	})
}

// RunningSpendImport registers the cancel function of an upload's import
// running in this process, for CancelSpendUpload; call the returned
// function when the import ends.
func (s *Store) RunningSpendImport(id int64, cancel context.CancelFunc) (done func()) {
	s.importCancels.Store(id, cancel)
	return func() { s.importCancels.Delete(id) }
}

// SpendUploadStatus reads an upload's status alone (the import job polls
// it, on the read pool: on SQLite the import holds the write connection).
func (s *Store) SpendUploadStatus(ctx context.Context, id int64) (string, error) {
	var status string
	err := s.r.QueryRowContext(ctx, `SELECT status FROM spend_uploads WHERE id = $1`, id).Scan(&status)
	return status, notFound(err, "spend upload")
}
