package fund

import (
	"math/big"
	"strconv"
)

// Document is a round's results as published: the round page, the API and
// the 360Giving grants all read it, and it is frozen at publication (stored
// as JSON, so the field names are part of the published format).
type Document struct {
	Rule         string     `json:"rule"`
	BudgetPence  int64      `json:"budget_pence"`
	TotalPence   int64      `json:"total_pence"`
	Voters       int        `json:"voters"`
	PerVoter     string     `json:"per_voter_budget,omitempty"`
	Proposals    []DocEntry `json:"proposals"`
	GreedyFunded []int64    `json:"greedy_funded"`
	GreedyTotal  int64      `json:"greedy_total_pence"`
}

// DocEntry is one eligible proposal in a results document: funded ones
// first, in the order the rule chose them, then the others with the reason.
type DocEntry struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	Pence      int64  `json:"cost_pence"`
	Approvals  int    `json:"approvals"`
	Funded     bool   `json:"funded"`
	PerVoter   string `json:"paid_by_each_supporter,omitempty"`
	Reason     string `json:"reason,omitempty"`
	ByGreedy   bool   `json:"funded_by_greedy"`
	Proposer   string `json:"proposer"`
	Supporters int    `json:"supporters"`
}

// Funded reports whether the document funds the proposal (false for a nil
// document: nothing is funded before publication).
func (d *Document) Funded(id int64) bool {
	if d == nil {
		return false
	}
	for _, p := range d.Proposals {
		if p.ID == id && p.Funded {
			return true
		}
	}
	return false
}

// NewElection builds a round's allocation problem in pounds (so Add1 steps
// by £1) from its proposals and its ballots, each ballot a list of proposal
// ids with its constituency beside it. Only eligible proposals stand;
// approvals of others are dropped. With Both, residents and organisations
// each hold half the budget. It returns the eligible proposals in the
// election's project order.
func NewElection(r Round, proposals []Proposal, ballots [][]int64, constituencies []string) (*Election, []Proposal) {
	var eligible []Proposal
	index := map[int64]int{}
	e := &Election{Budget: PenceToPounds(r.BudgetPence)}
	for _, p := range proposals {
		if p.Status == Eligible {
			index[p.ID] = len(e.Projects)
			eligible = append(eligible, p)
			e.Projects = append(e.Projects, Project{ID: strconv.FormatInt(p.ID, 10), Cost: PenceToPounds(p.BudgetPence)})
		}
	}
	if r.Electorate == Both {
		for _, c := range constituencies {
			g := 0
			if c == Organisations {
				g = 1
			}
			e.Groups = append(e.Groups, g)
		}
		e.Shares = []*big.Rat{big.NewRat(1, 2), big.NewRat(1, 2)}
	}
	for _, b := range ballots {
		var bb []int
		for _, pid := range b {
			if i, ok := index[pid]; ok {
				bb = append(bb, i)
			}
		}
		e.Ballots = append(e.Ballots, bb)
	}
	return e, eligible
}

// Publication computes what publishing a round freezes: its results
// document, from the round's proposals and ballots (as NewElection takes
// them), under the round's rule, beside what greedy would have funded.
func Publication(r Round, proposals []Proposal, ballots [][]int64, constituencies []string) (Document, error) {
	e, eligible := NewElection(r, proposals, ballots, constituencies)
	o, err := Allocate(r.Rule, e)
	if err != nil {
		return Document{}, err
	}
	x := Explain(e, o)
	doc := Document{Rule: r.Rule, BudgetPence: r.BudgetPence, Voters: len(e.Ballots)}
	if o.PerVoter != nil {
		doc.PerVoter = Decimal(o.PerVoter)
	}
	approvals := make([]int, len(eligible))
	for _, b := range e.Ballots {
		for _, pi := range b {
			approvals[pi]++
		}
	}
	greedy := map[int]bool{}
	for _, pi := range Greedy(e).Selected {
		greedy[pi] = true
		doc.GreedyFunded = append(doc.GreedyFunded, eligible[pi].ID)
		doc.GreedyTotal += eligible[pi].BudgetPence
	}
	for _, f := range x.Funded {
		p := eligible[f.Index]
		doc.TotalPence += p.BudgetPence
		doc.Proposals = append(doc.Proposals, DocEntry{ID: p.ID, Title: p.Title, Pence: p.BudgetPence, Approvals: approvals[f.Index], Funded: true, PerVoter: f.PerVoter, ByGreedy: greedy[f.Index], Proposer: p.OrgName, Supporters: f.Supporters})
	}
	for _, u := range x.Unfunded {
		p := eligible[u.Index]
		doc.Proposals = append(doc.Proposals, DocEntry{ID: p.ID, Title: p.Title, Pence: p.BudgetPence, Approvals: approvals[u.Index], Reason: u.Reason, ByGreedy: greedy[u.Index], Proposer: p.OrgName})
	}
	return doc, nil
}
