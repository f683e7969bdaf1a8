package fund

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Sectors that contribute to the fund and partner on proposals.
const (
	Public  = "public"
	Private = "private"
	VCSE    = "vcse"
)

// SectorOf maps an organisation kind to its sector.
func SectorOf(kind string) string {
	switch kind {
	case "public_body":
		return Public
	case "business":
		return Private
	}
	return VCSE
}

// SectorLabel names a sector.
func SectorLabel(s string) string {
	switch s {
	case Public:
		return "Public sector"
	case Private:
		return "Private sector"
	}
	return "Voluntary, community and social enterprise"
}

// Ledger entry kinds. The ledger is append-only: a correction is a new
// entry, and a round's budget is reserved by an entry of its own.
const (
	Contribution = "contribution"
	Correction   = "correction"
	Reservation  = "reservation" // negative: moves money from the balance to a round
	Release      = "release"     // positive: returns a round's unspent reservation
)

// Entry is one line of the fund's ledger, in pence.
type Entry struct {
	ID        int64
	Kind      string
	Pence     int64
	OrgID     int64
	OrgName   string
	Sector    string
	RoundID   int64
	Note      string
	CreatedAt time.Time
}

// Round phases, in order.
const (
	PhaseProposals = "proposals"
	PhaseReview    = "review"
	PhaseVoting    = "voting"
	PhaseClosed    = "closed"
	PhasePublished = "published"
)

// Phases lists the phases in order.
var Phases = []string{PhaseProposals, PhaseReview, PhaseVoting, PhaseClosed, PhasePublished}

// PhaseLabel names a round's phase in words for a page (the wording of the
// round page's "Stage"): "Taking proposals", "Voting", "Results published".
func PhaseLabel(p string) string {
	switch p {
	case PhaseProposals:
		return "Taking proposals"
	case PhaseReview:
		return "Checking eligibility"
	case PhaseVoting:
		return "Voting"
	case PhaseClosed:
		return "Voting closed; counting"
	case PhasePublished:
		return "Results published"
	}
	return p
}

// NextPhase returns the phase after p, or "".
func NextPhase(p string) string {
	for i, x := range Phases {
		if x == p && i+1 < len(Phases) {
			return Phases[i+1]
		}
	}
	return ""
}

// Round is a call for proposals and a vote, with its budget in pence.
type Round struct {
	ID             int64
	Title          string
	Description    string
	BudgetPence    int64
	MinPence       int64
	MaxPence       int64
	MaxApprovals   int // 0: no cap
	Rule           string
	Electorate     string // residents | organisations | both
	Phase          string
	ProposalsUntil time.Time // submissions close; eligibility review follows
	VotingFrom     time.Time
	VotingUntil    time.Time
	CreatedAt      time.Time
}

// Validate checks a new round.
func (r Round) Validate() error {
	var v problem.Invalid
	if strings.TrimSpace(r.Title) == "" {
		v.Add("title", "Enter a title")
	}
	if r.BudgetPence <= 0 {
		v.Add("budget", "Enter the round's budget in pounds, more than £0")
	}
	if r.MinPence < 0 || (r.MaxPence > 0 && r.MaxPence < r.MinPence) {
		v.Add("max_budget", "The largest grant must be at least the smallest")
	}
	if r.MaxPence > r.BudgetPence {
		v.Add("max_budget", "The largest grant cannot be more than the round's budget")
	}
	known := false
	for _, x := range Rules {
		known = known || x == r.Rule
	}
	if !known {
		v.Add("rule", "Choose an allocation rule")
	}
	if r.Electorate != Residents && r.Electorate != Organisations && r.Electorate != Both {
		v.Add("electorate", "Choose who votes")
	}
	if r.MaxApprovals < 0 {
		v.Add("max_approvals", "The cap on approvals cannot be negative")
	}
	if r.ProposalsUntil.IsZero() {
		v.Add("proposals_until", "Enter when proposals close")
	}
	if r.VotingFrom.IsZero() || r.VotingUntil.IsZero() || !r.VotingUntil.After(r.VotingFrom) {
		v.Add("voting_until", "Enter when voting opens and closes; it must close after it opens")
	} else if !r.ProposalsUntil.IsZero() && r.VotingFrom.Before(r.ProposalsUntil) {
		v.Add("voting_from", "Voting must open after proposals close, leaving time for the eligibility review")
	}
	return v.Err()
}

