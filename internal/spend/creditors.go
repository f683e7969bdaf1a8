package spend

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/problem"
)

// A buyer's creditor file is the supplier master of its finance system:
// one row per supplier account with its id (the id its payments carry),
// name, address postcode and, often, company, charity and VAT numbers and
// a supplier type. It places suppliers first: the buyer knows where it
// sends its cheques.

// Creditor is one supplier account from a creditor file.
type Creditor struct {
	Line          int
	SupplierID    string
	Name          string
	OtherNames    []string // further spellings of the same supplier id
	Postcode      string   // normalised, or as written when it is not a postcode
	CompanyNumber string
	CharityNumber string
	VATNumber     string
	Type          string
}

// CreditorConflict is a supplier id (or, with no id, a name) that the file
// gives two different values for one field: it is reported and the field
// left blank, never guessed.
type CreditorConflict struct {
	SupplierID string `json:"supplier_id,omitempty"`
	Name       string `json:"name"`
	Field      string `json:"field"`
	Values     []string
	Lines      []int
}

func (c CreditorConflict) String() string {
	who := "supplier id " + Printable(c.SupplierID, 40)
	if c.SupplierID == "" {
		who = "supplier " + Printable(c.Name, 60) + " (no supplier id)"
	}
	var parts []string
	for i, v := range c.Values {
		parts = append(parts, fmt.Sprintf("%s on line %d", Printable(v, 40), c.Lines[i]))
	}
	return fmt.Sprintf("%s has %d different %ss: %s; left unplaced until the file says one", who, len(c.Values), creditorFieldWords[c.Field], strings.Join(parts, " and "))
}

var creditorFieldWords = map[string]string{"postcode": "postcode", "company_number": "company number", "charity_number": "charity number", "vat_number": "VAT number"}

// CreditorFile is what reading a creditor file produced.
type CreditorFile struct {
	Entries   []Creditor
	Conflicts []CreditorConflict
	// Columns names the header each field was read from.
	Columns map[string]string
	Rows    int
}

// creditorColumns are the header names accepted for each field, compared
// without case, spaces or punctuation.
var creditorColumns = map[string][]string{
	"supplier_id": {"supplierid", "suppliernumber", "supplierno", "suppliercode", "supplierref", "supplierreference", "supplieraccount", "supplieraccountnumber",
		"creditorid", "creditornumber", "creditorno", "creditorcode", "creditorref", "creditorreference", "creditoraccount", "vendorid", "vendornumber", "vendorno", "vendorcode",
		"beneficiaryotherid", "payeeid", "accountnumber", "accountno", "id"},
	"name":           {"suppliername", "creditorname", "vendorname", "beneficiaryname", "payeename", "name", "supplier", "creditor", "vendor", "payee", "beneficiary", "organisationname", "companyname"},
	"postcode":       {"postcode", "postalcode", "supplierpostcode", "creditorpostcode", "vendorpostcode", "addresspostcode", "remittancepostcode", "addresspostalcode", "pcode", "zip"},
	"company_number": {"companynumber", "companyno", "companyregistrationnumber", "companyregno", "companieshousenumber", "registeredcompanynumber", "crn", "companyreg"},
	"charity_number": {"charitynumber", "charityno", "registeredcharitynumber", "charityregistrationnumber", "charityregno"},
	"vat_number":     {"vatnumber", "vatno", "vatregistrationnumber", "vatregno", "vatreg", "vatregnumber"},
	"type":           {"suppliertype", "creditortype", "vendortype", "organisationtype", "suppliercategory", "creditorcategory", "type", "category"},
}

var creditorFieldOrder = []string{"supplier_id", "name", "postcode", "company_number", "charity_number", "vat_number", "type"}

