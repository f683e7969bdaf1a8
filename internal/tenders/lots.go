package tenders

import (
	"errors"
	"fmt"

	"github.com/svhub/svhub/internal/problem"
)

// Lots. A tender may be divided into lots (Procurement Act 2023, s.18:
// a buyer considers whether to; each lot is awarded as its own contract).
// The hub keeps a tender with lots as a container and each lot as a tender
// of its own whose ParentID is the container: the container holds what the
// procurement shares (buyer, procedure, contract type, deadline, documents,
// clarification questions, the tender notice), and each lot its own title,
// value, criteria and weights, bids, evaluation, award, standstill and
// contract, so the per-tender rules apply to each lot unchanged. The
// threshold is the whole procurement's: the sum of its lots.

// MinLots is the fewest lots a tender divided into lots may have: one lot
// would simply be the tender.
const MinLots = 2

// MaxLots bounds the lots of one tender (the form and pages list them all).
const MaxLots = 50

// ErrNotALot refuses a lot that does not belong to the tender named with it.
var ErrNotALot = fmt.Errorf("that lot is not part of this tender: %w", problem.ErrNotFound)

// ErrContainer refuses a bid (or an evaluation) on a tender with lots as a
// whole: bids are made on one of its lots.
var ErrContainer = fmt.Errorf("this tender is divided into lots: bid on one of its lots: %w", problem.ErrConflict)

// IsLot reports whether t is a lot of another tender.
func (t Tender) IsLot() bool { return t.ParentID != 0 }

// HasLots reports whether t is divided into lots.
func (t Tender) HasLots() bool { return t.Lots > 0 }

// thresholdValue is the value checked against the threshold: the whole
// procurement's when the tender has lots or is one.
func (t Tender) thresholdValue() int64 {
	if t.ProcurementPence > 0 {
		return t.ProcurementPence
	}
	return t.ValuePence
}

// LotLabel names a lot: "Lot 2: Parks in Bolton".
func (t Tender) LotLabel() string {
	if !t.IsLot() {
		return t.Title
	}
	return fmt.Sprintf("Lot %d: %s", t.LotNumber, t.Title)
}

// Lot makes a lot of container c from what the buyer entered for it (its
// title, description, value, weights, criteria and measures): the
// procurement-level facts are the container's, whatever was entered.
func (c Tender) Lot(l Tender) Tender {
	l.ParentID, l.BuyerOrgID, l.BuyerName, l.BuyerSlug = c.ID, c.BuyerOrgID, c.BuyerName, c.BuyerSlug
	l.Deadline, l.Procedure, l.ContractType, l.DirectGround, l.DirectReason, l.PlannedNotice = c.Deadline, c.Procedure, c.ContractType, c.DirectGround, c.DirectReason, c.PlannedNotice
	if l.CPV == "" {
		l.CPV = c.CPV
	}
	return l
}

// CanAddLot says why lots cannot be added to c, or nil: only a draft that is
// not itself a lot, and with fewer than MaxLots.
func (c Tender) CanAddLot() error {
	switch {
	case c.IsLot():
		return fmt.Errorf("a lot cannot be divided into lots: %w", problem.ErrConflict)
	case c.Status != Draft:
		return fmt.Errorf("lots are added to a draft tender; this one is %s: %w", StatusLabel(c.Status), problem.ErrConflict)
	case c.Lots >= MaxLots:
		return fmt.Errorf("a tender may have at most %d lots: %w", MaxLots, problem.ErrConflict)
	}
	return nil
}

// CheckLots checks a container's lots before it is published: none, or at
// least MinLots, each valid on its own (value above zero, weights that add
// up, criteria and measures) and sharing the container's deadline.
func CheckLots(c Tender, lots []Tender) error {
	if len(lots) == 0 {
		return nil
	}
	v := &problem.Invalid{}
	if len(lots) < MinLots {
		v.Add("lots", "A tender divided into lots needs at least %d lots; it has %d. Add another lot, or put everything in one tender without lots", MinLots, len(lots))
	}
	for _, l := range lots {
		if l.ParentID != c.ID {
			v.Add("lots", "Lot %d belongs to another tender", l.LotNumber)
			continue
		}
		if !l.Deadline.Equal(c.Deadline) {
			v.Add("lots", "Lot %d closes at a different time from the tender; save the tender again to move its lots' deadline", l.LotNumber)
		}
		if err := l.Validate(); err != nil {
			var inv *problem.Invalid
			if !errors.As(err, &inv) {
				return err
			}
			for _, fe := range inv.Fields {
				v.Add("lots", "Lot %d (%s): %s", l.LotNumber, l.Title, fe.Message)
			}
		}
	}
	return v.Err()
}
