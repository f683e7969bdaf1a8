package fund

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

func votingRound() Round {
	from := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return Round{ID: 7, Phase: PhaseVoting, Electorate: Residents, MaxApprovals: 2, VotingFrom: from, VotingUntil: from.Add(14 * 24 * time.Hour)}
}

// fieldMessage returns the message of an Invalid error's only field, or
// fails the test.
func fieldMessage(t *testing.T, err error, field string) string {
	t.Helper()
	var inv *problem.Invalid
	if !errors.As(err, &inv) || len(inv.Fields) != 1 || inv.Fields[0].Field != field {
		t.Fatalf("want one error on %q, got %v", field, err)
	}
	return inv.Fields[0].Message
}

func TestCheckBallot(t *testing.T) {
	r := votingRound()
	status := map[int64]string{1: Eligible, 2: Eligible, 3: Eligible, 4: Ineligible, 5: Withdrawn, 6: Submitted}
	inside := r.VotingFrom.Add(time.Hour)
	ok := func(b Ballot, now time.Time) {
		t.Helper()
		if err := r.CheckBallot(b, status, now); err != nil {
			t.Errorf("CheckBallot(%v at %s) = %v, want nil", b, now, err)
		}
	}
	ok(Ballot{Residents, []int64{1, 2}}, inside) // exactly at the cap
	ok(Ballot{Residents, []int64{1, 1, 2}}, inside)
	ok(Ballot{Residents, nil}, inside) // an empty ballot withdraws support
	ok(Ballot{Residents, []int64{3}}, r.VotingFrom)
	ok(Ballot{Residents, []int64{3}}, r.VotingUntil.Add(-time.Nanosecond))

	t.Run("window", func(t *testing.T) {
		for _, now := range []time.Time{r.VotingFrom.Add(-time.Second), r.VotingUntil, r.VotingUntil.Add(time.Hour)} {
			msg := fieldMessage(t, r.CheckBallot(Ballot{Residents, []int64{1}}, status, now), "proposals")
			if !strings.Contains(msg, "Voting is not open") || !strings.Contains(msg, "1 March 2026 09:00") || !strings.Contains(msg, "15 March 2026 09:00") {
				t.Errorf("at %s: %q", now, msg)
			}
		}
		closed := r
		closed.Phase = PhaseClosed
		fieldMessage(t, closed.CheckBallot(Ballot{Residents, []int64{1}}, status, inside), "proposals")
		review := r
		review.Phase = PhaseReview
		fieldMessage(t, review.CheckBallot(Ballot{Residents, []int64{1}}, status, inside), "proposals")
	})

	t.Run("electorate", func(t *testing.T) {
		err := r.CheckBallot(Ballot{Organisations, []int64{1}}, status, inside)
		if !errors.Is(err, problem.ErrForbidden) || !strings.Contains(err.Error(), "organisations do not vote") {
			t.Errorf("organisation in a residents' round: %v", err)
		}
		both := r
		both.Electorate = Both
		for _, c := range []string{Residents, Organisations} {
			if err := both.CheckBallot(Ballot{c, []int64{1}}, status, inside); err != nil {
				t.Errorf("%s in a round for both: %v", c, err)
			}
		}
	})

	t.Run("cap", func(t *testing.T) {
		msg := fieldMessage(t, r.CheckBallot(Ballot{Residents, []int64{1, 2, 3}}, status, inside), "proposals")
		if msg != "You can support at most 2 proposals in this round" {
			t.Errorf("over the cap: %q", msg)
		}
		uncapped := r
		uncapped.MaxApprovals = 0
		if err := uncapped.CheckBallot(Ballot{Residents, []int64{1, 2, 3}}, status, inside); err != nil {
			t.Errorf("no cap: %v", err)
		}
	})

	t.Run("eligibility", func(t *testing.T) {
		for _, id := range []int64{4, 5, 6, 99} { // ineligible, withdrawn, undecided, another round's
			msg := fieldMessage(t, r.CheckBallot(Ballot{Residents, []int64{1, id}}, status, inside), "proposals")
			if msg != "You can only support eligible proposals of this round" {
				t.Errorf("proposal %d: %q", id, msg)
			}
		}
	})
}
