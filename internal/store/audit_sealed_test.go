package store_test

import (
	"context"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// Bid events on sealed tenders are left out of the audit listing except for
// the user who made them; other events, and other tenders' bid events, stay.
func TestListAuditSealedTenders(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		bidder, other := auth.Actor{User: &auth.User{ID: 0, Email: "bidder@example.org"}}, auth.Actor{}
		for _, e := range []struct {
			a           auth.Actor
			action, obj string
		}{{bidder, "bid.submit", "7"}, {bidder, "bid.submit", "8"}, {other, "tender.publish", "7"}, {other, "bid.view", "7"}} {
			if err := s.RecordRefusal(ctx, e.a, e.action, "tender", e.obj, "test"); err != nil {
				t.Fatal(err)
			}
		}
		count := func(f store.AuditFilter) (n7, n8, all int) {
			f.Limit = 100
			es, err := s.ListAudit(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				if e.ObjectType == "tender" && e.ObjectID == "7" && e.Action != "tender.publish.refused" {
					n7++
				}
				if e.ObjectID == "8" {
					n8++
				}
			}
			return n7, n8, len(es)
		}
		if n7, n8, _ := count(store.AuditFilter{}); n7 != 2 || n8 != 1 {
			t.Fatalf("unfiltered: %d bid events on 7, %d on 8", n7, n8)
		}
		if n7, n8, all := count(store.AuditFilter{SealedTenders: []int64{7, 9}, Viewer: 42}); n7 != 0 || n8 != 1 || all != 2 {
			t.Errorf("sealed 7 for another viewer: %d bid events on 7, %d on 8, %d in all", n7, n8, all)
		}
	})
}
