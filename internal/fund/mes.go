package fund

import (
	"encoding/binary"
	"math"
	"math/big"
	"slices"
)

// budgets holds voters' remaining budgets as indices into a table of
// values. Voters start equal and a purchase moves all its supporters that
// share a value to the same new value, so each affordability check works on
// the few distinct values among a project's supporters, with a handful of
// rational operations each, however many voters there are. Each value also
// keeps a float64 copy used only to sort values quickly; values closer than
// the float's precision are ordered exactly.
type budgets struct {
	vals []*big.Rat
	flt  []float64
	of   []int32 // voter (or voter type) → value index
	// weight[t] is how many voters type t stands for (nil: one each)
	weight []int
	// split: the last α found was the equal split cost/n, every supporter
	// clearly able to pay it (set by search)
	split bool
	// scratch, reused across calls
	counts    []int
	used      []int
	remaining big.Rat
	tmp       big.Rat
	n         big.Rat
}

// newBudgets gives each voter the starting budget of their constituency.
func newBudgets(groupOf []int, start []*big.Rat) *budgets {
	b := &budgets{of: make([]int32, len(groupOf))}
	b.add(new(big.Rat)) // value 0 is zero: exhausted voters share it
	ids := make([]int32, len(start))
	for g, v := range start {
		if v.Sign() > 0 {
			ids[g] = b.add(v)
		}
	}
	for i, g := range groupOf {
		b.of[i] = ids[g]
	}
	return b
}

func (b *budgets) add(v *big.Rat) int32 {
	f, _ := v.Float64()
	b.vals = append(b.vals, v)
	b.flt = append(b.flt, f)
	b.counts = append(b.counts, 0)
	return int32(len(b.vals) - 1)
}

func (b *budgets) cmp(x, y int) int {
	fx, fy := b.flt[x], b.flt[y]
	if d := fx - fy; d > 1e-9*max(fx, fy) {
		return 1
	} else if -d > 1e-9*max(fx, fy) {
		return -1
	}
	return b.vals[x].Cmp(b.vals[y])
}

// tally counts the supporters at each budget value (into b.counts) and
// returns the values present; untally resets the counts.
func (b *budgets) tally(sup []int32) []int {
	used := b.used[:0]
	for _, v := range sup {
		i := b.of[v]
		if b.counts[i] == 0 {
			used = append(used, int(i))
		}
		if b.weight != nil {
			b.counts[i] += b.weight[v]
		} else {
			b.counts[i]++
		}
	}
	b.used = used
	return used
}

func (b *budgets) untally(used []int) {
	for _, i := range used {
		b.counts[i] = 0
	}
}

// alpha returns the smallest maximum payment α such that the supporters,
// each paying min(budget, α), cover cost; ok is false if they cannot.
func (b *budgets) alpha(sup []int32, cost *big.Rat) (*big.Rat, bool) {
	if cost.Sign() == 0 {
		return new(big.Rat), true
	}
	used := b.tally(sup)
	defer b.untally(used)
	slices.SortFunc(used, b.cmp)
	remaining := b.remaining.Set(cost)
	n := int64(len(sup))
	for _, i := range used {
		c := b.counts[i]
		if i == 0 { // exhausted voters pay nothing
			n -= int64(c)
			continue
		}
		v := b.vals[i]
		// If everyone left could pay v, the rest is shared equally among them.
		if b.tmp.Mul(v, b.n.SetInt64(n)).Cmp(remaining) >= 0 {
			return new(big.Rat).Quo(remaining, b.n.SetInt64(n)), true
		}
		remaining.Sub(remaining, b.tmp.Mul(v, b.n.SetInt64(int64(c))))
		n -= int64(c)
	}
	return nil, false
}

// eps bounds the relative error of the float64 screen. Budgets are exact
// rationals converted once to float64 (error ~1e-16) and sums run over at
// most a few hundred thousand terms (~1e-11), so a margin of 1e-9 between
// two float results means the exact results are ordered the same way.
const eps = 1e-9

// alphaFloat is alpha in float64. sure is false when the supporters' total
// budget is within eps of the cost, where only exact arithmetic can say
// whether the project is affordable.
//
// It needs no sort: α is the one value at which the supporters, each paying
// min(budget, α), cover the cost. Starting from the equal split cost ÷ n,
// which is never more than α, every value below the current estimate pays
// in full, and the rest share what is left; the estimate only rises and
// stops at α when no remaining value is below it. Usually one or two passes
// over the distinct values suffice.
func (b *budgets) alphaFloat(sup []int32, n int, cost float64) (alpha float64, ok, sure bool) {
	if cost == 0 {
		return 0, true, true
	}
	used := b.tally(sup)
	defer b.untally(used)
	return b.alphaUsed(used, float64(n), cost)
}

