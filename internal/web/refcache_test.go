package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestPrioritiesKeptUntilTheyChange: the priorities the hub's filters list
// are kept between requests, and a new edition written to the database is
// on the very next page of every node (two servers with their own caches on
// one database), on both engines.
func TestPrioritiesKeptUntilTheyChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHubOn(t, s)
		node2 := h.nodeServer(t, h.now)
		c := h.client(t)
		const old = "Provide the best employment that you can"
		check := func(want, notWant string) {
			t.Helper()
			for _, node := range []string{h.URL, node2.URL} {
				for _, path := range []string{"/network", "/resources"} {
					res, body := get(t, c, node+path)
					if res.StatusCode != 200 || !strings.Contains(body, want) || notWant != "" && strings.Contains(body, notWant) {
						t.Errorf("%s%s: %d, want %q listed and %q not", node, path, res.StatusCode, want, notWant)
					}
				}
			}
		}
		check(old, "")
		check(old, "") // now from the cache
		admin := auth.Actor{User: &auth.User{Email: "test"}}
		for i, title := range []string{"Good jobs for Greater Manchester", "Good jobs, second wording"} {
			f := framework.GM2020()
			f.Edition = f.Edition + " revision " + string(rune('a'+i))
			f.Priorities[0].Title = title
			f.Status = framework.Published
			if _, err := h.store.CreateFramework(context.Background(), admin, f); err != nil {
				t.Fatal(err)
			}
			check(title, old)
		}
	})
}
