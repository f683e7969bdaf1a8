package store

import "context"

// OpenDataTriggersForTest lists, per table, the writes (INSERT, UPDATE,
// DELETE) that fire a trigger of migration 56.
func (s *Store) OpenDataTriggersForTest(ctx context.Context) (map[string]map[string]bool, error) {
	return s.generationTriggers(ctx, "opendata_generation")
}
