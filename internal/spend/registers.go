package spend

import (
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

// ReadRegister reads a register extract. Bad rows are listed by line and
// nothing is returned unless the file is good.
func ReadRegister(r io.Reader, name, source string) ([]RegisterEntry, error) {
	cols, ok := registerColumns[source]
	if !ok {
		return nil, fmt.Errorf("unknown register %q (use charity or company)", source)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", name, err)
	}
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
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
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
				return v
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
