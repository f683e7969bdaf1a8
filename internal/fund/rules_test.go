package fund

import (
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// election builds an election from costs (by id) and ballots of ids.
func election(budget string, costs map[string]string, ids []string, ballots ...[]string) *Election {
	e := &Election{Budget: rat(budget)}
	index := map[string]int{}
	for _, id := range ids {
		index[id] = len(e.Projects)
		e.Projects = append(e.Projects, Project{ID: id, Cost: rat(costs[id])})
	}
	for _, b := range ballots {
		var bb []int
		for _, id := range b {
			bb = append(bb, index[id])
		}
		e.Ballots = append(e.Ballots, bb)
	}
	return e
}

func repeat(n int, b []string) [][]string {
	out := make([][]string, n)
	for i := range out {
		out[i] = b
	}
	return out
}

func selected(t *testing.T, rule string, e *Election) []string {
	t.Helper()
	o, err := Allocate(rule, e)
	if err != nil {
		t.Fatal(err)
	}
	if o.TotalCost.Cmp(e.Budget) > 0 {
		t.Fatalf("%s exceeds the budget", rule)
	}
	return o.SelectedInIDOrder(e)
}

// A majority of 6 approves X1 and X2, a minority of 4 approves Y; each costs
// 50 and the budget is 100. Worked by hand:
//   - greedy funds X1 and X2 (6 approvals each): the majority takes it all.
//   - mes (10 each): X1 at α = 50/6; then the majority has 5/3 each left, too
//     little for X2, and the minority's 40 cannot buy Y: {X1}.
//   - mes-add1: at +3 the minority's 52 buys Y (α = 12.5); X2 becomes
//     affordable only at +7 (17 − 50/6 ≥ 50/6), when the outcome costs 150,
//     so the last fitting outcome is {X1, Y}.
//   - mes-add1-comparison: 6 voters prefer greedy, 4 prefer MES: greedy.
//   - phragmen: X1 (load 50/6), then Y (12.5 < 100/6), then X2 no longer fits.
func TestMajorityAndMinority(t *testing.T) {
	costs := map[string]string{"X1": "50", "X2": "50", "Y": "50"}
	ballots := append(repeat(6, []string{"X1", "X2"}), repeat(4, []string{"Y"})...)
	e := election("100", costs, []string{"X1", "X2", "Y"}, ballots...)
	want := map[string][]string{
		"greedy":              {"X1", "X2"},
		"mes":                 {"X1"},
		"mes-add1":            {"X1", "Y"},
		"mes-add1-comparison": {"X1", "X2"},
		"phragmen":            {"X1", "Y"},
	}
	for rule, w := range want {
		if got := selected(t, rule, e); !reflect.DeepEqual(got, w) {
			t.Errorf("%s: got %v, want %v", rule, got, w)
		}
	}
	o := MESAdd1(e)
	if o.PerVoter.Cmp(rat("16")) != 0 || o.Payments[0].Cmp(rat("25/3")) != 0 || o.Payments[1].Cmp(rat("25/2")) != 0 {
		t.Fatalf("mes-add1 run: per voter %s, payments %v", o.PerVoter.RatString(), o.Payments)
	}
}

// Ties: equal costs and approvals fall to the lower id, numerically.
func TestTieBreaks(t *testing.T) {
	costs := map[string]string{"10": "1", "9": "1", "2": "2"}
	e := election("1", costs, []string{"10", "9", "2"}, []string{"10", "9", "2"}, []string{"10", "9", "2"})
	for _, rule := range Rules {
		if got := selected(t, rule, e); !reflect.DeepEqual(got, []string{"9"}) {
			t.Errorf("%s: got %v, want [9] (lower id on a tie)", rule, got)
		}
	}
	// Lower cost wins a tie in approvals for greedy.
	e = election("3", map[string]string{"a": "3", "b": "2"}, []string{"a", "b"}, []string{"a", "b"})
	if got := selected(t, "greedy", e); !reflect.DeepEqual(got, []string{"b"}) {
		t.Errorf("greedy: got %v, want [b]", got)
	}
}

// Unit costs, budget k: cases worked by hand where the rules must agree with
// their committee-voting definitions.
func TestUnitCostCommittees(t *testing.T) {
	one := func(ids ...string) map[string]string {
		m := map[string]string{}
		for _, id := range ids {
			m[id] = "1"
		}
		return m
	}
	// Two equal groups of two, k = 2: each group gets its candidate.
	e := election("2", one("a", "b", "c"), []string{"a", "b", "c"}, []string{"a", "c"}, []string{"a"}, []string{"b"}, []string{"b"})
	for _, rule := range []string{"mes", "mes-add1", "phragmen"} {
		if got := selected(t, rule, e); !reflect.DeepEqual(got, []string{"a", "b"}) {
			t.Errorf("%s: got %v, want [a b]", rule, got)
		}
	}
	// Phragmén, k = 2: 3 voters approve {a, b}, 2 approve {c}. Loads: a gives
	// 1/3; then b would give 2/3 but c gives 1/2, so {a, c}.
	e = election("2", one("a", "b", "c"), []string{"a", "b", "c"}, append(repeat(3, []string{"a", "b"}), repeat(2, []string{"c"})...)...)
	if got := selected(t, "phragmen", e); !reflect.DeepEqual(got, []string{"a", "c"}) {
		t.Errorf("phragmen: got %v, want [a c]", got)
	}
	// Equal Shares, k = 3, 6 voters (1/2 each): 4 approve {a, b, c}, 2 approve
	// {d}. a costs the four 1/4 each, b another 1/4 each; c is then
	// unaffordable (0 left), d is affordable (2 × 1/2 = 1): {a, b, d}, which
	// is exhaustive, so Add1 keeps it.
	e = election("3", one("a", "b", "c", "d"), []string{"a", "b", "c", "d"}, append(repeat(4, []string{"a", "b", "c"}), repeat(2, []string{"d"})...)...)
	for _, rule := range []string{"mes", "mes-add1"} {
		if got := selected(t, rule, e); !reflect.DeepEqual(got, []string{"a", "b", "d"}) {
			t.Errorf("%s: got %v, want [a b d]", rule, got)
		}
	}
}

func randomElection(r *rand.Rand) *Election {
	np, nv := 1+r.IntN(12), 1+r.IntN(40)
	e := &Election{Budget: big.NewRat(int64(r.IntN(200)+1), int64(1+r.IntN(3)))}
	for p := range np {
		e.Projects = append(e.Projects, Project{ID: string(rune('A' + p)), Cost: big.NewRat(int64(r.IntN(80)), int64(1+r.IntN(2)))})
	}
	for range nv {
		var b []int
		for p := range np {
			if r.IntN(3) == 0 {
				b = append(b, p)
			}
		}
		e.Ballots = append(e.Ballots, b)
	}
	return e
}

// shuffled returns the same election with projects and voters reordered.
func shuffled(e *Election, r *rand.Rand) *Election {
	perm := r.Perm(len(e.Projects))
	out := &Election{Budget: e.Budget, Projects: make([]Project, len(e.Projects))}
	for old, nw := range perm {
		out.Projects[nw] = e.Projects[old]
	}
	for _, v := range r.Perm(len(e.Ballots)) {
		var b []int
		for _, p := range e.Ballots[v] {
			b = append(b, perm[p])
		}
		out.Ballots = append(out.Ballots, b)
	}
	return out
}

func ids(e *Election, o *Outcome) []string {
	out := o.SelectedInIDOrder(e)
	slices.Sort(out)
	return out
}

func TestPropertiesOnRandomElections(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 7))
	for trial := range 300 {
		e := randomElection(r)
		f := shuffled(e, r)
		for _, rule := range Rules {
			o, err := Allocate(rule, e)
			if err != nil {
				t.Fatal(err)
			}
			if o.TotalCost.Cmp(e.Budget) > 0 {
				t.Fatalf("trial %d %s: cost %s exceeds budget %s", trial, rule, o.TotalCost.RatString(), e.Budget.RatString())
			}
			o2, _ := Allocate(rule, f)
			if !reflect.DeepEqual(ids(e, o), ids(f, o2)) {
				t.Fatalf("trial %d %s: input order changed the result: %v vs %v", trial, rule, ids(e, o), ids(f, o2))
			}
		}
		// Every project MES funds is affordable to its supporters when bought:
		// replay the payments and check each covers the cost exactly.
		n := max(len(e.Ballots), 1)
		per := new(big.Rat).Quo(e.Budget, big.NewRat(int64(n), 1))
		o := MES(e, per)
		budget := make([]*big.Rat, len(e.Ballots))
		for i := range budget {
			budget[i] = new(big.Rat).Set(per)
		}
		sup := e.supporters()
		for k, p := range o.Selected {
			paid := new(big.Rat)
			for _, v := range sup[p] {
				pay := o.Payments[k]
				if budget[v].Cmp(pay) < 0 {
					pay = budget[v]
				}
				paid.Add(paid, pay)
				budget[v] = new(big.Rat).Sub(budget[v], pay)
			}
			if paid.Cmp(e.Projects[p].Cost) != 0 {
				t.Fatalf("trial %d: project %s cost %s but its supporters paid %s", trial, e.Projects[p].ID, e.Projects[p].Cost.RatString(), paid.RatString())
			}
		}
	}
}

