package fund

import (
	"math"
	"math/big"
	"slices"
)

// lineSpan is a bound that is affine in the increment over a span: its
// value at increment k+t is a + s·t.
type lineSpan struct{ a, s float64 }

func (l lineSpan) at(t float64) float64 { return l.a + l.s*t }

// through is the line through (t0, y0) and (t1, y1); when t1 = t0 only
// y0 matters.
func through(t0, y0, t1, y1 float64) lineSpan {
	if t1 == t0 {
		return lineSpan{a: y0}
	}
	s := (y1 - y0) / (t1 - t0)
	return lineSpan{a: y0 - s*t0, s: s}
}

// affBudget is a voter type's budget over a span of increments t ∈ [0, T]:
// the exact budget at increment k+t lies between lo(t) and hi(t), both
// affine in t. Exhausted types hold lo = hi = 0.
type affBudget struct{ lo, hi lineSpan }

func (b affBudget) exhausted() bool { return b.hi == lineSpan{} }

// affRival is a project in affineSpan's greedy loop: its α and ρ over the
// span lie between affine bounds; fresh is whether it was evaluated since
// the last purchase (α only rises, so a stale lower bound is still one);
// n > 0 when ρ is exactly 1/n across the span (see tie).
type affRival struct {
	p                int
	rhoLo, rhoHi     lineSpan
	alphaLo, alphaHi lineSpan
	fresh            bool
	n                int
	// the α each search found last, a floor for the next (α only rises):
	// on the lower budgets at both ends and on the upper budgets at the
	// start, for the span [f0, f1]
	fLo0, fLoT, fHi0, f0, f1 float64
	// a second line below ρ, exact at the end of the span rather than
	// the start (see clash)
	rhoLoB lineSpan
	// late: unaffordable at the start of the span, perhaps affordable
	// from from on (a rival only there; its ρ bounds hold only there)
	late bool
	from float64
}

// affineSpan runs MES for every increment from k to k+T at once, T a whole
// number, to vouch that they all select the same projects. Each voter
// type's budget is held between two lines in t (the increment less k):
// starting budgets are exactly start(k)+t, and a purchase subtracts the
// winner's α, itself bounded by lines (see alphaSpan), from those who stay
// above it at both ends, sets to zero those below it at both ends, and for
// the few whose budget crosses it inside the span keeps a line above the
// convex max(budget − α, 0) (its chord) and one below. Decisions are
// checked at both ends of the span — enough for lines — and when a
// decision would hold at k but not at k+T, T is cut to the last increment
// where it holds, so the run reports how far its outcome holds: sel is the
// selection of every increment from k to k+span. ok is false when a
// decision is too close to call at k itself (within eps, as in screen).
// A project unaffordable at k that may become affordable inside the span
// does not cut it: it stays a rival from that point on, its ρ bounded
// below by a line that holds wherever it is affordable, and cuts the span
// only if it may then beat a purchase, or once nothing else is left to buy.
//
// Why the bounds hold. α for budgets r is the least α with
// F(α) = Σ min(r_i, α) ≥ cost. (1) Upper: with every r_i at least lo_i(t)
// and a line α(t) through the α of the lower budgets at both ends,
// Σ min(lo_i(t), α(t)) is concave in t (a sum of minima of lines) and at
// least cost at both ends, so at least cost throughout: the exact α is at
// most that line. (2) Lower: for any set P of supporters,
// (cost − Σ_P r_i) / (n − |P|) is at most the exact α (F at that value is
// at most cost); with r_i at most hi_i(t) it is a line in t, and P is
// taken as the poor at the start for the upper budgets.
func (e *prepared) affineSpan(k int64, T float64) (sel []int, span float64, ok bool) {
	sel, span, ok = e.affineSpanFrom(k, T, resume)
	if !ok && e.span.resumed {
		// Bounds carried over from a wider span are loosest inside it:
		// work them out again over the span asked for, buying the
		// purchases already vouched for without their rivals, and failing
		// that, start again from the first purchase.
		sel, span, ok = e.affineSpanFrom(k, T, replay)
		if ok {
			e.span.replayed++
		} else {
			sel, span, ok = e.affineSpanFrom(k, T, fresh)
		}
	}
	return sel, span, ok
}

