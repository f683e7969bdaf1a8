// Package contracts holds awarded contracts, their social value commitments
// and the delivery reports against them: what a supplier claims, what the
// buyer verified, and whether each commitment is on track. Pure logic.
package contracts

import (
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Contract is an awarded tender's contract.
type Contract struct {
	ID           int64
	TenderID     int64
	BuyerOrgID   int64
	BuyerName    string
	BuyerSlug    string
	SupplierID   int64
	SupplierName string
	SupplierSlug string
	Title        string
	ValuePence   int64
	Start        string // YYYY-MM-DD
	End          string
	CreatedAt    time.Time
	// The Procurement Act 2023 lifecycle: the last day of the standstill
	// (YYYY-MM-DD, "" when none applies), when the buyer entered into the
	// contract, published its contract details notice, and terminated it.
	StandstillEnd    string
	EnteredAt        *time.Time
	DetailsNoticeAt  *time.Time
	TerminatedAt     *time.Time
	TerminatedReason string
}

// Commitment is a contractual social value target from the winning bid.
type Commitment struct {
	ID            int64
	ContractID    int64
	MeasureID     int64
	MeasureCode   string
	Wording       string
	Unit          string
	PriorityCode  string
	PriorityTitle string
	QuantityMilli int64
	Due           string // YYYY-MM-DD
	AreaCode      string
	AreaName      string
	Plan          string
	ClaimedMilli  int64 // reported but not (yet) verified
	VerifiedMilli int64
}

// Line states.
const (
	Submitted = "submitted"
	Verified  = "verified"
	Queried   = "queried"
	Rejected  = "rejected"
)

// Line is one claimed quantity in a delivery report.
type Line struct {
	ID            int64
	ReportID      int64
	CommitmentID  int64
	MeasureCode   string
	Wording       string
	Unit          string
	QuantityMilli int64
	AreaCode      string
	AreaName      string
	Evidence      string
	Attributable  bool
	Additional    bool
	Status        string
	BuyerNote     string
	PeriodStart   string
	PeriodEnd     string
	DecidedAt     *time.Time
	Concerns      []Concern
}

// Report is a supplier's delivery report for one period.
type Report struct {
	ID          int64
	ContractID  int64
	PeriodStart string
	PeriodEnd   string
	SubmittedAt time.Time
	Lines       []Line
	// Files are evidence files sent with the report (at most
	// MaxEvidenceFiles, checked by content); they are kept with the
	// report's first line, in its thread, as the supplier's (Author's).
	Files  []EvidenceFile
	Author string
}

// Concern is a resident's flag on a delivery claim and the buyer's answer.
type Concern struct {
	ID          int64
	LineID      int64
	Body        string
	CreatedAt   time.Time
	Response    string
	RespondedAt *time.Time
}

// Progress states of a commitment.
const (
	OnTrack  = "on track"
	AtRisk   = "at risk"
	OffTrack = "off track"
)

// Progress compares verified delivery with what a straight line from the
// contract start to the commitment's due date expects by now: at least 90%
// of the expected amount is on track, at least 60% at risk, less off track.
// Nothing is expected before the start, so a new contract is on track.
func Progress(c Commitment, start string, now time.Time) (expectedMilli int64, status string) {
	s, err1 := time.Parse(time.DateOnly, start)
	d, err2 := time.Parse(time.DateOnly, c.Due)
	if err1 != nil || err2 != nil || !d.After(s) {
		return c.QuantityMilli, statusFor(c.VerifiedMilli, c.QuantityMilli)
	}
	switch {
	case !now.After(s):
		return 0, OnTrack
	case !now.Before(d):
		expectedMilli = c.QuantityMilli
	default:
		// Integer arithmetic in hours keeps this exact enough and stable.
		expectedMilli = c.QuantityMilli * int64(now.Sub(s)/time.Hour) / int64(d.Sub(s)/time.Hour)
	}
	return expectedMilli, statusFor(c.VerifiedMilli, expectedMilli)
}

func statusFor(verified, expected int64) string {
	switch {
	case expected <= 0 || verified*10 >= expected*9:
		return OnTrack
	case verified*10 >= expected*6:
		return AtRisk
	}
	return OffTrack
}

// ValidateLine checks a claimed line. The form's field names end in
// "_"+key; messages name the line by what, such as the measure it claims
// ("GM-P1-01: Local people employed"), never by an internal number.
func ValidateLine(key, what string, l Line) error {
	v := &problem.Invalid{}
	f := func(name string) string { return name + "_" + key }
	if l.QuantityMilli < 0 {
		v.Add(f("qty"), "The quantity for %s cannot be negative", what)
	}
	if strings.TrimSpace(l.Evidence) == "" {
		v.Add(f("evidence"), "Give evidence for %s: a link or a description of the documents", what)
	}
	if !l.Attributable {
		v.Add(f("attributable"), "Confirm that what you claim for %s is attributable only to this contract and period", what)
	}
	if !l.Additional {
		v.Add(f("additional"), "Confirm that what you claim for %s is additional to what would have happened anyway", what)
	}
	return v.Err()
}

// ValidPeriod checks a period's dates: both dates, the end not before the start.
func ValidPeriod(start, end string) error {
	s, err := time.Parse(time.DateOnly, start)
	if err != nil {
		return problem.Field("period_start", "Enter the period start as a date, like 2026-04-01")
	}
	e, err := time.Parse(time.DateOnly, end)
	if err != nil {
		return problem.Field("period_end", "Enter the period end as a date, like 2026-06-30")
	}
	if e.Before(s) {
		return problem.Field("period_end", "The period must end on or after its start")
	}
	return nil
}

// ValidReportPeriod checks a delivery report's period lies within the
// contract: nothing delivered before the contract started, or after it
// ended, can be attributed to it.
func ValidReportPeriod(c Contract, start, end string) error {
	if err := ValidPeriod(start, end); err != nil {
		return err
	}
	if cs, err := time.Parse(time.DateOnly, c.Start); err == nil && start < c.Start {
		return problem.Field("period_start", "The contract started on %s: the period must start on or after that date", cs.Format("2 January 2006"))
	}
	if ce, err := time.Parse(time.DateOnly, c.End); err == nil && end > c.End {
		return problem.Field("period_end", "The contract ended on %s: the period must end on or before that date", ce.Format("2 January 2006"))
	}
	return nil
}

// ReportPeriod is the period a new delivery report offers by default: the
// last complete calendar quarter, cut to the contract's dates; if that
// quarter ended before the contract started, from the contract's start to
// the end of its first quarter or today, whichever is earlier.
func ReportPeriod(c Contract, now time.Time) (string, string) {
	start, end := QuarterOf(now.AddDate(0, -3, 0))
	if c.Start != "" && end < c.Start {
		cs, err := time.Parse(time.DateOnly, c.Start)
		if err == nil {
			_, end = QuarterOf(cs)
		}
		if today := now.Format(time.DateOnly); end > today && today >= c.Start {
			end = today
		}
	}
	if c.Start != "" && start < c.Start {
		start = c.Start
	}
	if c.End != "" && end > c.End {
		end = c.End
	}
	return start, end
}

// QuarterOf gives the calendar quarter containing d: reports are quarterly
// by default.
func QuarterOf(d time.Time) (string, string) {
	q := (int(d.Month()) - 1) / 3
	s := time.Date(d.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, time.UTC)
	return s.Format(time.DateOnly), s.AddDate(0, 3, -1).Format(time.DateOnly)
}

// DashRow is committed against verified delivery for one group: a measure
// (where quantities share a unit and can be summed), a priority or a
// district (where units differ, so the row shows how many commitments there
// are and their average completion: verified ÷ committed, capped at 100%).
type DashRow struct {
	Key            string
	Label          string
	Unit           string
	Commitments    int
	CommittedMilli int64
	VerifiedMilli  int64
	CompletionSum  int64 // Σ per-commitment completion in thousandths
}

// Completion is the average completion as a fraction of 1.
func (r DashRow) Completion() float64 {
	if r.Commitments == 0 {
		return 0
	}
	return float64(r.CompletionSum) / float64(r.Commitments) / 1000
}

// Dashboard groups committed and verified delivery three ways.
type Dashboard struct {
	Contracts  int
	ValuePence int64
	ByPriority []DashRow
	ByDistrict []DashRow
	ByMeasure  []DashRow
}