// Electorates: who votes in a round. With Both, residents and member
// organisations are separate constituencies holding half the budget each.
const (
	Residents     = "residents"
	Organisations = "organisations"
	Both          = "both"
)

// Allows reports whether the electorate includes a constituency.
func (r Round) Allows(constituency string) bool {
	return r.Electorate == constituency || r.Electorate == Both
}

// Proposal statuses.
const (
	Submitted  = "submitted"
	Eligible   = "eligible"
	Ineligible = "ineligible"
	Withdrawn  = "withdrawn"
)

// Proposal is an organisation's bid for a grant.
type Proposal struct {
	ID           int64
	RoundID      int64
	OrgID        int64
	OrgName      string
	OrgKind      string
	Title        string
	Summary      string
	BudgetPence  int64
	Priorities   string // framework priority codes, space-separated
	Coproduction string
	Systemic     string
	Status       string
	Reason       string // the reviewer's public reason
	Partners     []Partner
	Approvals    int
	CreatedAt    time.Time
}

// Partner is an organisation working on a proposal.
type Partner struct {
	OrgID int64
	Name  string
	Kind  string
}

// Validate checks a proposal's form.
func (p Proposal) Validate(r Round) error {
	var v problem.Invalid
	if strings.TrimSpace(p.Title) == "" {
		v.Add("title", "Enter a title")
	}
	if strings.TrimSpace(p.Summary) == "" {
		v.Add("summary", "Describe the proposal")
	}
	if p.BudgetPence <= 0 {
		v.Add("budget", "Enter the budget you are asking for, in pounds")
	}
	if strings.TrimSpace(p.Coproduction) == "" {
		v.Add("coproduction", "Say who designed this with you and how the people it serves took part")
	}
	if strings.TrimSpace(p.Systemic) == "" {
		v.Add("systemic", "Say what lasting change it aims at")
	}
	return v.Err()
}

// Check is one automatic eligibility test.
type Check struct {
	Name   string
	Passed bool
	Detail string
}

// AutoChecks runs the checks a machine can make: partners from at least
// two of the three sectors (counting the proposer), a budget within the
// round's limits, and the required statements.
func AutoChecks(p Proposal, r Round) []Check {
	sectors := map[string]bool{SectorOf(p.OrgKind): true}
	for _, pt := range p.Partners {
		sectors[SectorOf(pt.Kind)] = true
	}
	var names []string
	for _, s := range []string{Public, Private, VCSE} {
		if sectors[s] {
			names = append(names, strings.ToLower(SectorLabel(s)))
		}
	}
	inLimits := p.BudgetPence >= r.MinPence && (r.MaxPence == 0 || p.BudgetPence <= r.MaxPence) && p.BudgetPence <= r.BudgetPence
	limits := fmt.Sprintf("the round accepts %s to %s", Pounds(r.MinPence), Pounds(min(r.MaxPence, r.BudgetPence)))
	if r.MaxPence == 0 {
		limits = fmt.Sprintf("the round accepts %s to %s", Pounds(r.MinPence), Pounds(r.BudgetPence))
	}
	return []Check{
		{"Cross-sector partnership", len(sectors) >= 2, "Sectors involved: " + strings.Join(names, ", ") + " (at least two of three are needed)"},
		{"Budget within the round's limits", inLimits, "Asks for " + Pounds(p.BudgetPence) + "; " + limits},
		{"Co-production statement", strings.TrimSpace(p.Coproduction) != "", "Who designed it and how the people it serves took part"},
		{"Systemic change statement", strings.TrimSpace(p.Systemic) != "", "What lasting change it aims at"},
	}
}

// Passed reports whether all checks passed.
func Passed(cs []Check) bool {
	for _, c := range cs {
		if !c.Passed {
			return false
		}
	}
	return true
}

// Pounds is the one way the service writes an amount of money for people:
// whole pounds with thousands separators and no pence when there are none
// (£25,000), pence only where they matter (£12.50), and a negative amount
// with a minus sign before the pound sign (−£1,200, U+2212 as typeset). Pages,
// explanations and command output all use it; data files (CSV, JSON) keep
// their own machine formats.
func Pounds(p int64) string {
	u := uint64(p)
	sign := ""
	if p < 0 {
		sign, u = "\u2212", -u // two's complement: right even for the smallest int64
	}
	s := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	b.WriteString(sign)
	b.WriteString("£")
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	if pence := u % 100; pence != 0 {
		b.WriteByte('.')
		b.WriteByte(byte('0' + pence/10))
		b.WriteByte(byte('0' + pence%10))
	}
	return b.String()
}

