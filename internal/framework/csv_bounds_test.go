package framework

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/spend"
)

// gen is a reader of a prefix, then unit repeated n times, then a suffix,
// generated as it is read: a bomb that never exists whole in the test.
type gen struct {
	prefix, unit, suffix string
	n, done              int64
	stage                int
	buf                  []byte
}

func (g *gen) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		switch {
		case g.stage == 0:
			g.buf, g.stage = []byte(g.prefix), 1
		case g.stage == 1 && g.done < g.n:
			k := min(g.n-g.done, int64(64<<10/len(g.unit)+1))
			g.buf, g.done = bytes.Repeat([]byte(g.unit), int(k)), g.done+k
		case g.stage == 1:
			g.buf, g.stage = []byte(g.suffix), 2
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// A framework file past a limit is refused naming the line and the limit
// (and no flag: an upload has none), in bounded memory and time.
func TestReadCSVBombs(t *testing.T) {
	head := strings.Join(CSVHeader, ",") + "\nframework,GM-2026,,Greater Manchester,GMCA,,,,,https://example.org,OGL\n"
	for _, c := range []struct {
		name, limit, where string
		src                *gen
	}{
		{"a 1.5 GB cell", "the length of a cell", "line 3", &gen{prefix: head + "priority,P1,,", unit: "x", n: 1536 << 20, suffix: "\n"}},
		{"a quoted cell over a billion lines", "the length of a cell", "line 3", &gen{prefix: head + "priority,P1,,\"", unit: "\n", n: 1 << 30, suffix: "\"\n"}},
		{"a row of 100 million cells", "cells per row", "line 3", &gen{prefix: head + "priority", unit: ",", n: 100_000_000, suffix: "\n"}},
		{"a row of many long cells", "the length of a row", "line 3", &gen{prefix: head + "priority", unit: "," + strings.Repeat("y", 60000), n: 90, suffix: "\n"}},
		{"ten million rows", "rows in a file", "line 100002", &gen{prefix: head, unit: "outcome,O1,P1,A\n", n: 10_000_000}},
		{"a gigabyte of short rows", "decompressed size", "line", &gen{prefix: head, unit: strings.Repeat("z", 200) + "\n", n: 5_000_000}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.limit == "decompressed size" {
				// Under the row limit, so the size is what stops it.
				c.src.unit = strings.Repeat(",", 99) + strings.Repeat("z", 900) + "\n"
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := ReadCSV(c.src, "bomb.csv")
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			var le *spend.LimitError
			if !errors.As(err, &le) || le.Limit != c.limit || le.Flag != "" {
				t.Fatalf("err = %v, want a refusal for %s", err, c.limit)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "bomb.csv: "+c.where) || !strings.Contains(msg, c.limit) || strings.Contains(msg, "--max") {
				t.Fatalf("message %q should name the file, %s and the limit, and no flag", msg, c.where)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Fatalf("reading the bomb allocated %d MB", alloc>>20)
			}
			if took > 10*time.Second {
				t.Fatalf("took %v", took)
			}
			t.Logf("%s in %v", msg, took.Round(time.Millisecond))
		})
	}
}
