// Package tenders is procurement with people-weighted social value: the
// tender and its evaluation model, sealed bids (encrypted until the
// deadline), evaluators' marks and moderation, and the scoring rules in
// exact arithmetic. It is pure: the store persists, the web asks.
package tenders

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Tender states. Closed is reached when the deadline passes (the store
// moves a published tender on the first read after it), never by hand.
const (
	Draft     = "draft"
	Published = "published"
	Closed    = "closed"
	Evaluated = "evaluated"
	Awarded   = "awarded"
	Cancelled = "cancelled"
)

// Scoring methods for the quantitative part of social value.
const (
	MethodRelative  = "relative"
	MethodMonetised = "monetised"
)

// Pass/fail gates.
const (
	GateRLW       = "rlw"
	GateCharter   = "charter"
	GateCRP       = "crp"
	GateFTM       = "ftm"
	GateExclusion = "exclusion"
)

// Gates lists every gate in display order.
var Gates = []string{GateRLW, GateCharter, GateCRP, GateFTM, GateExclusion}

// GateLabel is the plain-words name of a gate.
func GateLabel(g string) string {
	switch g {
	case GateRLW:
		return "pays at least the Real Living Wage to everyone working on the contract"
	case GateCharter:
		return "is a supporter or member of the GM Good Employment Charter"
	case GateCRP:
		return "has published a Carbon Reduction Plan (PPN 06/21)"
	case GateFTM:
		return "holds the Fair Tax Mark"
	case GateExclusion:
		return "has no unresolved exclusion grounds (self-declaration)"
	}
	return g
}

// DefaultSVMinimum is the policy minimum social value weight (PPN 06/20 and
// PPN 002 ask for at least 10%).
const DefaultSVMinimum = 10

// CRPThresholdPence is the annual value above which the Carbon Reduction
// Plan gate is on by default (PPN 06/21: £5m a year).
const CRPThresholdPence = 5_000_000_00

// Tender is a buyer's invitation to bid with its evaluation model.
type Tender struct {
	ID            int64
	BuyerOrgID    int64
	BuyerName     string
	BuyerSlug     string
	Title         string
	Description   string
	CPV           string
	ValuePence    int64
	Deadline      time.Time
	Status        string
	WPrice        int
	WQuality      int
	WSV           int
	SVMinimum     int
	AlphaPercent  int // α × 100: the share of the social value weight for commitments
	Method        string
	FrameworkID   int64
	WeightsRound  int64 // the People's Weights round used; 0 = equal weights
	Gates         []string
	Reservation   string // "", "vcse" or "sme"
	Criteria      []Criterion
	Measures      []Measure
	CreatedAt     time.Time
	PublishedAt   *time.Time
	StandstillEnd *time.Time
	BidCount      int
	// The Procurement Act 2023 lifecycle (act.go): procedure type, contract
	// type (for the threshold), a direct award's Schedule 5 ground and
	// explanation, and the date of a planned procurement notice, which can
	// shorten the minimum tendering period (s.54(4) and (5)).
	Procedure     string
	ContractType  string
	DirectGround  string
	DirectReason  string
	PlannedNotice *time.Time
	PeriodWarning string // the s.54 warning recorded when a below-threshold tender was published
	PeriodCase    string // which s.54 row the buyer says applies (act.go: PeriodUrgency, PeriodLightTouch; "" the usual)
	PeriodReason  string // the buyer's reason for that row, published on the tender notice
	// Lots (lots.go): a lot has its container's id as ParentID and its
	// place as LotNumber (1, 2, …); a container has Lots > 0. Both carry
	// the whole procurement's value (the sum of the lots) as
	// ProcurementPence, which the threshold is checked against.
	ParentID         int64
	LotNumber        int
	Lots             int
	ProcurementPence int64
	// Uplift moves the monetised method's values into one year's prices
	// (a copy of the price index taken when the tender was saved); nil
	// when they are all in one year's prices already.
	Uplift *EvalUplift
}

// Criterion is a quality criterion with its weight and marking scale.
type Criterion struct {
	ID          int64
	Title       string
	Weight      int
	Descriptors [6]string // what marks 0–5 mean
}

// Key names a criterion in marks and exports: Q1, Q2, … by position.
func CriterionKey(i int) string { return fmt.Sprintf("Q%d", i+1) }

// QualKey is the key of the qualitative social value answer.
const QualKey = "SV"

// Measure is a selected framework measure.
type Measure struct {
	ID             int64
	Code           string
	Wording        string
	Unit           string
	PriorityCode   string
	PriorityTitle  string
	ProxyPence     int64
	ProxySource    string
	ProxyPriceYear string // the year whose prices ProxyPence is in
}

// DefaultDescriptors is the marking scale offered on a new criterion.
var DefaultDescriptors = [6]string{
	"No response, or the response does not address the question",
	"Poor: major gaps and little evidence",
	"Weak: some gaps or unconvincing evidence",
	"Satisfactory: meets the requirement with adequate evidence",
	"Good: meets the requirement fully with clear evidence",
	"Excellent: exceeds the requirement with compelling evidence",
}

var cpvRE = regexp.MustCompile(`^\d{8}(-\d)?$`)

// HasGate reports whether the tender applies gate g.
func (t Tender) HasGate(g string) bool {
	for _, x := range t.Gates {
		if x == g {
			return true
		}
	}
	return false
}

// Open reports whether bids are accepted at now.
func (t Tender) Open(now time.Time) bool { return t.Status == Published && now.Before(t.Deadline) }

// Sealed reports whether bids are still sealed at now: before the deadline
// no one but the bidder may read a bid.
func (t Tender) Sealed(now time.Time) bool {
	return t.Status == Draft || t.Status == Published && now.Before(t.Deadline)
}

// Validate checks the tender and its evaluation model. now is used only for
// a deadline that must lie in the future when publishing.
func (t Tender) Validate() error {
	v := &problem.Invalid{}
	if strings.TrimSpace(t.Title) == "" {
		v.Add("title", "Enter a title")
	} else if len(t.Title) > 200 {
		v.Add("title", "Title must be 200 characters or fewer")
	}
	if strings.TrimSpace(t.Description) == "" {
		v.Add("description", "Enter a description of what you are buying")
	}
	if t.CPV != "" && !cpvRE.MatchString(t.CPV) {
		v.Add("cpv", "CPV code must be 8 digits, optionally with a check digit, like 45000000-7")
	}
	if t.ValuePence <= 0 {
		v.Add("value", "Enter the estimated value in pounds, more than zero")
	}
	if t.Deadline.IsZero() {
		v.Add("deadline", "Enter the submission deadline")
	}
	negative := false
	for _, w := range []struct {
		field, name string
		value       int
	}{{"w_price", "Price", t.WPrice}, {"w_quality", "Quality", t.WQuality}, {"w_sv", "Social value", t.WSV}} {
		if w.value < 0 {
			v.Add(w.field, "%s weight cannot be negative", w.name)
			negative = true
		}
	}
	if !negative && t.WPrice+t.WQuality+t.WSV != 100 {
		v.Add("w_price", "Price, quality and social value weights must sum to 100; they sum to %d", t.WPrice+t.WQuality+t.WSV)
	}
	min := t.SVMinimum
	if min == 0 {
		min = DefaultSVMinimum
	}
	if t.WSV >= 0 && t.WSV < min {
		v.Add("w_sv", "Social value weight must be at least the policy minimum of %d%%", min)
	}
	if t.AlphaPercent < 0 || t.AlphaPercent > 100 {
		v.Add("alpha", "The share for quantitative commitments must be between 0 and 100%%")
	}
	if t.Method != MethodRelative && t.Method != MethodMonetised {
		v.Add("method", "Choose a scoring method")
	}
	if len(t.Criteria) == 0 && t.WQuality > 0 {
		v.Add("criteria", "Add at least one quality criterion")
	}
	sum := 0
	for i, c := range t.Criteria {
		if strings.TrimSpace(c.Title) == "" {
			v.Add(fmt.Sprintf("criterion_title_%d", i), "Enter the title of criterion %d", i+1)
		}
		if c.Weight <= 0 {
			v.Add(fmt.Sprintf("criterion_weight_%d", i), "Criterion %d needs a weight of at least 1", i+1)
		}
		sum += c.Weight
	}
	if len(t.Criteria) > 0 && sum != t.WQuality {
		v.Add("criteria", "Quality criteria weights must sum to the quality weight %d; they sum to %d", t.WQuality, sum)
	}
	if t.WSV > 0 && len(t.Measures) == 0 {
		v.Add("measures", "Select at least one social value measure")
	}
	if t.Method == MethodMonetised {
		for _, m := range t.Measures {
			if m.ProxyPence <= 0 {
				v.Add("method", "The monetised method needs a proxy value for every selected measure; %s has none", m.Code)
				break
			}
		}
		seen := map[string]bool{}
		var years []string
		for _, m := range t.Measures {
			if m.ProxyPence > 0 && !seen[m.ProxyPriceYear] {
				seen[m.ProxyPriceYear] = true
				years = append(years, m.ProxyPriceYear)
			}
		}
		sort.Strings(years)
		switch {
		case len(years) > 1 && t.Uplift == nil && !v.Has("method"):
			v.Add("method", "The monetised method cannot add values in different years' prices (%s) without an uplift index; choose measures whose proxy values are in one year's prices, or score social value with points", strings.Join(years, " and "))
		case t.Uplift != nil:
			for _, y := range append([]string{t.Uplift.PriceYear}, years...) {
				if _, ok := t.Uplift.Years[y]; !ok {
					v.Add("uplift", "The price index %s has no value for %s, so it cannot move every value into %s prices", t.Uplift.Index, y, t.Uplift.PriceYear)
					break
				}
			}
		}
	}
	for _, g := range t.Gates {
		if GateLabel(g) == g {
			v.Add("gates", "Unknown gate %q", g)
		}
	}
	if t.Procedure != "" || t.ContractType != "" {
		t.validateAct(v.Add)
	}
	if t.Reservation != "" && t.Reservation != "vcse" && t.Reservation != "sme" {
		v.Add("reservation", "Reservation must be none, VCSE or SME")
	}
	return v.Err()
}

// CanMove reports whether a tender may go from → to by a person's action.
func CanMove(from, to string) bool {
	switch to {
	case Published:
		return from == Draft
	case Evaluated:
		return from == Closed
	case Awarded:
		return from == Evaluated
	case Cancelled:
		return from == Draft || from == Published || from == Closed || from == Evaluated
	}
	return false
}

// StatusLabel is the plain-words state.
func StatusLabel(s string) string {
	switch s {
	case Draft:
		return "Draft"
	case Published:
		return "Open for bids"
	case Closed:
		return "Closed, being evaluated"
	case Evaluated:
		return "Evaluated"
	case Awarded:
		return "Awarded"
	case Cancelled:
		return "Cancelled"
	}
	return s
}
