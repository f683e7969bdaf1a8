package tenders

import (
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// GateAccreditations names, for each gate an accreditation can back, the
// directory accreditation kind (internal/orgs.AccreditationKinds) that
// must stand verified behind a bidder's "meets" declaration. The
// exclusion-grounds gate is a self-declaration with no accreditation.
var GateAccreditations = map[string]string{
	GateRLW:     "real_living_wage",
	GateCharter: "good_employment_charter",
	GateCRP:     "carbon_reduction_plan",
	GateFTM:     "fair_tax_mark",
}

// GateOverride is a buyer's recorded decision that a bid's declaration on
// a gate stands although no verified accreditation is behind it.
type GateOverride struct {
	TenderID int64
	OrgID    int64
	Gate     string
	Reason   string
	By       string
	At       time.Time
}

// MaxOverrideReason bounds an override's reason.
const MaxOverrideReason = 2000

// Validate checks an override: a gate that an accreditation backs, and a
// reason.
func (o GateOverride) Validate() error {
	var v problem.Invalid
	if _, ok := GateAccreditations[o.Gate]; !ok {
		v.Add("gate", "Choose a gate that an accreditation backs (Real Living Wage, Good Employment Charter, Carbon Reduction Plan or Fair Tax Mark)")
	}
	r := strings.TrimSpace(o.Reason)
	if r == "" {
		v.Add("reason", "Enter the reason the declaration stands without a verified accreditation; the override is recorded in the audit log")
	} else if len(r) > MaxOverrideReason {
		v.Add("reason", "Reason must be %d characters or fewer", MaxOverrideReason)
	}
	return v.Err()
}

// GateFlag is a bid whose declaration that it meets a gate has no verified
// accreditation behind it.
type GateFlag struct {
	OrgID    int64
	Supplier string
	Gate     string
	Reason   string        // why it is flagged, in plain words
	Override *GateOverride // the buyer's override, if recorded
}

// CheckGates compares each bid's gate declarations with its organisation's
// verified accreditations (orgID → kind → verified) and lists every
// declaration with none behind it, with any override recorded.
func CheckGates(t Tender, bids []OpenedBid, verified map[int64]map[string]bool, overrides []GateOverride) []GateFlag {
	var out []GateFlag
	for _, b := range bids {
		for _, g := range t.Gates {
			kind, ok := GateAccreditations[g]
			if !ok || !b.Content.Gates[g].Meets || verified[b.OrgID][kind] {
				continue
			}
			f := GateFlag{OrgID: b.OrgID, Supplier: b.Supplier, Gate: g,
				Reason: "declared that it " + GateLabel(g) + ", but has no verified " + AccreditationName(kind) + " accreditation in the directory"}
			for i := range overrides {
				if overrides[i].OrgID == b.OrgID && overrides[i].Gate == g {
					f.Override = &overrides[i]
				}
			}
			out = append(out, f)
		}
	}
	return out
}

// AccreditationName is the plain name of an accreditation kind.
func AccreditationName(kind string) string {
	switch kind {
	case "real_living_wage":
		return "Real Living Wage"
	case "good_employment_charter":
		return "GM Good Employment Charter"
	case "carbon_reduction_plan":
		return "Carbon Reduction Plan"
	case "fair_tax_mark":
		return "Fair Tax Mark"
	}
	return kind
}

// ApplyGateFlags fails, in the evaluation, every flagged gate the buyer
// has not overridden, with the reason the evaluation states; an
// overridden flag keeps the declaration and notes the override.
func ApplyGateFlags(e *Evaluation, flags []GateFlag) {
	for _, f := range flags {
		for i := range e.Bids {
			b := &e.Bids[i]
			if b.ID != BidKey(f.OrgID) {
				continue
			}
			if b.GateNotes == nil {
				b.GateNotes = map[string]string{}
			}
			if f.Override != nil {
				b.GateNotes[f.Gate] = "unverified declaration accepted by the buyer: " + f.Override.Reason
				continue
			}
			b.Gates[f.Gate] = false
			b.GateNotes[f.Gate] = f.Reason
		}
	}
}
