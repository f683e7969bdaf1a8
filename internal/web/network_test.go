package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestNetworkPageKeptUntilWritten: /network and /network.json, whose
// content is rendered (encoded) once per filter and kept, are byte for
// byte what a node that has kept nothing serves, on two nodes sharing one database, for several filters (and a
// filter no district has) and every kind of reader, after a write to each
// of the three things it is read from: the network (a declared
// relationship, a renamed organisation), the priorities (a new edition
// renaming the priority offered as a filter) and the geography (a renamed
// district); on SQLite and PostgreSQL.
func TestNetworkPageKeptUntilWritten(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		h := newHubOn(t, s)
		node2 := h.nodeServer(t, h.now)
		readers := map[string]*http.Client{"anonymous": h.client(t), "resident": h.signedIn(t, "resident@example.org"), "buyer": h.signedIn(t, "buyer@example.org")}
		paths := []string{"/network?bench=1", "/network?kind=partnership&bench=1", "/network?district=E08000009&bench=1", "/network?priority=P1&bench=1",
			"/network?district=E08000009&kind=contract&priority=P2&bench=1", "/network?district=nowhere&bench=1",
			"/network.json?bench=1", "/network.json?kind=partnership&bench=1", "/network.json?district=E08000009&priority=P1&bench=1"}
		same := func(step string, want ...string) {
			t.Helper()
			h.sameAsFreshNode(t, step, readers, []string{h.URL, node2.URL}, paths)
			_, body := get(t, readers["anonymous"], node2.URL+paths[0])
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: /network lacks %q", step, w)
				}
			}
		}
		same("demo")

		admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		buyer, err := h.store.OrganisationBySlug(ctx, "trafford-council")
		if err != nil {
			t.Fatal(err)
		}
		group, err := h.store.OrganisationBySlug(ctx, "trafford-deaf-centre")
		if err != nil {
			t.Fatal(err)
		}
		if err := h.store.DeclareRelationship(ctx, admin, buyer.ID, group.ID, "partnership", "2024-06-01", time.Now()); err != nil {
			t.Fatal(err)
		}
		same("a declared relationship", `partnership</td><td class="govuk-table__cell">1 June 2024`)
		buyer.LegalName = "Network Probe Borough Council"
		if err := h.store.UpdateOrganisation(ctx, admin, buyer); err != nil {
			t.Fatal(err)
		}
		same("a renamed organisation", "Network Probe Borough Council")

		// The priorities offered are the edition of the newest published
		// round's framework; a new edition of it renames one.
		rounds, err := h.store.ListRounds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var from int64
		for _, rd := range rounds { // newest first
			if rd.Status == priorities.Published {
				from = rd.FrameworkID
				break
			}
		}
		if from == 0 {
			t.Fatal("the demo has no published round")
		}
		draft, err := h.store.NewDraftEdition(ctx, admin, from, "network probe")
		if err != nil {
			t.Fatal(err)
		}
		ps, err := h.store.FrameworkPriorities(ctx, draft)
		if err != nil || len(ps) == 0 {
			t.Fatalf("draft priorities: %d, %v", len(ps), err)
		}
		if err := h.store.UpdatePriorityText(ctx, admin, draft, ps[0].ID, "Network probe priority", ps[0].Description); err != nil {
			t.Fatal(err)
		}
		if err := h.store.PublishFramework(ctx, admin, draft); err != nil {
			t.Fatal(err)
		}
		same("a new edition renaming a priority", `>Network probe priority</option>`)

		ref, err := geo.Load(geo.ShippedFS())
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range ref.Districts {
			if d.Code == "E08000009" {
				ref.Districts[i].Name = "Network Probe District"
			}
		}
		if err := h.store.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		same("a renamed district", `<option value="E08000009">Network Probe District</option>`)
	})
}
