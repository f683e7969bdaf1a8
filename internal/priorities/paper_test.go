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

func TestDemographicsNeedConsent(t *testing.T) {
	get := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if _, err := ParseDemographics(false, get(map[string]string{"age_band": "25-34"})); err == nil || !strings.Contains(err.Error(), "consent") {
		t.Fatalf("answers without consent: %v", err)
	}
	if d, err := ParseDemographics(false, get(nil)); err != nil || d != nil {
		t.Fatalf("no consent, no answers: %v %v", d, err)
	}
	if d, err := ParseDemographics(true, get(map[string]string{"age_band": "25-34", "ethnicity": PreferNotToSay})); err != nil || d["age_band"] != "25-34" {
		t.Fatalf("consented answers: %v %v", d, err)
	}
	if _, err := ParseDemographics(true, get(map[string]string{"age_band": "12"})); err == nil {
		t.Fatal("an answer not offered was accepted")
	}
}

func TestBreakdownsSuppressSmallGroups(t *testing.T) {
	var recs []Record
	for i := 0; i < 25; i++ {
		r := Record{PublicID: string(rune('a' + i)), District: "E08000003", Channel: Online, IMDDecile: 1, Points: []int{60, 40}}
		if i < 12 {
			r.Answers = Demographics{"age_band": "16-24"}
		} else if i < 15 {
			r.Answers = Demographics{"age_band": "75+"}
		}
		if i >= 20 {
			r.Channel, r.District = Workshop, "E08000009"
		}
		recs = append(recs, r)
	}
	res, err := Compute(2, recs, map[string]string{"E08000003": "Manchester", "E08000009": "Trafford"})
	if err != nil {
		t.Fatal(err)
	}
	find := func(gs []Group, label string) Group {
		for _, g := range gs {
			if g.Label == label {
				return g
			}
		}
		t.Fatalf("no group %q", label)
		return Group{}
	}
	if g := find(res.ByAnswer["age_band"], "16 to 24"); g.Suppressed || g.Ballots != 12 || g.Weights == nil {
		t.Fatalf("16-24: %+v", g)
	}
	if g := find(res.ByAnswer["age_band"], "75 or over"); !g.Suppressed || g.Weights != nil {
		t.Fatalf("a group of 3 was shown: %+v", g)
	}
	if g := find(res.ByChannel, "Workshops (paper ballots through community groups)"); !g.Suppressed {
		t.Fatalf("5 workshop ballots shown: %+v", g)
	}
	if g := find(res.ByDistrict, "Manchester"); g.Suppressed || g.Ballots != 20 {
		t.Fatalf("Manchester: %+v", g)
	}
	if res.Participation[0].Name != "Manchester" || res.Participation[0].Ballots != 20 {
		t.Fatalf("participation: %+v", res.Participation)
	}
	// Exported ballots carry no answers.
	csv, _ := ExportCSV([]string{"P1", "P2"}, recs)
	if strings.Contains(csv, "16-24") || strings.Contains(csv, "age") {
		t.Fatal("demographics leaked into the export")
	}
}
