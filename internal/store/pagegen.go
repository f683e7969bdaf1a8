package store

import "context"

// RefHub and RefFund are the generations of the hub's needs, offers and
// matches and of the fund's ledger, rounds, proposals, partners, results
// and updates (migration 57); a write to organisations raises both.
const (
	RefHub  = "hub"
	RefFund = "fund"
)

// HubFundTables are the tables whose every write raises each of the two
// generations (migration 57); a test checks each has its triggers.
func HubFundTables() map[string][]string {
	return map[string][]string{
		RefHub:  {"hub_needs", "hub_offers", "hub_matches", "organisations"},
		RefFund: {"fund_rounds", "fund_proposals", "fund_partners", "fund_results", "fund_updates", "fund_ledger", "organisations"},
	}
}

// HubPageGeneration is what the hub's lists are built from, as one
// number: the sum of the hub's, the geography's (area names and
// deprivation) and the priorities' generations (GenerationSum), read in
// one statement before the data it guards.
func (s *Store) HubPageGeneration(ctx context.Context) (int64, error) {
	return s.GenerationSum(ctx, RefHub, RefGeography, RefPriorities)
}

// RefResources is the generation of the resource library's list: the
// resources and the organisations that write them (migration 61).
const RefResources = "resources"

// ResourceTables are the tables whose every write raises the resource
// library's generation (migration 61); a test checks each has its triggers.
func ResourceTables() []string { return []string{"resources", "organisations"} }
