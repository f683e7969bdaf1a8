// Package priorities turns residents' ballots — each a split of 100 points
// across the framework's priorities — into People's Weights. The official
// method is the Independent Markets moving-phantom mechanism (Freeman,
// Pennock, Peters and Wortman Vaughan, "Truthful aggregation of budget
// proposals", 2019/2021), which is strategy-proof and proportional.
package priorities

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
)

// Methods of aggregation.
const (
	IndependentMarkets = "independent-markets"
	Mean               = "mean"
	Median             = "median"
)

// Methods lists the methods the CLI and results page offer.
var Methods = []string{IndependentMarkets, Mean, Median}

// Ballots holds n ballots over m priorities as shares: Shares[j][i] is
// ballot i's share for priority j, and each ballot's shares sum to 1.
// Column-major storage lets each priority be sorted on its own.
type Ballots struct {
	Priorities int
	Shares     [][]float64
}

// N is the number of ballots.
func (b *Ballots) N() int {
	if len(b.Shares) == 0 {
		return 0
	}
	return len(b.Shares[0])
}

// NewBallots prepares storage for m priorities and capacity n.
func NewBallots(m, n int) *Ballots {
	b := &Ballots{Priorities: m, Shares: make([][]float64, m)}
	for j := range b.Shares {
		b.Shares[j] = make([]float64, 0, n)
	}
	return b
}

// ErrEmptyBallot is returned for a ballot whose values sum to zero.
var ErrEmptyBallot = errors.New("a ballot must give a positive total")

// Add normalises a ballot of non-negative values to shares and appends it.
// Every value is checked (finite, from 0 to MaxCSVValue) before any is
// summed, so the total is finite and the ballot is never silently lost.
func (b *Ballots) Add(values []float64) error {
	if len(values) != b.Priorities {
		return fmt.Errorf("ballot has %d values, want %d", len(values), b.Priorities)
	}
	for _, v := range values {
		if v < 0 || math.IsNaN(v) || v > MaxCSVValue {
			return fmt.Errorf("value %v must be a number from 0 to %.0f", v, MaxCSVValue)
		}
	}
	sum := 0.0
	for _, v := range values {
		sum += v
	}
	if sum <= 0 {
		return ErrEmptyBallot
	}
	for j, v := range values {
		b.Shares[j] = append(b.Shares[j], v/sum)
	}
	return nil
}

// Aggregate computes weights by the named method. Weights sum to 1 (to
// within floating-point rounding, about 1e-15 per priority).
func Aggregate(method string, b *Ballots) ([]float64, error) {
	if b.N() == 0 {
		return nil, errors.New("no ballots")
	}
	switch method {
	case IndependentMarkets:
		return independentMarkets(b), nil
	case Mean:
		return mean(b, nil), nil
	case Median:
		return normalise(medians(b)), nil
	}
	return nil, fmt.Errorf("unknown method %q (use %v)", method, Methods)
}

// independentMarkets implements the moving-phantom mechanism with phantoms
// f_k(t) = min(1, t(n−k)), k = 0..n. Each priority's weight is the median of
// its n reports and the n+1 phantoms. With the reports sorted in decreasing
// order a_1 ≥ … ≥ a_n, that median is
//
//	g(t) = max over i of min(a_i, i·t)
//
// (the (n+1)-th largest of the union of two sorted lists is the best split
// between them). Each g is continuous, non-decreasing and piecewise linear in
// t, so Σg(t) is too: we bisect to the segment where Σg(t) = 1 and then solve
// that segment's linear equation, which pins the sum to 1 up to rounding.
func independentMarkets(b *Ballots) []float64 {
	m := b.Priorities
	sorted := make([][]float64, m)
	var wg sync.WaitGroup
	for j := range m {
		wg.Add(1)
		go func() {
			defer wg.Done()
			col := slices.Clone(b.Shares[j])
			slices.SortFunc(col, func(x, y float64) int {
				switch {
				case x > y:
					return -1
				case x < y:
					return 1
				}
				return 0
			})
			sorted[j] = col
		}()
	}
	wg.Wait()

	total := func(t float64) float64 {
		s := 0.0
		for j := range m {
			v, _, _ := phantomMedian(sorted[j], t)
			s += v
		}
		return s
	}
	// Σg(0) = 0 and Σg(1) ≥ Σ a_1 ≥ 1, so a root lies in [0, 1].
	lo, hi := 0.0, 1.0
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if total(mid) < 1 {
			lo = mid
		} else {
			hi = mid
		}
	}
	// On the final bracket each g is either a constant a_{i+1} or a line i·t;
	// solve Σ(constants) + t·Σ(slopes) = 1 exactly for that piece.
	t := hi
	consts, slopes := 0.0, 0.0
	for j := range m {
		_, c, slope := phantomMedian(sorted[j], t)
		consts += c
		slopes += float64(slope)
	}
	if slopes > 0 {
		if ts := (1 - consts) / slopes; ts >= lo-1e-15 && ts <= hi+1e-15 {
			t = ts
		}
	}
	w := make([]float64, m)
	for j := range m {
		w[j], _, _ = phantomMedian(sorted[j], t)
	}
	return w
}