// How affineSpanFrom starts: from the last round kept that holds at k
// (resume), from the start with the purchases before that round made
// again without checking their rivals (replay), or from the start.
const (
	resume = iota
	replay
	fresh
)

func (e *prepared) affineSpanFrom(k int64, T float64, mode int) (sel []int, span float64, ok bool) {
	st := e.spanState()
	t0 := float64(k - st.origin)
	r := len(st.rounds) - 1
	for r >= 0 && st.rounds[r].end < t0+1 {
		r--
	}
	st.resumed = r >= 0 && mode == resume
	var again []int // the purchases to make again (replay)
	t1 := t0 + T
	switch {
	case st.resumed:
		st.restore(e, r)
	case r > 0 && mode == replay:
		// The purchases before round r hold from k to the round's end,
		// which they were vouched for: keep them and the rivals found
		// at the start of each round (their lower bounds still hold),
		// and work out the budgets again from the origin over [k, k+T].
		again = append(st.again[:0], st.sel[:r]...)
		st.again = again
		for len(st.kept) <= r {
			st.kept = append(st.kept, nil)
		}
		for j := range r + 1 {
			st.kept[j] = append(st.kept[j][:0], st.rounds[j].cands...)
		}
		t1 = min(t1, st.rounds[r].end)
		st.rebase(e)
	default:
		st.reset(e, k)
		t0 = 0
		t1 = T
	}
	if len(st.rounds) > 0 {
		t1 = min(t1, st.rounds[len(st.rounds)-1].end)
	}
	sel = st.sel
	sup, costF := st.sup, e.costF
	failed, charged := false, len(sel) > 0
	first := -1 // the round in which the span was first cut
	// cut shortens the span to the last whole increment before t.
	cut := func(t float64) {
		c := math.Floor(t)
		if c == t {
			c--
		}
		if c < t1 && first < 0 {
			first = len(sel)
		}
		t1 = max(min(t1, c), t0)
	}
	groupW := st.groupW
	evaluate := func(c *affRival) bool {
		p := c.p
		cost := costF[p]
		c.fresh, c.n, c.late = true, 0, false
		if cost == 0 {
			c.alphaLo, c.alphaHi, c.rhoLo, c.rhoHi, c.rhoLoB, c.n = lineSpan{}, lineSpan{}, lineSpan{}, lineSpan{}, lineSpan{}, -1
			return true
		}
		var ts []int32
		var bud []affBudget
		var w []float64
		if charged {
			// Types that paid for the same projects hold the same budget
			// (a class): one entry per class, weighted by its supporters.
			st.work += len(sup[p])
			before := len(sup[p])
			ts = st.tally(&sup[p])
			if len(sup[p]) < before {
				st.filtered[p] = len(st.sel)
			}
			bud, w = st.classBud, st.cw
		} else {
			// Before the first purchase every voter of a constituency holds
			// start + t exactly: one entry per constituency.
			ts = st.groupTs[:0]
			for g, m := range e.groupSup[p] {
				if m > 0 {
					ts = append(ts, int32(g))
					groupW[g] = float64(m)
				}
			}
			bud, w = st.groupBud, groupW
		}
		kept := ts[:0]
		n := 0.0
		var sumLo, sumHi lineSpan
		least0, leastT := math.Inf(1), math.Inf(1)
		for _, t := range ts {
			b := bud[t]
			if b.exhausted() {
				continue
			}
			kept = append(kept, t)
			n += w[t]
			sumLo.a += w[t] * b.lo.a
			sumLo.s += w[t] * b.lo.s
			sumHi.a += w[t] * b.hi.a
			sumHi.s += w[t] * b.hi.s
			least0, leastT = min(least0, b.lo.at(t0)), min(leastT, b.lo.at(t1))
		}
		need, short := cost*(1+eps), cost*(1-eps)
		if sumLo.at(t0) < need {
			if sumHi.at(t0) >= short {
				failed = true // affordable or not at k: too close to call
				return false
			}
			if sumHi.at(t1) >= short {
				// Unaffordable at k, perhaps not later in the span: a late
				// rival, from where its upper budgets reach the cost. Any
				// α it has then is at least cost/n (n voters cannot pay
				// the cost with less each), so its ρ is at least 1/n.
				c.late, c.from = true, (short-sumHi.a)/sumHi.s
				st.late++
				c.rhoLo, c.rhoLoB = lineSpan{a: 1 / n}, lineSpan{a: 1 / n}
				if l, ok := alphaBelow(kept, bud, w, n, cost, t1); ok {
					// The line exact on the upper budgets at the end is
					// below α wherever the project is affordable.
					s0, s1 := eps*max(math.Abs(l.at(t0)), cost/n), eps*max(math.Abs(l.at(t1)), cost/n)
					b := through(t0, l.at(t0)-s0, t1, l.at(t1)-s1)
					c.rhoLoB = lineSpan{b.a / cost, b.s / cost}
				}
				return true
			}
			return false // unaffordable across the span
		}
		if sumLo.at(t1) < need {
			cut((need - sumLo.a) / sumLo.s)
		}
		split := cost / n
		if a := split; least0 > a*(1+eps) && leastT > a*(1+eps) {
			// Every supporter can pay the equal split across the span, by a
			// margin: α is exactly cost/n and ρ exactly 1/n.
			c.n = int(n)
			c.alphaLo, c.alphaHi = lineSpan{a: a}, lineSpan{a: a}
			c.rhoLo, c.rhoHi = lineSpan{a: 1 / n}, lineSpan{a: 1 / n}
			c.rhoLoB = c.rhoLo
			return true
		}
		f0, fT, fh := c.fLo0, c.fLoT, c.fHi0
		if c.f0 != t0 {
			f0, fT, fh = 0, 0, 0
		} else if c.f1 != t1 {
			fT = 0
		}
		lo0, loT, hi0, hiT, ok := alphaSpan(kept, bud, w, n, cost, t0, t1, f0, fT, fh)
		if !ok {
			failed = true
			return false
		}
		c.fLo0, c.fLoT, c.fHi0, c.f0, c.f1 = lo0, loT, hi0, t0, t1
		c.alphaLo = through(t0, hi0*(1-eps), t1, hiT*(1-eps))
		c.alphaHi = through(t0, lo0*(1+eps), t1, loT*(1+eps))
		c.rhoLo = lineSpan{c.alphaLo.a / cost, c.alphaLo.s / cost}
		c.rhoHi = lineSpan{c.alphaHi.a / cost, c.alphaHi.s / cost}
		// (a second line below ρ exact at the end, as for late rivals,
		// was tried: it saved 2% of the runs on Budapest 2024 and cost
		// more than that)
		c.rhoLoB = c.rhoLo
		return true
	}
	// clash returns where, from t0 on, y's ρ may no longer lie above x's
	// by more than the float margin: y's ρ is above both its lines, x's is
	// below its upper line, so the gap is at least the larger of two lines;
	// found is false if it stays positive across the span.
	clash := func(x, y *affRival) (t float64, found bool) {
		hi := lineSpan{x.rhoHi.a*(1+eps) + 1e-300, x.rhoHi.s * (1 + eps)}
		return bothNonPositive(lineSpan{y.rhoLo.a - hi.a, y.rhoLo.s - hi.s}, lineSpan{y.rhoLoB.a - hi.a, y.rhoLoB.s - hi.s}, t0, t1)
	}
	appr := e.appr
	if len(again) > 0 {
		for j, p := range again {
			st.cands = append(st.cands[:0], st.kept[j]...)
			stale(st.cands)
			st.snapshot(t1)
			x := affRival{p: p}
			if !evaluate(&x) || failed || x.late {
				return nil, 0, false
			}
			st.sel = append(st.sel, p)
			sel = st.sel
			st.chargeSpan(sup[p], x.alphaLo, x.alphaHi, t0, t1)
			charged = true
		}
		st.cands = append(st.cands[:0], st.kept[len(again)]...)
		stale(st.cands)
		if first < 0 {
			st.snapshot(t1)
		}
	} else if len(st.rounds) == 0 {
		st.cands = st.cands[:0]
		for p := range e.Projects {
			if appr[p] > 0 {
				c := affRival{p: p}
				if evaluate(&c) {
					st.cands = append(st.cands, c)
				}
			}
		}
		if failed {
			return nil, 0, false
		}
		st.snapshot(t1)
	}
	for len(st.cands) > 0 && !failed {
		// A late rival that may already be affordable at k (its bounds
		// come from a wider span resumed here) is evaluated again first.
		again := false
		for i := 0; i < len(st.cands); i++ {
			if y := &st.cands[i]; y.late && y.from <= t0 {
				again = true
				if !evaluate(y) {
					st.cands = append(st.cands[:i], st.cands[i+1:]...)
					i--
				}
			}
		}
		if failed {
			break
		}
		if again {
			continue
		}
		cands := st.cands
		best := -1
		for i := range cands {
			if cands[i].late {
				continue
			}
			if best < 0 || cands[i].rhoLo.at(t0) < cands[best].rhoLo.at(t0) || (cands[i].rhoLo.at(t0) == cands[best].rhoLo.at(t0) && e.better(cands[i].p, cands[best].p, appr)) {
				best = i
			}
		}
		if best < 0 {
			// Nothing is affordable at k: the outcome holds until a late
			// rival may become affordable.
			for i := range cands {
				y := &cands[i]
				if !y.fresh && !evaluate(y) {
					if failed {
						break
					}
					continue
				}
				cut(y.from)
			}
			break
		}
		if !cands[best].fresh {
			if !evaluate(&cands[best]) {
				st.cands = append(cands[:best], cands[best+1:]...)
			}
			continue
		}
		x := &cands[best]
		for i := range cands {
			if i == best {
				continue
			}
			y := &cands[i]
			if tie(y.n, x.n) {
				continue
			}
			c, found := clash(x, y)
			if !found {
				continue
			}
			if !y.fresh {
				if !evaluate(y) {
					if failed {
						break
					}
					continue // unaffordable across the span: not a rival
				}
				if tie(y.n, x.n) {
					continue
				}
				if c, found = clash(x, y); !found {
					continue
				}
			}
			if y.late {
				c = max(c, y.from) // y is no rival before it is affordable
			} else if c <= t0 {
				failed = true // a near tie at k: only exact arithmetic can settle it
				break
			}
			cut(c)
		}
		if failed {
			break
		}
		st.sel = append(st.sel, x.p)
		sel = st.sel
		st.chargeSpan(sup[x.p], x.alphaLo, x.alphaHi, t0, t1)
		charged = true
		st.cands = append(cands[:best], cands[best+1:]...)
		for i := range st.cands {
			st.cands[i].fresh = false
		}
		if first < 0 {
			st.snapshot(t1)
		}
	}
	if failed {
		return nil, 0, false // the rounds kept still hold: a later run may resume from them
	}
	return slices.Clone(sel), t1 - t0, true
}

