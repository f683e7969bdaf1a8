package web

import (
	"context"
	"encoding/xml"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// tenderList is /tenders: every tender the actor may see (drafts only for
// their buyers), narrowed by the search form's filters (a GET form that
// works without JavaScript; the filters stay in the form).
func (s *Server) tenderList(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r)
	all, gen, err := s.tenderListing(r.Context(), store.TenderFilter{NoLots: true}, s.now()) // tenders_cache.go
	if err != nil {
		return err
	}
	var visible []tenders.Tender
	buyers := map[int64]string{}
	for _, t := range all {
		if t.Status != tenders.Draft || auth.Can(a, auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID}) {
			visible = append(visible, t)
			buyers[t.BuyerOrgID] = t.BuyerName
		}
	}
	var buyerOpts []orgs.Option
	for id, name := range buyers {
		buyerOpts = append(buyerOpts, orgs.Option{Value: strconv.FormatInt(id, 10), Label: name})
	}
	sort.Slice(buyerOpts, func(i, j int) bool { return buyerOpts[i].Label < buyerOpts[j].Label })
	q, inv := tenders.ParseSearch(r.URL.Query(), london)
	list := visible
	code := http.StatusOK
	if inv != nil {
		list, code = nil, http.StatusBadRequest
	} else if q.Any() {
		list = nil
		for _, t := range visible {
			if q.Match(t) {
				list = append(list, t)
			}
		}
	}
	p := &page{Title: "Tenders", Form: r.URL.Query(), Data: map[string]any{"Tenders": list, "Searched": q.Any(), "Total": len(visible),
		"Buyers": buyerOpts, "Statuses": statusOptions, "CanCreate": len(a.OrgsWith(orgs.PublicBody, auth.RoleBuyer, auth.RoleOrgAdmin)) > 0}}
	if inv != nil {
		p.Errors, p.Title = inv, "Error: Tenders"
	}
	body, err := s.tenderListBody(gen, p, visible, list) // tenders_cache.go
	if err != nil {
		return err
	}
	p.Data["Body"] = body
	s.render(w, r, code, "tenders", p)
	return nil
}

// statusOptions names each tender status in the search form.
var statusOptions = []orgs.Option{{Value: tenders.Published, Label: "Open for bids"}, {Value: tenders.Closed, Label: "Closed, being evaluated"},
	{Value: tenders.Evaluated, Label: "Evaluated"}, {Value: tenders.Awarded, Label: "Awarded"}, {Value: tenders.Cancelled, Label: "Cancelled"}, {Value: tenders.Draft, Label: "Draft (your own)"}}

// maxFeedEntries bounds the Atom feed: the newest published tenders.
const maxFeedEntries = 50

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Author    atomPerson `xml:"author"`
	Links     []atomLink `xml:"link"`
	Summary   atomText   `xml:"summary"`
}

// tenderFeed is /tenders.atom: an Atom 1.0 feed of the newest published
// tenders, newest first, each dated when it was published. Nothing in it
// moves with the time or the reader (a tender closing does not change its
// entry), so its bytes are built once under the tender list's generation
// and kept (cachedGen); an empty feed, dated now, is built each time.
func (s *Server) tenderFeed(w http.ResponseWriter, r *http.Request) error {
	g, err := s.generationSum(r.Context(), store.RefTenderList) // shared with requests arriving together (freshread.go)
	if err != nil {
		return err
	}
	feed, err := cachedGen(&s.procurement.mu, &s.procurement.feeds, g, struct{}{}, func() (tenderFeedDoc, error) {
		return s.buildTenderFeed(r.Context())
	})
	if err != nil {
		return err
	}
	if feed.empty {
		if feed, err = s.buildTenderFeed(r.Context()); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(feed.body)))
	_, err = w.Write(feed.body)
	return err
}

// tenderFeedDoc is /tenders.atom's body; empty when it has no entries, so
// that its date is the time it was built.
type tenderFeedDoc struct {
	body  []byte
	empty bool
}

func (s *Server) buildTenderFeed(ctx context.Context) (tenderFeedDoc, error) {
	now := s.now()
	all, _, err := s.tenderListing(ctx, store.TenderFilter{Public: true, NoLots: true}, now)
	if err != nil {
		return tenderFeedDoc{}, err
	}
	published := func(t tenders.Tender) time.Time {
		if t.PublishedAt != nil {
			return *t.PublishedAt
		}
		return t.CreatedAt
	}
	slices.SortStableFunc(all, func(a, b tenders.Tender) int { return published(b).Compare(published(a)) })
	if len(all) > maxFeedEntries {
		all = all[:maxFeedEntries]
	}
	base := s.BaseURL
	f := atomFeed{ID: base + "/tenders.atom", Title: "New tenders – Social Value Hub", Author: atomPerson{Name: "Social Value Hub", URI: base},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/tenders.atom"}, {Rel: "alternate", Type: "text/html", Href: base + "/tenders"}}}
	updated := time.Time{}
	for _, t := range all {
		p := published(t)
		if p.After(updated) {
			updated = p
		}
		url := base + "/tenders/" + strconv.FormatInt(t.ID, 10)
		f.Entries = append(f.Entries, atomEntry{ID: url, Title: t.Title, Updated: stampAtom(p), Published: stampAtom(p), Author: atomPerson{Name: t.BuyerName},
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: url}},
			Summary: atomText{Type: "text", Body: t.BuyerName + ". Estimated value " + fund.Pounds(t.ValuePence) + ". Bids close at " + t.Deadline.In(london).Format("15:04 on 2 January 2006") + ". " + t.Description}})
	}
	if updated.IsZero() {
		updated = now
	}
	f.Updated = stampAtom(updated)
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return tenderFeedDoc{}, err
	}
	return tenderFeedDoc{body: append([]byte(xml.Header), append(out, '\n')...), empty: len(all) == 0}, nil
}

func stampAtom(t time.Time) string { return t.UTC().Format(time.RFC3339) }
