package web

import (
	"testing"

	"github.com/svhub/svhub/internal/spend"
)

func TestSpendReportCacheBoundedAndGenerational(t *testing.T) {
	var c spendReportCache
	k := spendReportKey{buyer: 1, from: "2025-04-01", to: "2026-03-31", top: 50}
	c.put(k, builtSpend{generation: 7, rows: []spend.SupplierSpend{{Name: "A Ltd"}}})
	if b, ok := c.get(k, 7); !ok || b.rows[0].Name != "A Ltd" {
		t.Fatalf("stored report not returned: %v %v", b, ok)
	}
	if _, ok := c.get(k, 8); ok {
		t.Fatal("a report from an older generation was returned")
	}
	other := k
	other.buyer = 2
	if _, ok := c.get(other, 7); ok {
		t.Fatal("another buyer's request found the first buyer's report")
	}
	for i := range 3 * spendReportCacheSize {
		c.put(spendReportKey{buyer: int64(i + 10)}, builtSpend{generation: 1})
	}
	if n := len(c.entries); n > spendReportCacheSize {
		t.Fatalf("cache grew to %d entries, bound %d", n, spendReportCacheSize)
	}
}