// alphaBelow is a line below α (wherever the project is affordable) for
// the types ts, n voters, of a project costing cost: (cost − Σ_P hi_i(t)) /
// (n − |P|) for P those whose upper budget at t1 is below the α of the
// upper budgets at t1, found by the rising line. ok is false if the upper
// budgets at t1 cannot pay the cost.
func alphaBelow(ts []int32, bud []affBudget, w []float64, n, cost, t1 float64) (l lineSpan, ok bool) {
	a := cost / n
	for {
		var paid lineSpan
		poor, least := 0.0, math.Inf(1)
		for _, t := range ts {
			b := &bud[t]
			if x := b.hi.at(t1); x < a {
				paid.a += w[t] * b.hi.a
				paid.s += w[t] * b.hi.s
				poor += w[t]
			} else if x < least {
				least = x
			}
		}
		m := n - poor
		if m <= 0 || cost-paid.at(t1) <= 0 {
			return lineSpan{}, false
		}
		next := (cost - paid.at(t1)) / m
		if least >= next {
			return lineSpan{(cost - paid.a) / m, -paid.s / m}, true
		}
		a = next
	}
}

// bothNonPositive returns the first t in [t0, t1] where the lines d and e
// are both at most zero; found is false if there is none.
func bothNonPositive(d, e lineSpan, t0, t1 float64) (t float64, found bool) {
	lo, hi := t0, t1
	for _, l := range [2]lineSpan{d, e} {
		switch {
		case l.s > 0:
			hi = min(hi, -l.a/l.s)
		case l.s < 0:
			lo = max(lo, -l.a/l.s)
		case l.a > 0:
			return 0, false
		}
	}
	// a point found by division is checked again, so that rounding
	// cannot hide a clash at an end
	if lo > hi {
		for _, t := range [2]float64{t0, t1} {
			if d.at(t) <= 0 && e.at(t) <= 0 {
				return t, true
			}
		}
		return 0, false
	}
	return lo, true
}

