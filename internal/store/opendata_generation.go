package store

import (
	"context"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/tenders"
)

// RefOCDS is the generation of what the OCDS release package is built
// from (migration 56): tenders, bids, awards, contracts, commitments and
// their unit values, notices, KPIs, concerns and the organisations named.
// Area names are the geography's (RefGeography).
const RefOCDS = "ocds"

// RefNetwork is the generation of the anchors network (migration 56):
// organisations and their sites, contracts and their commitments' priorities,
// brokerage, fund partnerships, memberships and declared relationships.
const RefNetwork = "network"

// OpenDataTables are the tables whose every write raises each open data
// generation (migration 56); a test checks each has its triggers.
func OpenDataTables() map[string][]string {
	return map[string][]string{
		RefOCDS: {"tenders", "organisations", "sites", "bids", "notices", "awards", "contracts", "commitments", "measures", "outcomes", "priorities",
			"measure_proxy_links", "proxy_unit_costs", "proxy_sources", "proxy_values", "contract_kpis", "kpi_assessments", "delivery_concerns",
			"delivery_lines", "delivery_reports"},
		RefNetwork: {"organisations", "sites", "contracts", "commitments", "measures", "outcomes", "priorities", "hub_matches", "hub_needs",
			"hub_offers", "fund_partners", "fund_proposals", "memberships", "org_relationships"},
	}
}

// GenerationSum is the sum of the reference generations of kinds, in one
// statement. Generations only ever rise, so the sum changes exactly when
// one of them does: a copy kept under the sum is current while it is
// unchanged. Read it before the data it guards (see ReferenceGeneration).
func (s *Store) GenerationSum(ctx context.Context, kinds ...string) (int64, error) {
	if len(kinds) == 0 {
		return 0, fmt.Errorf("generation sum: no kinds")
	}
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = k
	}
	var g, n int64
	if err := s.readRow(ctx, `SELECT COALESCE(SUM(generation), 0), COUNT(*) FROM reference_generation WHERE name IN (`+placeholders(1, len(kinds))+`)`, args...).Scan(&g, &n); err != nil {
		return 0, fmt.Errorf("generations %v: %w", kinds, wrapConn(err))
	}
	if n != int64(len(kinds)) {
		return 0, fmt.Errorf("generations %v: %d of %d known", kinds, n, len(kinds))
	}
	return g, nil
}

// OCDSTendersAt returns a copy of ts, as OCDSInput read them at the zero
// time, with the tenders past their deadline at now counted as closed, as
// OCDSInput(ctx, now) would give them. It lets a copy of the input kept
// under RefOCDS serve any time.
func OCDSTendersAt(ts []tenders.Tender, now time.Time) []tenders.Tender {
	out := make([]tenders.Tender, len(ts))
	for i, t := range ts {
		out[i] = closeIfDue(t, now)
	}
	return out
}
