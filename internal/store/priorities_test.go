package store_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// newRound makes an open round over the GM framework's six priorities.
func newRound(t *testing.T, s *store.Store, admin auth.Actor) priorities.Round {
	t.Helper()
	f := framework.GM2020()
	f.Status = framework.Published
	fid, err := s.CreateFramework(ctx, admin, f)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := s.Framework(ctx, fid)
	r := priorities.Round{Title: "What matters", Explanation: "Tell us", FrameworkID: fid, OpensAt: time.Now().Add(-time.Hour), ClosesAt: time.Now().Add(time.Hour)}
	for _, p := range full.Priorities {
		r.Priorities = append(r.Priorities, priorities.RoundPriority{ID: p.ID, Code: p.Code, Title: p.Title})
	}
	id, err := s.CreateRound(ctx, admin, r)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MoveRound(ctx, admin, id, priorities.Open, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := s.Round(ctx, id)
	if err != nil || len(got.Priorities) != 6 || got.Status != priorities.Open {
		t.Fatalf("round: %v %+v", err, got)
	}
	return got
}

func points(r priorities.Round, pts ...int) map[int64]int {
	m := map[int64]int{}
	for i, p := range r.Priorities {
		m[p.ID] = pts[i]
	}
	return m
}

func TestBallotsAndPublishing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		voter := mkUser(t, s, "voter@example.org", false)
		r := newRound(t, s, admin)
		now := time.Now()
		b := store.Ballot{RoundID: r.ID, VoterKey: "user:1", Channel: priorities.Online, DistrictCode: "", Points: points(r, 50, 10, 10, 10, 10, 10)}
		if replaced, err := s.SubmitBallot(ctx, voter, b, now); err != nil || replaced {
			t.Fatalf("first ballot: %v %v", replaced, err)
		}
		b.Points = points(r, 0, 0, 0, 0, 0, 100)
		b.Comment = "Clean air for my kids"
		if replaced, err := s.SubmitBallot(ctx, voter, b, now); err != nil || !replaced {
			t.Fatalf("second ballot should replace: %v %v", replaced, err)
		}
		cb, err := s.CurrentBallot(ctx, r.ID, "user:1")
		if err != nil || cb == nil || cb.Points[r.Priorities[5].ID] != 100 || cb.Comment != "Clean air for my kids" || cb.Answers != nil {
			t.Fatalf("current ballot: %+v %v", cb, err)
		}
		// Answers given with consent are kept, and replaced with the ballot.
		b.Answers = priorities.Demographics{"age_band": "25-34", "ethnicity": "white"}
		if _, err := s.SubmitBallot(ctx, voter, b, now); err != nil {
			t.Fatal(err)
		}
		if cb, _ := s.CurrentBallot(ctx, r.ID, "user:1"); cb.Answers["age_band"] != "25-34" || cb.Answers["disability"] != "" {
			t.Fatalf("answers: %+v", cb.Answers)
		}
		if recs, _ := s.RoundRecords(ctx, r.ID); len(recs) != 1 || recs[0].Answers["ethnicity"] != "white" {
			t.Fatalf("records lack answers: %+v", recs)
		}
		b.Answers = nil
		if _, err := s.SubmitBallot(ctx, voter, b, now); err != nil {
			t.Fatal(err)
		}
		if cb, _ := s.CurrentBallot(ctx, r.ID, "user:1"); cb.Answers != nil {
			t.Fatal("answers outlived withdrawn consent")
		}
		// Concurrent submissions by one voter leave exactly one ballot.
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				c := b
				c.VoterKey = "user:2"
				c.Points = points(r, 100-i, i, 0, 0, 0, 0)
				if _, err := s.SubmitBallot(ctx, voter, c, now); err != nil {
					t.Error(err)
				}
			}(i)
		}
		wg.Wait()
		recs, err := s.RoundRecords(ctx, r.ID)
		if err != nil || len(recs) != 2 {
			t.Fatalf("records after concurrent submissions: %d %v", len(recs), err)
		}
		for _, rec := range recs {
			if len(rec.Points) != 6 || rec.Points[0]+rec.Points[1]+rec.Points[5] != 100 {
				t.Fatalf("record %+v", rec)
			}
		}
		// Paper ballots: single-use codes; a file with bad rows is rejected whole.
		org, err := s.CreateOrganisation(ctx, admin, orgsVCSE("Workshop Group"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateCodes(ctx, admin, r.ID, org.ID, []string{"h1", "h2", "h3"}); err != nil {
			t.Fatal(err)
		}
		paper := func(code string, line int) store.Ballot {
			return store.Ballot{RoundID: r.ID, VoterKey: "code:" + code, CodeHash: code, Channel: priorities.Workshop, WorkshopOrgID: org.ID, Points: points(r, 20, 20, 20, 20, 10, 10), Line: line}
		}
		err = s.SubmitPaperBallots(ctx, admin, "paper.csv", []store.Ballot{paper("h1", 2), paper("nope", 3), paper("h1", 4)}, now)
		var fe *problem.FileErrors
		if !errors.As(err, &fe) || len(fe.Lines) != 2 || fe.Lines[0].Line != 3 || fe.Lines[1].Line != 4 {
			t.Fatalf("bad paper file: %v", err)
		}
		if recs, _ := s.RoundRecords(ctx, r.ID); len(recs) != 2 {
			t.Fatalf("a rejected file left %d ballots", len(recs)-2)
		}
		if issued, used, _ := s.CodeCounts(ctx, r.ID, org.ID); issued != 3 || used != 0 {
			t.Fatalf("codes %d/%d after a rejected file", used, issued)
		}
		if err := s.SubmitPaperBallots(ctx, admin, "paper.csv", []store.Ballot{paper("h1", 2), paper("h2", 3)}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitBallot(ctx, admin, paper("h1", 0), now); err == nil {
			t.Fatal("a used code was accepted")
		}
		// Closing: no more ballots, with the reason.
		if err := s.MoveRound(ctx, admin, r.ID, priorities.Closed, now); err != nil {
			t.Fatal(err)
		}
		var closed store.ErrRoundClosed
		if _, err := s.SubmitBallot(ctx, voter, b, now.Add(time.Second)); !errors.As(err, &closed) || !strings.Contains(closed.Reason, "closed at") {
			t.Fatalf("ballot after close: %v", err)
		}
		if err := s.MoveRound(ctx, admin, r.ID, priorities.Open, now); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("reopened a closed round: %v", err)
		}
		id, err := s.PublishRound(ctx, admin, store.PeopleWeights{RoundID: r.ID, Method: priorities.IndependentMarkets, BallotCount: 4, Weights: `{}`, Results: `{}`, ExportCSV: "x", ExportSHA256: "y", PublishedAt: now})
		if err != nil || id == 0 {
			t.Fatal(err)
		}
		if _, err := s.PublishRound(ctx, admin, store.PeopleWeights{RoundID: r.ID, PublishedAt: now}); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("published twice: %v", err)
		}
		if pw, err := s.PublishedWeights(ctx, r.ID); err != nil || pw.ExportSHA256 != "y" {
			t.Fatalf("published weights: %v", err)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n < 10 {
			t.Fatalf("audit: %d %v", n, err)
		}
	})
}