// spanRun is affineSpan's state, kept between runs: lines are in
// t = increment − origin; rounds[r] holds what is needed to resume at the
// start of the r-th purchase (while the run's span had not been cut, so
// its lines hold up to end), and how to undo that purchase's charges.
type spanRun struct {
	resumed  bool // the last run resumed from a round of an earlier one
	late     int  // how many late rivals were found (for the tests)
	work     int  // supporting types visited so far (see MESAdd1)
	replayed int  // how many runs replayed their purchases (for the tests)
	origin   int64
	// ty[t].cls is type t's class: types that paid for the same projects
	// hold the same budget, classBud[ty[t].cls]; class 0 is the exhausted
	// budget. ty[t].w is how many voters type t stands for.
	ty       []typeClass
	classBud []affBudget
	cw       []float64 // the voters per class found by the last tally (only its classes are set)
	count    []int32   // tally's count of voters per class, zero between tallies
	used     []int32   // the classes tallied last
	moved    []int32   // chargeSpan's map from a class to 1 + its new class
	touched  []int32
	buf      []int32
	sup      [][]int32 // each project's supporting types, some dropped once out of money
	filtered []int     // filtered[p]: how many purchases had been made when sup[p] was last filtered
	sel      []int
	cands    []affRival
	rounds   []spanRound
	groupTs  []int32
	again    []int        // replay's purchases
	kept     [][]affRival // replay's rivals at the start of each round
	groupW   []float64
	groupBud []affBudget
}