// alphaLive is alphaFloat for the float screen's supporter lists of voter
// types, in one pass: it drops types that have run out of money from the
// list (and their voters from *live), and counts at once as paying in full
// every value below cost ÷ *live as it was — never more than α, since α is
// at least cost ÷ the voters left — so that only the other values are
// tallied for the search in alphaUsed. Values below the project's α when
// last evaluated (floor) pay in full too, as α only rises in a run.
func (b *budgets) alphaLive(list *[]int32, live *int, cost, floor float64) (alpha float64, ok, sure bool) {
	ts := *list
	kept := ts[:0]
	n := *live
	t := max(cost/float64(n), floor*(1-eps))
	total, paid, poor := 0.0, 0.0, 0
	used := b.used[:0]
	for _, v := range ts {
		i := b.of[v]
		w := b.weight[v]
		if i == 0 {
			n -= w
			continue
		}
		kept = append(kept, v)
		x := b.flt[i]
		total += x * float64(w)
		if x < t {
			paid += x * float64(w)
			poor += w
			continue
		}
		if b.counts[i] == 0 {
			used = append(used, int(i))
		}
		b.counts[i] += w
	}
	b.used = used
	*list, *live = kept, n
	defer b.untally(used)
	if total < cost*(1-eps) {
		return 0, false, true
	}
	sure = total > cost*(1+eps)
	if total < cost || n-poor <= 0 || cost-paid <= 0 {
		return 0, false, false // at the edge of affordable: leave it to exact arithmetic
	}
	a, ok, sure := b.search(used, float64(n-poor), cost-paid, sure)
	b.split = b.split && poor == 0
	return a, ok, sure
}

// alphaUsed is alphaFloat on a tally already made: n supporters, counted in
// b.counts at the values listed in used.
func (b *budgets) alphaUsed(used []int, n, cost float64) (alpha float64, ok, sure bool) {
	total := 0.0
	for _, i := range used {
		total += b.flt[i] * float64(b.counts[i])
	}
	if total < cost*(1-eps) {
		return 0, false, true
	}
	sure = total > cost*(1+eps)
	if total < cost {
		return 0, false, sure
	}
	return b.search(used, n, cost, sure)
}

// search finds α from the tallied values in used, remaining to be paid by
// n voters; sure is passed through.
func (b *budgets) search(used []int, n, remaining float64, sure bool) (alpha float64, ok, _ bool) {
	poor := 0 // used[:poor] pay all they have
	for {
		a := remaining / n
		found := false
		for j := poor; j < len(used); j++ {
			i := used[j]
			if b.flt[i] < a {
				c := float64(b.counts[i])
				remaining -= b.flt[i] * c
				n -= c
				used[j], used[poor] = used[poor], used[j]
				poor++
				found = true
			}
		}
		if !found {
			// Nobody pays in full, by a clear margin: α is exactly the
			// equal split (see screen).
			least := math.Inf(1)
			for _, i := range used {
				least = min(least, b.flt[i])
			}
			b.split = poor == 0 && least > a*(1+eps)
			return a, true, sure
		}
		if n <= 0 || remaining <= 0 {
			return 0, false, false // rounding at the edge: leave it to exact arithmetic
		}
	}
}

// charge makes every supporter pay min(budget, α).
func (b *budgets) charge(sup []int32, a *big.Rat) {
	moved := map[int32]int32{}
	for _, v := range sup {
		old := b.of[v]
		if old == 0 {
			continue
		}
		nv, ok := moved[old]
		if !ok {
			if b.vals[old].Cmp(a) <= 0 {
				nv = 0
			} else {
				nv = b.add(new(big.Rat).Sub(b.vals[old], a))
			}
			moved[old] = nv
		}
		b.of[v] = nv
	}
}

// prepared is an election with its supporters, approval counts and each
// constituency's equal share per voter worked out once, for rules that run
// MES many times.
type prepared struct {
	*Election
	sup     [][]int32
	appr    []int
	groupOf []int
	base    []*big.Rat // per constituency: its budget share ÷ its voters
	// Worked out once and reused by every run of MESAdd1's increments:
	costF    []float64 // each project's cost in float64
	groupSup [][]int32 // groupSup[p][g]: supporters of p in constituency g
	// Voters with the same ballot in the same constituency always hold the
	// same budget, so the float screen counts them once, as a type with a
	// weight: typeSup[p] lists the types approving p.
	typeSup    [][]int32
	typeWeight []int
	typeGroup  []int
	scratch    budgets // the float screen's, reused from run to run
	supBuf     []int32
	val        []float64 // screen: each type's budget
	span       *spanRun  // affineSpan's state, kept from run to run
	weightF    []float64 // typeWeight as float64
	screenWork int       // supporting types the screen has visited so far
}

// types groups identical ballots (as sets) of one constituency.
func (e *prepared) types() {
	index := map[string]int32{}
	var key []byte
	for v, ballot := range e.Ballots {
		set := dedupe(ballot)
		key = key[:0]
		key = binary.AppendUvarint(key, uint64(e.groupOf[v]))
		for _, p := range set {
			key = binary.AppendUvarint(key, uint64(p))
		}
		t, ok := index[string(key)]
		if !ok {
			t = int32(len(e.typeWeight))
			index[string(key)] = t
			e.typeWeight = append(e.typeWeight, 0)
			e.typeGroup = append(e.typeGroup, e.groupOf[v])
			for _, p := range set {
				e.typeSup[p] = append(e.typeSup[p], t)
			}
		}
		e.typeWeight[t]++
	}
	e.orderTypes()
}

