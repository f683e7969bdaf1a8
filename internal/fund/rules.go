// Package fund allocates the Social Innovation Collaboration Fund's round
// budgets from approval ballots. Every rule uses exact rational arithmetic
// (math/big.Rat) and one documented deterministic tie-break: the lower cost
// first, then more approvals, then the lower proposal id (numerically when
// both ids are whole numbers, else as text). Results never depend on the
// order in which projects or voters are given.
package fund

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
)

// Rules lists the allocation rules.
var Rules = []string{"greedy", "mes", "mes-add1", "mes-add1-comparison", "phragmen"}

// Project is a proposal on the ballot.
type Project struct {
	ID   string
	Cost *big.Rat
}

// Election is a round to allocate: a budget, projects and approval ballots
// (each ballot lists project indices). Ballots may come from separate
// constituencies (Groups[i] is ballot i's); under the Method of Equal
// Shares each constituency then holds its share of the budget (Shares,
// equal by default) split equally among its own voters.
type Election struct {
	Budget   *big.Rat
	Projects []Project
	Ballots  [][]int
	Groups   []int      // nil: one constituency
	Shares   []*big.Rat // per constituency, summing to 1; nil: equal
}

// Outcome is an allocation.
type Outcome struct {
	Rule      string
	Selected  []int // project indices, in the order the rule chose them
	TotalCost *big.Rat
	// Payments[k] is, for MES-based rules, what each supporter of the k-th
	// selected project paid: the maximum payment α (those with less paid all
	// they had left). Nil for other rules.
	Payments []*big.Rat
	// PerVoter is the per-voter budget of the MES run that was used (of the
	// first constituency); PerGroup has every constituency's.
	PerVoter *big.Rat
	PerGroup []*big.Rat
}

// Validate checks an election's shape.
func (e *Election) Validate() error {
	if e.Budget == nil || e.Budget.Sign() < 0 {
		return errors.New("the budget must be zero or more")
	}
	for i, p := range e.Projects {
		if p.Cost == nil || p.Cost.Sign() < 0 {
			return fmt.Errorf("project %s: cost must be zero or more", p.ID)
		}
		for j := range i {
			if e.Projects[j].ID == p.ID {
				return fmt.Errorf("project id %s appears twice", p.ID)
			}
		}
	}
	for v, b := range e.Ballots {
		for _, p := range b {
			if p < 0 || p >= len(e.Projects) {
				return fmt.Errorf("ballot %d approves an unknown project", v+1)
			}
		}
	}
	if e.Groups != nil && len(e.Groups) != len(e.Ballots) {
		return errors.New("one constituency per ballot is needed")
	}
	for _, g := range e.Groups {
		if g < 0 || (e.Shares != nil && g >= len(e.Shares)) {
			return fmt.Errorf("constituency %d has no budget share", g)
		}
	}
	return nil
}

// supporters[p] lists the voters approving p (each voter once).
func (e *Election) supporters() [][]int32 {
	s := make([][]int32, len(e.Projects))
	seen := make([]int, len(e.Projects))
	for i := range seen {
		seen[i] = -1
	}
	for v, b := range e.Ballots {
		for _, p := range b {
			if seen[p] != v {
				seen[p] = v
				s[p] = append(s[p], int32(v))
			}
		}
	}
	return s
}

// idLess orders proposal ids: numerically when both are whole numbers.
func idLess(a, b string) bool {
	x, errA := strconv.ParseInt(a, 10, 64)
	y, errB := strconv.ParseInt(b, 10, 64)
	if errA == nil && errB == nil {
		return x < y
	}
	return a < b
}

// better reports whether project p beats q on the tie-break.
func (e *Election) better(p, q int, approvals []int) bool {
	if c := e.Projects[p].Cost.Cmp(e.Projects[q].Cost); c != 0 {
		return c < 0
	}
	if approvals[p] != approvals[q] {
		return approvals[p] > approvals[q]
	}
	return idLess(e.Projects[p].ID, e.Projects[q].ID)
}

func (e *Election) approvals(sup [][]int32) []int {
	a := make([]int, len(sup))
	for p, s := range sup {
		a[p] = len(s)
	}
	return a
}

func (e *Election) cost(sel []int) *big.Rat {
	t := new(big.Rat)
	for _, p := range sel {
		t.Add(t, e.Projects[p].Cost)
	}
	return t
}

// Allocate runs the named rule.
func Allocate(rule string, e *Election) (*Outcome, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	switch rule {
	case "greedy":
		return Greedy(e), nil
	case "mes":
		o := prepare(e).mes(new(big.Rat))
		return o, nil
	case "mes-add1":
		return MESAdd1(e), nil
	case "mes-add1-comparison":
		return MESAdd1Comparison(e), nil
	case "phragmen":
		return Phragmen(e), nil
	}
	return nil, fmt.Errorf("unknown rule %q (use one of %v)", rule, Rules)
}

// Greedy funds proposals by approval count, skipping any that no longer fit.
func Greedy(e *Election) *Outcome {
	sup := e.supporters()
	appr := e.approvals(sup)
	order := make([]int, len(e.Projects))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(p, q int) int {
		if appr[p] != appr[q] {
			return appr[q] - appr[p]
		}
		if e.better(p, q, appr) {
			return -1
		}
		return 1
	})
	left := new(big.Rat).Set(e.Budget)
	o := &Outcome{Rule: "greedy"}
	for _, p := range order {
		if appr[p] == 0 {
			continue
		}
		if e.Projects[p].Cost.Cmp(left) <= 0 {
			o.Selected = append(o.Selected, p)
			left.Sub(left, e.Projects[p].Cost)
		}
	}
	o.TotalCost = e.cost(o.Selected)
	return o
}

// SelectedInIDOrder returns the selected ids in the order the projects
// were given (the file's order).
func (o *Outcome) SelectedInIDOrder(e *Election) []string {
	idx := slices.Clone(o.Selected)
	slices.Sort(idx)
	ids := make([]string, len(idx))
	for i, p := range idx {
		ids[i] = e.Projects[p].ID
	}
	return ids
}
