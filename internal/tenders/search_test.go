package tenders

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSearchFilters(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.Add(12 * time.Hour) }
	list := []Tender{
		{ID: 1, Title: "Library refurbishment", Description: "Refit two libraries", BuyerOrgID: 10, BuyerName: "Manchester City Council", Status: Published, ValuePence: 75_000_000, CPV: "45000000", Deadline: day("2027-01-15")},
		{ID: 2, Title: "Home care", Description: "Care at home in Wigan", BuyerOrgID: 11, BuyerName: "Wigan Council", Status: Awarded, ValuePence: 1_200_000_000, CPV: "85312000", Deadline: day("2026-06-01")},
		{ID: 3, Title: "School meals", Description: "Hot meals for schools", BuyerOrgID: 10, BuyerName: "Manchester City Council", Status: Closed, ValuePence: 2_500_000, CPV: "55524000", Deadline: day("2026-11-30")},
	}
	cases := []struct {
		query string
		want  []int64
	}{
		{"", []int64{1, 2, 3}},
		{"q=LIBRARY", []int64{1}},
		{"q=manchester+meals", []int64{3}},       // every word, across buyer and title
		{"q=wigan+library", nil},                 // both words needed
		{"buyer=10", []int64{1, 3}},              // buyer
		{"status=awarded", []int64{2}},           // status
		{"min=25000", []int64{1, 2, 3}},          // £25,000 is 2,500,000 pence: inclusive
		{"min=%C2%A325%2C000.01", []int64{1, 2}}, // "£25,000.01"
		{"max=750000", []int64{1, 3}},            // inclusive upper limit
		{"min=100000&max=750000", []int64{1}},    // range
		{"cpv=85", []int64{2}},                   // a division
		{"cpv=45000000-7", []int64{1}},           // a check digit is dropped
		{"from=2026-11-30", []int64{1, 3}},       // the whole day counts
		{"to=2026-11-30", []int64{2, 3}},         // the whole day counts
		{"from=2026-07-01&to=2026-12-31", []int64{3}},
		{"q=meals&buyer=10&status=closed&min=1&max=30000&cpv=555&from=2026-11-01&to=2026-12-01", []int64{3}}, // all together
		{"q=meals&status=published", nil},
	}
	for _, c := range cases {
		q, _ := url.ParseQuery(c.query)
		s, inv := ParseSearch(q, time.UTC)
		if inv != nil {
			t.Fatalf("%q: %v", c.query, inv)
		}
		var got []int64
		for _, tn := range list {
			if s.Match(tn) {
				got = append(got, tn.ID)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.query, got, c.want)
		}
		if s.Any() != (c.query != "") {
			t.Errorf("%q: Any() = %v", c.query, s.Any())
		}
	}
}

func TestSearchBadValues(t *testing.T) {
	cases := []struct{ query, field, says string }{
		{"min=ten+pounds", "min", `Lowest value must be an amount in pounds, like 25000 or £25,000 (you entered "ten pounds")`},
		{"max=12.345", "max", "Highest value must be an amount in pounds"},
		{"min=500&max=100", "max", "Highest value must be the same as or more than the lowest value"},
		{"cpv=4500000X", "cpv", "CPV code must be 2 to 8 digits"},
		{"cpv=4", "cpv", "CPV code must be 2 to 8 digits"},
		{"from=2026-13-01", "from", `Closing on or after must be a real date written as year-month-day, like 2027-01-31 (you entered "2026-13-01")`},
		{"to=31%2F01%2F2027", "to", "Closing on or before must be a real date"},
		{"from=2027-02-01&to=2027-01-01", "to", "Closing on or before must be the same as or after closing on or after"},
		{"status=secret", "status", "Choose a status from the list"},
		{"buyer=abc", "buyer", "Choose a buyer from the list"},
		{"q=" + strings.Repeat("a", 201), "q", "Search words must be 200 characters or fewer (you entered 201)"},
	}
	for _, c := range cases {
		q, _ := url.ParseQuery(c.query)
		_, inv := ParseSearch(q, time.UTC)
		if inv == nil {
			t.Errorf("%q: accepted", c.query)
			continue
		}
		if m := inv.Message(c.field); !strings.Contains(m, c.says) {
			t.Errorf("%q: %s says %q, want %q", c.query, c.field, m, c.says)
		}
	}
}
