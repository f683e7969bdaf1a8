package priorities

import (
	"math"
	"math/rand/v2"
	"testing"
)

func ballots(t *testing.T, rows ...[]float64) *Ballots {
	t.Helper()
	b := NewBallots(len(rows[0]), len(rows))
	for _, r := range rows {
		if err := b.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func near(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return true
}

func sum(w []float64) float64 {
	s := 0.0
	for _, v := range w {
		s += v
	}
	return s
}

func TestHandComputedCases(t *testing.T) {
	cases := []struct {
		name   string
		rows   [][]float64
		method string
		want   []float64
	}{
		// n = 1: every method returns the ballot itself.
		{"one ballot IM", [][]float64{{20, 30, 50}}, IndependentMarkets, []float64{.2, .3, .5}},
		{"one ballot mean", [][]float64{{20, 30, 50}}, Mean, []float64{.2, .3, .5}},
		{"one ballot median", [][]float64{{20, 30, 50}}, Median, []float64{.2, .3, .5}},
		// Identical ballots.
		{"identical IM", [][]float64{{10, 20, 30, 40}, {10, 20, 30, 40}, {10, 20, 30, 40}}, IndependentMarkets, []float64{.1, .2, .3, .4}},
		// Everyone gives all 100 points to one priority.
		{"unanimous single priority", [][]float64{{0, 100, 0}, {0, 100, 0}}, IndependentMarkets, []float64{0, 1, 0}},
		// Worked by hand: phantoms {2t, t, 0}; at t = 1/2 both medians are 1/2.
		{"two ballots IM", [][]float64{{60, 40}, {20, 80}}, IndependentMarkets, []float64{.5, .5}},
		{"two ballots mean", [][]float64{{60, 40}, {20, 80}}, Mean, []float64{.4, .6}},
		{"two ballots median", [][]float64{{60, 40}, {20, 80}}, Median, []float64{.4, .6}},
		// Three ballots, worked by hand: phantoms {3t, 2t, t, 0}. For t just
		// under 1/4 the medians are t, 0.3 and 2t, so t + 0.3 + 2t = 1 gives
		// t = 7/30 and weights 7/30, 3/10, 14/30.
		{"three ballots IM", [][]float64{{70, 30, 0}, {20, 30, 50}, {0, 0, 100}}, IndependentMarkets, []float64{7.0 / 30, .3, 14.0 / 30}},
	}
	for _, c := range cases {
		got, err := Aggregate(c.method, ballots(t, c.rows...))
		if err != nil {
			t.Fatal(err)
		}
		if !near(got, c.want, 1e-12) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// Two single-minded groups of sizes a and b get a/(a+b) and b/(a+b).
func TestProportionality(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {2, 1}, {7, 3}, {1, 99}, {50, 51}} {
		b := NewBallots(3, sz[0]+sz[1])
		for range sz[0] {
			_ = b.Add([]float64{100, 0, 0})
		}
		for range sz[1] {
			_ = b.Add([]float64{0, 100, 0})
		}
		got, _ := Aggregate(IndependentMarkets, b)
		n := float64(sz[0] + sz[1])
		if want := []float64{float64(sz[0]) / n, float64(sz[1]) / n, 0}; !near(got, want, 1e-12) {
			t.Errorf("groups %v: got %v, want %v", sz, got, want)
		}
	}
}

func randomBallot(r *rand.Rand, m int) []float64 {
	v := make([]float64, m)
	for j := range v {
		if r.IntN(3) > 0 {
			v[j] = float64(r.IntN(101))
		}
	}
	if sum(v) == 0 {
		v[r.IntN(m)] = 100
	}
	return v
}

func TestWeightsSumToOne(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		m, n := 2+r.IntN(6), 1+r.IntN(60)
		b := NewBallots(m, n)
		for range n {
			_ = b.Add(randomBallot(r, m))
		}
		for _, method := range Methods {
			w, _ := Aggregate(method, b)
			if math.Abs(sum(w)-1) > 1e-12 {
				t.Fatalf("trial %d %s: weights sum to %.17g", trial, method, sum(w))
			}
			for _, v := range w {
				if v < -1e-15 {
					t.Fatalf("negative weight %v", v)
				}
			}
		}
	}
}

func l1(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d += math.Abs(a[i] - b[i])
	}
	return d
}

// Strategy-proofness: replacing one ballot x by any misreport never brings
// the outcome closer to x in ℓ1 distance.
func TestStrategyProofOnRandomInstances(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 400 {
		m, n := 2+r.IntN(5), 1+r.IntN(25)
		rows := make([][]float64, n)
		for i := range rows {
			rows[i] = randomBallot(r, m)
		}
		honest := ballots(t, rows...)
		truth := make([]float64, m)
		for j := range m {
			truth[j] = honest.Shares[j][0]
		}
		wHonest, _ := Aggregate(IndependentMarkets, honest)
		for range 10 {
			lie := randomBallot(r, m)
			if r.IntN(4) == 0 { // extreme misreports: all on one priority
				lie = make([]float64, m)
				lie[r.IntN(m)] = 100
			}
			rows2 := append([][]float64{lie}, rows[1:]...)
			wLie, _ := Aggregate(IndependentMarkets, ballots(t, rows2...))
			if l1(wLie, truth) < l1(wHonest, truth)-1e-9 {
				t.Fatalf("trial %d: misreport %v moved the outcome closer to %v (%.12f < %.12f)", trial, lie, rows[0], l1(wLie, truth), l1(wHonest, truth))
			}
		}
	}
}

func TestPostStratifiedMean(t *testing.T) {
	// Three ballots from A (population 100) and one from B (population 300):
	// B's ballot must count three times as much as all of A's together.
	b := ballots(t, []float64{100, 0}, []float64{100, 0}, []float64{100, 0}, []float64{0, 100})
	w, err := PostStratifiedMean(b, []string{"A", "A", "A", "B"}, map[string]int{"A": 100, "B": 300})
	if err != nil {
		t.Fatal(err)
	}
	if !near(w, []float64{.25, .75}, 1e-12) {
		t.Fatalf("got %v", w)
	}
}

func TestBadBallots(t *testing.T) {
	b := NewBallots(2, 1)
	for _, bad := range [][]float64{{0, 0}, {-1, 2}, {1}, {math.NaN(), 1}} {
		if err := b.Add(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if _, err := Aggregate(IndependentMarkets, b); err == nil {
		t.Error("no ballots accepted")
	}
	if _, err := Aggregate("plurality", ballots(t, []float64{1, 1})); err == nil {
		t.Error("unknown method accepted")
	}
}

func BenchmarkIndependentMarketsMillion(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	const n, m = 1_000_000, 6
	bl := NewBallots(m, n)
	for range n {
		_ = bl.Add(randomBallot(r, m))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Aggregate(IndependentMarkets, bl); err != nil {
			b.Fatal(err)
		}
	}
}
