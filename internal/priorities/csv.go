package priorities

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Table is ballots read from a CSV whose header is ballot_id followed by
// one column per priority.
type Table struct {
	Columns []string
	Ballots *Ballots
}

// MetaColumns may follow ballot_id in a round's export; they describe the
// ballot and are not priorities.
var MetaColumns = map[string]bool{"district": true, "channel": true}

// ReadCSV reads an anonymised ballot file (as exported from a round, or
// made by hand). Every bad row is reported with its line; nothing is
// returned unless the whole file is good.
func ReadCSV(r io.Reader, name string) (*Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", name, err)
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
	for i, h := range header[1:] {
		h = strings.TrimSpace(h)
		if MetaColumns[h] {
			continue
		}
		t.Columns = append(t.Columns, h)
		cols = append(cols, i+1)
	}
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("%s line 1: no priority columns after ballot_id", name)
	}
	t.Ballots = NewBallots(len(t.Columns), 1024)
	var bad []string
	values := make([]float64, len(t.Columns))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %v", line, err))
			break
		}
		if len(rec) != len(header) {
			bad = append(bad, fmt.Sprintf("line %d: %d fields, want %d", line, len(rec), len(header)))
			continue
		}
		ok := true
		for j, c := range cols {
			cell := rec[c]
			v, err := strconv.ParseFloat(strings.TrimSpace(cell), 64)
			if err != nil || v < 0 {
				bad = append(bad, fmt.Sprintf("line %d: %s = %q is not a non-negative number", line, t.Columns[j], cell))
				ok = false
				break
			}
			values[j] = v
		}
		if !ok {
			continue
		}
		if err := t.Ballots.Add(values); err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %v", line, err))
			continue
		}
		if len(bad) > 100 {
			break
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s: %d bad row(s), nothing aggregated:\n  %s", name, len(bad), strings.Join(bad, "\n  "))
	}
	if t.Ballots.N() == 0 {
		return nil, fmt.Errorf("%s: no ballots", name)
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