type spanRound struct {
	end     float64
	classes int // how many classes there were at the start of the round
	cands   []affRival
	undo    []undoClass
}

type undoClass struct {
	t, old int32
}

func (e *prepared) spanState() *spanRun {
	if e.span == nil {
		nt := len(e.typeWeight)
		e.weightF = make([]float64, nt)
		for t, w := range e.typeWeight {
			e.weightF[t] = float64(w)
		}
		ty := make([]typeClass, nt)
		for t, w := range e.typeWeight {
			ty[t].w = int32(w)
		}
		e.span = &spanRun{ty: ty, sup: make([][]int32, len(e.typeSup)), groupW: make([]float64, len(e.base)), groupBud: make([]affBudget, len(e.base))}
	}
	return e.span
}

// stale marks every rival as not evaluated since the last purchase.
func stale(cands []affRival) {
	for i := range cands {
		cands[i].fresh = false
	}
}

// rebase starts again from the first purchase at the same origin.
func (st *spanRun) rebase(e *prepared) {
	st.reset(e, st.origin)
}

// reset starts afresh at increment k.
func (st *spanRun) reset(e *prepared, k int64) {
	st.origin = k
	startF := make([]float64, len(e.base))
	for g, v := range e.start(big.NewRat(k, 1)) {
		startF[g] = max(ratFloat(v), 0)
		l := lineSpan{a: startF[g], s: 1}
		st.groupBud[g] = affBudget{lo: l, hi: l}
	}
	st.classBud = append(st.classBud[:0], affBudget{})
	st.classBud = append(st.classBud, st.groupBud...)
	for t, g := range e.typeGroup {
		st.ty[t].cls = int32(1 + g)
	}
	st.copySup(e)
	st.sel = st.sel[:0]
	st.cands = st.cands[:0]
	for r := range st.rounds {
		st.rounds[r].undo = st.rounds[r].undo[:0]
	}
	st.rounds = st.rounds[:0]
}

func (st *spanRun) copySup(e *prepared) {
	st.buf = st.buf[:0]
	st.filtered = st.filtered[:0]
	for p, ts := range e.typeSup {
		st.buf = append(st.buf, ts...)
		st.sup[p] = st.buf[len(st.buf)-len(ts):]
		st.filtered = append(st.filtered, 0)
	}
}

