package fund

import (
	"math"
	"math/big"
)

// lineSpan is a bound that is affine in the increment over a span: its
// value at increment k+t is a + s·t.
type lineSpan struct{ a, s float64 }

func (l lineSpan) at(t float64) float64 { return l.a + l.s*t }

// through is the line through (0, y0) and (T, yT); when T is 0 only y0
// matters.
func through(y0, yT, T float64) lineSpan {
	if T == 0 {
		return lineSpan{a: y0}
	}
	return lineSpan{a: y0, s: (yT - y0) / T}
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
	// on the lower budgets at both ends (fT for span fSpan) and on the
	// upper budgets at the start
	fLo0, fLoT, fHi0, fSpan float64
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
	costF := e.costF
	nt := len(e.typeWeight)
	if len(e.weightF) != nt {
		e.weightF = make([]float64, nt)
		for t, w := range e.typeWeight {
			e.weightF[t] = float64(w)
		}
	}
	if len(e.aff) != nt {
		e.aff = make([]affBudget, nt)
	}
	w, bud := e.weightF, e.aff
	startF := make([]float64, len(e.base))
	for g, v := range e.start(big.NewRat(k, 1)) {
		startF[g] = max(ratFloat(v), 0)
	}
	for t, g := range e.typeGroup {
		l := lineSpan{a: startF[g], s: 1}
		bud[t] = affBudget{lo: l, hi: l}
	}
	e.supBuf = e.supBuf[:0]
	sup := make([][]int32, len(e.typeSup))
	for p, ts := range e.typeSup {
		e.supBuf = append(e.supBuf, ts...)
		sup[p] = e.supBuf[len(e.supBuf)-len(ts):]
	}
	failed := false
	// cut shortens the span to the last whole increment before t.
	cut := func(t float64) {
		c := math.Floor(t)
		if c == t {
			c--
		}
		T = max(min(T, c), 0)
	}
	evaluate := func(c *affRival) bool {
		p := c.p
		cost := costF[p]
		c.fresh, c.n = true, 0
		if cost == 0 {
			c.alphaLo, c.alphaHi, c.rhoLo, c.rhoHi, c.n = lineSpan{}, lineSpan{}, lineSpan{}, lineSpan{}, -1
			return true
		}
		kept := sup[p][:0]
		n := 0.0
		var sumLo, sumHi lineSpan
		least0, leastT := math.Inf(1), math.Inf(1)
		for _, t := range sup[p] {
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
			least0, leastT = min(least0, b.lo.a), min(leastT, b.lo.at(T))
		}
		sup[p] = kept
		need, short := cost*(1+eps), cost*(1-eps)
		if sumLo.a < need {
			if sumHi.a >= short {
				failed = true // affordable or not at k: too close to call
				return false
			}
			if sumHi.at(T) >= short {
				cut((short - sumHi.a) / sumHi.s)
			}
			return false // unaffordable across the span
		}
		if sumLo.at(T) < need {
			cut((need - sumLo.a) / sumLo.s)
		}
		if a := cost / n; least0 > a*(1+eps) && leastT > a*(1+eps) {
			// Every supporter can pay the equal split across the span, by a
			// margin: α is exactly cost/n and ρ exactly 1/n.
			c.n = int(n)
			c.alphaLo, c.alphaHi = lineSpan{a: a}, lineSpan{a: a}
			c.rhoLo, c.rhoHi = lineSpan{a: 1 / n}, lineSpan{a: 1 / n}
			return true
		}
		if c.fSpan != T {
			c.fLoT = 0
		}
		lo0, loT, hi0, hiT, ok := alphaSpan(kept, bud, w, n, cost, T, c.fLo0, c.fLoT, c.fHi0)
		if !ok {
			failed = true
			return false
		}
		c.fLo0, c.fLoT, c.fHi0, c.fSpan = lo0, loT, hi0, T
		c.alphaLo = through(hi0*(1-eps), hiT*(1-eps), T)
		c.alphaHi = through(lo0*(1+eps), loT*(1+eps), T)
		c.rhoLo = lineSpan{c.alphaLo.a / cost, c.alphaLo.s / cost}
		c.rhoHi = lineSpan{c.alphaHi.a / cost, c.alphaHi.s / cost}
		return true
	}
	// beats: x's ρ is below y's across the span by the float margin, or
	// they tie exactly (the tie-break chose x).
	margin := func(x, y *affRival, t float64) float64 {
		return y.rhoLo.at(t) - (x.rhoHi.at(t)*(1+eps) + 1e-300)
	}
	appr := e.appr
	var cands []affRival
	for p := range e.Projects {
		if appr[p] > 0 {
			c := affRival{p: p}
			if evaluate(&c) {
				cands = append(cands, c)
			}
		}
	}
	for len(cands) > 0 && !failed {
		best := 0
		for i := range cands {
			if cands[i].rhoLo.a < cands[best].rhoLo.a || (cands[i].rhoLo.a == cands[best].rhoLo.a && e.better(cands[i].p, cands[best].p, appr)) {
				best = i
			}
		}
		if !cands[best].fresh {
			if !evaluate(&cands[best]) {
				cands = append(cands[:best], cands[best+1:]...)
			}
			continue
		}
		x := &cands[best]
		for i := range cands {
			if i == best {
				continue
			}
			y := &cands[i]
			if tie(y.n, x.n) || (margin(x, y, 0) > 0 && margin(x, y, T) > 0) {
				continue
			}
			if !y.fresh {
				if !evaluate(y) {
					if failed {
						return nil, 0, false
					}
					continue // unaffordable across the span: not a rival
				}
				if tie(y.n, x.n) || (margin(x, y, 0) > 0 && margin(x, y, T) > 0) {
					continue
				}
			}
			d0, dT := margin(x, y, 0), margin(x, y, T)
			if d0 <= 0 {
				return nil, 0, false // a near tie at k: only exact arithmetic can settle it
			}
			cut(T * d0 / (d0 - dT))
		}
		if failed {
			break
		}
		sel = append(sel, x.p)
		e.chargeSpan(sup[x.p], bud, x.alphaLo, x.alphaHi, T)
		cands = append(cands[:best], cands[best+1:]...)
		for i := range cands {
			cands[i].fresh = false
		}
	}
	if failed {
		return nil, 0, false
	}
	return sel, T, true
}

