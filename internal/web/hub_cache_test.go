package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	hubpkg "github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestHubListsKeptUntilTheyChange: the /hub page's lists are kept between
// requests under the hub's generation, and a need posted and opened, an
// organisation renamed or a need withdrawn is on the very next page of every
// node (two servers with their own caches on one database), for visitors
// and signed-in people, with and without filters, on both engines.
func TestHubListsKeptUntilTheyChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := newHubOn(t, s)
		ctx := context.Background()
		node2 := h.nodeServer(t, h.now)
		anon, resident := h.client(t), h.signedIn(t, "resident@example.org")
		check := func(path, want, notWant string) {
			t.Helper()
			for _, node := range []string{h.URL, node2.URL} {
				for who, c := range map[string]*http.Client{"visitor": anon, "resident": resident} {
					res, body := get(t, c, node+path)
					if res.StatusCode != 200 || want != "" && !strings.Contains(body, want) || notWant != "" && strings.Contains(body, notWant) {
						t.Errorf("%s%s as %s: %d, want %q listed and %q not", node, path, who, res.StatusCode, want, notWant)
					}
				}
			}
		}
		const title = "Gardeners for the allotment"
		check("/hub", "Other open needs", title)
		check("/hub?kind=volunteers", "", title)
		admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		group, err := s.OrganisationBySlug(ctx, "moss-side-community-kitchen")
		if err != nil {
			t.Fatal(err)
		}
		id, err := s.CreateNeed(ctx, admin, hubpkg.Need{OrgID: group.ID, Title: title, Kind: "volunteers", Priorities: []string{"P4"}, Size: 6, Contact: "call us"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		check("/hub", "", title) // pending: not listed yet
		if err := s.MoveNeed(ctx, admin, id, hubpkg.Open, time.Now()); err != nil {
			t.Fatal(err)
		}
		check("/hub", title, "")
		check("/hub?kind=volunteers", title, "")
		check("/hub?kind=goods", "", title)
		group.LegalName = "Moss Side Kitchen Renamed CIC"
		if err := s.UpdateOrganisation(ctx, admin, group); err != nil {
			t.Fatal(err)
		}
		check("/hub?kind=volunteers", "Moss Side Kitchen Renamed CIC", "")
		if err := s.MoveNeed(ctx, admin, id, hubpkg.Withdrawn, time.Now()); err != nil {
			t.Fatal(err)
		}
		check("/hub", "", title)
		check("/hub?kind=volunteers", "", title)
	})
}
