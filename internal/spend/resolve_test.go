package spend

import "testing"

func TestSimilarity(t *testing.T) {
	if got := Similarity("ACME Ltd", "Acme Limited"); got != 1 {
		t.Errorf("same normalised name: got %v, want 1", got)
	}
	if got := Similarity("Acme", "Zebra"); got != 0 {
		t.Errorf("nothing shared: got %v, want 0", got)
	}
	near := Similarity("Trafford Carers Center", "Trafford Carers Centre")
	far := Similarity("Trafford Carers Centre", "Bolton Building Supplies")
	if near < CandidateThreshold || far >= CandidateThreshold {
		t.Errorf("near %v should pass and far %v fail the threshold %v", near, far, CandidateThreshold)
	}
	if Similarity("", "x") != 0 {
		t.Error("an empty name resembles nothing")
	}
}

func TestFuzzyCandidates(t *testing.T) {
	orgs := []Org{
		{ID: 1, Name: "Northern Roofing Services Ltd"},
		{ID: 2, Name: "Salford Food Bank", TradingNames: "Salford Foodbank Trust"},
		{ID: -5, Name: "Northern Roofing Service"}, // a register entry: never proposed
	}
	sups := []Supplier{
		{Key: NormaliseSupplier("Nthern Roofing Services"), Name: "Nthern Roofing Services", NetPence: 500},
		{Key: NormaliseSupplier("Salford Foodbank Trst"), Name: "Salford Foodbank Trst", NetPence: 900},
		{Key: "redacted", Name: "Redacted payee", NetPence: 9999},
		{Key: "matched", Name: "Northern Roofing Services", NetPence: 100, OrgID: 1},
		{Key: "zzz", Name: "Completely Different Plc", NetPence: 800},
	}
	got := FuzzyCandidates(sups, orgs, nil, 0)
	if len(got) != 2 {
		t.Fatalf("got %d candidates, want 2: %+v", len(got), got)
	}
	if got[0].OrgID != 2 || got[0].NetPence != 900 || got[1].OrgID != 1 {
		t.Errorf("want the food bank (higher spend, via its trading name) then roofing; got %+v", got)
	}
	decided := map[string]bool{DecisionKey(got[0].SupplierKey, 2): true}
	again := FuzzyCandidates(sups, orgs, decided, 0)
	if len(again) != 1 || again[0].OrgID != 1 {
		t.Errorf("a rejected pair must not be proposed again: %+v", again)
	}
	if len(FuzzyCandidates(sups, orgs, nil, 1)) != 1 {
		t.Error("limit not applied")
	}
}

func TestConfirmedLinkMatchesInReport(t *testing.T) {
	orgs := []Org{{ID: 7, Name: "Salford Food Bank", Kind: "vcse", Districts: []string{"E08000006"}, Confirmed: []string{NormaliseSupplier("Salford Foodbank Trst")}}}
	rows := []SupplierSpend{{Name: "Salford Foodbank Trst", NetPence: 1000, Payments: 1}}
	rep := BuildReport(rows, orgs, "E08000006", map[string]bool{"E08000006": true}, 10)
	if rep.Top[0].OrgID != 7 || rep.Top[0].MatchedBy != "confirmed by a person" || rep.Location[InDistrict].Pence != 1000 {
		t.Errorf("a confirmed link should place the supplier: %+v", rep.Top[0])
	}
}

// BenchmarkFuzzyCandidates scores 5,000 unmatched payees against 1,000
// directory organisations, all pairs, as the resolution page does.
func BenchmarkFuzzyCandidates(b *testing.B) {
	words := []string{"northern", "valley", "joinery", "care", "services", "digital", "community", "trust", "building", "supplies", "foods", "transport", "cleaning", "green", "energy"}
	name := func(i int) string {
		return words[i%len(words)] + " " + words[(i/7)%len(words)] + " " + words[(i/49)%len(words)] + " " + string(rune('a'+i%26)) + string(rune('a'+(i/26)%26))
	}
	var orgs []Org
	for i := range 1000 {
		orgs = append(orgs, Org{ID: int64(i + 1), Name: name(i * 3)})
	}
	var sups []Supplier
	for i := range 5000 {
		n := name(i)
		sups = append(sups, Supplier{Key: NormaliseSupplier(n), Name: n, NetPence: int64(i)})
	}
	for b.Loop() {
		FuzzyCandidates(sups, orgs, nil, 50)
	}
}