// chargeSpan makes the supporting types ts pay the winner's α, which lies
// between the lines aLo and aHi over the span [0, T].
func (e *prepared) chargeSpan(ts []int32, bud []affBudget, aLo, aHi lineSpan, T float64) {
	for _, t := range ts {
		b := &bud[t]
		if b.exhausted() {
			continue
		}
		lo := lineSpan{b.lo.a - aHi.a, b.lo.s - aHi.s}
		hi := lineSpan{b.hi.a - aLo.a, b.hi.s - aLo.s}
		lo0, loT, hi0, hiT := lo.at(0), lo.at(T), hi.at(0), hi.at(T)
		// float slack, relative to the operands' size
		s0 := eps * max(math.Abs(b.hi.a), aHi.a)
		sT := eps * max(math.Abs(b.hi.at(T)), aHi.at(T))
		switch {
		case lo0 > s0 && loT > sT: // pays α in full across the span
			b.lo = through(lo0-s0, loT-sT, T)
			b.hi = through(hi0+s0, hiT+sT, T)
		case hi0 < -s0 && hiT < -sT: // pays all it has across the span
			*b = affBudget{}
		default:
			// Runs out somewhere inside the span: what is left,
			// max(budget − α, 0), is convex in t, so the chord of the
			// upper line's is above it; below it, zero or the lower line,
			// whichever is higher mid-span.
			b.hi = through(max(hi0, 0)+s0, max(hiT, 0)+sT, T)
			if lo.at(T/2) > 0 {
				b.lo = through(lo0-s0, loT-sT, T)
			} else {
				b.lo = lineSpan{}
			}
			if b.hi.a <= 0 && b.hi.at(T) <= 0 {
				*b = affBudget{}
			}
		}
	}
}

// alphaSpan finds, for the supporting types ts (n voters) of a project
// costing cost, α on the lower budgets at both ends of the span (lo0, loT)
// and on the upper budgets at the start (hi0), by the rising line of
// alphaTypes, all three in the same passes, each starting from its floor
// (an earlier α, or 0); hiT is (cost − Σ_P hi_i(T)) / (n − |P|) for P the
// types below hi0 at the start. ok is false at the edge of affordable.
func alphaSpan(ts []int32, bud []affBudget, w []float64, n, cost, T, f0, fT, fh float64) (lo0, loT, hi0, hiT float64, ok bool) {
	split := cost / n
	a := [3]float64{max(split, f0*(1-eps)), max(split, fT*(1-eps)), max(split, fh*(1-eps))}
	var done [3]bool
	for {
		var paid, poor [3]float64
		least := [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
		paidT := 0.0
		for _, t := range ts {
			b := &bud[t]
			wt := w[t]
			v := [3]float64{b.lo.a, b.lo.at(T), b.hi.a}
			for j := range 3 {
				if x := v[j]; x < a[j] {
					paid[j] += wt * x
					poor[j] += wt
				} else if x < least[j] {
					least[j] = x
				}
			}
			if v[2] < a[2] {
				paidT += wt * b.hi.at(T)
			}
		}
		all := true
		for j := range 3 {
			if done[j] {
				continue
			}
			if n-poor[j] <= 0 || cost-paid[j] <= 0 {
				return 0, 0, 0, 0, false
			}
			next := (cost - paid[j]) / (n - poor[j])
			if least[j] >= next {
				done[j] = true
				if j == 2 {
					hiT = (cost - paidT) / (n - poor[2])
				}
			} else {
				all = false
			}
			a[j] = next
		}
		if all {
			return a[0], a[1], a[2], hiT, true
		}
	}
}