// orderTypes numbers the types by constituency, then by the projects they
// approve, the most approved first, so that the supporters of a popular
// project, and the types that paid for the same projects, sit together:
// the span runs read the types of a project in order, and mostly read the
// same or nearby entries one after another.
func (e *prepared) orderTypes() {
	n := len(e.typeWeight)
	byAppr := make([]int32, len(e.Projects))
	for p := range byAppr {
		byAppr[p] = int32(p)
	}
	slices.SortStableFunc(byAppr, func(x, y int32) int { return e.appr[y] - e.appr[x] })
	rank := make([]int32, len(e.Projects))
	for r, p := range byAppr {
		rank[p] = int32(r)
	}
	sets := make([][]int32, n)
	for p, ts := range e.typeSup {
		for _, t := range ts {
			sets[t] = append(sets[t], rank[p])
		}
	}
	for _, set := range sets {
		slices.Sort(set)
	}
	order := make([]int32, n)
	for t := range order {
		order[t] = int32(t)
	}
	slices.SortStableFunc(order, func(x, y int32) int {
		if gx, gy := e.typeGroup[x], e.typeGroup[y]; gx != gy {
			return gx - gy
		}
		return slices.Compare(sets[x], sets[y])
	})
	id := make([]int32, n)
	weight, group := make([]int, n), make([]int, n)
	for i, t := range order {
		id[t] = int32(i)
		weight[i], group[i] = e.typeWeight[t], e.typeGroup[t]
	}
	e.typeWeight, e.typeGroup = weight, group
	for _, ts := range e.typeSup {
		for i, t := range ts {
			ts[i] = id[t]
		}
		slices.Sort(ts)
	}
}

func prepare(e *Election) *prepared {
	sup := e.supporters()
	pe := &prepared{Election: e, sup: sup, appr: e.approvals(sup), groupOf: e.Groups}
	if pe.groupOf == nil {
		pe.groupOf = make([]int, len(e.Ballots))
	}
	groups := 1
	for _, g := range pe.groupOf {
		groups = max(groups, g+1)
	}
	if e.Shares != nil {
		groups = max(groups, len(e.Shares))
	}
	count := make([]int64, groups)
	for _, g := range pe.groupOf {
		count[g]++
	}
	nonEmpty := int64(0)
	for _, c := range count {
		if c > 0 {
			nonEmpty++
		}
	}
	pe.costF = make([]float64, len(e.Projects))
	pe.groupSup = make([][]int32, len(e.Projects))
	for p, pr := range e.Projects {
		pe.costF[p] = ratFloat(pr.Cost)
		pe.groupSup[p] = make([]int32, groups)
		for _, v := range sup[p] {
			pe.groupSup[p][pe.groupOf[v]]++
		}
	}
	pe.typeSup = make([][]int32, len(e.Projects))
	pe.types()
	pe.base = make([]*big.Rat, groups)
	for g := range pe.base {
		pe.base[g] = new(big.Rat)
		if count[g] == 0 {
			continue
		}
		share := big.NewRat(1, max(nonEmpty, 1))
		if e.Shares != nil {
			share = e.Shares[g]
		}
		pe.base[g].Mul(e.Budget, share)
		pe.base[g].Quo(pe.base[g], big.NewRat(count[g], 1))
	}
	return pe
}

// start is every constituency's per-voter budget raised by add.
func (e *prepared) start(add *big.Rat) []*big.Rat {
	out := make([]*big.Rat, len(e.base))
	for g, b := range e.base {
		out[g] = new(big.Rat).Add(b, add)
	}
	return out
}

// MES runs the Method of Equal Shares for approval ballots with cost
// utilities, each voter starting with perVoter (every ballot in one
// constituency). It repeatedly funds the project whose supporters can pay
// for it at the lowest ρ, where each supporter pays min(budget, ρ·cost) —
// so ρ = α / cost for the smallest maximum payment α — and stops when no
// project is affordable.
func MES(e *Election, perVoter *big.Rat) *Outcome {
	pe := prepare(e)
	return pe.mes(new(big.Rat).Sub(perVoter, pe.base[0]))
}

