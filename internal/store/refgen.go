package store

import (
	"context"
	"fmt"
)

// RefPriorities is the reference data with a generation number (migration
// 53): frameworks, their priorities and the People's Priorities rounds.
const RefPriorities = "priorities"

// ReferenceGeneration is a number that triggers raise in the transaction
// of every write to the tables behind a kind of reference data, so a copy
// kept by any node is current exactly while the number is unchanged. Read
// it before the data it guards: a write in between then shows as a newer
// number on the next request, never as stale data under the old one.
func (s *Store) ReferenceGeneration(ctx context.Context, kind string) (int64, error) {
	var g int64
	if err := s.readRow(ctx, `SELECT generation FROM reference_generation WHERE name = $1`, kind).Scan(&g); err != nil {
		return 0, fmt.Errorf("reference generation %s: %w", kind, wrapConn(err))
	}
	return g, nil
}
