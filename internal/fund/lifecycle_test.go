package fund

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

func TestCheckEntry(t *testing.T) {
	for _, c := range []struct {
		e       Entry
		balance int64
		field   string // "" for accepted
		msg     string
	}{
		{Entry{Kind: Contribution, Pence: 1}, 0, "", ""},
		{Entry{Kind: Contribution, Pence: 0}, 500, "amount", "A contribution must be more than £0; record a reduction as a correction"},
		{Entry{Kind: Contribution, Pence: -100}, 500, "amount", "A contribution must be more than £0; record a reduction as a correction"},
		{Entry{Kind: Correction, Pence: -500}, 500, "", ""}, // exactly to zero
		{Entry{Kind: Correction, Pence: -501}, 500, "amount", "That would take the fund's balance below zero: the balance is £5"},
		{Entry{Kind: Correction, Pence: 0}, 500, "amount", "A correction must change the balance"},
		{Entry{Kind: Reservation, Pence: -1}, 500, "kind", "Choose contribution or correction"},
		{Entry{Kind: "", Pence: 1}, 500, "kind", "Choose contribution or correction"},
	} {
		err := CheckEntry(c.e, c.balance)
		if c.field == "" {
			if err != nil {
				t.Errorf("%+v on %d: %v", c.e, c.balance, err)
			}
			continue
		}
		if msg := fieldMessage(t, err, c.field); msg != c.msg {
			t.Errorf("%+v on %d: %q, want %q", c.e, c.balance, msg, c.msg)
		}
	}
}

func TestCheckReservation(t *testing.T) {
	r := Round{BudgetPence: 1000_00}
	if err := r.CheckReservation(1000_00); err != nil {
		t.Errorf("the whole balance: %v", err)
	}
	if msg := fieldMessage(t, r.CheckReservation(999_99), "budget"); msg != "The fund holds £999.99; a round cannot reserve more than that" {
		t.Errorf("over the balance: %q", msg)
	}
}

func TestCheckMove(t *testing.T) {
	for from, to := range map[string]string{PhaseProposals: PhaseReview, PhaseReview: PhaseVoting, PhaseVoting: PhaseClosed} {
		if err := (Round{Phase: from}).CheckMove(to, 0); err != nil {
			t.Errorf("%s → %s: %v", from, to, err)
		}
	}
	for _, c := range [][2]string{{PhaseClosed, PhasePublished}, {PhaseProposals, PhaseVoting}, {PhaseVoting, PhaseReview}, {PhasePublished, ""}, {PhaseReview, "nonsense"}} {
		err := (Round{Phase: c[0]}).CheckMove(c[1], 0)
		if !errors.Is(err, problem.ErrConflict) || !strings.Contains(err.Error(), "a round in "+c[0]+" cannot move to "+c[1]) {
			t.Errorf("%s → %s: %v", c[0], c[1], err)
		}
	}
	if msg := fieldMessage(t, (Round{Phase: PhaseReview}).CheckMove(PhaseVoting, 2), "phase"); msg != "2 proposal(s) still need an eligibility decision before voting can open" {
		t.Errorf("pending: %q", msg)
	}
	if err := (Round{Phase: PhaseVoting}).CheckMove(PhaseClosed, 2); err != nil {
		t.Errorf("pending proposals only hold voting back: %v", err)
	}
}

func TestCheckProposal(t *testing.T) {
	until := time.Date(2026, 2, 1, 17, 0, 0, 0, time.UTC)
	r := Round{Phase: PhaseProposals, ProposalsUntil: until}
	if err := r.CheckProposal(until.Add(-time.Second)); err != nil {
		t.Errorf("before the deadline: %v", err)
	}
	for _, c := range []struct {
		phase string
		now   time.Time
	}{{PhaseProposals, until}, {PhaseProposals, until.Add(time.Hour)}, {PhaseReview, until.Add(-time.Hour)}} {
		err := (Round{Phase: c.phase, ProposalsUntil: until}).CheckProposal(c.now)
		if !errors.Is(err, problem.ErrConflict) || !strings.Contains(err.Error(), "they closed at 1 February 2026 17:00") {
			t.Errorf("%s at %s: %v", c.phase, c.now, err)
		}
	}
}

func TestCheckReview(t *testing.T) {
	review := Round{Phase: PhaseReview}
	if err := review.CheckReview(Submitted, Eligible, ""); err != nil {
		t.Errorf("eligible: %v", err)
	}
	if err := review.CheckReview(Eligible, Ineligible, "Outside Greater Manchester"); err != nil {
		t.Errorf("a decision changed during review: %v", err)
	}
	if msg := fieldMessage(t, review.CheckReview(Submitted, Ineligible, ""), "reason"); msg != "Give the public reason the proposal is ineligible" {
		t.Errorf("no reason: %q", msg)
	}
	if msg := fieldMessage(t, review.CheckReview(Submitted, Withdrawn, ""), "status"); msg != "Choose eligible or ineligible" {
		t.Errorf("bad status: %q", msg)
	}
	if err := review.CheckReview(Withdrawn, Eligible, ""); !errors.Is(err, problem.ErrConflict) || !strings.Contains(err.Error(), "withdrawn") {
		t.Errorf("withdrawn: %v", err)
	}
	for _, ph := range []string{PhaseProposals, PhaseVoting, PhaseClosed, PhasePublished} {
		if err := (Round{Phase: ph}).CheckReview(Submitted, Eligible, ""); !errors.Is(err, problem.ErrConflict) {
			t.Errorf("review in %s: %v", ph, err)
		}
	}
}

func TestCheckWithdrawAndPublish(t *testing.T) {
	for _, ph := range Phases {
		err := (Round{Phase: ph}).CheckWithdraw()
		if allowed := ph == PhaseProposals || ph == PhaseReview; (err == nil) != allowed || (err != nil && !errors.Is(err, problem.ErrConflict)) {
			t.Errorf("withdraw in %s: %v", ph, err)
		}
	}
	closed := Round{Phase: PhaseClosed, BudgetPence: 500_00}
	if err := closed.CheckPublish(500_00); err != nil {
		t.Errorf("exactly the budget: %v", err)
	}
	if err := closed.CheckPublish(500_01); err == nil || !strings.Contains(err.Error(), "allocation of £500.01 exceeds the round's budget of £500") {
		t.Errorf("over the budget: %v", err)
	}
	if err := (Round{Phase: PhaseVoting, BudgetPence: 500_00}).CheckPublish(0); !errors.Is(err, problem.ErrConflict) {
		t.Errorf("publish while voting: %v", err)
	}
}