// mes: budgets only fall, so a project's ρ only rises: the last computed ρ
// is a lower bound, and a project is recomputed only when it is the best
// candidate by that bound (lazy evaluation; the choice is the same as
// recomputing everything each round).
//
// Choices are screened in float64 and settled exactly: whenever two
// candidates' ρ are within eps, or a project's affordability is within eps
// of the line, the exact rational values decide. The payments charged are
// always the exact α, so budgets stay exact.
func (e *prepared) mes(add *big.Rat) *Outcome {
	sup, appr := e.sup, e.appr
	start := e.start(add)
	b := newBudgets(e.groupOf, start)
	costF := make([]float64, len(e.Projects))
	for p, pr := range e.Projects {
		costF[p], _ = pr.Cost.Float64()
	}
	type cand struct {
		p     int
		rho   float64 // lower bound, a float estimate of the exact ρ when fresh
		fresh bool
	}
	// evaluate refreshes c; it returns false when the project is unaffordable.
	evaluate := func(c *cand) bool {
		a, ok, sure := b.alphaFloat(sup[c.p], len(sup[c.p]), costF[c.p])
		if !sure {
			ea, eok := b.alpha(sup[c.p], e.Projects[c.p].Cost)
			if !eok {
				return false
			}
			a, ok = ratFloat(ea), true
		}
		if !ok {
			return false
		}
		c.rho, c.fresh = 0, true
		if costF[c.p] > 0 {
			c.rho = a / costF[c.p]
		}
		return true
	}
	var cands []cand
	for p := range e.Projects {
		if appr[p] == 0 {
			continue
		}
		c := cand{p: p}
		if evaluate(&c) {
			cands = append(cands, c)
		}
	}
	o := &Outcome{Rule: "mes", PerVoter: start[0], PerGroup: start}
	lessF := func(x, y cand) bool {
		if x.rho != y.rho {
			return x.rho < y.rho
		}
		return e.better(x.p, y.p, appr)
	}
	for len(cands) > 0 {
		best := 0
		for i := range cands {
			if lessF(cands[i], cands[best]) {
				best = i
			}
		}
		if !cands[best].fresh {
			if !evaluate(&cands[best]) {
				cands = slices.Delete(cands, best, best+1)
			}
			continue // re-compare with its fresh ρ
		}
		// Everyone whose ρ might equal the best's, within the float margin,
		// is a contender; exact arithmetic picks among them.
		limit := cands[best].rho*(1+eps) + 1e-300
		var contenders []int
		for i := 0; i < len(cands); i++ {
			if cands[i].rho > limit {
				continue
			}
			if !cands[i].fresh && !evaluate(&cands[i]) {
				cands = slices.Delete(cands, i, i+1)
				if i < best {
					best--
				}
				i--
				continue
			}
			if cands[i].rho <= limit {
				contenders = append(contenders, i)
			}
		}
		win, winAlpha, winRho := -1, (*big.Rat)(nil), (*big.Rat)(nil)
		for _, i := range contenders {
			p := cands[i].p
			a, ok := b.alpha(sup[p], e.Projects[p].Cost)
			if !ok {
				continue // the float screen was within eps of the line
			}
			r := rho(a, e.Projects[p].Cost)
			if win < 0 || r.Cmp(winRho) < 0 || (r.Cmp(winRho) == 0 && e.better(p, cands[win].p, appr)) {
				win, winAlpha, winRho = i, a, r
			}
		}
		if win < 0 {
			// No contender is affordable after all: drop them and go on.
			cands = slices.DeleteFunc(cands, func(c cand) bool {
				for _, i := range contenders {
					if cands[i].p == c.p {
						return true
					}
				}
				return false
			})
			continue
		}
		p := cands[win].p
		o.Selected = append(o.Selected, p)
		o.Payments = append(o.Payments, winAlpha)
		b.charge(sup[p], winAlpha)
		cands = slices.Delete(cands, win, win+1)
		for i := range cands {
			cands[i].fresh = false
		}
	}
	o.TotalCost = e.cost(o.Selected)
	return o
}

func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

// floatMES runs MES in float64 only. It returns ok = false as soon as any
// decision comes within eps of going the other way (two candidates' ρ, a
// project's affordability, or whether a payment exhausts a budget). When it
// returns ok, every decision had a margin the float error cannot cross, so
// the exact run makes the same choices in the same order: MESAdd1 uses it to
// screen increments quickly and runs exactly whatever it cannot vouch for.

func (e *prepared) floatMES(add *big.Rat, log *payLog) (sel []int, ok bool) {
	appr := e.appr
	// sup[p] is p's supporting types still holding money: a type that runs
	// out is dropped from the lists as they are next read, and live[p]
	// counts the voters left.
	e.supBuf = e.supBuf[:0]
	sup := make([][]int32, len(e.typeSup))
	live := make([]int, len(e.typeSup))
	lastAlpha := make([]float64, len(e.typeSup)) // α only rises as budgets fall
	for p, ts := range e.typeSup {
		e.supBuf = append(e.supBuf, ts...)
		sup[p] = e.supBuf[len(e.supBuf)-len(ts):]
		live[p] = appr[p]
	}
	b := &e.scratch
	b.of = slices.Grow(b.of[:0], len(e.typeWeight))[:len(e.typeWeight)]
	b.flt, b.counts = append(b.flt[:0], 0), append(b.counts[:0], 0)
	b.weight = e.typeWeight
	ids := make([]int32, len(e.base))
	if log != nil {
		log.add(-1, new(big.Rat))
	}
	for g, v := range e.start(add) {
		if v.Sign() > 0 {
			b.flt = append(b.flt, ratFloat(v))
			b.counts = append(b.counts, 0)
			ids[g] = int32(len(b.flt) - 1)
			if log != nil {
				log.add(-1, v)
			}
		}
	}
	for t, g := range e.typeGroup {
		b.of[t] = ids[g]
	}
	costF := e.costF
	ambiguous := false
	var moved, touched []int32
	charged := false
	evaluate := func(c *rival) bool {
		var a float64
		var aff, sure bool
		p := c.p
		if costF[p] == 0 {
			a, aff, sure = 0, true, true
		} else if charged {
			a, aff, sure = b.alphaLive(&sup[p], &live[p], costF[p], lastAlpha[p])
		} else {
			// Before the first purchase every voter of a constituency has the
			// same budget: count supporters per constituency, not per voter.
			used := b.used[:0]
			for g, n := range e.groupSup[p] {
				if n > 0 {
					i := ids[g]
					if b.counts[i] == 0 {
						used = append(used, int(i))
					}
					b.counts[i] += int(n)
				}
			}
			b.used = used
			a, aff, sure = b.alphaUsed(used, float64(appr[p]), costF[p])
			b.untally(used)
		}
		if !sure {
			ambiguous = true
		}
		if !aff {
			return false
		}
		c.alpha, c.fresh, c.rhoLo, c.n = a, true, 0, 0
		lastAlpha[p] = a
		if costF[p] > 0 {
			c.rhoLo = a / costF[p]
			if b.split && sure {
				c.n = live[p]
				c.rhoLo = 1 / float64(c.n) // exactly 1/n, as in screen
			}
		}
		c.alphaLo, c.rhoHi, c.all = c.alpha, c.rhoLo, true
		return true
	}
	e.walk(&ambiguous, evaluate, func(c *rival) {
		sel = append(sel, c.p)
		charged = true
		if log != nil {
			used := b.tally(sup[c.p])
			a, ok := log.exactAlpha(b, used, c.alpha, e.Projects[c.p].Cost)
			b.untally(used)
			if !ok {
				ambiguous = true
				return
			}
			log.alphas = append(log.alphas, a)
		}
		// moved[old] is 1 + the value its payers move to (0: not yet seen).
		for len(moved) < len(b.flt) {
			moved = append(moved, 0)
		}
		touched = touched[:0]
		for _, v := range sup[c.p] {
			old := b.of[v]
			if old == 0 {
				continue
			}
			nv := moved[old] - 1
			if nv < 0 {
				rest := b.flt[old] - c.alpha
				if math.Abs(rest) <= eps*max(b.flt[old], c.alpha) {
					ambiguous = true // exhausted or not: too close to call
				}
				nv = 0
				if rest > 0 {
					b.flt = append(b.flt, rest)
					b.counts = append(b.counts, 0)
					nv = int32(len(b.flt) - 1)
					if log != nil {
						log.add(old, nil)
					}
				}
				moved[old] = nv + 1
				touched = append(touched, old)
			}
			b.of[v] = nv
		}
		for _, old := range touched {
			moved[old] = 0
		}
	})
	return sel, !ambiguous
}

