package hub

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var benchDistricts = []string{"E08000001", "E08000002", "E08000003", "E08000004", "E08000005", "E08000006", "E08000007", "E08000008", "E08000009", "E08000010"}

func benchGeo() Geo {
	g := Geo{Centroids: map[string][2]float64{}}
	for i, d := range benchDistricts {
		g.Centroids[d] = [2]float64{-2.6 + 0.07*float64(i), 53.4 + 0.03*float64(i%4)}
	}
	return g
}

func benchWorld(needs, offers int) ([]Need, []Offer, map[string]float64) {
	r := rand.New(rand.NewPCG(1, 2))
	people := map[string]float64{"P1": 0.22, "P2": 0.08, "P3": 0.2, "P4": 0.15, "P5": 0.15, "P6": 0.2}
	pr := []string{"P1", "P2", "P3", "P4", "P5", "P6"}
	var ns []Need
	for i := range needs {
		d := benchDistricts[r.IntN(len(benchDistricts))]
		ns = append(ns, Need{ID: int64(i + 1), Kind: Kinds[r.IntN(len(Kinds)-1)].Value, Priorities: []string{pr[r.IntN(6)], pr[r.IntN(6)]}, Area: d, DistrictCode: d,
			Size: int64(5 + r.IntN(60)), Remaining: int64(5 + r.IntN(60)), IMDDecile: 1 + r.IntN(10)})
	}
	var os []Offer
	for j := range offers {
		d := ""
		if r.IntN(4) > 0 {
			d = benchDistricts[r.IntN(len(benchDistricts))]
		}
		c := int64(10 + r.IntN(200))
		os = append(os, Offer{ID: int64(j + 1), Kind: Kinds[r.IntN(len(Kinds)-1)].Value, Priorities: []string{pr[r.IntN(6)]}, Area: d, DistrictCode: d, Capacity: c, Remaining: c})
	}
	return ns, os, people
}

// BenchmarkRankOffers ranks 50,000 offers for one need, with explanations,
// and reports the p99 over the iterations.
func BenchmarkRankOffers(b *testing.B) {
	needs, offers, people := benchWorld(200, 50_000)
	g := benchGeo()
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	var took []time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		if r := RankOffers(needs[i%len(needs)], offers, people, g, now, 20); len(r) == 0 {
			b.Fatal("no candidates")
		}
		took = append(took, time.Since(t0))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkAssign5000 scores 5,000 needs × 5,000 offers, keeps each need's
// 25 best candidates and solves the assignment.
func BenchmarkAssign5000(b *testing.B) {
	needs, offers, people := benchWorld(5000, 5000)
	g := benchGeo()
	for b.Loop() {
		t0 := time.Now()
		cands := Candidates(needs, offers, people, g, 25, time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
		t1 := time.Now()
		as := Assign(needs, offers, cands)
		if len(as) == 0 {
			b.Fatal("nothing assigned")
		}
		b.ReportMetric(float64(t1.Sub(t0).Milliseconds()), "candidates-ms")
		b.ReportMetric(float64(time.Since(t1).Milliseconds()), "assign-ms")
		b.ReportMetric(float64(len(cands)), "edges")
	}
	_ = fmt.Sprint()
}
