package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// procurementCache keeps what the procurement pages read on every request
// otherwise, each under a generation number that database triggers raise
// in the transaction of every write to the tables behind it (migration 55,
// store.ReferenceGeneration): a request reads the number (one small query)
// and reuses a copy only while it is unchanged, so every node sees a write
// on its next request. It keeps the tender lists as stored (RefTenderList:
// tenders and buyers' names, never anything about bids), framework
// editions' trees with their rendered HTML (RefFrameworkTree), and the
// contracts dashboard by buyer or supplier (RefContractDashboard). Callers
// must not modify what they get.
type procurementCache struct {
	mu    sync.Mutex
	lists genMap[store.TenderFilter, []tenders.Tender]
	// listDocs are /tenders' form and results rendered, by form values
	// and list (tenderListBody).
	listDocs genMap[string, template.HTML]
	trees    genMap[int64, framework.Framework]
	treeDoc  genMap[treeKey, template.HTML]
	// dashboards are the contracts dashboard by filter (RefContractDashboard).
	dashboards genMap[store.ContractFilter, contractsView]
	// pages are what tenders' pages keep, by tender, and parts their
	// parts rendered (store.TenderPageGeneration; tenders_page.go).
	pages genMap[int64, *tenderKept]
	parts genMap[tenderPartsKey, tenderParts]
	// feeds is /tenders.atom's body (tenders_search.go).
	feeds genMap[struct{}, tenderFeedDoc]
}

// treeKey names a rendered framework tree: the edition and whether it shows
// the draft's edit links.
type treeKey struct {
	id   int64
	edit bool
}

// tenderListing lists tenders like Store.ListTenders at now, from the copy
// kept under the tender list's generation (returned too): a published
// tender past its deadline is reported closed, and BidCount is 0. The
// slice is the caller's.
func (s *Server) tenderListing(ctx context.Context, f store.TenderFilter, now time.Time) ([]tenders.Tender, int64, error) {
	g, err := s.generationSum(ctx, store.RefTenderList) // shared with requests arriving together (freshread.go)
	if err != nil {
		return nil, 0, err
	}
	kept, err := cachedGen(&s.procurement.mu, &s.procurement.lists, g, f, func() ([]tenders.Tender, error) {
		return s.Store.TenderListing(ctx, f)
	})
	if err != nil {
		return nil, 0, err
	}
	out := slices.Clone(kept)
	for i, t := range out {
		if t.Status == tenders.Published && !t.Open(now) {
			out[i].Status = tenders.Closed
		}
	}
	return out, g, nil
}

// searchFields are the tender search form's fields.
var searchFields = []string{"q", "buyer", "status", "min", "max", "cpv", "from", "to"}

// tenderListBody is the search form and the tenders found (the
// "tenders-body" template) for page p, whose Data holds the visible tenders'
// buyers and count and the list found. Without errors it is kept under the
// tender list's generation g, keyed by the form's values and the visible
// tenders with their statuses at this request's time (closing by time
// changes the key) and whether each was found; everything the body shows
// follows from those.
func (s *Server) tenderListBody(g int64, p *page, visible, found []tenders.Tender) (template.HTML, error) {
	render := func() (template.HTML, error) { return s.renderPart("tenders", "tenders-body", p) }
	if p.Errors != nil {
		return render()
	}
	var k strings.Builder
	for _, f := range searchFields {
		k.WriteString(strings.Join(p.Form[f], "\x00"))
		k.WriteByte('\x01')
	}
	in := make(map[int64]bool, len(found))
	for _, t := range found {
		in[t.ID] = true
	}
	for _, t := range visible {
		k.WriteString(strconv.FormatInt(t.ID, 10))
		k.WriteString(t.Status)
		if in[t.ID] {
			k.WriteByte('*')
		}
		k.WriteByte(',')
	}
	return cachedGen(&s.procurement.mu, &s.procurement.listDocs, g, k.String(), render)
}

// frameworkTree is an edition with its whole tree (Store.Framework), from
// the copy kept under the trees' generation, and that generation.
func (s *Server) frameworkTree(ctx context.Context, id int64) (framework.Framework, int64, error) {
	g, err := s.Store.ReferenceGeneration(ctx, store.RefFrameworkTree)
	if err != nil {
		return framework.Framework{}, 0, err
	}
	f, err := cachedGen(&s.procurement.mu, &s.procurement.trees, g, id, func() (framework.Framework, error) {
		return s.Store.Framework(ctx, id)
	})
	return f, g, err
}

// frameworkTreeHTML is the priorities, outcomes and measures of an edition
// as the framework page shows them (the "framework-tree" template), kept
// under the generation the edition was read under.
func (s *Server) frameworkTreeHTML(r *http.Request, f framework.Framework, g int64, edit bool) (template.HTML, error) {
	return cachedGen(&s.procurement.mu, &s.procurement.treeDoc, g, treeKey{f.ID, edit}, func() (template.HTML, error) {
		return s.renderPart("framework", "framework-tree", map[string]any{"F": f, "Edit": edit})
	})
}

// contractsDashboard is the contracts dashboard for a filter
// (loadContractsView), from the copy kept under the dashboard's generation.
func (s *Server) contractsDashboard(r *http.Request, f store.ContractFilter) (contractsView, error) {
	g, err := s.Store.ReferenceGeneration(r.Context(), store.RefContractDashboard)
	if err != nil {
		return contractsView{}, err
	}
	return cachedGen(&s.procurement.mu, &s.procurement.dashboards, g, f, func() (contractsView, error) {
		return s.loadContractsView(r, f)
	})
}
