package web

import (
	"context"
	"errors"
	"html/template"
	"sync"
	"sync/atomic"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// spendReportCacheSize bounds the built spend reports kept in memory: one
// entry per buyer, period, filters and list length asked for.
const spendReportCacheSize = 256

// spendReportKey names one built report. The report is public data, the same for
// every visitor, so nothing about the signed-in user is in the key.
type spendReportKey struct {
	buyer                          int64
	from, to, service, expenseType string
	top                            int
}

// builtSpend is a report as built at one data generation
// (store.SpendGeneration); it holds until the generation moves.
type builtSpend struct {
	generation int64
	report     spend.Report
	services   []spend.ServiceSpend
	// serviceChoices and typeChoices are the buyer's filter choices, kept
	// under the key with only the buyer and top choicesTop.
	serviceChoices, typeChoices store.SpendChoiceList
	// page is the /spend report body rendered from this report, and json
	// the /spend/report.json body, each made by the first request that
	// needs it (nil until then). Neither depends on who asks: the layout,
	// the form and the signed-in links are rendered per request around them.
	page *spendPageBody
	json []byte
	// suppliers is the rows of the /spend/suppliers table for the whole
	// list (no search), rendered by the first request that needs it.
	suppliers *template.HTML
}

// spendPageBody is the part of the /spend page that depends only on the
// buyer, period, filters and data generation, rendered once.
type spendPageBody struct {
	Head, Top template.HTML
}

// choicesTop marks the cache key of a buyer's filter choices.
const choicesTop = -1

// spendReportCache keeps built spend reports, at most
// spendReportCacheSize of them; when full, an arbitrary entry is dropped.
// Entries are read-only once stored.
type spendReportCache struct {
	// mu is read-locked by lookups, which every /spend request makes
	// (a plain mutex queued the requests a shared generation read
	// released together: block profile under wrk).
	mu      sync.RWMutex
	entries map[spendReportKey]builtSpend
	// buyers are the public bodies with spend, read when every buyer's
	// generations summed (store.SpendGenerations.All) were buyersGen.
	buyers    []orgs.Organisation
	buyersGen int64
	// hits and misses count lookups (tests check a report is reused),
	// builds the reports built (under mu).
	hits, misses atomic.Int64
	builds       int64
	// building holds the reports being built, so that requests arriving
	// together after a change wait for one build instead of each making
	// their own.
	building map[spendReportKey]*spendBuild
	// gens shares the read of every buyer's generation among the
	// requests arriving together (freshread.go); the value is read-only.
	gens freshRead[store.SpendGenerations]
	// mains are /spend's main parts rendered (spendAnalysis), under
	// every buyer's generations summed.
	mainMu sync.Mutex
	mains  genMap[spendMainKey, template.HTML]
}

// spendBuild is a report being built for one key at one generation.
type spendBuild struct {
	generation int64
	done       chan struct{}
	b          builtSpend
	err        error
}

func (c *spendReportCache) get(k spendReportKey, generation int64) (builtSpend, bool) {
	c.mu.RLock()
	b, ok := c.entries[k]
	c.mu.RUnlock()
	ok = ok && b.generation == generation
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
	return b, ok
}

func (c *spendReportCache) put(k spendReportKey, b builtSpend) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store(k, b)
}

// build returns the report for k at generation gen made by build, keeping
// it; a request asking while another builds the same report waits for it.
// A waiter whose builder failed (its request cancelled, say) builds itself;
// one whose own request ends stops waiting.
func (c *spendReportCache) build(ctx context.Context, k spendReportKey, gen int64, build func() (builtSpend, error)) (builtSpend, error) {
	c.mu.Lock()
	if b, ok := c.entries[k]; ok && b.generation == gen {
		c.mu.Unlock() // built since the caller looked
		return b, nil
	}
	if f, ok := c.building[k]; ok && f.generation == gen {
		c.mu.Unlock()
		select {
		case <-f.done:
			if f.err == nil {
				return f.b, nil
			}
		case <-ctx.Done():
			return builtSpend{}, ctx.Err()
		}
		return c.run(k, nil, build)
	}
	f := &spendBuild{generation: gen, done: make(chan struct{})}
	if c.building == nil {
		c.building = map[spendReportKey]*spendBuild{}
	}
	c.building[k] = f
	c.mu.Unlock()
	return c.run(k, f, build)
}

// run builds a report, keeps it, and hands it to the requests waiting on f
// (also when build panics: they then build themselves).
func (c *spendReportCache) run(k spendReportKey, f *spendBuild, build func() (builtSpend, error)) (b builtSpend, err error) {
	err = errSpendBuildUnfinished
	defer func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.builds++
		if err == nil {
			c.store(k, b)
		}
		if f != nil {
			f.b, f.err = b, err
			if c.building[k] == f {
				delete(c.building, k)
			}
			close(f.done)
		}
	}()
	b, err = build()
	return b, err
}

var errSpendBuildUnfinished = errors.New("spend report: the build did not finish")

// store keeps b under k; c.mu is held.
func (c *spendReportCache) store(k spendReportKey, b builtSpend) {
	if c.entries == nil {
		c.entries = map[spendReportKey]builtSpend{}
	}
	if _, ok := c.entries[k]; !ok && len(c.entries) >= spendReportCacheSize {
		for old := range c.entries {
			delete(c.entries, old)
			break
		}
	}
	c.entries[k] = b
}

// getBuyers returns the public bodies with spend kept at generation all.
func (c *spendReportCache) getBuyers(all int64) ([]orgs.Organisation, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.buyers, c.buyers != nil && c.buyersGen == all
}

func (c *spendReportCache) putBuyers(all int64, buyers []orgs.Organisation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if buyers == nil {
		buyers = []orgs.Organisation{}
	}
	c.buyers, c.buyersGen = buyers, all
}
