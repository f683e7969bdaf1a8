package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/jobs"
	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// Two nodes schedule the same day's reminders and work the queue side by
// side: a bidder is reminded once, seven days before the deadline, and a
// supplier once, one day before a commitment is due.
func TestRemindersSentOncePerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u, err := s.CreateVerifiedUser(ctx, "test", auth.User{Email: "bidder@example.org", Name: "Bidder", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		admin := auth.Actor{User: &auth.User{ID: u.ID, Email: "test", IsAdmin: true}}
		firm, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		fw := framework.GM2020()
		fw.Status = framework.Published
		fid, _ := s.CreateFramework(ctx, admin, fw)
		full, _ := s.Framework(ctx, fid)
		measure := full.Priorities[3].Outcomes[0].Measures[0].ID
		key, _ := tenders.ParseKey(tenders.NewKey())
		sealer, _ := tenders.NewSealer(key)
		day := time.Date(2026, 12, 7, 0, 0, 0, 0, londonZone)
		now := day.Add(9 * time.Hour)
		mk := func(title string, deadline time.Time) int64 {
			id, err := s.CreateTender(ctx, admin, tenders.Tender{BuyerOrgID: council.ID, Title: title, Description: "d", ValuePence: 1, Deadline: deadline, WPrice: 40, WQuality: 40, WSV: 20,
				SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: fid}, sealer.NewTenderKey, now)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.MoveTender(ctx, admin, id, tenders.Published, now); err != nil {
				t.Fatal(err)
			}
			wrapped, _ := s.TenderKey(ctx, id)
			canon := tenders.BidContent{PricePence: 1}.Canonical()
			if _, err := s.SubmitBid(ctx, admin, id, firm.ID, tenders.Digest(canon), func(v int) ([]byte, error) { return sealer.SealBid(id, wrapped, firm.ID, v, canon) }, nil, now); err != nil {
				t.Fatal(err)
			}
			return id
		}
		mk("Parks in a week", day.AddDate(0, 0, 7).Add(12*time.Hour))
		mk("Roads in three weeks", day.AddDate(0, 0, 21).Add(12*time.Hour))
		done := mk("Done", day.Add(10*time.Hour))
		_ = s.AssignEvaluators(ctx, admin, done, []int64{u.ID}, day.Add(11*time.Hour))
		_ = s.SubmitMarks(ctx, admin, done, nil, day.Add(11*time.Hour))
		if err := s.Moderate(ctx, admin, done, nil, day.Add(11*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AwardTender(ctx, admin, store.Award{TenderID: done, SupplierID: firm.ID, ValuePence: 1, Evaluation: "{}", Rationale: "r", StandstillEnd: "2026-12-01"},
			contracts.Contract{BuyerOrgID: council.ID, Title: "Done", Start: "2026-01-01", End: "2027-06-30"}, []contracts.Commitment{{MeasureID: measure, QuantityMilli: 1000, Due: "2026-12-08"}}, day.Add(12*time.Hour)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		nodes := make([]*jobs.Runner, 2)
		for i := range nodes {
			x := Reminders{Store: s, Mailer: mail.Outbox{Store: s}, BaseURL: "https://hub.example"}
			nodes[i] = &jobs.Runner{Store: s, Worker: string(rune('A' + i)), Lease: time.Minute, MaxAttempts: 3, Handlers: map[string]jobs.Handler{ReminderJob: x.Handler()}}
			wg.Go(func() {
				if _, err := x.Schedule(ctx, now); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, r := range nodes {
			wg.Go(func() {
				for {
					found, err := r.RunOnce(ctx)
					if err != nil {
						t.Error(err)
					}
					if !found || err != nil {
						return
					}
				}
			})
		}
		wg.Wait()
		msgs, err := s.ListOutbox(ctx, "bidder@example.org", 10)
		if err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, m := range msgs {
			subjects = append(subjects, m.Subject)
		}
		all := strings.Join(subjects, " | ")
		if len(msgs) != 2 || !strings.Contains(all, "Parks in a week closes in 7 days") || !strings.Contains(all, "Social value on Done is due in 1 day") || strings.Contains(all, "Roads") {
			t.Fatalf("reminders: %s", all)
		}
	})
}