// screen is floatMES for the Add1 search, leaner: each voter type holds
// its own float64 budget, so an evaluation is one pass over a project's
// supporting types (two or three when voters near α must be sorted out)
// with no tally of values, and a purchase just lowers its payers'
// budgets. It makes the same decisions with the same margins as floatMES
// and returns ok = false whenever floatMES would; floatMES, which keeps
// shared budget values and so can replay them exactly, runs only for the
// chosen increment.
func (e *prepared) screen(add *big.Rat) (sel []int, ok bool) {
	appr, costF := e.appr, e.costF
	nt := len(e.typeWeight)
	if len(e.weightF) != nt {
		e.weightF = make([]float64, nt)
		for t, w := range e.typeWeight {
			e.weightF[t] = float64(w)
		}
	}
	if len(e.val) != nt {
		e.val = make([]float64, nt)
	}
	w, val := e.weightF, e.val
	startF := make([]float64, len(e.base))
	for g, v := range e.start(add) {
		startF[g] = max(ratFloat(v), 0)
	}
	for t, g := range e.typeGroup {
		val[t] = startF[g]
	}
	e.supBuf = e.supBuf[:0]
	sup := make([][]int32, len(e.typeSup))
	live := make([]float64, len(e.typeSup))
	lastAlpha := make([]float64, len(e.typeSup))
	for p, ts := range e.typeSup {
		e.supBuf = append(e.supBuf, ts...)
		sup[p] = e.supBuf[len(e.supBuf)-len(ts):]
		live[p] = float64(appr[p])
	}

	ambiguous, charged := false, false
	gv, gc := make([]float64, len(startF)), make([]float64, len(startF))
	evaluate := func(c *rival) bool {
		p := c.p
		var a float64
		aff, sure := true, true
		switch {
		case costF[p] == 0:
		case charged:
			var split bool
			e.screenWork += len(sup[p])
			a, aff, sure, split = alphaTypes(&sup[p], &live[p], val, w, costF[p], lastAlpha[p])
			c.n = 0
			if split && sure {
				c.n = int(live[p])
			}
		default:
			// Before the first purchase: one value per constituency.
			gv, gc = gv[:0], gc[:0]
			for g, n := range e.groupSup[p] {
				if n > 0 {
					gv, gc = append(gv, startF[g]), append(gc, float64(n))
				}
			}
			var split bool
			a, aff, sure, split = alphaValues(gv, gc, float64(appr[p]), costF[p])
			c.n = 0
			if split && sure {
				c.n = appr[p]
			}
		}
		if !sure {
			ambiguous = true
		}
		if !aff {
			return false
		}
		c.alpha, c.fresh, c.rhoLo = a, true, 0
		lastAlpha[p] = a
		if costF[p] > 0 {
			c.rhoLo = a / costF[p]
		}
		if c.n > 0 && costF[p] > 0 {
			// Every supporter can pay the equal split, by a margin the
			// float error cannot cross: α = cost/n exactly, so ρ = 1/n
			// exactly, the same float for every such project with n
			// supporters.
			c.rhoLo = 1 / float64(c.n)
		} else {
			c.n = 0
		}
		c.alphaLo, c.rhoHi, c.all = c.alpha, c.rhoLo, true
		return true
	}
	e.walk(&ambiguous, evaluate, func(c *rival) {
		sel = append(sel, c.p)
		charged = true
		for _, t := range sup[c.p] {
			x := val[t]
			if x == 0 {
				continue
			}
			rest := x - c.alpha
			if math.Abs(rest) <= eps*max(x, c.alpha) {
				ambiguous = true // exhausted or not: too close to call
			}
			val[t] = max(rest, 0)
		}
	})
	return sel, !ambiguous
}

