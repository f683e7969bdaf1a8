package store

import "context"

// ContractPageTriggersForTest lists, per table, the writes (INSERT,
// UPDATE, DELETE) that fire a trigger of migration 58.
func (s *Store) ContractPageTriggersForTest(ctx context.Context) (map[string]map[string]bool, error) {
	return s.generationTriggers(ctx, "contract_page_generation")
}

// ResourcesTriggersForTest lists, per table, the writes (INSERT, UPDATE,
// DELETE) that fire a trigger of migration 61.
func (s *Store) ResourcesTriggersForTest(ctx context.Context) (map[string]map[string]bool, error) {
	return s.generationTriggers(ctx, "resources_generation")
}
