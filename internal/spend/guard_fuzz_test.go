package spend

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
)

// csvExtent parses b as Stream does (encoding/csv, lazy quotes) and
// returns its largest record in bytes as written, its most cells and its
// longest cell as written (quotes doubled, plus the two around it), or
// ok false when encoding/csv refuses the text.
func csvExtent(b []byte) (row, cells, field int, ok bool) {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var prev int64
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return row, cells, field, true
		}
		if err != nil {
			return 0, 0, 0, false
		}
		off := cr.InputOffset()
		row = max(row, int(off-prev))
		prev = off
		cells = max(cells, len(rec))
		for _, f := range rec {
			field = max(field, 2*len(f)+2+strings.Count(f, "\r")+strings.Count(f, "\n"))
		}
	}
}

// FuzzCSVGuard checks the guard against encoding/csv: given limits that
// every record of a file meets (as encoding/csv reads it), the guard
// passes the whole file through unchanged; a guard that disagreed with
// encoding/csv about where records end would refuse good council files.
func FuzzCSVGuard(f *testing.F) {
	for _, s := range []string{
		"Date,Supplier,Amount\r\n01/05/2026,\"Acme, Ltd\",\"1,200.00\"\r\n02/05/2026,\"B\",\"5\"\r\n",
		"a,\"b\"\"c\",d\n\"multi\nline\",x\n",
		"12\" pipe,x\n\"lazy \"quote\" here\",y\n",
		"\"a\"\r\n\"b\"\r\n\"c\"\r\n",
		"\n\n,,\n\"\"\n",
		"\"unterminated\nquoted,field",
		"x,\"y\"z,\"w\"\r,v\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		row, cells, field, ok := csvExtent(b)
		if !ok {
			return
		}
		lim := Limits{Row: max(row, 1), Cells: max(cells, 1), Field: max(field, 1)}.withDefaults()
		out, err := io.ReadAll(newCSVGuard(bytes.NewReader(b), lim))
		if err != nil {
			t.Fatalf("the guard refused text encoding/csv reads within row %d, cells %d, field %d: %v\n%q", row, cells, field, err, b)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("the guard changed the text")
		}
	})
}

// The guard follows records across CRLF line ends after a quoted last
// cell: a Windows file of many such lines is not one long record.
func TestCSVGuardCRLFQuoted(t *testing.T) {
	var b strings.Builder
	b.WriteString("\"Date\",\"Supplier\",\"Amount\"\r\n")
	for range 50_000 {
		b.WriteString("\"01/05/2026\",\"Acme Ltd\",\"100.00\"\r\n")
	}
	n := 0
	if _, err := Stream(strings.NewReader(b.String()), "crlf.csv", nil, func(p *Payment, _ *Reject) error {
		if p != nil {
			n++
		}
		return nil
	}); err != nil || n != 50_000 {
		t.Fatalf("%d payments: %v", n, err)
	}
}
