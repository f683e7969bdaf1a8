package fund

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// publicationRound is a £100 round with three eligible proposals, one
// ineligible and one withdrawn, and five residents' ballots.
func publicationRound(rule string) (Round, []Proposal, [][]int64, []string) {
	r := Round{ID: 3, Rule: rule, BudgetPence: 100_00, Electorate: Residents, Phase: PhaseClosed}
	ps := []Proposal{
		{ID: 11, Title: "Allotments", OrgName: "Grow Wigan", BudgetPence: 60_00, Status: Eligible},
		{ID: 12, Title: "Bike library", OrgName: "Pedal Bolton", BudgetPence: 50_00, Status: Eligible},
		{ID: 13, Title: "Choir", OrgName: "Sing Salford", BudgetPence: 40_00, Status: Eligible},
		{ID: 14, Title: "Dog show", OrgName: "Paws Bury", BudgetPence: 10_00, Status: Ineligible},
		{ID: 15, Title: "Easel hire", OrgName: "Art Oldham", BudgetPence: 5_00, Status: Withdrawn},
	}
	ballots := [][]int64{{11, 12, 14}, {11, 12}, {12, 13}, {13, 15}, {11}}
	cons := []string{Residents, Residents, Residents, Residents, Residents}
	return r, ps, ballots, cons
}

func TestPublicationGreedy(t *testing.T) {
	r, ps, ballots, cons := publicationRound("greedy")
	doc, err := Publication(r, ps, ballots, cons)
	if err != nil {
		t.Fatal(err)
	}
	// Greedy takes the most approved first, the cheaper of a tie first:
	// the bike library (3, £50), then not the allotments (3, £60 > £50
	// left), then the choir (2, £40).
	want := Document{Rule: "greedy", BudgetPence: 100_00, TotalPence: 90_00, Voters: 5,
		Proposals: []DocEntry{
			{ID: 12, Title: "Bike library", Pence: 50_00, Approvals: 3, Funded: true, ByGreedy: true, Proposer: "Pedal Bolton", Supporters: 3},
			{ID: 13, Title: "Choir", Pence: 40_00, Approvals: 2, Funded: true, ByGreedy: true, Proposer: "Sing Salford", Supporters: 2},
			{ID: 11, Title: "Allotments", Pence: 60_00, Approvals: 3, Reason: "It did not fit: it costs £60 and £10 was left.", Proposer: "Grow Wigan"},
		},
		GreedyFunded: []int64{12, 13}, GreedyTotal: 90_00}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("document\n got %+v\nwant %+v", doc, want)
	}
	for id, funded := range map[int64]bool{11: false, 12: true, 13: true, 14: false, 15: false} {
		if doc.Funded(id) != funded {
			t.Errorf("Funded(%d) = %v", id, !funded)
		}
	}
	var none *Document
	if none.Funded(12) {
		t.Error("a round without a document funds nothing")
	}
}

func TestPublicationMES(t *testing.T) {
	r, ps, ballots, cons := publicationRound("mes")
	doc, err := Publication(r, ps, ballots, cons)
	if err != nil {
		t.Fatal(err)
	}
	if doc.PerVoter == "" || doc.Voters != 5 {
		t.Errorf("per-voter budget %q, voters %d", doc.PerVoter, doc.Voters)
	}
	var total int64
	seen := map[int64]bool{}
	for _, p := range doc.Proposals {
		seen[p.ID] = true
		if p.Funded {
			total += p.Pence
			if p.PerVoter == "" || p.Supporters == 0 {
				t.Errorf("funded %d without what each supporter paid: %+v", p.ID, p)
			}
		} else if p.Reason == "" {
			t.Errorf("unfunded %d without a reason", p.ID)
		}
	}
	if total != doc.TotalPence || total > r.BudgetPence {
		t.Errorf("total %d, document says %d, budget %d", total, doc.TotalPence, r.BudgetPence)
	}
	if !reflect.DeepEqual(seen, map[int64]bool{11: true, 12: true, 13: true}) {
		t.Errorf("the document lists %v; it lists every eligible proposal and no other", seen)
	}
	if !reflect.DeepEqual(doc.GreedyFunded, []int64{12, 13}) || doc.GreedyTotal != 90_00 {
		t.Errorf("greedy comparison %v %d", doc.GreedyFunded, doc.GreedyTotal)
	}
}

// The document is stored as JSON at publication and read back by the
// pages and the API: its field names are a published format.
func TestPublicationJSONNames(t *testing.T) {
	r, ps, ballots, cons := publicationRound("mes")
	doc, err := Publication(r, ps, ballots, cons)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{`"rule"`, `"budget_pence"`, `"total_pence"`, `"voters"`, `"per_voter_budget"`, `"proposals"`, `"greedy_funded"`, `"greedy_total_pence"`,
		`"id"`, `"title"`, `"cost_pence"`, `"approvals"`, `"funded"`, `"paid_by_each_supporter"`, `"reason"`, `"funded_by_greedy"`, `"proposer"`, `"supporters"`} {
		if !strings.Contains(string(js), name+":") {
			t.Errorf("published JSON lacks %s: %s", name, js)
		}
	}
	var back Document
	if err := json.Unmarshal(js, &back); err != nil || !reflect.DeepEqual(back, doc) {
		t.Errorf("round trip: %v\n got %+v\nwant %+v", err, back, doc)
	}
}

func TestNewElectionBothConstituencies(t *testing.T) {
	r, ps, ballots, _ := publicationRound("mes")
	r.Electorate = Both
	cons := []string{Residents, Organisations, Residents, Organisations, Residents}
	e, eligible := NewElection(r, ps, ballots, cons)
	if len(eligible) != 3 || eligible[0].ID != 11 || eligible[2].ID != 13 {
		t.Fatalf("eligible %+v", eligible)
	}
	if !reflect.DeepEqual(e.Groups, []int{0, 1, 0, 1, 0}) || len(e.Shares) != 2 || e.Shares[0].String() != "1/2" || e.Shares[1].String() != "1/2" {
		t.Errorf("groups %v shares %v", e.Groups, e.Shares)
	}
	// Approvals of the ineligible and withdrawn proposals are dropped.
	if !reflect.DeepEqual(e.Ballots, [][]int{{0, 1}, {0, 1}, {1, 2}, {2}, {0}}) {
		t.Errorf("ballots %v", e.Ballots)
	}
	if e.Budget.String() != "100/1" || e.Projects[1].Cost.String() != "50/1" {
		t.Errorf("budget %v, cost %v: the election is in pounds", e.Budget, e.Projects[1].Cost)
	}
	if _, err := Publication(r, ps, ballots, cons); err != nil {
		t.Errorf("publication with both constituencies: %v", err)
	}
}