func TestAllocateRejectsBadElections(t *testing.T) {
	e := election("10", map[string]string{"a": "-1"}, []string{"a"}, []string{"a"})
	if _, err := Allocate("mes", e); err == nil {
		t.Error("negative cost accepted")
	}
	e = election("10", map[string]string{"a": "1"}, []string{"a"}, []string{"a"})
	if _, err := Allocate("plurality", e); err == nil {
		t.Error("unknown rule accepted")
	}
}

// The float screens (floatMES and the leaner screen MESAdd1 uses), whenever
// they vouch for a run, choose exactly what the exact run chooses.
func TestFloatScreenAgreesWithExact(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	vouched := 0
	for range 400 {
		e := randomElection(r)
		pe := prepare(e)
		for k := int64(0); k < 4; k++ {
			add := big.NewRat(k, 1)
			sel, ok := pe.floatMES(add, nil)
			quick, quickOK := pe.screen(add)
			if !ok {
				continue
			}
			vouched++
			exact := pe.mes(add).Selected
			if !slices.Equal(sel, exact) {
				t.Fatalf("float screen %v, exact %v", sel, exact)
			}
			if quickOK && !slices.Equal(quick, exact) {
				t.Fatalf("screen %v, exact %v", quick, exact)
			}
		}
	}
	if vouched < 500 {
		t.Fatalf("the screen vouched for only %d runs", vouched)
	}
}

