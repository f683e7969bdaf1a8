package hub

import (
	"container/heap"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"
)

// Candidate is a compatible need–offer pair with its benefit per unit.
type Candidate struct {
	Need, Offer int // indexes into the needs and offers given to Assign
	Score       float64
}

// Assignment is a proposed quantity of an offer for a need.
type Assignment struct {
	NeedID, OfferID int64
	Quantity        int64
	Score           float64
}

// benefit turns a score into integer benefit per unit (the score to four
// decimals, times 16); the deprivation bonus (0–10, more for more deprived
// areas) sits below the score's last digit, so it only ever breaks ties.
func benefit(score float64, decile int) int64 {
	return int64(math.Round(score*10_000))*16 + int64(11-decileKey(decile))
}

// Candidates scores every same-kind pair and keeps each need's k best
// offers (all of them when k <= 0). Keeping k per need makes the global
// problem sparse; the assignment is optimal over these candidates.
func Candidates(needs []Need, offers []Offer, people map[string]float64, g Geo, k int, now time.Time) []Candidate {
	byKind := map[string][]int{}
	for j, o := range offers {
		if o.To == nil || !o.To.Before(now.Truncate(24*time.Hour)) { // ended offers are out
			byKind[o.Kind] = append(byKind[o.Kind], j)
		}
	}
	per := make([][]Candidate, len(needs))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(needs)))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(needs); i += workers {
				per[i] = needCandidates(needs[i], i, offers, byKind, people, g, k)
			}
		}()
	}
	wg.Wait()
	var out []Candidate
	for _, c := range per {
		out = append(out, c...)
	}
	return out
}

func needCandidates(n Need, i int, offers []Offer, byKind map[string][]int, people map[string]float64, g Geo, k int) []Candidate {
	pool := byKind[n.Kind]
	if n.Kind == "other" {
		pool = pool[:0:0]
		for _, js := range byKind {
			pool = append(pool, js...)
		}
	} else {
		pool = append(slices.Clone(pool), byKind["other"]...)
	}
	var mine []Candidate
	for _, j := range pool {
		if v, ok := quickScore(n, offers[j], people, g); ok {
			mine = append(mine, Candidate{Need: i, Offer: j, Score: v})
		}
	}
	if k > 0 && len(mine) > k {
		sort.Slice(mine, func(a, b int) bool {
			if mine[a].Score != mine[b].Score {
				return mine[a].Score > mine[b].Score
			}
			return mine[a].Offer < mine[b].Offer
		})
		mine = mine[:k]
	}
	return mine
}

// quickScore is ScoreOf's total without the explanations (and without
// the date checks, which the caller's offer list already applies).
func quickScore(n Need, o Offer, people map[string]float64, g Geo) (float64, bool) {
	if n.Remaining <= 0 || o.Remaining <= 0 {
		return 0, false
	}
	if n.By != nil && o.From != nil && o.From.After(*n.By) {
		return 0, false
	}
	p := 0.5
	if len(o.Priorities) > 0 {
		var all, shared float64
		for _, c := range n.Priorities {
			w := weightOf(people, c)
			all += w
			if slices.Contains(o.Priorities, c) {
				shared += w
			}
		}
		p = 0
		if all > 0 {
			p = shared / all
		}
	}
	place, _ := placeValue(n, o, g)
	c := math.Min(1, float64(o.Remaining)/float64(n.Remaining))
	return WPriorities*p + WPlace*place + WTiming + WCapacity*c, true
}

// Assign proposes quantities of offers for needs that maximise the total
// benefit Σ score × quantity, never giving a need more than it still needs
// or taking more from an offer than it has left. Among equally good
// choices, needs in more deprived areas win.
//
// It is a transportation problem solved exactly as a minimum-cost flow
// (source → needs → offers → sink, cost = −benefit per unit) with the
// primal–dual method: Dijkstra on reduced costs finds the shortest
// augmenting path length, then a blocking flow is pushed along every path
// of that length, until no path has negative cost. Initial potentials come
// from the graph being a DAG, so every reduced cost starts non-negative.
func Assign(needs []Need, offers []Offer, cands []Candidate) []Assignment {
	n, m := len(needs), len(offers)
	src, sink := n+m, n+m+1
	g := newFlowGraph(n + m + 2)
	for i, nd := range needs {
		g.add(src, i, nd.Remaining, 0)
	}
	mid := make([]int, len(cands)) // edge index of each candidate
	for c, cd := range cands {
		q := min(needs[cd.Need].Remaining, offers[cd.Offer].Remaining)
		mid[c] = g.add(cd.Need, n+cd.Offer, q, -benefit(cd.Score, needs[cd.Need].IMDDecile))
	}
	for j, o := range offers {
		g.add(n+j, sink, o.Remaining, 0)
	}
	// Potentials for the DAG: needs 0, each offer the cheapest edge into it.
	pot := make([]int64, n+m+2)
	for c := range cands {
		e := g.edges[mid[c]]
		if e.cost < pot[e.to] {
			pot[e.to] = e.cost
		}
	}
	for j := range offers {
		if pot[n+j] < pot[sink] {
			pot[sink] = pot[n+j]
		}
	}
	g.minCost(src, sink, pot)
	var out []Assignment
	for c, cd := range cands {
		if f := g.edges[mid[c]^1].cap; f > 0 {
			out = append(out, Assignment{NeedID: needs[cd.Need].ID, OfferID: offers[cd.Offer].ID, Quantity: f, Score: cd.Score})
		}
	}
	slices.SortFunc(out, func(a, b Assignment) int {
		if a.NeedID != b.NeedID {
			return int(a.NeedID - b.NeedID)
		}
		return int(a.OfferID - b.OfferID)
	})
	return out
}