// keepSup puts back the full list of supporting types of every project
// whose list was filtered after the first r purchases: the types it
// dropped may not have run out before them. Lists filtered earlier stay.
func (st *spanRun) keepSup(e *prepared, r int) {
	for p, ts := range e.typeSup {
		if st.filtered[p] > r {
			full := st.sup[p][:len(ts)]
			copy(full, ts)
			st.sup[p] = full
			st.filtered[p] = 0
		}
	}
}

// restore goes back to the start of round r, undoing later purchases.
func (st *spanRun) restore(e *prepared, r int) {
	for j := len(st.rounds) - 1; j >= r; j-- {
		u := st.rounds[j].undo
		for i := len(u) - 1; i >= 0; i-- {
			st.ty[u[i].t].cls = u[i].old
		}
		st.rounds[j].undo = u[:0]
	}
	st.rounds = st.rounds[:r+1]
	st.classBud = st.classBud[:st.rounds[r].classes]
	st.sel = st.sel[:r]
	st.cands = append(st.cands[:0], st.rounds[r].cands...)
	st.keepSup(e, r)
}

// snapshot records the start of the next round.
func (st *spanRun) snapshot(end float64) {
	if len(st.rounds) < cap(st.rounds) {
		st.rounds = st.rounds[:len(st.rounds)+1]
	} else {
		st.rounds = append(st.rounds, spanRound{})
	}
	r := &st.rounds[len(st.rounds)-1]
	r.end = end
	r.classes = len(st.classBud)
	r.cands = append(r.cands[:0], st.cands...)
	r.undo = r.undo[:0]
}

// chargeSpan makes the supporting types ts pay the winner's α, which lies
// between the lines aLo and aHi over the span [t0, t1], noting their old
// classes in the last round's undo list. Types of one class move together
// to one new class (or to class 0 if they run out across the span), so each
// budget is worked out once per class.
func (st *spanRun) chargeSpan(ts []int32, aLo, aHi lineSpan, t0, t1 float64) {
	undo := st.rounds[len(st.rounds)-1].undo
	for len(st.moved) < len(st.classBud) {
		st.moved = append(st.moved, 0)
	}
	touched := st.touched[:0]
	for _, t := range ts {
		c := st.ty[t].cls
		if c == 0 {
			continue
		}
		undo = append(undo, undoClass{t, c})
		if st.moved[c] == 0 {
			b := chargeBudget(st.classBud[c], aLo, aHi, t0, t1)
			nc := int32(0)
			if !b.exhausted() {
				nc = int32(len(st.classBud))
				st.classBud = append(st.classBud, b)
			}
			st.moved[c] = nc + 1
			touched = append(touched, c)
		}
		st.ty[t].cls = st.moved[c] - 1
	}
	for _, c := range touched {
		st.moved[c] = 0
	}
	st.touched = touched
	st.rounds[len(st.rounds)-1].undo = undo
}

// tally drops from *ts the types that have run out of money, adds up the
// voters of the others per class into st.cw and returns the classes found,
// none of them exhausted (the previous tally is cleared first).
func (st *spanRun) tally(ts *[]int32) []int32 {
	for len(st.cw) < len(st.classBud) {
		st.cw = append(st.cw, 0)
		st.count = append(st.count, 0)
	}
	used := st.used[:0]
	list := *ts
	ty, count := st.ty, st.count
	i := 0
	for ; i < len(list); i++ {
		e := ty[list[i]]
		if e.cls == 0 {
			break
		}
		x := count[e.cls]
		if x == 0 {
			used = append(used, e.cls)
		}
		count[e.cls] = x + e.w
	}
	if i < len(list) {
		// Some have run out: keep the others, in order.
		kept := list[:i]
		for _, t := range list[i:] {
			e := ty[t]
			if e.cls == 0 {
				continue
			}
			kept = append(kept, t)
			x := count[e.cls]
			if x == 0 {
				used = append(used, e.cls)
			}
			count[e.cls] = x + e.w
		}
		*ts = kept
	}
	cw := st.cw
	for _, c := range used {
		cw[c] = float64(count[c])
		count[c] = 0
	}
	st.used = used
	return used
}

