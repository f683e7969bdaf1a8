package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	hubs "github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestResourcesKeptUntilWritten: /resources, whose search form and
// published list are rendered once per search and kept, is byte for byte
// what a node that has kept nothing serves, on two nodes sharing one
// database, for several searches and every kind of reader, after a
// resource is written, published and its organisation renamed; the
// moderator's list awaiting review is never kept. Both engines.
func TestResourcesKeptUntilWritten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		h := newHubOn(t, s)
		node2 := h.nodeServer(t, h.now)
		readers := map[string]*http.Client{"anonymous": h.client(t), "resident": h.signedIn(t, "resident@example.org"), "admin": h.signedIn(t, "admin@example.org")}
		paths := []string{"/resources?bench=1", "/resources?q=library+probe&bench=1", "/resources?kind=guide&sector=vcse&bench=1", "/resources?priority=P1&q=&bench=1"}
		same := func(step string, want ...string) {
			t.Helper()
			h.sameAsFreshNode(t, step, readers, []string{h.URL, node2.URL}, paths)
			_, body := get(t, readers["anonymous"], node2.URL+paths[1])
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: /resources lacks %q", step, w)
				}
			}
		}
		same("demo")
		admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		org, err := s.OrganisationBySlug(ctx, "trafford-deaf-centre")
		if err != nil {
			t.Fatal(err)
		}
		id, err := s.CreateResource(ctx, admin, hubs.Resource{OrgID: org.ID, Title: "Library probe guide", Kind: "guide", Sectors: []string{"vcse"}, Summary: "A probe", Body: "Probe body"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MoveResource(ctx, admin, id, hubs.ResReview, time.Now()); err != nil {
			t.Fatal(err)
		}
		same("a resource awaiting review")
		if _, body := get(t, readers["admin"], h.URL+"/resources?bench=1"); !strings.Contains(body, "Awaiting review") || !strings.Contains(body, "Library probe guide") {
			t.Error("the moderator does not see the resource awaiting review")
		}
		if _, body := get(t, readers["anonymous"], h.URL+"/resources?bench=1"); strings.Contains(body, "Library probe guide") {
			t.Error("a visitor sees a resource awaiting review")
		}
		if err := s.MoveResource(ctx, admin, id, hubs.ResPublished, time.Now()); err != nil {
			t.Fatal(err)
		}
		same("a published resource", "Library probe guide", ">1 resource<")
		org.LegalName = "Library Probe Deaf Centre"
		if err := s.UpdateOrganisation(ctx, admin, org); err != nil {
			t.Fatal(err)
		}
		same("a renamed organisation", "Library Probe Deaf Centre")
	})
}