// Explanation says, in plain words, why each proposal was or was not funded.
type Explanation struct {
	Rule     string
	Funded   []Funded
	Unfunded []Unfunded
	Greedy   []int // what greedy would have funded (proposal indices)
}

// Funded is a funded proposal and what each supporter paid for it.
type Funded struct {
	Index      int
	PerVoter   string // e.g. "£12.50" (MES rules), "" otherwise
	Supporters int
}

// Unfunded is a proposal left out, with the reason.
type Unfunded struct {
	Index  int
	Reason string
}

// Explain describes an outcome for the results page. Amounts in the
// election are in pounds (so that Add1 steps by £1).
func Explain(e *Election, o *Outcome) Explanation {
	sup := e.supporters()
	x := Explanation{Rule: o.Rule, Greedy: Greedy(e).Selected}
	in := map[int]bool{}
	for k, p := range o.Selected {
		in[p] = true
		f := Funded{Index: p, Supporters: len(sup[p])}
		if o.Payments != nil && k < len(o.Payments) {
			f.PerVoter = ratPounds(o.Payments[k])
		}
		x.Funded = append(x.Funded, f)
	}
	left := new(big.Rat).Sub(e.Budget, o.TotalCost)
	for p := range e.Projects {
		if in[p] {
			continue
		}
		reason := ""
		switch {
		case len(sup[p]) == 0:
			reason = "No one voted for it."
		case e.Projects[p].Cost.Cmp(left) > 0:
			reason = fmt.Sprintf("It did not fit: it costs %s and %s was left.", ratPounds(e.Projects[p].Cost), ratPounds(left))
		case o.Rule == "greedy" || o.Rule == "phragmen":
			reason = "Other proposals came first under this rule."
		default:
			reason = fmt.Sprintf("Its %d supporters did not have enough of their equal shares left to pay for it.", len(sup[p]))
		}
		x.Unfunded = append(x.Unfunded, Unfunded{Index: p, Reason: reason})
	}
	return x
}

// ratPounds formats an exact amount of pounds to the penny, saying
// "about" when it is not a whole number of pence.
func ratPounds(pounds *big.Rat) string {
	if pounds == nil {
		return ""
	}
	pence := new(big.Rat).Mul(pounds, big.NewRat(100, 1))
	// FloatString rounds to the nearest penny, halves away from zero.
	p, err := strconv.ParseInt(pence.FloatString(0), 10, 64)
	if err != nil {
		return "about " + pounds.FloatString(0) + " pounds"
	}
	if !pence.IsInt() {
		return "about " + Pounds(p)
	}
	return Pounds(p)
}

// PoundsText shows an exact amount of pounds written as a decimal or a
// fraction (a published document's "144164/61") in the one money format,
// to the penny, saying "about" when it is not a whole number of pence.
func PoundsText(exact string) string {
	r, ok := new(big.Rat).SetString(exact)
	if !ok {
		return exact
	}
	return ratPounds(r)
}

// PenceToPounds converts whole pence to an exact number of pounds.
func PenceToPounds(p int64) *big.Rat { return big.NewRat(p, 100) }

// Update statuses for delivery tracking.
var UpdateStatuses = []string{"on_track", "at_risk", "delayed", "complete"}

// StatusLabel names a delivery status.
func StatusLabel(s string) string {
	switch s {
	case "on_track":
		return "On track"
	case "at_risk":
		return "At risk"
	case "delayed":
		return "Delayed"
	case "complete":
		return "Complete"
	}
	return s
}

// Update is a dated progress report on a funded project.
type Update struct {
	ID         int64
	ProposalID int64
	Percent    int
	Status     string
	Note       string
	CreatedAt  time.Time
}

// Validate checks a progress update.
func (u Update) Validate() error {
	var v problem.Invalid
	if u.Percent < 0 || u.Percent > 100 {
		v.Add("percent", "Progress is a whole number from 0 to 100")
	}
	known := false
	for _, s := range UpdateStatuses {
		known = known || s == u.Status
	}
	if !known {
		v.Add("status", "Choose how the project is going")
	}
	if strings.TrimSpace(u.Note) == "" {
		v.Add("note", "Say what has happened since the last update")
	}
	return v.Err()
}
