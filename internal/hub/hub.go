// Package hub is the Social Value Hub's brokerage: community needs and
// business offers, the scores that match them (each explained), and the
// global assignment of offers to needs. It is pure: the store persists,
// the web asks.
package hub

import (
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Kinds of help. A need and an offer match only when their kinds do.
var Kinds = []struct{ Value, Label, Unit string }{
	{"volunteers", "Volunteers", "hours"},
	{"expertise", "Expert advice (pro bono)", "hours"},
	{"goods", "Equipment or goods", "items"},
	{"funding", "Funding", "£"},
	{"space", "Premises or space", "hours"},
	{"placements", "Work placements or apprenticeship tasters", "placements"},
	{"other", "Other", "units"},
}

// KindLabel and KindUnit describe a kind.
func KindLabel(k string) string {
	for _, x := range Kinds {
		if x.Value == k {
			return x.Label
		}
	}
	return k
}

// KindUnit is what a kind's size is counted in.
func KindUnit(k string) string {
	for _, x := range Kinds {
		if x.Value == k {
			return x.Unit
		}
	}
	return "units"
}

func validKind(k string) bool { return KindLabel(k) != k }

// Need states: posted needs wait for moderation before they are public.
const (
	Pending   = "pending"
	Open      = "open"
	Paused    = "paused"
	Fulfilled = "fulfilled"
	Withdrawn = "withdrawn"
)

// MaxTopChallenges is how many needs a group may mark as a top challenge.
const MaxTopChallenges = 3

// Need is an ask from a VCSE organisation, school, group or public body.
type Need struct {
	ID            int64
	OrgID         int64
	OrgName       string
	Title         string
	Description   string
	Kind          string
	Priorities    []string // framework priority codes
	Area          string   // district or ward code; "" = anywhere in GM
	AreaName      string
	DistrictCode  string // the area's district ("" for anywhere)
	By            *time.Time
	Recurring     bool
	Size          int64 // in the kind's unit
	Beneficiaries string
	Contact       string // how to get in touch; shown only to matched parties
	TopChallenge  bool
	Status        string
	IMDDecile     int // of the area (1 = most deprived); 0 unknown
	Remaining     int64
	CreatedAt     time.Time
}

// Offer is what a business (or any organisation) can give.
type Offer struct {
	ID           int64
	OrgID        int64
	OrgName      string
	Title        string
	Description  string
	Kind         string
	Skills       []string
	Priorities   []string
	Area         string // district code served; "" = anywhere in GM
	AreaName     string
	DistrictCode string
	From, To     *time.Time
	Capacity     int64
	Remaining    int64
	ContractID   int64 // the contract whose commitment this helps deliver
	CommitmentID int64
	Status       string
	CreatedAt    time.Time
}

// Available keeps the offers that still have something left to give
// (Remaining above zero): an open offer whose capacity has all been
// matched is not listed as open.
func Available(offers []Offer) []Offer {
	out := make([]Offer, 0, len(offers))
	for _, o := range offers {
		if o.Remaining > 0 {
			out = append(out, o)
		}
	}
	return out
}

// Validate checks a need; field names follow the need form.
func (n Need) Validate(now time.Time) error {
	v := &problem.Invalid{}
	if strings.TrimSpace(n.Title) == "" {
		v.Add("title", "Say in a few words what you need")
	}
	if !validKind(n.Kind) {
		v.Add("kind", "Choose what kind of help you need")
	}
	if n.Size <= 0 {
		v.Add("size", "Say how much you need, as a number above zero")
	}
	if n.By != nil && n.By.Before(now.Truncate(24*time.Hour)) {
		v.Add("by", "The date you need it by is in the past")
	}
	if len(n.Priorities) == 0 {
		v.Add("priorities", "Choose at least one priority your need serves")
	}
	if strings.TrimSpace(n.Contact) == "" {
		v.Add("contact", "Say how a matched organisation should contact you")
	}
	return v.Err()
}

// Validate checks an offer; field names follow the offer form.
func (o Offer) Validate() error {
	v := &problem.Invalid{}
	if strings.TrimSpace(o.Title) == "" {
		v.Add("title", "Say in a few words what you offer")
	}
	if !validKind(o.Kind) {
		v.Add("kind", "Choose what kind of help you offer")
	}
	if o.Capacity <= 0 {
		v.Add("capacity", "Capacity must be a number above zero")
	}
	if o.From != nil && o.To != nil && o.To.Before(*o.From) {
		v.Add("to", "The end date must be on or after the start date")
	}
	return v.Err()
}

// dateLabels names the date fields of needs and offers in errors, so two
// bad dates on one form never give two identical messages.
var dateLabels = map[string]string{"by": "the date it is needed by", "from": "the date the offer starts", "to": "the date the offer ends"}

// ParseDate reads an optional YYYY-MM-DD date from the form field named
// field; its error names the field.
func ParseDate(s, field string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		label := dateLabels[field]
		if label == "" {
			label = "the date"
		}
		return nil, problem.Field(field, "Enter %s like 2027-03-31", label)
	}
	return &t, nil
}

// Match states.
const (
	Proposed  = "proposed"
	Accepted  = "accepted"
	Declined  = "declined"
	Delivered = "delivered"
)

// Match pairs a need and an offer for a quantity.
type Match struct {
	ID           int64
	NeedID       int64
	OfferID      int64
	NeedTitle    string
	OfferTitle   string
	NeedOrgID    int64
	OfferOrgID   int64
	NeedOrg      string
	OfferOrg     string
	Kind         string
	Quantity     int64
	ProposedBy   int64 // the organisation that proposed
	Status       string
	Reason       string // a decline's reason
	Score        float64
	NeedConfirm  int64 // quantity each side confirms was delivered; 0 = not yet
	OfferConfirm int64
	DeliveredOn  string
	ContractID   int64
	CreatedAt    time.Time
}

// OtherParty is the organisation that must answer a proposal.
func (m Match) OtherParty() int64 {
	if m.ProposedBy == m.NeedOrgID {
		return m.OfferOrgID
	}
	return m.NeedOrgID
}

// Confirmed is the delivered quantity both sides agree on (the smaller of
// the two confirmations), or 0 while either is missing.
func (m Match) Confirmed() int64 {
	if m.NeedConfirm == 0 || m.OfferConfirm == 0 {
		return 0
	}
	return min(m.NeedConfirm, m.OfferConfirm)
}

// Message is one message in an accepted match's conversation.
type Message struct {
	ID        int64
	MatchID   int64
	OrgName   string
	UserName  string
	Body      string
	CreatedAt time.Time
}
