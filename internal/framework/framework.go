// Package framework is the social value framework catalogue: a framework
// edition has priorities, each with outcomes, each with measures, each with
// optional proxy values. Published editions are immutable; a change is a new
// draft edition. Editions move in and out as CSV so a licensee can load
// frameworks we may not ship (such as the National TOMs).
package framework

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
)

// Edition states.
const (
	Draft     = "draft"
	Published = "published"
)

// Framework is one edition of a framework.
type Framework struct {
	ID          int64
	Name        string
	Publisher   string
	Edition     string
	Licence     string
	SourceURL   string
	Status      string
	PublishedAt *time.Time
	CreatedAt   time.Time
	Priorities  []Priority
}

// Priority is a top-level theme.
type Priority struct {
	ID          int64
	Code        string
	Position    int
	Title       string
	Description string
	Outcomes    []Outcome
}

// Outcome is what a priority seeks.
type Outcome struct {
	ID       int64
	Code     string
	Title    string
	Measures []Measure
}

// Measure is a countable commitment.
type Measure struct {
	ID         int64
	Code       string
	Wording    string
	Unit       string
	Guidance   string
	RecordOnly bool // counted and reported but never given a £ value
	Proxies    []ProxyValue
	// Links name unit costs in the proxy catalogue that price the
	// measure, each with the written reason it fits. A published
	// edition's links are frozen with it, pointing at the edition of the
	// source they were made with.
	Links []ProxyLink
}

// ProxyLink ties a measure to one unit cost of a proxy source.
type ProxyLink struct {
	UnitCostID int64  // the stored unit cost; 0 until resolved by the store
	SourceKey  string // the source edition's address name, such as unit-cost-database-1.4
	Code       string // the unit cost's code in that source, such as E&E1.0
	Rationale  string // why this unit cost fits the measure, in plain words
	// Read with the link, for display.
	Value  proxies.Value
	Source proxies.Source
}

// UnitValue is what the monetised method multiplies a measure's quantity
// by, with its provenance in one line and the year whose prices it is in.
type UnitValue struct {
	Pence     int64
	PriceYear string
	Source    string
}

// UnitValue is the measure's first link to an open unit cost, else its
// first written-in proxy value; ok is false when it has neither. Values
// of a licensed-only source are never used: evaluations are published.
func (m Measure) UnitValue() (UnitValue, bool) {
	for _, l := range m.Links {
		if l.Source.LicensedOnly || l.Value.Code == "" {
			continue
		}
		src := fmt.Sprintf("%s %s, %s: %s, %s. %s", l.Source.Name, l.Source.Edition, l.Value.Code, l.Value.Description, strings.ToLower(l.Value.Unit), l.Source.Attribution)
		return UnitValue{Pence: l.Value.Pence, PriceYear: l.Value.PriceYear, Source: src}, true
	}
	if len(m.Proxies) > 0 {
		pv := m.Proxies[0]
		return UnitValue{Pence: pv.PencePerUnit, PriceYear: strconv.Itoa(pv.PriceYear), Source: pv.Source}, true
	}
	return UnitValue{}, false
}

// MaxRationale bounds a link's rationale.
const MaxRationale = 2000

// Validate checks a link before it is stored.
func (l ProxyLink) Validate() error {
	var v problem.Invalid
	if l.UnitCostID == 0 && (strings.TrimSpace(l.SourceKey) == "" || strings.TrimSpace(l.Code) == "") {
		v.Add("code", "Choose a source and enter the unit cost's code, such as E&E1.0")
	}
	if strings.TrimSpace(l.Rationale) == "" {
		v.Add("rationale", "Explain why this unit cost fits the measure: what one unit of the measure is, in the unit cost's terms, and what it leaves out")
	} else if len(l.Rationale) > MaxRationale {
		v.Add("rationale", "The rationale must be %d characters or fewer", MaxRationale)
	}
	return v.Err()
}

// ProxyValue prices one unit of a measure, with its cited source.
type ProxyValue struct {
	ID           int64
	PencePerUnit int64
	PriceYear    int
	Source       string
	Licence      string
	ValidFrom    string // YYYY-MM-DD or ""
	ValidTo      string
}

// MeasureCount counts the measures of an edition.
func (f Framework) MeasureCount() int {
	n := 0
	for _, p := range f.Priorities {
		for _, o := range p.Outcomes {
			n += len(o.Measures)
		}
	}
	return n
}

// Immutable reports whether the edition can no longer change.
func (f Framework) Immutable() bool { return f.Status == Published }

var codeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

// ValidateMeta checks an edition's descriptive fields.
func (f Framework) ValidateMeta() error {
	var v problem.Invalid
	req := func(field, value, what string) {
		if strings.TrimSpace(value) == "" {
			v.Add(field, "Enter the %s", what)
		} else if len(value) > 300 {
			v.Add(field, "The %s must be 300 characters or fewer", what)
		}
	}
	req("name", f.Name, "framework name")
	req("publisher", f.Publisher, "publisher")
	req("edition", f.Edition, "edition")
	req("licence", f.Licence, "licence")
	if f.SourceURL != "" && !strings.HasPrefix(f.SourceURL, "https://") && !strings.HasPrefix(f.SourceURL, "http://") {
		v.Add("source_url", "Source must be a web address starting https://")
	}
	return v.Err()
}

// ValidateMeasure checks an edited measure.
func (m Measure) Validate() error {
	var v problem.Invalid
	if !codeRe.MatchString(m.Code) {
		v.Add("code", "Code must be 1 to 32 letters, digits, dots, dashes or underscores")
	}
	if strings.TrimSpace(m.Wording) == "" {
		v.Add("wording", "Enter the measure's wording")
	} else if len(m.Wording) > 1000 {
		v.Add("wording", "Wording must be 1,000 characters or fewer")
	}
	if strings.TrimSpace(m.Unit) == "" {
		v.Add("unit", "Enter the unit the measure is counted in, such as hours or tonnes CO2e")
	}
	return v.Err()
}