// Two constituencies share the budget equally: 8 residents all back A, 2
// organisations both back B; A and B cost 50 of 100. Pooled, MES gives each
// of the 10 voters 10: the residents buy A (80 ≥ 50) and the organisations'
// 20 cannot buy B. As constituencies, the organisations hold 50 between
// them (25 each) and buy B; the residents' 50 (6.25 each) buys A.
func TestConstituencies(t *testing.T) {
	costs := map[string]string{"A": "50", "B": "50"}
	ballots := append(repeat(8, []string{"A"}), repeat(2, []string{"B"})...)
	pooled := election("100", costs, []string{"A", "B"}, ballots...)
	if got := selected(t, "mes", pooled); !reflect.DeepEqual(got, []string{"A"}) {
		t.Fatalf("pooled: %v", got)
	}
	split := election("100", costs, []string{"A", "B"}, ballots...)
	split.Groups = []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1}
	if got := selected(t, "mes", split); !reflect.DeepEqual(got, []string{"A", "B"}) {
		t.Fatalf("constituencies: %v", got)
	}
	o, _ := Allocate("mes", split)
	if o.PerGroup[0].Cmp(rat("25/4")) != 0 || o.PerGroup[1].Cmp(rat("25")) != 0 {
		t.Fatalf("shares per voter %v", o.PerGroup)
	}
}

