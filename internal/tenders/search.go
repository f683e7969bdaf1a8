package tenders

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Search is the /tenders search form: every filter is optional and they
// all apply together. Values are in pence; closing dates are whole days in
// the hub's time zone (ClosingTo includes its whole day).
type Search struct {
	Text        string
	BuyerOrgID  int64
	Status      string
	MinPence    int64 // -1 = no lower limit
	MaxPence    int64 // -1 = no upper limit
	CPV         string
	ClosingFrom time.Time // zero = no limit
	ClosingTo   time.Time // zero = no limit
}

// Any says whether any filter is set.
func (s Search) Any() bool {
	return s.Text != "" || s.BuyerOrgID != 0 || s.Status != "" || s.MinPence >= 0 || s.MaxPence >= 0 || s.CPV != "" || !s.ClosingFrom.IsZero() || !s.ClosingTo.IsZero()
}

// SearchStatuses are the statuses a search may name, with their words.
var searchStatuses = map[string]bool{Draft: true, Published: true, Closed: true, Evaluated: true, Awarded: true, Cancelled: true}

// maxSearchText bounds the free-text filter.
const maxSearchText = 200

// ParseSearch reads the search form's query. Each bad value is reported on
// its own field with what was expected.
func ParseSearch(q url.Values, loc *time.Location) (Search, *problem.Invalid) {
	s := Search{MinPence: -1, MaxPence: -1}
	inv := &problem.Invalid{}
	s.Text = strings.TrimSpace(q.Get("q"))
	if n := len([]rune(s.Text)); n > maxSearchText {
		inv.Add("q", "Search words must be %d characters or fewer (you entered %d)", maxSearchText, n)
	}
	if b := strings.TrimSpace(q.Get("buyer")); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil || id <= 0 {
			inv.Add("buyer", "Choose a buyer from the list")
		}
		s.BuyerOrgID = id
	}
	if st := strings.TrimSpace(q.Get("status")); st != "" {
		if !searchStatuses[st] {
			inv.Add("status", "Choose a status from the list")
		}
		s.Status = st
	}
	s.MinPence = poundsField(inv, q.Get("min"), "min", "Lowest value")
	s.MaxPence = poundsField(inv, q.Get("max"), "max", "Highest value")
	if s.MinPence >= 0 && s.MaxPence >= 0 && s.MinPence > s.MaxPence && !inv.Has("min") && !inv.Has("max") {
		inv.Add("max", "Highest value must be the same as or more than the lowest value")
	}
	if c := strings.TrimSpace(q.Get("cpv")); c != "" {
		c = strings.SplitN(c, "-", 2)[0] // a check digit ("45000000-7") is not needed
		if len(c) < 2 || len(c) > 8 || strings.Trim(c, "0123456789") != "" {
			inv.Add("cpv", "CPV code must be 2 to 8 digits, like 45000000 for construction work or 85 for health and social work services")
		}
		s.CPV = c
	}
	s.ClosingFrom = dateField(inv, q.Get("from"), "from", "Closing on or after", loc)
	to := dateField(inv, q.Get("to"), "to", "Closing on or before", loc)
	if !to.IsZero() {
		s.ClosingTo = to.AddDate(0, 0, 1) // the end of that day
		if !s.ClosingFrom.IsZero() && to.Before(s.ClosingFrom) {
			inv.Add("to", "Closing on or before must be the same as or after closing on or after")
		}
	}
	if len(inv.Fields) > 0 {
		return s, inv
	}
	return s, nil
}

func poundsField(inv *problem.Invalid, v, field, label string) int64 {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	c := strings.ReplaceAll(strings.TrimPrefix(v, "£"), ",", "")
	whole, frac, dot := strings.Cut(c, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || (dot && (len(frac) == 0 || len(frac) > 2 || strings.Trim(frac, "0123456789") != "")) || len(whole) > 13 {
		inv.Add(field, "%s must be an amount in pounds, like 25000 or £25,000 (you entered %q)", label, v)
		return -1
	}
	frac += strings.Repeat("0", 2-len(frac))
	p, _ := strconv.ParseInt(whole+frac, 10, 64)
	return p
}

func dateField(inv *problem.Invalid, v, field, label string, loc *time.Location) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		inv.Add(field, "%s must be a real date written as year-month-day, like 2027-01-31 (you entered %q)", label, v)
		return time.Time{}
	}
	return d
}

// Match says whether a tender passes every filter. Text matches the title,
// description, buyer and CPV code, case-insensitively, every word needed;
// CPV matches a code's leading digits (a division or group).
func (s Search) Match(t Tender) bool {
	if s.BuyerOrgID != 0 && t.BuyerOrgID != s.BuyerOrgID {
		return false
	}
	if s.Status != "" && t.Status != s.Status {
		return false
	}
	if (s.MinPence >= 0 && t.ValuePence < s.MinPence) || (s.MaxPence >= 0 && t.ValuePence > s.MaxPence) {
		return false
	}
	if s.CPV != "" && !strings.HasPrefix(t.CPV, s.CPV) {
		return false
	}
	if (!s.ClosingFrom.IsZero() && t.Deadline.Before(s.ClosingFrom)) || (!s.ClosingTo.IsZero() && !t.Deadline.Before(s.ClosingTo)) {
		return false
	}
	if s.Text != "" {
		hay := strings.ToLower(t.Title + "\n" + t.Description + "\n" + t.BuyerName + "\n" + t.CPV)
		for _, w := range strings.Fields(strings.ToLower(s.Text)) {
			if !strings.Contains(hay, w) {
				return false
			}
		}
	}
	return true
}
