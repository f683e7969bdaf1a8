package fund

import (
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// The rules of the fund's ledger and of a round's life. Each is pure: the
// store reads what it needs in the transaction that makes the change
// (after taking the fund lock where the balance matters) and calls the
// rule before writing.

// CheckEntry applies the ledger's rules to a contribution or correction,
// given the balance before it: a contribution adds more than £0, a
// correction changes the balance, and nothing takes the balance below zero.
func CheckEntry(e Entry, balance int64) error {
	switch e.Kind {
	case Contribution:
		if e.Pence <= 0 {
			return problem.Field("amount", "A contribution must be more than £0; record a reduction as a correction")
		}
	case Correction:
		if e.Pence == 0 {
			return problem.Field("amount", "A correction must change the balance")
		}
	default:
		return problem.Field("kind", "Choose contribution or correction")
	}
	if balance+e.Pence < 0 {
		return problem.Field("amount", "That would take the fund's balance below zero: the balance is %s", Pounds(balance))
	}
	return nil
}

// CheckReservation reports whether a new round may reserve its budget
// from a fund holding balance.
func (r Round) CheckReservation(balance int64) error {
	if r.BudgetPence > balance {
		return problem.Field("budget", "The fund holds %s; a round cannot reserve more than that", Pounds(balance))
	}
	return nil
}

// CheckMove reports whether the round may move to phase to: only to its
// next phase, never to published (publication has its own step) nor on
// from published, and into voting only once no proposal (pending counts
// them) awaits a decision.
func (r Round) CheckMove(to string, pending int) error {
	if to == "" || NextPhase(r.Phase) != to || to == PhasePublished {
		return fmt.Errorf("a round in %s cannot move to %s: %w", r.Phase, to, problem.ErrConflict)
	}
	if to == PhaseVoting && pending > 0 {
		return problem.Field("phase", "%d proposal(s) still need an eligibility decision before voting can open", pending)
	}
	return nil
}

// CheckProposal reports whether the round takes a proposal at now: in its
// proposals phase and before ProposalsUntil.
func (r Round) CheckProposal(now time.Time) error {
	if r.Phase != PhaseProposals || !now.Before(r.ProposalsUntil) {
		return fmt.Errorf("this round no longer takes proposals (they closed at %s): %w", r.ProposalsUntil.Format("2 January 2006 15:04"), problem.ErrConflict)
	}
	return nil
}

// CheckReview reports whether a proposal whose status is current may be
// decided status (eligible, or ineligible with a public reason): only
// during the round's review phase, and not once withdrawn.
func (r Round) CheckReview(current, status, reason string) error {
	if status != Eligible && status != Ineligible {
		return problem.Field("status", "Choose eligible or ineligible")
	}
	if status == Ineligible && reason == "" {
		return problem.Field("reason", "Give the public reason the proposal is ineligible")
	}
	if r.Phase != PhaseReview {
		return fmt.Errorf("eligibility is decided during the review phase: %w", problem.ErrConflict)
	}
	if current == Withdrawn {
		return fmt.Errorf("the proposal was withdrawn: %w", problem.ErrConflict)
	}
	return nil
}

// CheckWithdraw reports whether the round's proposals may be withdrawn:
// only before voting opens.
func (r Round) CheckWithdraw() error {
	if r.Phase != PhaseProposals && r.Phase != PhaseReview {
		return fmt.Errorf("proposals can be withdrawn only before voting opens: %w", problem.ErrConflict)
	}
	return nil
}

// CheckPublish reports whether the round may publish an allocation of
// totalPence: once voting is closed, and within its budget.
func (r Round) CheckPublish(totalPence int64) error {
	if r.Phase != PhaseClosed {
		return fmt.Errorf("close voting before publishing results: %w", problem.ErrConflict)
	}
	if totalPence > r.BudgetPence {
		return fmt.Errorf("allocation of %s exceeds the round's budget of %s", Pounds(totalPence), Pounds(r.BudgetPence))
	}
	return nil
}