// ReadCreditors reads a creditor file (CSV). Columns are found by their
// header names; a postcode column with another name is found by what it
// holds (most of its values are postcodes). The file needs a supplier name
// column and, to place anyone, a postcode, company or charity number
// column; one without is refused naming the missing columns. Rows are
// merged by supplier id (else by normalised name); a field given two
// different values for one supplier is reported in Conflicts and left
// blank. Bad rows fail the whole file, listed by line. The read is bounded
// by lim as spend files are.
func ReadCreditors(r io.Reader, name string, lim Limits) (CreditorFile, error) {
	lim = lim.withDefaults()
	cr := csv.NewReader(bufio.NewReaderSize(GuardCSV(r, lim), 1<<16))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	out := CreditorFile{Columns: map[string]string{}}
	header, err := cr.Read()
	if errors.Is(err, ErrLimit) {
		return out, fmt.Errorf("%s: %w", name, err)
	}
	if err != nil {
		return out, fmt.Errorf("%s: reading header: %w", name, err)
	}
	idx := map[string]int{}
	for _, field := range creditorFieldOrder {
		for _, syn := range creditorColumns[field] {
			for i, h := range header {
				if _, done := idx[field]; done || slices.Contains(mapValues(idx), i) {
					continue
				}
				if norm(strings.TrimPrefix(h, "\ufeff")) == syn {
					idx[field] = i
				}
			}
		}
	}
	// Every row is held until the file is known to be good; creditor
	// files have tens of thousands of rows, bounded by lim.Rows.
	type row struct {
		line  int
		cells []string
	}
	var rows []row
	fe := &problem.FileErrors{File: name}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			return out, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if int64(len(rows)) >= lim.Rows {
			return out, fmt.Errorf("%s: %w", name, &LimitError{Where: fmt.Sprintf("line %d", line), What: fmt.Sprintf("the file has more than %d rows", lim.Rows), Limit: "rows in a file", Max: lim.Rows, Flag: "--max-rows"})
		}
		if err != nil {
			fe.Add(line, "%v", err)
			continue
		}
		blank := true
		for _, c := range rec {
			blank = blank && strings.TrimSpace(c) == ""
		}
		if !blank {
			rows = append(rows, row{line, rec})
		}
	}
	out.Rows = len(rows)
	if _, ok := idx["postcode"]; !ok {
		// By content: the column most of whose values are postcodes.
		best, bestShare := -1, 0.0
		for i := range header {
			if slices.Contains(mapValues(idx), i) {
				continue
			}
			n, pc := 0, 0
			for _, rw := range rows[:min(len(rows), 200)] {
				if i < len(rw.cells) && strings.TrimSpace(rw.cells[i]) != "" {
					n++
					if _, err := geo.NormalisePostcode(rw.cells[i]); err == nil {
						pc++
					}
				}
			}
			if n > 0 && float64(pc)/float64(n) >= 0.8 && float64(pc)/float64(n) > bestShare {
				best, bestShare = i, float64(pc)/float64(n)
			}
		}
		if best >= 0 {
			idx["postcode"] = best
		}
	}
	var missing []string
	if _, ok := idx["name"]; !ok {
		missing = append(missing, "a supplier name (one of: "+strings.Join(creditorColumns["name"][:6], ", ")+")")
	}
	_, pc := idx["postcode"]
	_, co := idx["company_number"]
	_, ch := idx["charity_number"]
	if !pc && !co && !ch {
		missing = append(missing, "a postcode, company number or charity number (such as: postcode, company_number, charity_number)")
	}
	if len(missing) > 0 {
		return out, fmt.Errorf("%s: not a creditor file: no column for %s; the header was: %s", name, strings.Join(missing, " and no column for "), rowText(header))
	}
	for f, i := range idx {
		out.Columns[f] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	type group struct {
		c     Creditor
		vals  map[string][]string // field → distinct values in order
		lines map[string][]int
	}
	groups := map[string]*group{}
	var order []string
	for _, rw := range rows {
		get := func(field string) string {
			if i, ok := idx[field]; ok && i < len(rw.cells) {
				v := strings.TrimSpace(Text(rw.cells[i]))
				if v == "NA" || v == "N/A" || v == "-" {
					return ""
				}
				return v
			}
			return ""
		}
		c := Creditor{Line: rw.line, SupplierID: get("supplier_id"), Name: get("name"), CompanyNumber: strings.ToUpper(get("company_number")),
			CharityNumber: get("charity_number"), VATNumber: digits(get("vat_number")), Type: get("type")}
		if p := get("postcode"); p != "" {
			if n, err := geo.NormalisePostcode(p); err == nil {
				c.Postcode = n
			} else {
				c.Postcode = strings.ToUpper(p) // kept, reported as not a postcode by whoever places it
			}
		}
		if c.Name == "" {
			fe.Add(rw.line, "no supplier name")
			continue
		}
		key := "id\x00" + c.SupplierID
		if c.SupplierID == "" {
			key = "name\x00" + NormaliseSupplier(c.Name)
		}
		g := groups[key]
		if g == nil {
			g = &group{c: c, vals: map[string][]string{}, lines: map[string][]int{}}
			groups[key] = g
			order = append(order, key)
		} else if c.Name != g.c.Name && !slices.Contains(g.c.OtherNames, c.Name) {
			g.c.OtherNames = append(g.c.OtherNames, c.Name)
		}
		for field, v := range map[string]string{"postcode": c.Postcode, "company_number": c.CompanyNumber, "charity_number": c.CharityNumber, "vat_number": c.VATNumber} {
			if v != "" && !slices.Contains(g.vals[field], v) {
				g.vals[field] = append(g.vals[field], v)
				g.lines[field] = append(g.lines[field], rw.line)
			}
		}
		if g.c.Type == "" {
			g.c.Type = c.Type
		}
	}
	if err := fe.Err(); err != nil {
		return out, err
	}
	for _, key := range order {
		g := groups[key]
		c := g.c
		for _, field := range []string{"postcode", "company_number", "charity_number", "vat_number"} {
			vals := g.vals[field]
			v := ""
			switch len(vals) {
			case 0:
			case 1:
				v = vals[0]
			default:
				out.Conflicts = append(out.Conflicts, CreditorConflict{SupplierID: c.SupplierID, Name: c.Name, Field: field, Values: vals, Lines: g.lines[field]})
			}
			switch field {
			case "postcode":
				c.Postcode = v
			case "company_number":
				c.CompanyNumber = v
			case "charity_number":
				c.CharityNumber = v
			case "vat_number":
				c.VATNumber = v
			}
		}
		out.Entries = append(out.Entries, c)
	}
	sort.SliceStable(out.Conflicts, func(i, j int) bool { return out.Conflicts[i].Lines[0] < out.Conflicts[j].Lines[0] })
	return out, nil
}