// typeClass is a voter type's class and how many voters it stands for.
type typeClass struct{ cls, w int32 }

// chargeBudget is what a budget b holds after paying α, which lies between
// the lines aLo and aHi over the span [t0, t1].
func chargeBudget(b affBudget, aLo, aHi lineSpan, t0, t1 float64) affBudget {
	lo := lineSpan{b.lo.a - aHi.a, b.lo.s - aHi.s}
	hi := lineSpan{b.hi.a - aLo.a, b.hi.s - aLo.s}
	lo0, lo1, hi0, hi1 := lo.at(t0), lo.at(t1), hi.at(t0), hi.at(t1)
	// float slack, relative to the operands' size
	s0 := eps * max(math.Abs(b.hi.at(t0)), aHi.at(t0))
	s1 := eps * max(math.Abs(b.hi.at(t1)), aHi.at(t1))
	switch {
	case lo0 > s0 && lo1 > s1: // pays α in full across the span
		b.lo = through(t0, lo0-s0, t1, lo1-s1)
		b.hi = through(t0, hi0+s0, t1, hi1+s1)
	case hi0 < -s0 && hi1 < -s1: // pays all it has across the span
		b = affBudget{}
	default:
		// Runs out somewhere inside the span: what is left,
		// max(budget − α, 0), is convex in t, so the chord of the
		// upper line's is above it; below it, the lower line while it
		// is positive at the start (keeping the start exact), else zero.
		b.hi = through(t0, max(hi0, 0)+s0, t1, max(hi1, 0)+s1)
		if lo0 > 0 {
			b.lo = through(t0, lo0-s0, t1, lo1-s1)
		} else {
			b.lo = lineSpan{}
		}
	}
	return b
}

// alphaSpan finds, for the supporting types ts (n voters) of a project
// costing cost, α on the lower budgets at both ends of the span (lo0, loT)
// and on the upper budgets at the start (hi0), by the rising line of
// alphaTypes, all three in the same passes, each starting from its floor
// (an earlier α, or 0); hiT is (cost − Σ_P hi_i(T)) / (n − |P|) for P the
// types below hi0 at the start. ok is false at the edge of affordable.
func alphaSpan(ts []int32, bud []affBudget, w []float64, n, cost, t0, t1, f0, fT, fh float64) (lo0, loT, hi0, hiT float64, ok bool) {
	split := cost / n
	a0, a1, a2 := max(split, f0*(1-eps)), max(split, fT*(1-eps)), max(split, fh*(1-eps))
	done0, done1, done2 := false, false, false
	inf := math.Inf(1)
	for {
		paid0, paid1, paid2, poor0, poor1, poor2 := 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
		least0, least1, least2 := inf, inf, inf
		paidT := 0.0
		for _, t := range ts {
			b := &bud[t]
			wt := w[t]
			if x := b.lo.a + b.lo.s*t0; x < a0 {
				paid0 += wt * x
				poor0 += wt
			} else if x < least0 {
				least0 = x
			}
			if x := b.lo.a + b.lo.s*t1; x < a1 {
				paid1 += wt * x
				poor1 += wt
			} else if x < least1 {
				least1 = x
			}
			if x := b.hi.a + b.hi.s*t0; x < a2 {
				paid2 += wt * x
				poor2 += wt
				paidT += wt * (b.hi.a + b.hi.s*t1)
			} else if x < least2 {
				least2 = x
			}
		}
		// step moves one target's line: done once no supporter left above
		// it is below the equal split of what remains.
		step := func(a *float64, done *bool, paid, poor, least float64) bool {
			if *done {
				return true
			}
			if n-poor <= 0 || cost-paid <= 0 {
				return false
			}
			next := (cost - paid) / (n - poor)
			*done = least >= next
			*a = next
			return true
		}
		was2 := done2
		if !step(&a0, &done0, paid0, poor0, least0) || !step(&a1, &done1, paid1, poor1, least1) || !step(&a2, &done2, paid2, poor2, least2) {
			return 0, 0, 0, 0, false
		}
		if done2 && !was2 {
			hiT = (cost - paidT) / (n - poor2)
		}
		if done0 && done1 && done2 {
			return a0, a1, a2, hiT, true
		}
	}
}
