package priorities

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Round states.
const (
	Draft     = "draft"
	Open      = "open"
	Closed    = "closed"
	Published = "published"
)

// Channels through which ballots arrive.
const (
	Online   = "online"
	Workshop = "workshop"
)

// TotalPoints is what every ballot distributes.
const TotalPoints = 100

// Round is one participation round.
type Round struct {
	ID            int64
	Title         string
	Explanation   string
	FrameworkID   int64
	FrameworkName string
	ScopeDistrict string // "" = all of Greater Manchester
	ScopeName     string
	OpensAt       time.Time
	ClosesAt      time.Time
	Status        string
	OwnerOrgID    int64 // the public body that runs it; 0 = the hub
	CreatedBy     int64
	CreatedAt     time.Time
	Priorities    []RoundPriority
	Ballots       int
}

// RoundPriority is a priority being weighted in a round.
type RoundPriority struct {
	ID          int64
	Code        string
	Title       string
	Description string
}

// AcceptsBallots reports whether a ballot may be cast at now, and if not, why.
func (r Round) AcceptsBallots(now time.Time) (bool, string) {
	switch {
	case r.Status == Draft:
		return false, "This round has not opened yet."
	case r.Status == Closed || r.Status == Published || (r.Status == Open && !now.Before(r.ClosesAt)):
		return false, "This round closed at " + r.ClosesAt.Format("15:04 on 2 January 2006") + "; ballots are no longer accepted."
	case now.Before(r.OpensAt):
		return false, "This round opens at " + r.OpensAt.Format("15:04 on 2 January 2006") + "."
	}
	return true, ""
}

// Next lists the transitions allowed from a state.
func Next(status string) []string {
	switch status {
	case Draft:
		return []string{Open}
	case Open:
		return []string{Closed}
	case Closed:
		return []string{Published}
	}
	return nil
}

// CanMove reports whether from → to is a legal transition.
func CanMove(from, to string) bool {
	for _, n := range Next(from) {
		if n == to {
			return true
		}
	}
	return false
}

// Validate checks a new round.
func (r Round) Validate() error {
	var v problem.Invalid
	if strings.TrimSpace(r.Title) == "" {
		v.Add("title", "Enter a title for the round")
	} else if len(r.Title) > 200 {
		v.Add("title", "Title must be 200 characters or fewer")
	}
	if strings.TrimSpace(r.Explanation) == "" {
		v.Add("explanation", "Explain to residents what the round is for and how the result will be used")
	}
	if r.FrameworkID == 0 {
		v.Add("framework_id", "Select a published framework edition")
	}
	if len(r.Priorities) < 2 {
		v.Add("priorities", "Select at least two priorities to weigh")
	}
	if r.OpensAt.IsZero() {
		v.Add("opens_at", "Enter when the round opens, as a date and time")
	}
	if r.ClosesAt.IsZero() {
		v.Add("closes_at", "Enter when the round closes, as a date and time")
	} else if !r.OpensAt.IsZero() && !r.ClosesAt.After(r.OpensAt) {
		v.Add("closes_at", "The round must close after it opens")
	}
	return v.Err()
}

// ParsePoints reads one ballot's points from form values keyed by priority
// code, checking each is a whole number from 0 to 100 and that they sum to
// 100. Field names in errors are "points-CODE".
func ParsePoints(ps []RoundPriority, get func(code string) string) (map[int64]int, error) {
	var v problem.Invalid
	out := map[int64]int{}
	total := 0
	for _, p := range ps {
		raw := strings.TrimSpace(get(p.Code))
		if raw == "" {
			raw = "0"
		}
		n, err := strconv.Atoi(raw)
		switch {
		case errors.Is(err, strconv.ErrRange) && strings.HasPrefix(raw, "-"):
			v.Add("points-"+p.Code, "Points for ‘%s’ cannot be negative", p.Title)
			continue
		case errors.Is(err, strconv.ErrRange):
			v.Add("points-"+p.Code, "Points for ‘%s’ must be %d or less", p.Title, TotalPoints)
			continue
		case err != nil:
			v.Add("points-"+p.Code, "Points for ‘%s’ must be a whole number, like 20", p.Title)
			continue
		case n < 0:
			v.Add("points-"+p.Code, "Points for ‘%s’ cannot be negative", p.Title)
			continue
		case n > TotalPoints:
			v.Add("points-"+p.Code, "Points for ‘%s’ must be %d or less", p.Title, TotalPoints)
			continue
		}
		out[p.ID] = n
		total += n
	}
	if len(v.Fields) == 0 && total != TotalPoints {
		field := "points-" + ps[0].Code
		if total > TotalPoints {
			v.Add(field, "Your points add up to %d; take away %d so they add up to exactly %d", total, total-TotalPoints, TotalPoints)
		} else {
			v.Add(field, "Your points add up to %d; add %d more so they add up to exactly %d", total, TotalPoints-total, TotalPoints)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Population is the usual resident population of each Greater Manchester
// district, used to post-stratify results and to show representativeness.
var Population = map[string]int{
	"E08000001": 296000, // Bolton
	"E08000002": 193800, // Bury
	"E08000003": 551900, // Manchester
	"E08000004": 242100, // Oldham
	"E08000005": 223800, // Rochdale
	"E08000006": 270000, // Salford
	"E08000007": 294800, // Stockport
	"E08000008": 231100, // Tameside
	"E08000009": 235100, // Trafford
	"E08000010": 329300, // Wigan
}

// PopulationSource cites Population.
const PopulationSource = "Office for National Statistics, Census 2021: usual resident population by local authority (the mid-2021 base of the mid-year estimates), rounded to the nearest hundred. Open Government Licence v3.0."

// ShareString formats a share as a percentage with one decimal place.
func ShareString(s float64) string { return fmt.Sprintf("%.1f%%", s*100) }
