package priorities

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/spend"
)

func TestReadCSV(t *testing.T) {
	tb, err := ReadCSV(strings.NewReader("\ufeffballot_id,district,jobs,air\nb1,Bolton,100,0\nb2,,3,1\n"), "ok.csv")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tb.Columns, ",") != "jobs,air" || tb.Ballots.N() != 2 || tb.Ballots.Shares[0][1] != 0.75 {
		t.Fatalf("%+v %v", tb.Columns, tb.Ballots.Shares)
	}
}

// Each refusal names the line and the cause; nothing is aggregated.
func TestReadCSVRefuses(t *testing.T) {
	cases := []struct{ in, want string }{
		// A value that would overflow the ballot's sum to +Inf (the ballot
		// then counted as zero while still being counted).
		{"ballot_id,a,b,c\nb1,1e308,1e308,1e308\n", `line 2: a = "1e308" is more than 1000000000`},
		{"ballot_id,a,b\nb1,1e400,1\n", `line 2: a = "1e400" is more than`},
		{"ballot_id,a,b\nb1,Inf,1\n", `line 2: a = "Inf" is more than`},
		{"ballot_id,a,b\nb1,1,NaN\n", `line 2: b = "NaN" is not a number`},
		{"ballot_id,a,b\nb1,1,-Inf\n", `line 2: b = "-Inf" is negative`},
		{"ballot_id,a,b\nb1,1,-2\n", `line 2: b = "-2" is negative`},
		{"ballot_id,a,b\nb1,1,x\n", `line 2: b = "x" is not a number`},
		{"ballot_id,a,b\nb1,1000000001,0\n", `line 2: a = "1000000001" is more than 1000000000`},
		{"ballot_id,a,b\nb1,0,0\n", "line 2: a ballot must give a positive total"},
		{"ballot_id,jobs,jobs\nb1,1,2\n", `line 1: column "jobs" appears twice (columns 2 and 3)`},
		{"ballot_id,jobs, jobs \nb1,1,2\n", `line 1: column "jobs" appears twice`},
		{"ballot_id,district,jobs,district\nb1,a,1,b\n", `line 1: column "district" appears twice`},
		{"ballot_id,jobs,\nb1,1,2\n", "line 1: column 3 has no name"},
		{"ballot_id,jobs,air\nb1,1,2\nb2,1,1\nb1,3,4\n", `line 4: ballot_id "b1" is already on line 2`},
		{"ballot_id,jobs,air\n,1,2\n", "line 2: ballot_id is empty"},
		{"ballot_id,jobs,air\nb1,1\n", "line 2: 2 fields, want 3"},
		{"ballot_id,jobs,air\nb1,\"1,2\n", "line 2:"},
		{"", "line 1: the file is empty"},
		{"id,jobs\n", "line 1: the header must be ballot_id"},
		{"ballot_id,district\n", "line 1: no priority columns"},
		{"ballot_id,jobs\n", "line 2: no ballots"},
		// Size limits refuse the whole file, in the header or in a row.
		{"ballot_id,jobs," + strings.Repeat("x", 1100) + "\nb1,1,2\n", "b.csv line 1: cell 3 is longer than 1 KiB"},
		{"ballot_id,jobs,air\nb1,1,2\nb2,1," + strings.Repeat("9", 1100) + "\n", "b.csv line 3: cell 3 is longer than 1 KiB"},
	}
	for _, c := range cases {
		_, err := ReadCSV(strings.NewReader(c.in), "b.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: want %q, got %v", c.in, c.want, err)
		}
	}
}

// The values allowed go right up to the limit, and a ballot of three
// maximal values keeps its shares.
func TestReadCSVLimit(t *testing.T) {
	tb, err := ReadCSV(strings.NewReader("ballot_id,a,b,c\nb1,1e9,1e9,1e9\nb2,0,0,1e-300\n"), "max.csv")
	if err != nil {
		t.Fatal(err)
	}
	w, err := Aggregate(Mean, tb.Ballots)
	if err != nil || math.Abs(w[0]-1.0/6) > 1e-15 || math.Abs(w[2]-(1.0/3+1)/2) > 1e-15 {
		t.Fatalf("%v %v", w, err)
	}
}

var lineRef = regexp.MustCompile(`line (\d+)`)

// recountCSV is an independent recount of a ballot file, written from the
// rules rather than from ReadCSV: the number of ballots and, per priority
// column, the sum of the ballots' shares. ok is false for a file the rules
// refuse.
func recountCSV(data string) (n int, totals map[string]float64, ok bool) {
	r := csv.NewReader(strings.NewReader(data))
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		return 0, nil, false
	}
	head := rows[0]
	if strings.TrimSpace(strings.TrimPrefix(head[0], "\ufeff")) != "ballot_id" {
		return 0, nil, false
	}
	names := map[string]bool{}
	for i, h := range head {
		h = strings.TrimSpace(h)
		if i == 0 {
			h = "ballot_id"
		}
		if names[h] || (i > 0 && h == "") {
			return 0, nil, false
		}
		names[h] = true
	}
	totals = map[string]float64{}
	ids := map[string]bool{}
	for _, row := range rows[1:] {
		if len(row) != len(head) {
			return 0, nil, false
		}
		id := strings.TrimSpace(row[0])
		if id == "" || ids[id] {
			return 0, nil, false
		}
		ids[id] = true
		var vals []float64
		var cols []string
		sum := 0.0
		for i := 1; i < len(row); i++ {
			h := strings.TrimSpace(head[i])
			if h == "district" || h == "channel" {
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(row[i]), 64)
			if err != nil || !(v >= 0 && v <= 1e9) {
				return 0, nil, false
			}
			vals = append(vals, v)
			cols = append(cols, h)
			sum += v
		}
		if len(cols) == 0 || sum == 0 {
			return 0, nil, false
		}
		for k, v := range vals {
			totals[cols[k]] += v / sum
		}
		n++
	}
	return n, totals, n > 0
}

