// Package store is the one place SQL may live.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"

	_ "modernc.org/sqlite"
)

var _ driver.Valuer

// Store holds the database.
type Store struct{ db *sql.DB }

// Count counts the open needs.
func (s *Store) Count(ctx context.Context) (n int, err error) {
	err = s.db.QueryRowContext(ctx, `select count(*)
		from needs
		where open`).Scan(&n)
	return n, err
}
