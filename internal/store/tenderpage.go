package store

import (
	"context"
	"database/sql"

	"github.com/svhub/svhub/internal/tenders"
)

// RefTenderPage is the generation of what a tender's page reads beside the
// tender's row (migration 59): its criteria and measures, documents,
// clarification questions, notices and published People's Weights. Bids,
// bidders and evaluators raise it not.
const RefTenderPage = "tender-page"

// TenderPageTables are the tables whose every write raises RefTenderPage
// (migration 59); a test checks each has its triggers.
func TenderPageTables() []string {
	return []string{"tender_criteria", "tender_measures", "tender_documents", "tender_questions", "notices", "people_weights"}
}

// TenderPageGeneration is what a tender's page is built from, as one
// number: the sum of the tender list's (tenders and buyers' names), the
// tender page's, the framework trees' (measures, priorities, unit values)
// and the priorities' (rounds) generations, read in one statement before
// the data it guards. Nothing about bids raises it.
func (s *Store) TenderPageGeneration(ctx context.Context) (int64, error) {
	return s.GenerationSum(ctx, TenderPageKinds()...)
}

// TenderPageKinds are the generations TenderPageGeneration adds up.
func TenderPageKinds() []string {
	return []string{RefTenderList, RefTenderPage, RefFrameworkTree, RefPriorities}
}

// TenderAsStored loads a tender with its criteria and measures like
// Tender, but as stored: a published tender past its deadline is still
// published (the caller closes it at its own time, like closeIfDue) and
// BidCount is 0. What it returns depends only on tables behind
// TenderPageGeneration.
func (s *Store) TenderAsStored(ctx context.Context, id int64) (tenders.Tender, error) {
	t, err := scanTender(s.readRow(ctx, `SELECT `+tenderListCols+` FROM tenders t JOIN organisations o ON o.id = t.buyer_org_id WHERE t.id = $1`, id))
	if err != nil {
		return t, notFound(err, "tender")
	}
	return s.withModel(ctx, t)
}

// LotsAsStored lists a tender's lots like Lots, but as stored (not closed
// at a time) and with BidCount 0.
func (s *Store) LotsAsStored(ctx context.Context, parentID int64) ([]tenders.Tender, error) {
	return query(ctx, s, "lots", func(r *sql.Rows) (tenders.Tender, error) { return scanTender(r) },
		`SELECT `+tenderListCols+` FROM tenders t JOIN organisations o ON o.id = t.buyer_org_id WHERE t.parent_id = $1 ORDER BY t.lot_number`, parentID)
}

// TenderBidCounts is how many organisations have bid on a tender and on
// each of its lots, by tender id (tenders without bids included, at 0).
// The caller must only show them once the tender is no longer sealed.
func (s *Store) TenderBidCounts(ctx context.Context, id int64) (map[int64]int, error) {
	type count struct {
		id int64
		n  int
	}
	cs, err := query(ctx, s, "bid counts", func(r *sql.Rows) (count, error) {
		var c count
		return c, r.Scan(&c.id, &c.n)
	}, `SELECT t.id, (SELECT COUNT(DISTINCT b.supplier_org_id) FROM bids b WHERE b.tender_id = t.id) FROM tenders t WHERE t.id = $1 OR t.parent_id = $1`, id)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(cs))
	for _, c := range cs {
		out[c.id] = c.n
	}
	return out, nil
}
