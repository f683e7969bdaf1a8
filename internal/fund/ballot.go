package fund

import (
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Ballot is one voter's approvals in a round: the proposals they support
// and the constituency they vote in (Residents or Organisations).
type Ballot struct {
	Constituency string
	Proposals    []int64
}

// CheckBallot applies the round's voting rules to a ballot cast at now:
// the round is in its voting phase and now is inside its window
// [VotingFrom, VotingUntil); the constituency votes in this round; the
// ballot supports no more distinct proposals than the round's cap (0 is no
// cap); and every proposal it supports is one of the round's eligible
// proposals. status holds the status of each of the round's proposals by
// id; an id it does not hold is not one of the round's.
//
// It reads no storage: the store calls it in the transaction that writes
// the ballot, with the round and statuses read in that transaction.
func (r Round) CheckBallot(b Ballot, status map[int64]string, now time.Time) error {
	if r.Phase != PhaseVoting || now.Before(r.VotingFrom) || !now.Before(r.VotingUntil) {
		return problem.Field("proposals", "Voting is not open: it runs from %s to %s", r.VotingFrom.Format("2 January 2006 15:04"), r.VotingUntil.Format("2 January 2006 15:04"))
	}
	if !r.Allows(b.Constituency) {
		return fmt.Errorf("%s do not vote in this round: %w", b.Constituency, problem.ErrForbidden)
	}
	distinct := make(map[int64]bool, len(b.Proposals))
	for _, id := range b.Proposals {
		distinct[id] = true
	}
	if r.MaxApprovals > 0 && len(distinct) > r.MaxApprovals {
		return problem.Field("proposals", "You can support at most %d proposals in this round", r.MaxApprovals)
	}
	for _, id := range b.Proposals {
		if status[id] != Eligible {
			return problem.Field("proposals", "You can only support eligible proposals of this round")
		}
	}
	return nil
}