// rival is a project in the greedy loop of the float screens: its ρ lies
// in [rhoLo, rhoHi] and its α in [alphaLo, alpha] (the float screens set
// one value each); all is whether it is affordable wherever it is evaluated;
// fresh, whether it was evaluated since the last purchase (α only rises, so
// a stale ρ is a floor); n > 0 when ρ is exactly 1/n (see tie).
type rival struct {
	p              int
	rhoLo, rhoHi   float64
	alphaLo, alpha float64
	all            bool
	fresh          bool
	n              int
}

// walk is the greedy loop of MES that floatMES and screen share: every
// approved project is evaluated (evaluate reports false when it is
// unaffordable); then, repeatedly, the project with the lowest ρ (ties
// broken by e.better), evaluated again if stale, is bought with buy unless
// it is not affordable everywhere or a rival's ρ comes within eps of it
// without an exact tie. It stops when no project is left or *stop is set,
// by walk (a step it cannot vouch for), evaluate or buy.
func (e *prepared) walk(stop *bool, evaluate func(*rival) bool, buy func(*rival)) {
	appr := e.appr
	var cands []rival
	for p := range e.Projects {
		if appr[p] > 0 {
			c := rival{p: p}
			if evaluate(&c) {
				cands = append(cands, c)
			}
		}
	}
	for len(cands) > 0 && !*stop {
		best := 0
		for i := range cands {
			if cands[i].rhoLo < cands[best].rhoLo || (cands[i].rhoLo == cands[best].rhoLo && e.better(cands[i].p, cands[best].p, appr)) {
				best = i
			}
		}
		if !cands[best].fresh {
			if !evaluate(&cands[best]) {
				cands = slices.Delete(cands, best, best+1)
			}
			continue
		}
		if !cands[best].all {
			*stop = true
			return
		}
		limit := cands[best].rhoHi*(1+eps) + 1e-300
		for i := range cands {
			if i == best || cands[i].rhoLo > limit {
				continue
			}
			if !cands[i].fresh && !evaluate(&cands[i]) {
				continue // unaffordable: not a contender (dropped when next best)
			}
			if cands[i].rhoLo <= limit && !tie(cands[i].n, cands[best].n) {
				*stop = true // a near tie: only exact arithmetic can settle it
				return
			}
		}
		if *stop {
			return
		}
		buy(&cands[best])
		cands = slices.Delete(cands, best, best+1)
		for i := range cands {
			cands[i].fresh = false
		}
	}
}

// tie reports whether two candidates' ρ are exactly equal: both exactly
// 1/n for the same n, or both exactly 0 (n = -1): an exact tie, which the
// tie-break settles.
func tie(n, m int) bool { return n != 0 && n == m }

// alphaTypes is the screen's α for one project: one pass over its
// supporting types drops those out of money (and their voters from *live),
// adds up the total and what the voters below floor — never above α — pay,
// and notes the smallest budget above it; if that is not below the α this
// gives, α is found. Otherwise further passes raise the line as in
// alphaUsed.
func alphaTypes(list *[]int32, live *float64, val, w []float64, cost, floor float64) (alpha float64, ok, sure, split bool) {
	ts := *list
	kept := ts[:0]
	n := *live
	line := max(cost/n, floor*(1-eps))
	total, paid, poor, least := 0.0, 0.0, 0.0, math.Inf(1)
	for _, t := range ts {
		x := val[t]
		if x == 0 {
			n -= w[t]
			continue
		}
		kept = append(kept, t)
		wx := w[t] * x
		total += wx
		if x < line {
			paid += wx
			poor += w[t]
		} else if x < least {
			least = x
		}
	}
	*list, *live = kept, n
	if total < cost*(1-eps) {
		return 0, false, true, false
	}
	sure = total > cost*(1+eps)
	for {
		if total < cost || n-poor <= 0 || cost-paid <= 0 {
			return 0, false, false, false // at the edge of affordable: leave it to exact arithmetic
		}
		a := (cost - paid) / (n - poor)
		if least >= a {
			return a, true, sure, poor == 0 && least > a*(1+eps)
		}
		paid, poor, least = 0, 0, math.Inf(1)
		for _, t := range kept {
			if x := val[t]; x < a {
				paid += w[t] * x
				poor += w[t]
			} else if x < least {
				least = x
			}
		}
	}
}

// alphaValues is α for supporters holding values v[i], c[i] voters each
// (n in all), by the same rising line.
func alphaValues(v, c []float64, n, cost float64) (alpha float64, ok, sure, split bool) {
	total := 0.0
	for i := range v {
		total += v[i] * c[i]
	}
	if total < cost*(1-eps) {
		return 0, false, true, false
	}
	sure = total > cost*(1+eps)
	a := cost / n
	for {
		paid, poor, least := 0.0, 0.0, math.Inf(1)
		for i, x := range v {
			if x < a {
				paid += x * c[i]
				poor += c[i]
			} else if x < least {
				least = x
			}
		}
		if total < cost || n-poor <= 0 || cost-paid <= 0 {
			return 0, false, false, false
		}
		a = (cost - paid) / (n - poor)
		if least >= a {
			return a, true, sure, poor == 0 && least > a*(1+eps)
		}
	}
}