func mapValues(m map[string]int) []int {
	out := make([]int, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// Kind classifies a creditor by its supplier type as the finance system
// words it: "vcse" for charities, community and voluntary bodies and
// social enterprises, "public" for public bodies, "business" for
// companies, partnerships and sole traders, "" when the type says none of
// these. A charity number makes it "vcse" whatever the type.
func (c Creditor) Kind() string {
	t := strings.ToLower(c.Type)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(t, w) {
				return true
			}
		}
		return false
	}
	switch {
	case c.CharityNumber != "" || has("charit", "voluntary", "community", "social enterprise", "third sector", "vcs", "cic", "not for profit", "not-for-profit", "co-operative", "cooperative", "mutual"):
		return "vcse"
	case has("council", "authority", "nhs", "government", "public sector", "public body", "school", "police", "fire"):
		return "public"
	case has("company", "ltd", "limited", "plc", "llp", "business", "sole trader", "partnership", "self employed", "self-employed", "commercial", "private sector", "sme"):
		return "business"
	}
	return ""
}

// Size classifies a creditor as an SME or large organisation when its
// supplier type says so: "small" for SME, micro, small and medium types
// and sole traders, "large" for large ones, "" otherwise.
func (c Creditor) Size() string {
	t := strings.ToLower(c.Type)
	switch {
	case strings.Contains(t, "large"):
		return "large"
	case strings.Contains(t, "sme"), strings.Contains(t, "micro"), strings.Contains(t, "small"), strings.Contains(t, "medium"), strings.Contains(t, "sole trader"):
		return "small"
	}
	return ""
}
