package store

import "context"

// TenderPageTriggersForTest lists, per table, the writes (INSERT, UPDATE,
// DELETE) that fire a trigger of migration 59.
func (s *Store) TenderPageTriggersForTest(ctx context.Context) (map[string]map[string]bool, error) {
	return s.generationTriggers(ctx, "tender_page_generation")
}
