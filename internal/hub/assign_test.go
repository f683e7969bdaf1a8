package hub

import (
	"math/rand/v2"
	"testing"
	"time"
)

func need(id int64, kind string, size int64, decile int) Need {
	return Need{ID: id, Kind: kind, Size: size, Remaining: size, IMDDecile: decile, Priorities: []string{"P1"}}
}

func offer(id int64, kind string, capacity int64) Offer {
	return Offer{ID: id, Kind: kind, Capacity: capacity, Remaining: capacity}
}

func scoresOf(needs []Need, offers []Offer, cands []Candidate) map[[2]int64]float64 {
	m := map[[2]int64]float64{}
	for _, c := range cands {
		m[[2]int64{needs[c.Need].ID, offers[c.Offer].ID}] = c.Score
	}
	return m
}

// Greedy gives offer X to need A (its best pair) and leaves B the poor
// offer Y; the optimum swaps them. Worked by hand: greedy 0.9×10 + 0.1×10
// = 10, optimal 0.85×10 + 0.8×10 = 16.5.
func TestAssignBeatsGreedyOnHandInstance(t *testing.T) {
	needs := []Need{need(1, "volunteers", 10, 5), need(2, "volunteers", 10, 5)}
	offers := []Offer{offer(10, "volunteers", 10), offer(20, "volunteers", 10)}
	cands := []Candidate{{0, 0, 0.9}, {1, 0, 0.8}, {0, 1, 0.85}, {1, 1, 0.1}}
	got := Assign(needs, offers, cands)
	want := map[[2]int64]int64{{1, 20}: 10, {2, 10}: 10}
	if len(got) != 2 {
		t.Fatalf("assignment: %+v", got)
	}
	for _, a := range got {
		if want[[2]int64{a.NeedID, a.OfferID}] != a.Quantity {
			t.Fatalf("assignment: %+v", got)
		}
	}
	g := Greedy(needs, offers, cands)
	sc := scoresOf(needs, offers, cands)
	if Benefit(needs, got, sc) <= Benefit(needs, g, sc) {
		t.Fatalf("optimal %d not above greedy %d", Benefit(needs, got, sc), Benefit(needs, g, sc))
	}
}

// One offer with room for one need, two needs scoring the same: the need
// in the more deprived area (decile 2) wins over decile 8.
func TestAssignDeprivationTieBreak(t *testing.T) {
	for _, order := range [][2]int{{2, 8}, {8, 2}} {
		needs := []Need{need(1, "goods", 5, order[0]), need(2, "goods", 5, order[1])}
		offers := []Offer{offer(10, "goods", 5)}
		got := Assign(needs, offers, []Candidate{{0, 0, 0.7}, {1, 0, 0.7}})
		winner := int64(1)
		if order[1] == 2 {
			winner = 2
		}
		if len(got) != 1 || got[0].NeedID != winner || got[0].Quantity != 5 {
			t.Fatalf("deciles %v: %+v", order, got)
		}
	}
}

// Capacities: an offer of 15 hours split between needs of 10 and 10.
func TestAssignRespectsCapacity(t *testing.T) {
	needs := []Need{need(1, "volunteers", 10, 3), need(2, "volunteers", 10, 4)}
	offers := []Offer{offer(10, "volunteers", 15)}
	got := Assign(needs, offers, []Candidate{{0, 0, 0.6}, {1, 0, 0.6}})
	total := int64(0)
	for _, a := range got {
		total += a.Quantity
	}
	if total != 15 || got[0].NeedID != 1 || got[0].Quantity != 10 {
		t.Fatalf("%+v", got)
	}
}

// Property: on random instances the assignment never exceeds a need's or
// an offer's remaining amount, and its benefit is at least greedy's.
func TestAssignProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 7))
	for trial := range 300 {
		nn, no := 1+r.IntN(12), 1+r.IntN(12)
		var needs []Need
		var offers []Offer
		for i := range nn {
			needs = append(needs, need(int64(i+1), "volunteers", int64(1+r.IntN(20)), r.IntN(11)))
		}
		for j := range no {
			offers = append(offers, offer(int64(100+j), "volunteers", int64(1+r.IntN(30))))
		}
		var cands []Candidate
		for i := range needs {
			for j := range offers {
				if r.IntN(3) > 0 {
					cands = append(cands, Candidate{i, j, float64(r.IntN(100)) / 100})
				}
			}
		}
		got := Assign(needs, offers, cands)
		usedN, usedO := map[int64]int64{}, map[int64]int64{}
		for _, a := range got {
			if a.Quantity <= 0 {
				t.Fatalf("trial %d: non-positive quantity %+v", trial, a)
			}
			usedN[a.NeedID] += a.Quantity
			usedO[a.OfferID] += a.Quantity
		}
		for _, n := range needs {
			if usedN[n.ID] > n.Remaining {
				t.Fatalf("trial %d: need %d given %d of %d", trial, n.ID, usedN[n.ID], n.Remaining)
			}
		}
		for _, o := range offers {
			if usedO[o.ID] > o.Remaining {
				t.Fatalf("trial %d: offer %d gave %d of %d", trial, o.ID, usedO[o.ID], o.Remaining)
			}
		}
		sc := scoresOf(needs, offers, cands)
		if opt, gr := Benefit(needs, got, sc), Benefit(needs, Greedy(needs, offers, cands), sc); opt < gr {
			t.Fatalf("trial %d: optimal %d below greedy %d", trial, opt, gr)
		}
	}
}

func TestScoreExplains(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	g := Geo{Centroids: map[string][2]float64{"E08000003": {-2.23, 53.46}, "E08000009": {-2.35, 53.42}}}
	n := Need{ID: 1, Kind: "expertise", Priorities: []string{"P3", "P4"}, Area: "E08000003", DistrictCode: "E08000003", Size: 20, Remaining: 20}
	o := Offer{ID: 2, Kind: "expertise", Priorities: []string{"P4"}, Area: "E08000009", DistrictCode: "E08000009", Capacity: 10, Remaining: 10}
	s := ScoreOf(n, o, map[string]float64{"P3": 0.3, "P4": 0.1}, g, now)
	if !s.Compatible() || len(s.Parts) != 4 {
		t.Fatalf("%+v", s)
	}
	if p := s.Parts[0]; p.Value != 0.25 {
		t.Errorf("priorities: %v (%s)", p.Value, p.Why)
	}
	if c := s.Parts[3]; c.Value != 0.5 {
		t.Errorf("capacity: %v", c.Value)
	}
	if pl := s.Parts[1]; pl.Value <= 0 || pl.Value >= 0.8 {
		t.Errorf("place across districts: %v (%s)", pl.Value, pl.Why)
	}
	if q, ok := quickScore(n, o, map[string]float64{"P3": 0.3, "P4": 0.1}, g); !ok || q != s.Total {
		t.Errorf("quick score %v, full %v", q, s.Total)
	}
	o.Kind = "funding"
	if s := ScoreOf(n, o, nil, g, now); s.Compatible() || s.Reason == "" {
		t.Errorf("different kinds matched: %+v", s)
	}
}
