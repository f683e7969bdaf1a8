package hub

import (
	"fmt"
	"time"
)

// PledgeVersion is the text of the Social Value Pledge the hub publishes;
// organisations sign a version, and a new version does not change what
// was signed.
type PledgeVersion struct {
	Version     int
	Text        string
	PublishedAt time.Time
}

// Pledge is an organisation's signature and chosen commitments.
type Pledge struct {
	OrgID      int64
	Version    int
	Priorities []string
	SignedAt   time.Time
	Reports    []PledgeReport
}

// PledgeReport is a yearly progress report.
type PledgeReport struct {
	Year      int
	Text      string
	CreatedAt time.Time
}

// Champion is a named person championing social value in an organisation,
// listed publicly only with their consent.
type Champion struct {
	ID      int64
	OrgID   int64
	Name    string
	Role    string
	Consent bool
}

// Facts are what the kite mark is awarded from, all taken from the hub's
// own records.
type Facts struct {
	Pledged          bool
	LastReport       int // year of the latest pledge report (0 none)
	RealLivingWage   bool
	CharterMember    bool // GM Good Employment Charter member (not supporter)
	CharterAny       bool
	FairTaxMark      bool // and not expired
	CarbonPlan       bool
	VerifiedDelivery int // contract delivery lines the buyer verified
	BrokerageMet     int // hub matches delivered and confirmed by both
}

// Requirement is one rule of a kite mark level.
type Requirement struct {
	Key   string
	Label string
	Met   func(f Facts, now time.Time) bool
	Show  func(f Facts) string
}

// Level is a kite mark level: every requirement of it and of the levels
// below must be met.
type Level struct {
	Name  string
	Needs []Requirement
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// KiteMarkRules are the published rules, as data: the organisation page
// shows each with the evidence behind it.
var KiteMarkRules = []Level{
	{Name: "Committed", Needs: []Requirement{
		{Key: "pledge", Label: "Has signed the Social Value Pledge", Met: func(f Facts, _ time.Time) bool { return f.Pledged }, Show: func(f Facts) string { return yes(f.Pledged) }},
	}},
	{Name: "Achieving", Needs: []Requirement{
		{Key: "report", Label: "Reported progress on the pledge in the last year", Met: func(f Facts, now time.Time) bool { return f.LastReport >= now.Year()-1 },
			Show: func(f Facts) string {
				if f.LastReport == 0 {
					return "no report yet"
				}
				return fmt.Sprintf("latest report %d", f.LastReport)
			}},
		{Key: "two_accreditations", Label: "Holds at least two of: Real Living Wage, Good Employment Charter, Fair Tax Mark, Carbon Reduction Plan",
			Met:  func(f Facts, _ time.Time) bool { return accreditations(f) >= 2 },
			Show: func(f Facts) string { return fmt.Sprintf("%d of 4", accreditations(f)) }},
	}},
	{Name: "Leading", Needs: []Requirement{
		{Key: "rlw", Label: "Accredited Real Living Wage employer", Met: func(f Facts, _ time.Time) bool { return f.RealLivingWage }, Show: func(f Facts) string { return yes(f.RealLivingWage) }},
		{Key: "charter_member", Label: "Member (not only supporter) of the GM Good Employment Charter", Met: func(f Facts, _ time.Time) bool { return f.CharterMember },
			Show: func(f Facts) string { return yes(f.CharterMember) }},
		{Key: "delivered", Label: "Social value delivered and verified: contract delivery verified by a buyer, or brokerage confirmed by a community",
			Met: func(f Facts, _ time.Time) bool { return f.VerifiedDelivery > 0 || f.BrokerageMet > 0 },
			Show: func(f Facts) string {
				return fmt.Sprintf("%d verified contract delivery lines, %d brokerage matches delivered", f.VerifiedDelivery, f.BrokerageMet)
			}},
	}},
}

func accreditations(f Facts) int {
	n := 0
	for _, b := range []bool{f.RealLivingWage, f.CharterAny, f.FairTaxMark, f.CarbonPlan} {
		if b {
			n++
		}
	}
	return n
}

// Check is one requirement as it applies to an organisation.
type Check struct {
	Level, Label, Evidence string
	Met                    bool
}

// KiteMark returns the highest level whose requirements (and those of the
// levels below) are all met, "" for none, and every check with its evidence.
func KiteMark(f Facts, now time.Time) (string, []Check) {
	level, blocked := "", false
	var checks []Check
	for _, l := range KiteMarkRules {
		all := true
		for _, r := range l.Needs {
			met := r.Met(f, now)
			all = all && met
			checks = append(checks, Check{Level: l.Name, Label: r.Label, Evidence: r.Show(f), Met: met})
		}
		if all && !blocked {
			level = l.Name
		} else {
			blocked = true
		}
	}
	return level, checks
}