// spanVisit is what a span run's visit of a supporting type costs in
// visits of the float screen (the span's also finds α over the classes
// and keeps the rounds): measured on Budapest 2024 and Warszawa Mokotów
// 2023 and 2025, where 2 to 6 did about as well and 1 worse.
const spanVisit = 3

// MESAdd1 is MES with the Add1 completion: rerun MES with every voter's
// starting budget raised by 1, 2, 3, … whole currency units, stop at the
// first increment whose outcome costs more than the budget, and return the
// last outcome that fitted. Outcomes are not monotone in the increment, so
// every increment is accounted for in turn: whole spans of increments at
// once when affineSpan can vouch for them (budgets bounded by lines in the
// increment), single ones by the float screen, and exactly otherwise. The
// search also stops once an outcome funds every approved project, as no
// larger budget can change it.
//
// The chosen increment's exact payments come from one more float run that
// works out each payment in exact arithmetic from the voters it records as
// paying in full. The result is the same as
// MESAdd1Exact's, which runs every increment exactly; the tests compare.
func MESAdd1(e *Election) *Outcome {
	pe := prepare(e)
	approved := 0
	for _, a := range pe.appr {
		if a > 0 {
			approved++
		}
	}
	// run returns the selection for increment k and the last increment
	// known to share it: from affineSpan when it can vouch for a span of
	// increments (asked for span increments: twice as many after a run
	// that held throughout, twice what held, at least 128, after a run cut
	// short: on Budapest 2024 about 10 % less work than four times and 64,
	// now that a resumed run that fails is replayed rather than started
	// again), else from
	// the float screen, else from the exact run; vouched is false when the
	// exact run was needed. When span runs cost more per increment they
	// vouch for than a float screen costs (on moving averages of their
	// work; before any screen has run, when one vouches for fewer than four
	// increments beyond k), affineSpan rests for a while, longer each time,
	// and the float screen runs alone: outcomes that change every increment
	// or two are cheaper to screen one by one.
	span, rest, backoff := 128.0, 0, 1
	// Moving averages of the work (supporting types visited) of a span run
	// and of a float screen, and of the increments a span run vouched for.
	var spanWork, spanYield, screenWork float64
	average := func(avg *float64, x float64, first bool) {
		if first {
			*avg = x
		} else {
			*avg += (x - *avg) / 4
		}
	}
	spans, screens := 0, 0
	run := func(k int64) (sel []int, until int64, vouched bool) {
		if rest > 0 {
			rest--
		} else {
			st := pe.spanState()
			w0 := st.work
			sel, got, ok := pe.affineSpan(k, span)
			yield := 0.0
			if ok {
				yield = got + 1
			}
			average(&spanWork, spanVisit*float64(st.work-w0), spans == 0)
			average(&spanYield, yield, spans == 0)
			spans++
			if ok {
				if got >= span {
					span = min(span*2, 1<<40)
				} else {
					span = max(2*got, 128)
				}
			}
			costly := !ok || got < 4
			if screens > 0 {
				costly = spanWork > spanYield*screenWork
			}
			if costly {
				rest, backoff = backoff, min(backoff*2, 64)
			} else {
				backoff = 1
			}
			if ok {
				return sel, k + int64(got), true
			}
		}
		w0 := pe.screenWork
		sel, ok := pe.screen(big.NewRat(k, 1))
		average(&screenWork, float64(pe.screenWork-w0), screens == 0)
		screens++
		if ok {
			return sel, k, true
		}
		return pe.mes(big.NewRat(k, 1)).Selected, k, false
	}
	// last is the selection for every increment from from to until.
	last, until, vouched := run(0)
	from := int64(0)
	for len(last) < approved {
		next, nextUntil, ok := run(until + 1)
		if e.cost(next).Cmp(e.Budget) > 0 {
			break // the last increment that fitted is until
		}
		last, from, until, vouched = next, until+1, nextUntil, ok
	}
	lastK := until
	if len(last) == approved {
		lastK = from // the first increment that funds everything
	}
	lastAdd := big.NewRat(lastK, 1)
	if vouched {
		log := &payLog{}
		if sel, ok := pe.floatMES(lastAdd, log); ok && slices.Equal(sel, last) {
			start := pe.start(lastAdd)
			return &Outcome{Rule: "mes-add1", Selected: sel, Payments: log.alphas, TotalCost: e.cost(sel), PerVoter: start[0], PerGroup: start}
		}
	}
	o := pe.mes(lastAdd)
	o.Rule = "mes-add1"
	return o
}

// payLog records a float run's purchases so that their exact payments can
// be worked out: for each budget value the run creates, the value it came
// from and the purchase it paid for, and each purchase's exact α. Exact
// values are worked out only for voters who pay in full, when needed.
type payLog struct {
	parent []int32 // value → the value it came from (-1: a starting value)
	round  []int   // value → the purchase it paid for
	val    []*big.Rat
	alphas []*big.Rat
	tmp, n big.Rat
}

