package store_test

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func TestResourceSearchOnBothEngines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		now := time.Now()
		add := func(title, kind, sector, summary, body string) int64 {
			id, err := s.CreateResource(ctx, admin, hub.Resource{Title: title, Kind: kind, Sectors: []string{sector}, Priorities: []string{"P3"}, Summary: summary, Body: body}, now)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.MoveResource(ctx, admin, id, hub.ResReview, now); err != nil {
				t.Fatal(err)
			}
			return id
		}
		a := add("Measuring apprenticeships", "guidance", "private", "How to count apprenticeship weeks", "Count weeks, not starts.")
		b := add("Writing a social value answer", "training", "vcse", "A short module", "Answer the question asked; give evidence of apprenticeships you created.")
		add("Carbon reduction plans", "template", "public", "A template", "Scope 1, 2 and 3 emissions.")
		if err := s.MoveResource(ctx, admin, a, hub.ResPublished, now); err != nil {
			t.Fatal(err)
		}
		got, err := s.SearchResources(ctx, store.ResourceFilter{Query: "apprentice"})
		if err != nil || len(got) != 2 || got[0].ID != a {
			t.Fatalf("search: %v %+v", err, got)
		}
		if got, _ := s.SearchResources(ctx, store.ResourceFilter{Query: "apprenticeships", Status: hub.ResPublished}); len(got) != 1 || got[0].ID != a {
			t.Fatalf("published only: %+v", got)
		}
		if got, _ := s.SearchResources(ctx, store.ResourceFilter{Query: "apprenticeships", Kind: "training", Sector: "vcse"}); len(got) != 1 || got[0].ID != b {
			t.Fatalf("filters: %+v", got)
		}
		// Punctuation and operators in what people type are just words.
		for _, q := range []string{`"`, `AND OR NOT`, `carbon)`, `*`, `title:x`, `'; DROP TABLE resources; --`} {
			if _, err := s.SearchResources(ctx, store.ResourceFilter{Query: q}); err != nil {
				t.Errorf("query %q: %v", q, err)
			}
		}
		if err := s.MarkCompleted(ctx, admin, b, now); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkCompleted(ctx, admin, b, now); err != nil {
			t.Fatal(err)
		}
		if r, _ := s.Resource(ctx, b); r.Completions != 1 {
			t.Fatalf("completions: %d", r.Completions)
		}
	})
}
