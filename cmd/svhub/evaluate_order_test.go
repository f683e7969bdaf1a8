package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTendersEvaluateTableInRankOrder: the table lists first place first
// and the excluded bid last, whatever order the file lists the bids in (the
// worked example lists A, ranked 2nd, before B, ranked 1st).
func TestTendersEvaluateTableInRankOrder(t *testing.T) {
	file := filepath.Join("..", "..", "internal", "tenders", "testdata", "worked-example.json")
	out, code := run(t, nil, "tenders", "evaluate", "--format", "table", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var order []string
	for _, line := range strings.Split(out, "\n")[1:] {
		if f := strings.Fields(line); len(f) > 1 {
			order = append(order, f[0]+" "+f[1])
		}
	}
	if got := strings.Join(order[:min(3, len(order))], ", "); got != "1 B, 2 A, excluded C" {
		t.Errorf("table rows %q, want 1 B, 2 A, excluded C\n%s", got, out)
	}
}
