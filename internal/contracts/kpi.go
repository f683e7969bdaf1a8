package contracts

import (
	"fmt"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Key performance indicators (Procurement Act 2023 s.52): before entering
// into a public contract worth more than £5 million a contracting authority
// must set at least three KPIs and publish them in the contract details
// notice; s.71 then requires an assessment of performance against each at
// least once every twelve months, published in a contract performance
// notice.

// KPIThresholdPence is the value above which KPIs are required (s.52(1):
// more than £5 million).
const KPIThresholdPence = 5_000_000_00

// MinKPIs is the number of KPIs a contract over the threshold must have
// (s.52(1): at least three).
const MinKPIs = 3

// AssessmentIntervalMonths is the longest gap between assessments (s.71(2):
// at least once in every period of twelve months).
const AssessmentIntervalMonths = 12

// Ratings of a KPI assessment, as the guidance on contract performance
// notices rates performance.
const (
	RatingGood        = "good"
	RatingApproaching = "approaching"
	RatingImprove     = "requires-improvement"
	RatingInadequate  = "inadequate"
)

// Ratings lists the ratings best first.
var Ratings = []string{RatingGood, RatingApproaching, RatingImprove, RatingInadequate}

// RatingLabel is a rating in words.
func RatingLabel(r string) string {
	switch r {
	case RatingGood:
		return "Good"
	case RatingApproaching:
		return "Approaching target"
	case RatingImprove:
		return "Requires improvement"
	case RatingInadequate:
		return "Inadequate"
	}
	return r
}

// KPI is one key performance indicator of a contract.
type KPI struct {
	ID          int64
	ContractID  int64
	Name        string
	Target      string
	Measure     string // how performance is measured
	Assessments []Assessment
}

// Assessment is the buyer's rating of a KPI for a period.
type Assessment struct {
	ID          int64
	KPIID       int64
	PeriodEnd   string // YYYY-MM-DD
	Rating      string
	Note        string
	AssessedAt  time.Time
	AssessorRef string
}

// Label is the assessment's rating in words.
func (a Assessment) Label() string { return RatingLabel(a.Rating) }

// KPIsRequired reports whether a contract of this value needs KPIs.
func KPIsRequired(valuePence int64) bool { return valuePence > KPIThresholdPence }

// ValidKPI checks one KPI's fields; i is its position (0-based) for the
// field names kpi_name_0, kpi_target_0, kpi_measure_0.
func ValidKPI(v *problem.Invalid, i int, k KPI) {
	for _, f := range []struct{ field, name, value string }{
		{"kpi_name", "name", k.Name}, {"kpi_target", "target", k.Target}, {"kpi_measure", "measure", k.Measure},
	} {
		field := fmt.Sprintf("%s_%d", f.field, i)
		switch {
		case strings.TrimSpace(f.value) == "":
			v.Add(field, "Enter the %s of KPI %d", f.name, i+1)
		case len(f.value) > 500:
			v.Add(field, "The %s of KPI %d must be 500 characters or fewer", f.name, i+1)
		}
	}
}

// CheckDetailsNotice says why a contract details notice cannot be published
// yet, or nil: the contract must have been entered into, and a contract
// worth more than £5 million needs at least three KPIs (s.52).
func CheckDetailsNotice(c Contract, kpis int) error {
	if c.EnteredAt == nil {
		return fmt.Errorf("the contract has not been entered into yet; publish the contract details notice after entering into it: %w", problem.ErrConflict)
	}
	if KPIsRequired(c.ValuePence) && kpis < MinKPIs {
		return problem.Field("kpis", "This contract is worth more than £5 million, so section 52 requires at least %d key performance indicators before the contract details notice is published; it has %d", MinKPIs, kpis)
	}
	return nil
}

// ValidAssessment checks a KPI assessment: a known rating, a period end
// within the contract and not in the future, and a note of what was found.
func ValidAssessment(c Contract, a Assessment, now time.Time) error {
	v := &problem.Invalid{}
	known := false
	for _, r := range Ratings {
		known = known || r == a.Rating
	}
	if !known {
		v.Add("rating", "Choose a rating: good, approaching target, requires improvement or inadequate")
	}
	end, err := time.Parse(time.DateOnly, a.PeriodEnd)
	switch {
	case err != nil:
		v.Add("period_end", "Enter the end of the period assessed, like 2027-03-31")
	case a.PeriodEnd < c.Start:
		v.Add("period_end", "The period assessed must end on or after the contract's start, %s", c.Start)
	case end.After(now):
		v.Add("period_end", "The period assessed cannot end in the future")
	}
	if strings.TrimSpace(a.Note) == "" {
		v.Add("note", "Say what the assessment found")
	} else if len(a.Note) > 2000 {
		v.Add("note", "The note must be 2,000 characters or fewer")
	}
	return v.Err()
}

// AssessmentDue returns the date by which the next assessment is due: twelve
// months after the latest one, or after the contract was entered into when
// there is none. ok is false when the contract has not been entered into.
func AssessmentDue(c Contract, kpis []KPI) (due time.Time, ok bool) {
	if c.EnteredAt == nil {
		return time.Time{}, false
	}
	last := *c.EnteredAt
	for _, k := range kpis {
		for _, a := range k.Assessments {
			if a.AssessedAt.After(last) {
				last = a.AssessedAt
			}
		}
	}
	return last.AddDate(0, AssessmentIntervalMonths, 0), true
}
