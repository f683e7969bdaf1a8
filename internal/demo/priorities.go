package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
)

// seedRounds adds a published round with 240 illustrative ballots (so every
// page of People's Priorities has something to show) and an open round.
func seedRounds(ctx context.Context, s *store.Store, sys auth.Actor, frameworkID int64, districts map[string][]string) error {
	f, err := s.Framework(ctx, frameworkID)
	if err != nil {
		return err
	}
	now := time.Now()
	var ps []priorities.RoundPriority
	for _, p := range f.Priorities {
		ps = append(ps, priorities.RoundPriority{ID: p.ID, Code: p.Code, Title: p.Title})
	}
	pub := priorities.Round{Title: "Greater Manchester People's Priorities (demonstration)", FrameworkID: frameworkID, Priorities: ps,
		Explanation: "Demonstration data: these 240 ballots were generated, not cast by real people.\nSplit 100 points between the six priorities of the Greater Manchester Social Value Framework.",
		OpensAt:     now.Add(-60 * 24 * time.Hour), ClosesAt: now.Add(time.Hour)}
	id, err := s.CreateRound(ctx, sys, pub)
	if err != nil {
		return fmt.Errorf("seed round: %w", err)
	}
	if err := s.MoveRound(ctx, sys, id, priorities.Open, now); err != nil {
		return err
	}
	// Illustrative preferences: each ballot leans towards one or two
	// priorities, more often jobs and skills in the more deprived areas.
	r := rand.New(rand.NewPCG(2020, 6))
	codes := []string{}
	for code := range districts {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for i := range 240 {
		d := codes[i%len(codes)]
		pcs := districts[d]
		if len(pcs) == 0 {
			continue
		}
		place, err := s.ResolvePostcode(ctx, pcs[(i*13)%len(pcs)])
		if err != nil {
			return err
		}
		w := make([]float64, len(ps))
		for j := range w {
			w[j] = 1 + r.Float64()*2
		}
		w[r.IntN(len(ps))] += 6
		if place.IMDDecile > 0 && place.IMDDecile <= 3 {
			w[2] += 4 // employment and skills
		}
		if r.IntN(3) == 0 {
			w[1] += 4 // clean air
		}
		pts := toPoints(w)
		b := store.Ballot{RoundID: id, VoterKey: fmt.Sprintf("demo:%d", i), Channel: priorities.Online, Postcode: place.Postcode, DistrictCode: place.DistrictCode,
			WardCode: place.WardCode, IMDDecile: place.IMDDecile, Points: map[int64]int{}}
		if i%4 == 0 {
			b.Channel = priorities.Workshop
		}
		for j, p := range ps {
			b.Points[p.ID] = pts[j]
		}
		if _, err := s.SubmitBallot(ctx, sys, b, now); err != nil {
			return fmt.Errorf("seed ballot: %w", err)
		}
	}
	if err := s.MoveRound(ctx, sys, id, priorities.Closed, now); err != nil {
		return err
	}
	round, err := s.Round(ctx, id)
	if err != nil {
		return err
	}
	recs, err := s.RoundRecords(ctx, id)
	if err != nil {
		return err
	}
	names := map[string]string{}
	ds, err := s.Districts(ctx)
	if err != nil {
		return err
	}
	for _, d := range ds {
		names[d.Code] = d.Name
	}
	doc, export, err := priorities.Publication(round, recs, names)
	if err != nil {
		return err
	}
	if _, err := s.PublishDocument(ctx, sys, doc, export, now); err != nil {
		return err
	}

	open := priorities.Round{Title: "Trafford: what should social value do in your area?", FrameworkID: frameworkID, Priorities: ps, ScopeDistrict: "E08000009",
		Explanation: "Trafford Council will use the result to weigh social value in its tenders next year. Split 100 points between the six priorities.",
		OpensAt:     now.Add(-time.Hour), ClosesAt: now.Add(30 * 24 * time.Hour)}
	oid, err := s.CreateRound(ctx, sys, open)
	if err != nil {
		return err
	}
	return s.MoveRound(ctx, sys, oid, priorities.Open, now)
}

// toPoints turns weights into whole points summing to 100 (largest
// remainders get the spare points).
func toPoints(w []float64) []int {
	total := 0.0
	for _, v := range w {
		total += v
	}
	pts := make([]int, len(w))
	rem := make([]float64, len(w))
	used := 0
	for j, v := range w {
		x := v / total * 100
		pts[j] = int(x)
		rem[j] = x - float64(pts[j])
		used += pts[j]
	}
	for used < 100 {
		best := 0
		for j := range rem {
			if rem[j] > rem[best] {
				best = j
			}
		}
		pts[best]++
		rem[best] = -1
		used++
	}
	return pts
}