// phantomMedian returns g(t) = max_i min(a_i, i·t) for reports sorted in
// decreasing order, and the linear piece it lies on: either a constant c
// (slope 0) or slope·t (c = 0). The largest i with i·t ≤ a_i gives the
// rising candidate i·t; the next report a_{i+1} is the other candidate.
func phantomMedian(a []float64, t float64) (value, c float64, slope int) {
	// i·t − a_i is increasing in i, so binary search for the last i (1-based)
	// with i·t ≤ a_i.
	i := sortSearch(len(a), func(k int) bool { return float64(k+1)*t > a[k] }) // k is 0-based
	rise := float64(i) * t
	next := 0.0
	if i < len(a) {
		next = a[i]
	}
	if rise >= next {
		return rise, 0, i
	}
	return next, next, 0
}

// sortSearch is sort.Search without the import.
func sortSearch(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if !f(h) {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo
}

// mean is the (optionally weighted) arithmetic mean of the shares.
func mean(b *Ballots, weight []float64) []float64 {
	w := make([]float64, b.Priorities)
	total := 0.0
	for i := range b.N() {
		wi := 1.0
		if weight != nil {
			wi = weight[i]
		}
		total += wi
		for j := range b.Priorities {
			w[j] += wi * b.Shares[j][i]
		}
	}
	for j := range w {
		w[j] /= total
	}
	return normalise(w)
}

// medians is the coordinate-wise median (the mean of the two middle values
// for an even count). It need not sum to 1.
func medians(b *Ballots) []float64 {
	w := make([]float64, b.Priorities)
	for j := range b.Priorities {
		col := slices.Clone(b.Shares[j])
		slices.Sort(col)
		n := len(col)
		if n%2 == 1 {
			w[j] = col[n/2]
		} else {
			w[j] = (col[n/2-1] + col[n/2]) / 2
		}
	}
	return w
}

// normalise scales w to sum to 1; an all-zero w becomes equal weights.
func normalise(w []float64) []float64 {
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	out := make([]float64, len(w))
	for j, v := range w {
		if sum == 0 {
			out[j] = 1 / float64(len(w))
		} else {
			out[j] = v / sum
		}
	}
	return out
}

// PostStratifiedMean weights each ballot so that every district counts in
// proportion to its population: ballot weight = population share of its
// district ÷ that district's share of the ballots. Ballots from districts
// without a population figure are left out.
func PostStratifiedMean(b *Ballots, district []string, population map[string]int) ([]float64, error) {
	if len(district) != b.N() {
		return nil, errors.New("one district per ballot is needed")
	}
	count := map[string]int{}
	for _, d := range district {
		if population[d] > 0 {
			count[d]++
		}
	}
	if len(count) == 0 {
		return nil, errors.New("no ballots from a district with a population figure")
	}
	// Only districts that took part share the population total, so the
	// weights are those of a sample in which every such district is present
	// in proportion to its size.
	popTotal := 0
	for d := range count {
		popTotal += population[d]
	}
	n := 0
	for _, c := range count {
		n += c
	}
	weight := make([]float64, b.N())
	for i, d := range district {
		if c := count[d]; c > 0 {
			weight[i] = (float64(population[d]) / float64(popTotal)) / (float64(c) / float64(n))
		}
	}
	return mean(b, weight), nil
}
