package app

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// Two nodes schedule the day's Companies House searches: each buyer with
// spend gets one job a day, the next day another; a job queued before the
// key was removed does nothing. Both engines.
func TestCompaniesHouseScheduledOncePerBuyerPerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		var buyers []int64
		for _, name := range []string{"Council A", "Council B", "Council C"} {
			o, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: name}, 0)
			if err != nil {
				t.Fatal(err)
			}
			buyers = append(buyers, o.ID)
		}
		for _, b := range buyers[:2] { // the third has no spend
			r, err := spend.Read(strings.NewReader("Date,Supplier,Amount\n01/04/2026,Zyxwv Widgets Ltd,100.00\n"), "s.csv", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ImportSpend(ctx, admin, b, r, "t"); err != nil {
				t.Fatal(err)
			}
		}
		day := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		node1, node2 := CompaniesHouse{Store: s}, CompaniesHouse{Store: s}
		for _, n := range []CompaniesHouse{node1, node2, node1} {
			if err := n.Schedule(ctx, day); err != nil {
				t.Fatal(err)
			}
		}
		claim := func() map[string]int {
			got := map[string]int{}
			for {
				j, ok, err := s.ClaimJob(ctx, "test", time.Now(), time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					return got
				}
				if j.Kind != store.CompaniesHouseJob {
					t.Fatalf("job %+v", j)
				}
				got[j.Payload]++
				// No key now: the job does nothing and succeeds.
				if err := node1.Handler()(ctx, j.Payload); err != nil {
					t.Fatal(err)
				}
				if err := s.FinishJob(ctx, j.ID, "test", nil, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		a, b := strconv.FormatInt(buyers[0], 10), strconv.FormatInt(buyers[1], 10)
		if got := claim(); len(got) != 2 || got[a] != 1 || got[b] != 1 {
			t.Fatalf("day one: %v", got)
		}
		if err := node2.Schedule(ctx, day.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := claim(); len(got) != 0 {
			t.Fatalf("the same day again: %v", got)
		}
		if err := node2.Schedule(ctx, day.AddDate(0, 0, 1)); err != nil {
			t.Fatal(err)
		}
		if got := claim(); len(got) != 2 {
			t.Fatalf("the next day: %v", got)
		}
		if err := node1.Handler()(ctx, "not a number"); err == nil {
			t.Fatal("a bad payload was accepted")
		}
	})
}
