package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/tenders"
)

// TestContractBodiesBounded: a contract's kept bodies stay within
// maxContractBodies however many clocks ask, their byte count matches
// what is kept, a body rendered from an entry no longer kept is served
// and not kept, and a body written in pieces is the rendered body.
func TestContractBodiesBounded(t *testing.T) {
	key, _ := tenders.ParseKey(tenders.NewKey())
	sealer, _ := tenders.NewSealer(key)
	s, err := New(&Server{Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	c := contracts.Contract{ID: 7, Title: "Probe contract", Start: "2026-01-01", End: "2027-12-31"}
	d := contractPageData{c: c, cms: []contracts.Commitment{{ID: 1, QuantityMilli: 1_000_000, Due: "2027-12-31", Unit: "people"}}}
	e := &contractPageEntry{d: d, bodies: map[string]contractBodyHTML{}}
	s.contractPages.gen, s.contractPages.pages = 1, map[int64]*contractPageEntry{c.ID: e}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 * maxContractBodies {
		b, err := s.contractBody(e, contractReader{}, d.clock(at.Add(time.Duration(i)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(strings.Fields(fmt.Sprint(b)), " "), "Probe contract") {
			t.Fatal("the body lacks the contract's title")
		}
		if n := len(e.bodies); n > maxContractBodies {
			t.Fatalf("%d bodies kept, bound %d", n, maxContractBodies)
		}
	}
	total := 0
	for _, b := range e.bodies {
		total += b.size()
	}
	if total != s.contractPages.bytes || total == 0 {
		t.Fatalf("bytes counted %d, kept %d", s.contractPages.bytes, total)
	}
	stale := &contractPageEntry{d: d, bodies: map[string]contractBodyHTML{}}
	if _, err := s.contractBody(stale, contractReader{buyer: true}, d.clock(at)); err != nil {
		t.Fatal(err)
	}
	if len(stale.bodies) != 0 || s.contractPages.bytes != total {
		t.Fatal("a body from an entry no longer kept was kept")
	}
	long := strings.Repeat("<p>line</p>\n", 5000) + strings.Repeat("x", 3*contractChunk)
	pieces := chunkHTML(long)
	var joined strings.Builder
	for _, p := range pieces {
		if len(p) > contractChunk {
			t.Fatalf("a piece of %d bytes", len(p))
		}
		joined.WriteString(string(p))
	}
	if joined.String() != long || pieces.size() != len(long) {
		t.Fatal("the pieces are not the body")
	}
}