// MESAdd1 (float screen, exact payments from a recorded run) must give
// exactly what MESAdd1Exact gives — every increment in big.Rat — on many
// elections: random small ones with and without constituencies, ones built
// to tie, and city-like synthetic ones.
func TestMESAdd1MatchesExactReference(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 5))
	same := func(name string, e *Election) {
		t.Helper()
		fast, ref := MESAdd1(e), MESAdd1Exact(e)
		if !slices.Equal(fast.Selected, ref.Selected) || fast.PerVoter.Cmp(ref.PerVoter) != 0 || fast.TotalCost.Cmp(ref.TotalCost) != 0 {
			t.Fatalf("%s: fast %v at +%s, exact %v at +%s", name, fast.Selected, fast.PerVoter.RatString(), ref.Selected, ref.PerVoter.RatString())
		}
		if len(fast.Payments) != len(ref.Payments) {
			t.Fatalf("%s: %d payments, exact %d", name, len(fast.Payments), len(ref.Payments))
		}
		for k := range ref.Payments {
			if fast.Payments[k].Cmp(ref.Payments[k]) != 0 {
				t.Fatalf("%s: payment %d is %s, exact %s", name, k, fast.Payments[k].RatString(), ref.Payments[k].RatString())
			}
		}
		for g := range ref.PerGroup {
			if fast.PerGroup[g].Cmp(ref.PerGroup[g]) != 0 {
				t.Fatalf("%s: constituency %d starts at %s, exact %s", name, g, fast.PerGroup[g].RatString(), ref.PerGroup[g].RatString())
			}
		}
	}
	for trial := range 600 {
		e := randomElection(r)
		if trial%3 == 0 && len(e.Ballots) > 1 {
			// two constituencies with unequal shares
			e.Groups = make([]int, len(e.Ballots))
			for v := range e.Groups {
				e.Groups[v] = r.IntN(2)
			}
			e.Shares = []*big.Rat{big.NewRat(1, 3), big.NewRat(2, 3)}
		}
		same("random "+itoa(trial), e)
	}
	// Whole-number costs and copies of the same ballots make exact ties.
	for trial := range 100 {
		e := &Election{Budget: big.NewRat(int64(50+r.IntN(200)), 1)}
		np := 2 + r.IntN(6)
		for p := range np {
			e.Projects = append(e.Projects, Project{ID: itoa(p + 1), Cost: big.NewRat(int64(10*(1+r.IntN(5))), 1)})
		}
		kinds := [][]int{}
		for range 1 + r.IntN(4) {
			var b []int
			for p := range np {
				if r.IntN(2) == 0 {
					b = append(b, p)
				}
			}
			kinds = append(kinds, b)
		}
		for range 2 + r.IntN(30) {
			e.Ballots = append(e.Ballots, kinds[r.IntN(len(kinds))])
		}
		same("ties "+itoa(trial), e)
	}
	for seed := range uint64(6) {
		same("synthetic "+itoa(int(seed)), synthetic(300+int(seed)*200, 15+int(seed)*5, seed))
	}
	// Priced in small units, as in forints: hundreds of increments, which
	// MESAdd1 vouches for in spans.
	for trial := range 60 {
		e := randomElection(r)
		e.Budget.Mul(e.Budget, big.NewRat(int64(50+r.IntN(200)), 1))
		for p := range e.Projects {
			e.Projects[p].Cost = new(big.Rat).Mul(e.Projects[p].Cost, big.NewRat(int64(100+r.IntN(100)), 1))
		}
		same("small units "+itoa(trial), e)
	}
}