func (l *payLog) add(parent int32, v *big.Rat) {
	l.parent = append(l.parent, parent)
	l.round = append(l.round, len(l.alphas)-1)
	l.val = append(l.val, v)
}

func (l *payLog) value(i int32) *big.Rat {
	if l.val[i] == nil {
		l.val[i] = new(big.Rat).Sub(l.value(l.parent[i]), l.alphas[l.round[i]])
	}
	return l.val[i]
}

// exactAlpha works out the exact α of a purchase whose supporters are
// counted in b.counts at the values in used, given which of them the float
// run found paying in full (those below alpha): the margins the run checked
// make that split exact. ok is false if no supporter is left to pay α.
func (l *payLog) exactAlpha(b *budgets, used []int, alpha float64, cost *big.Rat) (*big.Rat, bool) {
	if cost.Sign() == 0 {
		return new(big.Rat), true
	}
	rem := new(big.Rat).Set(cost)
	m := int64(0)
	for _, i := range used {
		if i == 0 {
			continue
		}
		c := int64(b.counts[i])
		if b.flt[i] < alpha {
			rem.Sub(rem, l.tmp.Mul(l.value(int32(i)), l.n.SetInt64(c)))
		} else {
			m += c
		}
	}
	if m == 0 {
		return nil, false
	}
	return rem.Quo(rem, big.NewRat(m, 1)), true
}

// MESAdd1Comparison keeps the greedy outcome instead of MES-Add1's only if
// strictly more voters prefer it, a voter preferring the outcome that funds
// more of the projects they approved.
func MESAdd1Comparison(e *Election) *Outcome {
	m := MESAdd1(e)
	g := Greedy(e)
	inM, inG := mark(len(e.Projects), m.Selected), mark(len(e.Projects), g.Selected)
	preferM, preferG := 0, 0
	for _, b := range e.Ballots {
		cm, cg := 0, 0
		for _, p := range dedupe(b) {
			if inM[p] {
				cm++
			}
			if inG[p] {
				cg++
			}
		}
		switch {
		case cm > cg:
			preferM++
		case cg > cm:
			preferG++
		}
	}
	out := m
	if preferG > preferM {
		out = g
	}
	cp := *out
	cp.Rule = "mes-add1-comparison"
	return &cp
}

func mark(n int, sel []int) []bool {
	in := make([]bool, n)
	for _, p := range sel {
		in[p] = true
	}
	return in
}

func dedupe(b []int) []int {
	out := slices.Clone(b)
	slices.Sort(out)
	return slices.Compact(out)
}

// Phragmen is sequential Phragmén for approval ballots with costs: voters
// carry loads (money spent on their behalf); the next project is the one
// whose cost, spread over its supporters on top of their loads, gives the
// lowest maximum load; projects that no longer fit the budget are dropped.
func Phragmen(e *Election) *Outcome {
	sup := e.supporters()
	appr := e.approvals(sup)
	load := make([]*big.Rat, len(e.Ballots))
	for i := range load {
		load[i] = new(big.Rat)
	}
	left := new(big.Rat).Set(e.Budget)
	remaining := []int{}
	for p := range e.Projects {
		if appr[p] > 0 {
			remaining = append(remaining, p)
		}
	}
	o := &Outcome{Rule: "phragmen"}
	for {
		best, bestT := -1, (*big.Rat)(nil)
		keep := remaining[:0]
		for _, p := range remaining {
			if e.Projects[p].Cost.Cmp(left) > 0 {
				continue // no longer fits, now or later
			}
			keep = append(keep, p)
			t := new(big.Rat).Set(e.Projects[p].Cost)
			for _, v := range sup[p] {
				t.Add(t, load[v])
			}
			t.Quo(t, big.NewRat(int64(len(sup[p])), 1))
			if best < 0 || t.Cmp(bestT) < 0 || (t.Cmp(bestT) == 0 && e.better(p, best, appr)) {
				best, bestT = p, t
			}
		}
		remaining = keep
		if best < 0 {
			break
		}
		for _, v := range sup[best] {
			load[v].Set(bestT)
		}
		left.Sub(left, e.Projects[best].Cost)
		o.Selected = append(o.Selected, best)
		remaining = slices.DeleteFunc(remaining, func(p int) bool { return p == best })
	}
	o.TotalCost = e.cost(o.Selected)
	return o
}

func rho(alpha, cost *big.Rat) *big.Rat {
	if cost.Sign() == 0 {
		return new(big.Rat)
	}
	return new(big.Rat).Quo(alpha, cost)
}

// MESAdd1Exact is the reference for MESAdd1: the same completion with every
// increment run in exact arithmetic, no float screen. It is slower and is
// kept for tests and benchmarks that check the fast path against it.
func MESAdd1Exact(e *Election) *Outcome {
	pe := prepare(e)
	approved := 0
	for _, a := range pe.appr {
		if a > 0 {
			approved++
		}
	}
	lastAdd := new(big.Rat)
	last := pe.mes(lastAdd)
	for k := int64(1); len(last.Selected) < approved; k++ {
		add := big.NewRat(k, 1)
		o := pe.mes(add)
		if o.TotalCost.Cmp(e.Budget) > 0 {
			break
		}
		last, lastAdd = o, add
	}
	last.Rule = "mes-add1"
	return last
}
