package web

import (
	"sync"

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
	rows       []spend.SupplierSpend
	report     spend.Report
	services   []spend.ServiceSpend
	// serviceChoices and typeChoices are the buyer's filter choices, kept
	// under the key with only the buyer and top choicesTop.
	serviceChoices, typeChoices store.SpendChoiceList
}

// choicesTop marks the cache key of a buyer's filter choices.
const choicesTop = -1

// spendReportCache keeps built spend reports, at most
// spendReportCacheSize of them; when full, an arbitrary entry is dropped.
// Entries are read-only once stored.
type spendReportCache struct {
	mu      sync.Mutex
	entries map[spendReportKey]builtSpend
	// hits and misses count lookups (tests check a report is reused).
	hits, misses int64
}

func (c *spendReportCache) get(k spendReportKey, generation int64) (builtSpend, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.entries[k]
	ok = ok && b.generation == generation
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	return b, ok
}

func (c *spendReportCache) put(k spendReportKey, b builtSpend) {
	c.mu.Lock()
	defer c.mu.Unlock()
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
