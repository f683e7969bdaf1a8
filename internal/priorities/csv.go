package priorities

import (
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/spend"
)

// Table is ballots read from a CSV whose header is ballot_id followed by
// one column per priority.
type Table struct {
	Columns []string
	Ballots *Ballots
}

// MetaColumns may follow ballot_id in a round's export; they describe the
// ballot and are not priorities.
var MetaColumns = map[string]bool{"district": true, "district_source": true, "ward_source": true, "channel": true}

// MaxCSVValue is the most one cell of a ballot file read without a round
// may hold. A round's own ballots are checked against its points (each
// between 0 and TotalPoints); a file made elsewhere may use any scale, but
// every value must be finite, non-negative and at most 10^9, so that a
// ballot's total (at most 10^9 per priority) is always an exact, finite
// float64 sum of the kind the shares are computed from.
const MaxCSVValue = 1e9

// CSVLimits bound a ballot file as it is read: a ballot is a short line
// (an id and one number per priority), so a cell, a row or a cell count past
// these is refused naming its line before it is buffered.
var CSVLimits = spend.Limits{Bytes: 1 << 30, Cells: 200, Field: 1 << 10, Row: 64 << 10, NoFlags: true}

// MaxCSVBallots and MaxCSVValues bound what a ballot file makes the reader
// hold (every ballot's shares, 8 bytes a value, and a hash of its id):
// half a million ballots, and five million values (ballots × priorities),
// under 100 MB. Greater Manchester has about 2.3 million adults; a round's
// ballots are a small share of them.
const (
	MaxCSVBallots = 500_000
	MaxCSVValues  = 5_000_000
)

// ReadCSV reads an anonymised ballot file (as exported from a round, or
// made by hand). Every bad row is reported with its line; nothing is
// returned unless the whole file is good. Each cell is checked (a number,
// finite, from 0 to MaxCSVValue) before any ballot is summed; a header that
// names a column twice, or a ballot_id used twice, is refused.
func ReadCSV(r io.Reader, name string) (*Table, error) {
	cr := csv.NewReader(spend.GuardCSV(r, CSVLimits))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // counted below, with a clearer message
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s line 1: the file is empty; the header must be ballot_id followed by one column per priority", name)
	}
	if err != nil {
		// encoding/csv reads ahead, so a size limit met on a later line
		// surfaces here; the limit's error names its own line.
		var le *spend.LimitError
		if errors.As(err, &le) {
			return nil, fmt.Errorf("%s %w", name, le)
		}
		return nil, fmt.Errorf("%s line 1: reading the header: %w", name, err)
	}
	header = slicesClone(header)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	if len(header) < 2 || strings.TrimSpace(header[0]) != "ballot_id" {
		return nil, fmt.Errorf("%s line 1: the header must be ballot_id followed by one column per priority", name)
	}
	t := &Table{}
	var cols []int // positions of priority columns
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if i > 0 && h == "" {
			return nil, fmt.Errorf("%s line 1: column %d has no name", name, i+1)
		}
		if j, dup := seen[h]; dup {
			return nil, fmt.Errorf("%s line 1: column %q appears twice (columns %d and %d); each priority needs one column", name, h, j+1, i+1)
		}
		seen[h] = i
		if i == 0 || MetaColumns[h] {
			continue
		}
		t.Columns = append(t.Columns, h)
		cols = append(cols, i)
	}
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("%s line 1: no priority columns after ballot_id", name)
	}
	t.Ballots = NewBallots(len(t.Columns), 1024)
	var bad []string
	values := make([]float64, len(t.Columns))
	ids := map[[sha256.Size]byte]int{} // ballot_id's hash → line (an id may be 1 KiB; its hash is 32 bytes)
	for len(bad) <= 100 {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A file past a size limit is refused as a whole.
			var le *spend.LimitError
			if errors.As(err, &le) {
				return nil, fmt.Errorf("%s %w", name, le)
			}
			// FieldPos has no record to describe after an error.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				err = fmt.Errorf("line %d: %w", pe.StartLine, pe.Err)
			}
			bad = append(bad, err.Error())
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			bad = append(bad, fmt.Sprintf("line %d: %d fields, want %d", line, len(rec), len(header)))
			continue
		}
		id := strings.TrimSpace(rec[0])
		if id == "" {
			bad = append(bad, fmt.Sprintf("line %d: ballot_id is empty", line))
			continue
		}
		key := sha256.Sum256([]byte(id))
		if first, dup := ids[key]; dup {
			bad = append(bad, fmt.Sprintf("line %d: ballot_id %q is already on line %d; each ballot is counted once", line, id, first))
			continue
		}
		ids[key] = line
		switch n := len(ids); {
		case n > MaxCSVBallots:
			return nil, fmt.Errorf("%s %w", name, &spend.LimitError{Where: fmt.Sprintf("line %d", line), What: "the file has more than " + groupDigits(MaxCSVBallots) + " ballots", Limit: "ballots in a file", Max: MaxCSVBallots})
		case n*len(cols) > MaxCSVValues:
			return nil, fmt.Errorf("%s %w", name, &spend.LimitError{Where: fmt.Sprintf("line %d", line), What: fmt.Sprintf("the file has more than %s values (%s ballots of %d priorities)", groupDigits(MaxCSVValues), groupDigits(n), len(cols)), Limit: "values (ballots × priorities) in a file", Max: MaxCSVValues})
		}
		ok := true
		for j, c := range cols {
			cell := strings.TrimSpace(rec[c])
			v, err := strconv.ParseFloat(cell, 64)
			switch {
			case err != nil && !errors.Is(err, strconv.ErrRange), math.IsNaN(v):
				bad = append(bad, fmt.Sprintf("line %d: %s = %q is not a number", line, t.Columns[j], cell))
			case v < 0:
				bad = append(bad, fmt.Sprintf("line %d: %s = %q is negative; values must be 0 or more", line, t.Columns[j], cell))
			case v > MaxCSVValue: // also ±Inf and values too large for float64
				bad = append(bad, fmt.Sprintf("line %d: %s = %q is more than %.0f, the most one cell may hold", line, t.Columns[j], cell, MaxCSVValue))
			default:
				values[j] = v
				continue
			}
			ok = false
			break
		}
		if !ok {
			continue
		}
		if err := t.Ballots.Add(values); err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %v", line, err))
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s: %d bad row(s), nothing aggregated:\n  %s", name, len(bad), strings.Join(bad, "\n  "))
	}
	if t.Ballots.N() == 0 {
		return nil, fmt.Errorf("%s line 2: no ballots after the header", name)
	}
	return t, nil
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

// WriteResultJSON writes {"method", "ballots", "weights": {column: share}}
// with the columns in their file order.
func WriteResultJSON(w io.Writer, method string, columns []string, n int, weights []float64) error {
	var b strings.Builder
	fmt.Fprintf(&b, "{\n  \"method\": %s,\n  \"ballots\": %d,\n  \"weights\": {", strconv.Quote(method), n)
	for j, c := range columns {
		if j > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    %s: %s", strconv.Quote(c), strconv.FormatFloat(weights[j], 'g', 17, 64))
	}
	b.WriteString("\n  }\n}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// groupDigits writes n with thousands separators: 1,000,000.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
