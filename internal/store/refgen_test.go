package store_test

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestReferenceGenerationBumpedByEveryWrite: the priorities generation
// rises with each write to frameworks, priorities and rounds (in the
// write's transaction, by trigger), stays put across reads and unrelated
// writes, and a failed write leaves it unchanged.
func TestReferenceGenerationBumpedByEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		gen := func() int64 {
			t.Helper()
			g, err := s.ReferenceGeneration(ctx, store.RefPriorities)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		last := gen()
		step := func(what string, moved bool) {
			t.Helper()
			g := gen()
			if moved && g <= last {
				t.Errorf("%s: generation %d, not above %d", what, g, last)
			}
			if !moved && g != last {
				t.Errorf("%s: generation moved from %d to %d", what, last, g)
			}
			last = g
		}
		step("nothing written", false)
		f := framework.GM2020()
		fid, err := s.CreateFramework(ctx, admin, f)
		if err != nil {
			t.Fatal(err)
		}
		step("framework created", true)
		full, err := s.Framework(ctx, fid)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ListFrameworks(ctx); err != nil {
			t.Fatal(err)
		}
		step("framework read", false)
		if err := s.UpdatePriorityText(ctx, admin, fid, full.Priorities[0].ID, "Good jobs, renamed", "New words"); err != nil {
			t.Fatal(err)
		}
		step("priority renamed", true)
		if err := s.UpdatePriorityText(ctx, admin, fid, 999999, "No such priority", "x"); err == nil {
			t.Fatal("renaming a missing priority worked")
		}
		step("failed rename", false)
		if err := s.PublishFramework(ctx, admin, fid); err != nil {
			t.Fatal(err)
		}
		step("framework published", true)
		mkUser(t, s, "someone@example.org", false)
		step("unrelated write", false)
		r := priorities.Round{Title: "What matters", Explanation: "Tell us", FrameworkID: fid, OpensAt: time.Now().Add(-time.Hour), ClosesAt: time.Now().Add(time.Hour)}
		for _, p := range full.Priorities {
			r.Priorities = append(r.Priorities, priorities.RoundPriority{ID: p.ID, Code: p.Code, Title: p.Title})
		}
		id, err := s.CreateRound(ctx, admin, r)
		if err != nil {
			t.Fatal(err)
		}
		step("round created", true)
		if err := s.MoveRound(ctx, admin, id, priorities.Open, time.Now()); err != nil {
			t.Fatal(err)
		}
		step("round opened", true)
		if _, err := s.ReferenceGeneration(ctx, "no such data"); err == nil {
			t.Error("an unknown kind of reference data has a generation")
		}
	})
}
