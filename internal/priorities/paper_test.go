package priorities

import (
	"errors"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/problem"
)

var ps = []RoundPriority{{ID: 1, Code: "P1", Title: "Jobs"}, {ID: 2, Code: "P2", Title: "Air"}}

func TestReadPaperCSVGood(t *testing.T) {
	rows, err := ReadPaperCSV(strings.NewReader("code,postcode,P1,P2,comment\nabc123,m15 4ab,60,40,Buses\nDEF456,BL1 1AA,100,,\n"), "ok.csv", ps)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Code != "ABC123" || rows[0].Postcode != "M15 4AB" || rows[0].Points[1] != 60 || rows[1].Points[2] != 0 || rows[0].Comment != "Buses" {
		t.Fatalf("%+v", rows)
	}
}

func TestReadPaperCSVListsEveryBadRow(t *testing.T) {
	in := "code,postcode,P1,P2\n" +
		"A1,M15 4AB,50,40\n" + // line 2: sums to 90
		"A2,M15 4AB,-10,110\n" + // line 3: negative and over 100
		"A3,M15 4AB,50.5,49.5\n" + // line 4: not whole numbers
		"A1,M15 4AB,50,50\n" + // line 5: code already used in the file
		"A5,NOT A PC,50,50\n" + // line 6: malformed postcode
		"A6,M15 4AB,50,50\n" // line 7: fine
	_, err := ReadPaperCSV(strings.NewReader(in), "bad.csv", ps)
	var fe *problem.FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("want FileErrors, got %v", err)
	}
	lines := map[int]bool{}
	for _, l := range fe.Lines {
		lines[l.Line] = true
	}
	for _, want := range []int{2, 3, 4, 5, 6} {
		if !lines[want] {
			t.Errorf("line %d not reported:\n%v", want, err)
		}
	}
	if lines[7] {
		t.Errorf("good line 7 reported: %v", err)
	}
	if _, err := ReadPaperCSV(strings.NewReader("code,postcode,P1,P9\nA,M1 1AE,100,0\n"), "cols.csv", ps); err == nil || !strings.Contains(err.Error(), `"P9" is not a priority`) || !strings.Contains(err.Error(), "missing a column for priority P2") {
		t.Fatalf("unknown priority column: %v", err)
	}
}
