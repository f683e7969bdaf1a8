// Package proxies is the catalogue of proxy values (unit costs) that put a
// pound figure on social value: sources with their provenance (publisher,
// edition, licence, attribution), the values each edition holds with the
// price year they are expressed in, the import of a publisher's workbook,
// and price-year uplift indexes. Values of different price years are never
// added without an index (Sum).
//
// A framework measure's own proxy values (framework.ProxyValue) price that
// measure; the values here are the catalogue such links are drawn from.
package proxies

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Kinds of value, in the Green Book's sense: a fiscal value is a cost to
// (or saving for) the public purse, an economic value a gain in output or
// income, a social value a gain in wellbeing that no budget sees.
const (
	Fiscal   = "fiscal"
	Economic = "economic"
	Social   = "social"
)

// Kinds lists the kinds in display order.
var Kinds = []string{Fiscal, Economic, Social}

// Source is one edition of a publisher's set of proxy values. Editions of
// a source are kept side by side, so whatever used an older edition keeps
// pointing at the values it used.
type Source struct {
	ID          int64
	Key         string // in addresses: /proxies/{key}; made from name and edition
	Name        string
	Publisher   string
	Edition     string
	Licence     string
	Attribution string // the line every page using these values shows
	URL         string
	// LicensedOnly marks values the hub may use but never publish (such
	// as the National TOMs under CC BY-NC-ND): no public page or open data
	// export lists them.
	LicensedOnly bool
	BuiltIn      bool // shipped with the hub
	Note         string
	CreatedAt    time.Time
	Values       int // how many values the edition holds (when listed)
}

// Value is one unit cost: what one unit of an outcome is worth, to whom,
// in which year's prices.
type Value struct {
	ID           int64
	SourceID     int64
	Code         string
	Theme        string // the workbook sheet it came from
	Detail       string // the heading it sits under in the source
	Description  string
	Unit         string // such as "Per claimant per year"
	Pence        int64
	PriceYear    string // "2013/14" (a financial year) or "2020" (a calendar year)
	Agency       string // who bears the cost
	AgencyDetail string
	Kind         string
}

// Edition is a source with its values, as imported or shipped.
type Edition struct {
	Source Source
	Values []Value
}

// Sheets counts an edition's values by theme, in first-seen order.
func (e Edition) Sheets() []SheetCount {
	var out []SheetCount
	at := map[string]int{}
	for _, v := range e.Values {
		i, ok := at[v.Theme]
		if !ok {
			i = len(out)
			at[v.Theme] = i
			out = append(out, SheetCount{Name: v.Theme})
		}
		out[i].Values++
	}
	return out
}

// SheetCount is how many values one sheet (theme) held.
type SheetCount struct {
	Name   string
	Values int
}

var nonKey = regexp.MustCompile(`[^a-z0-9.]+`)

// MakeKey builds a source's address name from its name and edition, such
// as "unit-cost-database-1.4".
func MakeKey(name, edition string) string {
	k := nonKey.ReplaceAllString(strings.ToLower(name+" "+edition), "-")
	k = strings.Trim(k, "-.")
	if len(k) > 80 {
		k = strings.TrimRight(k[:80], "-.")
	}
	return k
}

// Validate checks a source's descriptive fields.
func (s Source) Validate() error {
	var v problem.Invalid
	req := func(field, value, what string) {
		if strings.TrimSpace(value) == "" {
			v.Add(field, "Enter the %s", what)
		} else if len(value) > 500 {
			v.Add(field, "The %s must be 500 characters or fewer", what)
		}
	}
	req("name", s.Name, "source's name")
	req("publisher", s.Publisher, "publisher")
	req("edition", s.Edition, "edition")
	req("licence", s.Licence, "licence")
	req("attribution", s.Attribution, "attribution line")
	if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://") {
		v.Add("url", "The source's address must start https://")
	}
	if MakeKey(s.Name, s.Edition) == "" {
		v.Add("name", "The name and edition need at least one letter or digit")
	}
	return v.Err()
}

// ValidKind reports whether k is one of the kinds.
func ValidKind(k string) bool { return k == Fiscal || k == Economic || k == Social }

var (
	fyRe   = regexp.MustCompile(`^(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})$`)
	yearRe = regexp.MustCompile(`^(\d{4})(?:\.0+)?$`)
)

// PriceYear normalises a price year as publishers write it: a financial
// year ("2013/14", "2013-14", "2013/2014", "FY 2013-14") becomes "2013/14";
// a calendar year ("2020", or 2020.0 from a spreadsheet) stays "2020".
// Financial and calendar years are different bases and never match.
func PriceYear(s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return "", fmt.Errorf("no price year")
	}
	if m := yearRe.FindStringSubmatch(t); m != nil {
		y, _ := strconv.Atoi(m[1])
		if y < 1900 || y > 2200 {
			return "", fmt.Errorf("price year %q is out of range", s)
		}
		return m[1], nil
	}
	if m := fyRe.FindStringSubmatch(t); m != nil {
		y, _ := strconv.Atoi(m[1])
		next := m[2]
		if len(next) == 4 {
			n, _ := strconv.Atoi(next)
			if n != y+1 {
				return "", fmt.Errorf("price year %q: a financial year runs from one year to the next", s)
			}
			next = next[2:]
		} else if n, _ := strconv.Atoi(next); n != (y+1)%100 {
			return "", fmt.Errorf("price year %q: a financial year runs from one year to the next", s)
		}
		if y < 1900 || y > 2200 {
			return "", fmt.Errorf("price year %q is out of range", s)
		}
		return fmt.Sprintf("%d/%s", y, next), nil
	}
	return "", fmt.Errorf("price year %q is not a year such as 2020 or 2013/14", s)
}

// Fingerprint is a SHA-256 over an edition's provenance and values in
// order: importing an edition whose fingerprint is already stored changes
// nothing, and an edition of the same name with another fingerprint is
// refused rather than overwritten.
func (e Edition) Fingerprint() string {
	h := sha256.New()
	w := func(fields ...string) {
		for _, f := range fields {
			fmt.Fprintf(h, "%d:%s", len(f), f)
		}
		h.Write([]byte{'\n'})
	}
	s := e.Source
	w(s.Name, s.Publisher, s.Edition, s.Licence, s.Attribution, s.URL, strconv.FormatBool(s.LicensedOnly), s.Note)
	for _, v := range e.Values {
		w(v.Code, v.Theme, v.Detail, v.Description, v.Unit, strconv.FormatInt(v.Pence, 10), v.PriceYear, v.Agency, v.AgencyDetail, v.Kind)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Fingerprint is a SHA-256 over an index's description and years.
func (ix Index) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %q\n", ix.Name, ix.Source, ix.Published)
	for _, y := range ix.SortedYears() {
		fmt.Fprintf(h, "%s=%s\n", y, ix.Years[y].RatString())
	}
	return hex.EncodeToString(h.Sum(nil))
}