// Greedy assigns the best-scoring pairs first; it is the baseline the
// optimal assignment is tested against.
func Greedy(needs []Need, offers []Offer, cands []Candidate) []Assignment {
	order := slices.Clone(cands)
	slices.SortStableFunc(order, func(a, b Candidate) int {
		ba, bb := benefit(a.Score, needs[a.Need].IMDDecile), benefit(b.Score, needs[b.Need].IMDDecile)
		if ba != bb {
			if ba > bb {
				return -1
			}
			return 1
		}
		return 0
	})
	needLeft := make([]int64, len(needs))
	for i, n := range needs {
		needLeft[i] = n.Remaining
	}
	offerLeft := make([]int64, len(offers))
	for j, o := range offers {
		offerLeft[j] = o.Remaining
	}
	var out []Assignment
	for _, c := range order {
		q := min(needLeft[c.Need], offerLeft[c.Offer])
		if q <= 0 {
			continue
		}
		needLeft[c.Need] -= q
		offerLeft[c.Offer] -= q
		out = append(out, Assignment{NeedID: needs[c.Need].ID, OfferID: offers[c.Offer].ID, Quantity: q, Score: c.Score})
	}
	return out
}

// Benefit is Σ score × quantity of an assignment, in the integer units the
// optimiser uses (deprivation tie-break included).
func Benefit(needs []Need, as []Assignment, scores map[[2]int64]float64) int64 {
	dec := map[int64]int{}
	for _, n := range needs {
		dec[n.ID] = n.IMDDecile
	}
	var total int64
	for _, a := range as {
		total += benefit(scores[[2]int64{a.NeedID, a.OfferID}], dec[a.NeedID]) * a.Quantity
	}
	return total
}

type flowEdge struct {
	to        int
	cap, cost int64
}

// flowGraph stores each edge next to its reverse (index e^1).
type flowGraph struct {
	edges []flowEdge
	adj   [][]int
}

func newFlowGraph(n int) *flowGraph { return &flowGraph{adj: make([][]int, n)} }

func (g *flowGraph) add(u, v int, cap, cost int64) int {
	g.edges = append(g.edges, flowEdge{v, cap, cost}, flowEdge{u, 0, -cost})
	e := len(g.edges) - 2
	g.adj[u] = append(g.adj[u], e)
	g.adj[v] = append(g.adj[v], e+1)
	return e
}

const inf = math.MaxInt64 / 4

func (g *flowGraph) minCost(s, t int, pot []int64) {
	n := len(g.adj)
	dist := make([]int64, n)
	seen := make([]bool, n)
	for {
		// Dijkstra on reduced costs.
		for i := range dist {
			dist[i] = inf
		}
		dist[s] = 0
		h := &distHeap{{s, 0}}
		for h.Len() > 0 {
			it := heap.Pop(h).(distItem)
			if it.d != dist[it.v] {
				continue
			}
			for _, e := range g.adj[it.v] {
				ed := g.edges[e]
				if ed.cap <= 0 {
					continue
				}
				nd := it.d + ed.cost + pot[it.v] - pot[ed.to]
				if nd < dist[ed.to] {
					dist[ed.to] = nd
					heap.Push(h, distItem{ed.to, nd})
				}
			}
		}
		if dist[t] >= inf {
			return
		}
		for v := range pot {
			pot[v] += min(dist[v], dist[t])
		}
		// The shortest augmenting path now costs pot[t] − pot[s]; stop once
		// it no longer adds benefit.
		if pot[t]-pot[s] >= 0 {
			return
		}
		// Blocking flow along zero-reduced-cost edges.
		for {
			clear(seen)
			if g.push(s, t, inf, pot, seen) == 0 {
				break
			}
		}
	}
}

func (g *flowGraph) push(u, t int, f int64, pot []int64, seen []bool) int64 {
	if u == t {
		return f
	}
	seen[u] = true
	var used int64
	for _, e := range g.adj[u] {
		ed := &g.edges[e]
		if ed.cap <= 0 || seen[ed.to] || ed.cost+pot[u]-pot[ed.to] != 0 {
			continue
		}
		d := g.push(ed.to, t, min(f-used, ed.cap), pot, seen)
		if d > 0 {
			ed.cap -= d
			g.edges[e^1].cap += d
			used += d
			if used == f {
				break
			}
		}
	}
	return used
}

type distItem struct {
	v int
	d int64
}

type distHeap []distItem

func (h distHeap) Len() int           { return len(h) }
func (h distHeap) Less(i, j int) bool { return h[i].d < h[j].d }
func (h distHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *distHeap) Push(x any)        { *h = append(*h, x.(distItem)) }
func (h *distHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
