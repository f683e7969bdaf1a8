package spend

import "testing"

// Similar names at or above AutoMatchThreshold match without asking;
// below it they are left to the review queue; exact identifiers and names
// still come first.
func TestAutoMatchBySimilarity(t *testing.T) {
	if s := Similarity("Claremont Residential Home Uk Ltd", "CLAREMONT RESIDENTIAL HOMES LIMITED"); s < AutoMatchThreshold {
		t.Fatalf("Claremont %.3f", s)
	}
	if s := Similarity("Irwel Valley Joinery", "Irwell Valley Joinery Ltd"); s >= AutoMatchThreshold {
		t.Fatalf("Irwel %.3f", s)
	}
	if s := Similarity("Weightmans LLP", "WEIGHTMAN LLP"); s >= AutoMatchThreshold || s < CandidateThreshold {
		t.Fatalf("Weightman %.3f", s)
	}
	rows := []SupplierSpend{{Name: "Claremont Residential Home Uk Ltd", NetPence: 500}, {Name: "Weightmans LLP", NetPence: 900}}
	orgs := []Org{{ID: -5, Name: "CLAREMONT RESIDENTIAL HOMES LIMITED", Districts: []string{"E08000009"}, Source: "Companies House"}, {ID: 7, Name: "WEIGHTMAN LLP", Districts: []string{""}}}
	rep := BuildReport(rows, orgs, "E08000009", map[string]bool{"E08000009": true}, 10)
	got := map[string]Supplier{}
	for _, s := range rep.Top {
		got[s.Spellings[0]] = s
	}
	if a := got["Claremont Residential Home Uk Ltd"]; a.OrgID != -5 || a.Location != InDistrict || a.MatchedBy != "similar name (94% alike) (Companies House register)" {
		t.Fatalf("auto: %+v", a)
	}
	if w := got["Weightmans LLP"]; w.OrgID != 0 || w.Location != Unknown {
		t.Fatalf("below the threshold: %+v", w)
	}
	cands := FuzzyCandidates(rep.Top, orgs, nil, 10)
	if len(cands) != 1 || cands[0].OrgID != 7 {
		t.Fatalf("review queue: %+v", cands)
	}
}
