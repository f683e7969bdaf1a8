package web

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// A tender's page (tenderPage) reads what it shows to everyone from a copy
// kept under store.TenderPageGeneration — the tender as stored with its
// model, the People's Weights it uses, its documents, questions, notices,
// lots or parent — and renders the parts that depend on neither the reader
// nor bids once per generation, tender and time state. Bids never enter
// what is kept: bid counts (shown once bids are no longer sealed), a
// bidder's own receipts and everything the buyer or an evaluator sees are
// read and rendered per request.

// tenderKept is what a tender's page keeps of the tender: nothing in it
// depends on the time or on bids (statuses are as stored, BidCount is 0).
type tenderKept struct {
	t         tenders.Tender
	parent    *tenders.Tender  // the tender a lot belongs to
	lots      []tenders.Tender // a tender's lots
	people    tenders.EvalPeople
	measures  []measureRow
	gates     []string
	docs      []store.TenderDocument
	questions []store.Question
	notices   []tenders.Notice
}

// tenderParts are the page's parts rendered from a tenderKept at a time
// state (tenderPartsKey): the same for every reader but the buyer's
// people, who see unanswered questions with their answer forms.
type tenderParts struct {
	head, facts, model, docs, questions template.HTML
}

// tenderPartsKey names rendered parts: the tender, whether its deadline
// is still ahead (a published tender closes at it; a lot's and its
// tender's deadlines are one), and the facts under the Procurement Act as
// they read at the request's time (a draft's minimum tendering period
// counts from now).
type tenderPartsKey struct {
	id     int64
	before bool
	act    string
}

// keptTender returns what the page keeps of tender id and the generation
// it was read under.
func (s *Server) keptTender(r *http.Request, id int64) (*tenderKept, int64, error) {
	ctx := r.Context()
	g, err := s.generationSum(ctx, store.TenderPageKinds()...) // store.TenderPageGeneration, shared with requests arriving together (freshread.go)
	if err != nil {
		return nil, 0, err
	}
	k, err := cachedGen(&s.procurement.mu, &s.procurement.pages, g, id, func() (*tenderKept, error) {
		return s.loadTender(r, id)
	})
	return k, g, err
}

// loadTender reads what keptTender keeps.
func (s *Server) loadTender(r *http.Request, id int64) (*tenderKept, error) {
	ctx := r.Context()
	t, err := s.Store.TenderAsStored(ctx, id)
	if err != nil {
		return nil, err
	}
	k := &tenderKept{t: t, gates: gateLabels(t.Gates)}
	if k.people, err = s.peopleFor(r, t); err != nil {
		return nil, err
	}
	k.measures = measureRows(t, k.people)
	if k.docs, err = s.Store.TenderDocuments(ctx, id); err != nil {
		return nil, err
	}
	if k.questions, err = s.Store.Questions(ctx, id); err != nil {
		return nil, err
	}
	if t.Status != tenders.Draft {
		if k.notices, err = s.Store.TenderNotices(ctx, id); err != nil {
			return nil, err
		}
	}
	switch {
	case t.IsLot():
		p, err := s.Store.TenderAsStored(ctx, t.ParentID)
		if err != nil {
			return nil, err
		}
		k.parent = &p
	case t.HasLots():
		if k.lots, err = s.Store.LotsAsStored(ctx, id); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// closedAt is t as at now: a published tender past its deadline is
// closed (as store.Tender reports it).
func closedAt(t tenders.Tender, now time.Time) tenders.Tender {
	if t.Status == tenders.Published && !now.Before(t.Deadline) {
		t.Status = tenders.Closed
	}
	return t
}

// tenderParts renders (or takes from what is kept under generation g) the
// parts of k's page at now, with t being k's tender at now and act its
// facts at now.
func (s *Server) tenderParts(g int64, k *tenderKept, t tenders.Tender, act []tenders.Fact, now time.Time) (tenderParts, error) {
	var b strings.Builder
	for _, f := range act {
		b.WriteString(f.Label)
		b.WriteByte(0)
		b.WriteString(f.Value)
		b.WriteByte(1)
	}
	key := tenderPartsKey{id: t.ID, before: now.Before(t.Deadline), act: b.String()}
	return cachedGen(&s.procurement.mu, &s.procurement.parts, g, key, func() (tenderParts, error) {
		p := &page{Data: k.partsData(t, act, false)}
		var ps tenderParts
		for _, x := range []struct {
			name string
			out  *template.HTML
		}{{"tender-head", &ps.head}, {"tender-facts", &ps.facts}, {"tender-model", &ps.model}, {"tender-docs", &ps.docs}, {"tender-questions", &ps.questions}} {
			h, err := s.renderPart("tender", x.name, p)
			if err != nil {
				return ps, err
			}
			*x.out = h
		}
		return ps, nil
	})
}

// partsData is what the parts' templates read.
func (k *tenderKept) partsData(t tenders.Tender, act []tenders.Fact, manage bool) map[string]any {
	return map[string]any{"T": t, "Parent": k.parent, "Act": act, "Notices": k.notices, "People": k.people, "PeopleLink": weightsLink(t),
		"Measures": k.measures, "Gates": k.gates, "Docs": k.docs, "Questions": k.questions, "Manage": manage}
}

// withBidCounts sets the bid counts of t and its lots from counts.
func withBidCounts(t tenders.Tender, lots []tenders.Tender, counts map[int64]int) tenders.Tender {
	t.BidCount = counts[t.ID]
	for i := range lots {
		lots[i].BidCount = counts[lots[i].ID]
	}
	return t
}

// lotsAt are a tender's lots as at now, for the caller to change.
func lotsAt(ls []tenders.Tender, now time.Time) []tenders.Tender {
	if ls == nil {
		return nil
	}
	out := make([]tenders.Tender, len(ls))
	for i, l := range ls {
		out[i] = closedAt(l, now)
	}
	return out
}
