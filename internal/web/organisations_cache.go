package web

import (
	"context"
	"html/template"
	"sync"
	"time"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
)

// directoryCache keeps what the organisation directory's public pages are
// built from — the filter form and a page of results (rendered), the
// district names, each
// organisation's profile with its pledge and kite-mark facts, and the kite
// marks list — under the directory's generation
// (store.RefDirectory, raised by triggers in the transaction of every write
// to the tables behind them, on any node) and the day (accreditations lapse
// and kite marks count reports by year). A request reads the generation
// (one small query) and reuses what was kept while it and the day are
// unchanged; a newer generation or another day drops everything. Nothing
// of the signed-in user is kept. Callers must not modify what they get.
type directoryCache struct {
	mu        sync.Mutex
	gen       int64
	day       string
	ok        bool
	pages     map[string]dirPage    // by the query, as encoded
	profiles  map[string]orgProfile // by slug
	districts []geo.District
	kites     []kiteMarkItem
	// which of districts and kites are kept (each may be empty)
	haveDistricts, haveKites bool
}

// dirCacheMax bounds the pages of results and the profiles kept: past it,
// the map is emptied and fills again with what is asked for.
const dirCacheMax = 256

// orgProfile is what an organisation's page shows to anyone: the profile,
// its pledge, the pledge's current text, the kite-mark facts and the
// champions who agreed to be named; and the accrediting bodies (whether
// it is one, and which schemes a signed-in reader may check).
type orgProfile struct {
	org       orgs.Organisation
	pledge    *hub.Pledge
	text      hub.PledgeVersion
	facts     hub.Facts
	champions []hub.Champion
	bodies    []orgs.AccreditingBody // every accrediting body
}

// kiteMarkItem is one organisation in /kitemarks.json.
type kiteMarkItem struct {
	Organisation string `json:"organisation"`
	Slug         string `json:"slug"`
	Level        string `json:"level"`
}

// dirKey is the generation and day a request reads the directory under.
type dirKey struct {
	gen int64
	day string
	now time.Time // the time the day was read at
}

// directoryKey reads the directory's generation. The day joins the
// London date (the accreditations' standing on pages) and the server's
// (the kite-mark facts), so both are fixed within one key; what is kept
// under it is computed at its time.
func (s *Server) directoryKey(ctx context.Context) (dirKey, error) {
	g, err := s.Store.ReferenceGeneration(ctx, store.RefDirectory)
	if err != nil {
		return dirKey{}, err
	}
	now := s.now()
	return dirKey{gen: g, day: now.In(london).Format(time.DateOnly) + " " + now.Format(time.DateOnly), now: now}, nil
}

// current says whether what is kept was read under k, first dropping it
// all when k is newer. A request that read an older generation than the
// one kept neither reads nor keeps anything. Called with c.mu held.
func (c *directoryCache) current(k dirKey) bool {
	if c.ok && k.gen < c.gen {
		return false
	}
	if !c.ok || k.gen > c.gen || k.day != c.day {
		c.gen, c.day, c.ok = k.gen, k.day, true
		c.pages, c.profiles, c.districts, c.kites = nil, nil, nil, nil
		c.haveDistricts, c.haveKites = false, false
	}
	return true
}

// dirGet returns the value get finds in the cache kept under k.
func dirGet[T any](s *Server, k dirKey, get func(c *directoryCache) (T, bool)) (T, bool) {
	c := &s.dir
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.current(k) {
		var zero T
		return zero, false
	}
	return get(c)
}

// dirPut keeps a value read under k, unless the cache has moved past k.
func dirPut(s *Server, k dirKey, put func(c *directoryCache)) {
	c := &s.dir
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.current(k) {
		put(c)
	}
}

// dirPage is the directory page's two parts that depend on the query
// alone: the filter form (with the choices made) and the results.
type dirPage struct {
	filters, results template.HTML
}

// directoryPage is the directory's filter form and results for the query,
// rendered once per generation and day.
func (s *Server) directoryPage(k dirKey, query string, render func() (dirPage, error)) (dirPage, error) {
	if d, ok := dirGet(s, k, func(c *directoryCache) (dirPage, bool) { d, ok := c.pages[query]; return d, ok }); ok {
		return d, nil
	}
	d, err := render()
	if err != nil {
		return d, err
	}
	dirPut(s, k, func(c *directoryCache) {
		if c.pages == nil || len(c.pages) >= dirCacheMax {
			c.pages = map[string]dirPage{}
		}
		c.pages[query] = d
	})
	return d, nil
}

// directoryDistricts are the district names the directory filters by.
func (s *Server) directoryDistricts(ctx context.Context, k dirKey) ([]geo.District, error) {
	if ds, ok := dirGet(s, k, func(c *directoryCache) ([]geo.District, bool) { return c.districts, c.haveDistricts }); ok {
		return ds, nil
	}
	ds, err := s.Store.Districts(ctx)
	if err != nil {
		return nil, err
	}
	dirPut(s, k, func(c *directoryCache) { c.districts, c.haveDistricts = ds, true })
	return ds, nil
}

// profile is the public part of the organisation page for slug. An
// unknown slug is not kept.
func (s *Server) profile(ctx context.Context, slug string) (orgProfile, error) {
	k, err := s.directoryKey(ctx)
	if err != nil {
		return orgProfile{}, err
	}
	if p, ok := dirGet(s, k, func(c *directoryCache) (orgProfile, bool) { p, ok := c.profiles[slug]; return p, ok }); ok {
		return p, nil
	}
	var p orgProfile
	if p.org, err = s.Store.OrganisationBySlug(ctx, slug); err != nil {
		return p, err
	}
	if p.pledge, err = s.Store.PledgeOf(ctx, p.org.ID); err != nil {
		return p, err
	}
	if p.text, err = s.Store.CurrentPledge(ctx); err != nil {
		return p, err
	}
	if p.facts, err = s.Store.KiteFacts(ctx, p.org.ID, k.now.Format(time.DateOnly)); err != nil {
		return p, err
	}
	if p.champions, err = s.Store.Champions(ctx, p.org.ID, true); err != nil {
		return p, err
	}
	if p.bodies, err = s.Store.AccreditingBodies(ctx); err != nil {
		return p, err
	}
	dirPut(s, k, func(c *directoryCache) {
		if c.profiles == nil || len(c.profiles) >= dirCacheMax {
			c.profiles = map[string]orgProfile{}
		}
		c.profiles[slug] = p
	})
	return p, nil
}

// kiteMarks are the organisations that hold a kite mark, by name.
func (s *Server) kiteMarks(ctx context.Context) ([]kiteMarkItem, error) {
	k, err := s.directoryKey(ctx)
	if err != nil {
		return nil, err
	}
	if items, ok := dirGet(s, k, func(c *directoryCache) ([]kiteMarkItem, bool) { return c.kites, c.haveKites }); ok {
		return items, nil
	}
	now := k.now
	nodes, err := s.Store.NetworkNodes(ctx)
	if err != nil {
		return nil, err
	}
	facts, err := s.Store.AllKiteFacts(ctx, now.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	items := []kiteMarkItem{}
	for _, n := range nodes {
		if level, _ := hub.KiteMark(facts[n.ID], now); level != "" {
			items = append(items, kiteMarkItem{n.Name, n.Slug, level})
		}
	}
	dirPut(s, k, func(c *directoryCache) { c.kites, c.haveKites = items, true })
	return items, nil
}
