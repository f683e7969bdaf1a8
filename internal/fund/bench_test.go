package fund

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// synthetic makes a participatory budget like a city's: costs from £5,000
// to £200,000 in whole pounds, a budget of about a fifth of the total asked,
// and voters approving 1 to 10 projects with popularity skewed towards some.
func synthetic(voters, projects int, seed uint64) *Election {
	r := rand.New(rand.NewPCG(seed, 99))
	e := &Election{}
	total := int64(0)
	weight := make([]float64, projects)
	for p := range projects {
		c := int64(5000 + r.IntN(195001))
		total += c
		e.Projects = append(e.Projects, Project{ID: itoa(p + 1), Cost: big.NewRat(c, 1)})
		weight[p] = 1 / float64(1+r.IntN(20))
	}
	e.Budget = big.NewRat(total/5, 1)
	for range voters {
		k := 1 + r.IntN(10)
		seen := map[int]bool{}
		var b []int
		for len(b) < k {
			p := r.IntN(projects)
			if !seen[p] && r.Float64() < weight[p]*4 {
				seen[p] = true
				b = append(b, p)
			}
		}
		e.Ballots = append(e.Ballots, b)
	}
	return e
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

func benchmarkAdd1(b *testing.B, voters, projects int) {
	e := synthetic(voters, projects, 1)
	b.ReportAllocs()
	b.ResetTimer()
	var o *Outcome
	for b.Loop() {
		o = MESAdd1(e)
	}
	b.ReportMetric(float64(len(o.Selected)), "funded")
	b.ReportMetric(mustFloat(o.PerVoter)-mustFloat(new(big.Rat).Quo(e.Budget, big.NewRat(int64(voters), 1))), "increment")
}

func mustFloat(r *big.Rat) float64 { f, _ := r.Float64(); return f }

func BenchmarkMESAdd1_10kVoters60Projects(b *testing.B)   { benchmarkAdd1(b, 10_000, 60) }
func BenchmarkMESAdd1_100kVoters150Projects(b *testing.B) { benchmarkAdd1(b, 100_000, 150) }
