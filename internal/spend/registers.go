package spend

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/svhub/svhub/internal/problem"
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
	cols, ok := registerColumns[source]
	if !ok {
		return nil, fmt.Errorf("unknown register %q (use charity or company)", source)
	}
	if lim.Rows <= 0 {
		lim.Rows = DefaultRegisterRows
	}
	lim = lim.withDefaults()
	cr := csv.NewReader(bufio.NewReaderSize(newCSVGuard(r, lim), 1<<20))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, ErrLimit) {
		return nil, fmt.Errorf("%s: %w", name, err) // it names its line, often past the header
	}
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", name, err)
	}
	header = append([]string(nil), header...)
	idx := map[string]int{}
	for field, syns := range cols {
		for _, syn := range syns {
			for i, h := range header {
				if _, done := idx[field]; !done && norm(strings.TrimPrefix(h, "\ufeff")) == syn {
					idx[field] = i
				}
			}
		}
	}
	for _, need := range []string{"number", "name"} {
		if _, ok := idx[need]; !ok {
			return nil, fmt.Errorf("%s: no %s column; a %s register needs one of: %s", name, need, source, strings.Join(cols[need], ", "))
		}
	}
	fe := &problem.FileErrors{File: name}
	var out []RegisterEntry
	var rows int64
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			// The file cannot be read on (a limit, a failing disk): stop.
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if rows++; rows > lim.Rows {
			return nil, fmt.Errorf("%s: %w", name, &LimitError{Where: fmt.Sprintf("line %d", line), What: fmt.Sprintf("the file has more than %d rows", lim.Rows), Limit: "rows in a file", Max: lim.Rows, Flag: "--max-rows"})
		}
		if err != nil {
			fe.Add(line, "%v", err)
			continue
		}
		get := func(field string) string {
			if i, ok := idx[field]; ok && i < len(rec) {
				v := strings.TrimSpace(Text(rec[i]))
				if v == "NA" || v == "N/A" {
					return ""
				}
				return strings.Clone(v) // not the whole row's text, which a slice of it would keep
			}
			return ""
		}
		e := RegisterEntry{Source: source, Number: strings.ToUpper(get("number")), CompanyNumber: strings.ToUpper(get("company")), Name: get("name"),
			Postcode: get("postcode"), Category: get("category"), Status: get("status"), SIC: get("sic"), Line: line}
		if source == CompaniesHouse {
			e.CompanyNumber = e.Number
		}
		if e.Number == "" || e.Name == "" {
			fe.Add(line, "no number or no name")
			continue
		}
		out = append(out, e)
	}
	return out, fe.Err()
}

// VCSE reports whether a register entry is a voluntary, community or
// social enterprise organisation: every charity, and community interest
// companies and co-operative or community benefit societies.
func (e RegisterEntry) VCSE() string {
	if e.Source == CharityRegister {
		return "yes"
	}
	c := strings.ToLower(e.Category)
	if strings.Contains(c, "community interest") || strings.Contains(c, "society") || strings.Contains(c, "charitable") {
		return "yes"
	}
	if c == "" {
		return "unknown"
	}
	return "no"
}
