package web

import (
	"html/template"
	"net/http"
	"sync"

	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
)

// hubPageCache keeps what the /hub page lists — open needs (per kind and
// district asked for), available offers, needs met by priority and by
// district, the district choices — with the generation it was read under
// (store.HubPageGeneration: the needs, offers and matches, the
// organisations posting them, the geography naming their areas and the
// priorities naming the rows). A request reads that number (one small
// query) and reuses the lists only while it is unchanged; every write to
// the tables behind it raises it in the same transaction, on any node.
// Nothing about the visitor is kept. Entries are read-only once stored.
type hubPageCache struct {
	mu    sync.Mutex
	lists genMap[hubPageKey, *hubLists]
}

type hubPageKey struct{ kind, district string }

// hubLists is the /hub page's data that does not depend on the visitor,
// and the parts of the page rendered from it alone (the top challenges,
// and the needs, offers and needs met below the filter form).
type hubLists struct {
	topHTML, listsHTML template.HTML

	top, rest              []hub.Need
	offers                 []hub.Offer
	byPriority, byDistrict []store.HubRow
	districts              []orgs.Option
}

// hubLists returns the /hub page's lists for the kind and district asked
// for, kept while the hub's generation stands.
func (s *Server) hubLists(r *http.Request, kind, district string) (*hubLists, error) {
	gen, err := s.Store.HubPageGeneration(r.Context())
	if err != nil {
		return nil, err
	}
	return cachedGen(&s.hubs.mu, &s.hubs.lists, gen, hubPageKey{kind, district}, func() (*hubLists, error) {
		l, err := s.readHubLists(r, kind, district)
		if err != nil {
			return nil, err
		}
		return l, s.renderHubLists(l)
	})
}

// renderHubLists renders the parts of the /hub page made from l alone.
func (s *Server) renderHubLists(l *hubLists) (err error) {
	d := struct {
		Top, Needs             []hub.Need
		Offers                 []hub.Offer
		ByPriority, ByDistrict []store.HubRow
	}{l.top, l.rest, l.offers, l.byPriority, l.byDistrict}
	if l.topHTML, err = s.renderPart("hub", "hub-top", d); err != nil {
		return err
	}
	l.listsHTML, err = s.renderPart("hub", "hub-lists", d)
	return err
}

// readHubLists reads the /hub page's lists from the store.
func (s *Server) readHubLists(r *http.Request, kind, district string) (*hubLists, error) {
	needs, err := s.Store.ListNeeds(r.Context(), store.NeedFilter{Status: hub.Open, Kind: kind, District: district})
	if err != nil {
		return nil, err
	}
	offers, err := s.Store.ListOffers(r.Context(), hub.Open, 0)
	if err != nil {
		return nil, err
	}
	l := &hubLists{offers: hub.Available(offers)}
	for _, n := range needs {
		if n.TopChallenge {
			l.top = append(l.top, n)
		} else {
			l.rest = append(l.rest, n)
		}
	}
	if l.byPriority, l.byDistrict, err = s.Store.NeedsMet(r.Context()); err != nil {
		return nil, err
	}
	titles := map[string]string{}
	for _, p := range s.currentPriorities(r) {
		titles[p.Code] = p.Title
	}
	for i := range l.byPriority {
		if t := titles[l.byPriority[i].Key]; t != "" {
			l.byPriority[i].Label = t
		}
	}
	ds, err := s.Store.Districts(r.Context())
	if err != nil {
		return nil, err
	}
	dn := map[string]string{}
	for _, d := range ds {
		dn[d.Code] = d.Name
		l.districts = append(l.districts, orgs.Option{Value: d.Code, Label: d.Name})
	}
	for i := range l.byDistrict {
		if n := dn[l.byDistrict[i].Key]; n != "" {
			l.byDistrict[i].Label = n
		}
	}
	return l, nil
}