// overLimit reports whether data is large enough to break the limit le
// names: a cell or a row longer than the limit needs that many bytes on
// one line or in one quoted cell, more cells than the limit need that
// many commas.
func overLimit(data string, le *spend.LimitError) bool {
	switch le.Max {
	case int64(CSVLimits.Cells):
		return int64(strings.Count(data, ",")) >= le.Max
	case int64(CSVLimits.Field), int64(CSVLimits.Row):
		return int64(len(data)) > le.Max
	}
	return false
}

// The property: a ballot file either fails with a message naming a line
// of the file, or its parsed totals equal an independent recount.
func FuzzBallotCSV(f *testing.F) {
	for _, seed := range []string{
		"ballot_id,jobs,air\nb1,100,0\nb2,100,0\nb3,0,100\n",
		"\ufeffballot_id,district,channel,jobs,air\nb1,Bolton,paper,30,70\n",
		"ballot_id,a,b,c\nb1,1e308,1e308,1e308\n",
		"ballot_id,jobs,jobs\nb1,1,2\n",
		"ballot_id,jobs,air\nb1,1,2\nb1,3,4\n",
		"ballot_id,a,b\nb1,NaN,1\nb2,Inf,1\nb3,-0,1\n",
		"ballot_id,a,b\nb1,0,0\n",
		"ballot_id,a,b\n\"b1\",\"1\",\" 2 \"\n",
		"ballot_id,a,b\nb1,\"1\n",
		"ballot_id,a,b\r\nb1,1e9,1e-9\r\n",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		tb, err := ReadCSV(strings.NewReader(data), "f.csv")
		lines := strings.Count(data, "\n") + 2
		if err != nil {
			m := lineRef.FindStringSubmatch(err.Error())
			if m == nil {
				t.Fatalf("error names no line: %v", err)
			}
			if l, _ := strconv.Atoi(m[1]); l < 1 || l > lines {
				t.Fatalf("error names line %d of a %d-line file: %v", l, lines, err)
			}
			// A file past a size limit is refused whatever it holds; the
			// refusal must be possible for this file.
			var le *spend.LimitError
			if errors.As(err, &le) {
				if !overLimit(data, le) {
					t.Fatalf("refused for %s, a limit this %d-byte file cannot break: %v", le.Limit, len(data), err)
				}
				return
			}
			if n, _, ok := recountCSV(data); ok {
				t.Fatalf("refused a file the recount accepts (%d ballots): %v", n, err)
			}
			return
		}
		n, totals, ok := recountCSV(data)
		if !ok {
			t.Fatalf("accepted a file the recount refuses: %d ballots", tb.Ballots.N())
		}
		if tb.Ballots.N() != n || len(tb.Columns) != len(totals) {
			t.Fatalf("%d ballots over %d columns, recount %d over %d", tb.Ballots.N(), len(tb.Columns), n, len(totals))
		}
		for j, c := range tb.Columns {
			got := 0.0
			for _, s := range tb.Ballots.Shares[j] {
				if math.IsNaN(s) || math.IsInf(s, 0) || s < 0 || s > 1 {
					t.Fatalf("%s: share %v", c, s)
				}
				got += s
			}
			if math.Abs(got-totals[c]) > 1e-9*float64(n) {
				t.Fatalf("%s: total share %v, recount %v", c, got, totals[c])
			}
		}
	})
}

// A file of more ballots, or more values, than the reader may hold is
// refused as a whole, naming the line and the limit.
func TestReadCSVRefusesTooManyBallots(t *testing.T) {
	var many, wide strings.Builder
	many.WriteString("ballot_id,a,b\n")
	for i := range MaxCSVBallots + 1 {
		fmt.Fprintf(&many, "b%d,1,2\n", i)
	}
	wide.WriteString("ballot_id")
	for j := range 20 {
		fmt.Fprintf(&wide, ",p%d", j)
	}
	wide.WriteString("\n")
	row := strings.Repeat(",1", 20) + "\n"
	for i := range MaxCSVValues/20 + 1 {
		fmt.Fprintf(&wide, "b%d%s", i, row)
	}
	for want, in := range map[string]string{
		"many.csv line 500002: the file has more than 500,000 ballots, over the limit of 500000 on ballots in a file; refused":                                                            many.String(),
		"wide.csv line 250002: the file has more than 5,000,000 values (250,001 ballots of 20 priorities), over the limit of 5000000 on values (ballots × priorities) in a file; refused": wide.String(),
	} {
		name := strings.Fields(want)[0]
		_, err := ReadCSV(strings.NewReader(in), name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}
