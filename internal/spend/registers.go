package spend

import (
	"io"
	"strings"
)

// Register sources.
const (
	CharityRegister = "charity"
	CompaniesHouse  = "company"
)

// RegisterEntry is one organisation from a public register.
type RegisterEntry struct {
	Source        string
	Number        string // charity or company number
	CompanyNumber string
	Name          string
	Postcode      string
	Category      string
	Status        string
	SIC           string
	Line          int
	// PreviousNames are a company's earlier names (Companies House
	// PreviousName_N.CompanyName), matched as names too.
	PreviousNames []string
	// Size is micro, small, medium or large from the accounts last filed
	// (AccountsSize), or "" when they do not say.
	Size string
}

// registerColumns are the columns accepted for each register (compared
// without case, spaces or punctuation). Companies House's "basic company
// data" file names them CompanyName, CompanyNumber, RegAddress.PostCode,
// CompanyCategory, CompanyStatus and SICCode.SicText_1; the Charity
// Commission extract registered_charity_number, charity_company_registration_number,
// charity_name, charity_type and charity_contact_postcode.
var registerColumns = map[string]map[string][]string{
	CharityRegister: {
		"number": {"registeredcharitynumber", "charitynumber", "regcharitynumber"}, "company": {"charitycompanyregistrationnumber", "companynumber"},
		"name": {"charityname", "name"}, "postcode": {"charitycontactpostcode", "postcode"}, "category": {"charitytype", "type"},
	},
	CompaniesHouse: {
		"number": {"companynumber"}, "name": {"companyname"}, "postcode": {"regaddresspostcode", "postcode"},
		"category": {"companycategory"}, "status": {"companystatus"}, "sic": {"siccodesictext1", "siccode"},
	},
}

// DefaultRegisterRows is the most rows read from one register file unless
// raised: every entry is held until the file is known to be good, so the
// row count bounds the memory an import takes (Companies House's basic
// company data, the largest register, has about 5.6 million rows).
const DefaultRegisterRows = 10_000_000

// ReadRegister reads a register extract within the default limits (see
// ReadRegisterLimits).
func ReadRegister(r io.Reader, name, source string) ([]RegisterEntry, error) {
	return ReadRegisterLimits(r, name, source, Limits{})
}

// ReadRegisterLimits reads a register extract. Bad rows are listed by line
// and nothing is returned unless the file is good. A cell, row, cell
// count, size or row count past lim (its zero fields meaning
// DefaultLimits, except Rows, which defaults to DefaultRegisterRows) stops
// the read with a *LimitError before the row is held in memory.
func ReadRegisterLimits(r io.Reader, name, source string, lim Limits) ([]RegisterEntry, error) {
	var out []RegisterEntry
	_, err := StreamRegister(r, name, source, lim, func(e RegisterEntry) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// VCSE reports whether a register entry is a voluntary, community or
// social enterprise organisation: every charity, and community interest
// companies and co-operative or community benefit societies.
func (e RegisterEntry) VCSE() string {
	if e.Source == CharityRegister {
		return "yes"
	}
	c := strings.ToLower(e.Category)
	switch {
	case strings.Contains(c, "community interest") || strings.Contains(c, "society") || strings.Contains(c, "charitable") ||
		strings.Contains(c, "industrial and provident") || strings.Contains(c, "co-operative") || strings.Contains(c, "community benefit"):
		// CICs, CIOs and charitable companies, registered (co-operative and
		// community benefit) societies.
		return "yes"
	case c == "", strings.Contains(c, "guar"):
		// A company limited by guarantee is often, but not always, not for
		// profit: the category alone does not say.
		return "unknown"
	}
	return "no"
}
