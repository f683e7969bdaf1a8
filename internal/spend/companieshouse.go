package spend

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/problem"
)

// Registers are streamed: Companies House's basic company data has about
// 5.5 million rows, far more than should be held in memory. Each good
// entry is handed on as it is read; bad rows are counted and listed, and
// the caller (one transaction) keeps nothing when any row was bad.
//
// Layouts read:
//   - Companies House "BasicCompanyData" (the free bulk product), a CSV
//     whose header has leading spaces in some names (" CompanyNumber",
//     " PreviousName_1.CompanyName"), with RegAddress.PostCode,
//     CompanyCategory, CompanyStatus, Accounts.AccountCategory,
//     SICCode.SicText_1…4 and PreviousName_1…10.CompanyName.
//   - The Charity Commission's full register extract, "publicextract.charity"
//     as tab-separated text (.txt) or a JSON array (.json), one row per
//     charity and linked charity (linked_charity_number 0 is the main
//     charity; linked ones are skipped), and the older comma-separated
//     extracts with the same column names.

// registerLabels name each register field as the publisher's header does,
// for messages about missing columns.
var registerLabels = map[string]map[string]string{
	CompaniesHouse:  {"number": "CompanyNumber", "name": "CompanyName", "postcode": "RegAddress.PostCode", "category": "CompanyCategory"},
	CharityRegister: {"number": "registered_charity_number", "name": "charity_name", "postcode": "charity_contact_postcode"},
}

// registerRequired are the columns a register must have.
var registerRequired = map[string][]string{
	CompaniesHouse:  {"number", "name", "postcode", "category"},
	CharityRegister: {"number", "name", "postcode"},
}

// registerExtra are further columns read when present.
var registerExtra = map[string]map[string][]string{
	CompaniesHouse:  {"accounts": {"accountsaccountcategory"}, "sic2": {"siccodesictext2"}, "sic3": {"siccodesictext3"}, "sic4": {"siccodesictext4"}},
	CharityRegister: {"linked": {"linkedcharitynumber"}, "status": {"charityregistrationstatus"}},
}

// maxListedRegisterErrors bounds the bad lines listed (all are counted).
const maxListedRegisterErrors = 50

// StreamRegister reads a register extract (CSV, tab-separated text or, for
// the Charity Commission, a JSON array) and calls each for every good
// entry in file order; it returns how many rows it read. A file missing
// required columns is refused naming them. Bad rows are collected into a
// *problem.FileErrors returned at the end (the first 50 listed, all
// counted), so a caller in one transaction imports nothing. Limits bound
// cells, rows and bytes as for spend files (Rows defaults to
// DefaultRegisterRows).
func StreamRegister(r io.Reader, name, source string, lim Limits, each func(RegisterEntry) error) (int64, error) {
	if _, ok := registerColumns[source]; !ok {
		return 0, fmt.Errorf("unknown register %q (use charity or company)", source)
	}
	if lim.Rows <= 0 {
		lim.Rows = DefaultRegisterRows
	}
	lim = lim.withDefaults()
	br := bufio.NewReaderSize(r, 1<<20)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	head, _ := br.Peek(4096)
	head = bytes.TrimLeft(head, " \t\r\n")
	var next func() ([]string, int, error)
	var header []string
	if len(head) > 0 && head[0] == '[' {
		var err error
		if header, next, err = jsonRecords(&byteLimit{r: br, left: lim.Bytes, lim: lim}); err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
	} else {
		cr := csv.NewReader(bufio.NewReaderSize(GuardCSV(br, lim), 1<<20))
		firstLine, _, _ := bytes.Cut(head, []byte("\n"))
		if bytes.Count(firstLine, []byte("\t")) > bytes.Count(firstLine, []byte(",")) {
			cr.Comma = '\t'
		}
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		cr.ReuseRecord = true
		h, err := cr.Read()
		if errors.Is(err, ErrLimit) {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		if err != nil {
			return 0, fmt.Errorf("%s: reading header: %w", name, err)
		}
		header = append([]string(nil), h...)
		next = func() ([]string, int, error) {
			rec, err := cr.Read()
			line, _ := cr.FieldPos(0)
			return rec, line, err
		}
	}
	idx := map[string]int{}
	keys := make([]string, len(header))
	for i, h := range header {
		keys[i] = norm(strings.TrimPrefix(h, "\ufeff"))
	}
	find := func(field string, syns []string) {
		for _, syn := range syns {
			for i, k := range keys {
				if _, done := idx[field]; !done && k == syn {
					idx[field] = i
				}
			}
		}
	}
	for field, syns := range registerColumns[source] {
		find(field, syns)
	}
	for field, syns := range registerExtra[source] {
		find(field, syns)
	}
	var previous []int // PreviousName_N.CompanyName columns, in N order
	if source == CompaniesHouse {
		type col struct{ n, i int }
		var cols []col
		for i, k := range keys {
			if rest, ok := strings.CutPrefix(k, "previousname"); ok {
				if num, ok := strings.CutSuffix(rest, "companyname"); ok {
					if n, err := strconv.Atoi(num); err == nil {
						cols = append(cols, col{n, i})
					}
				}
			}
		}
		sort.Slice(cols, func(a, b int) bool { return cols[a].n < cols[b].n })
		for _, c := range cols {
			previous = append(previous, c.i)
		}
	}
	var missing []string
	for _, f := range registerRequired[source] {
		if _, ok := idx[f]; !ok {
			missing = append(missing, registerLabels[source][f])
		}
	}
	if len(missing) > 0 {
		what := map[string]string{CompaniesHouse: "Companies House basic company data", CharityRegister: "Charity Commission register extract"}[source]
		return 0, fmt.Errorf("%s: not a %s: missing column(s) %s; the header was: %s", name, what, strings.Join(missing, ", "), rowText(header))
	}
	fe := &problem.FileErrors{File: name}
	bad := 0
	addBad := func(line int, format string, args ...any) {
		bad++
		if bad <= maxListedRegisterErrors {
			fe.Add(line, format, args...)
		}
	}
	var rows int64
	for {
		rec, line, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			return rows, fmt.Errorf("%s: %w", name, err)
		}
		if rows++; rows > lim.Rows {
			return rows, fmt.Errorf("%s: %w", name, &LimitError{Where: fmt.Sprintf("line %d", line), What: fmt.Sprintf("the file has more than %d rows", lim.Rows), Limit: "rows in a file", Max: lim.Rows, Flag: "--max-rows"})
		}
		if err != nil {
			addBad(line, "%v", err)
			continue
		}
		get := func(field string) string {
			if i, ok := idx[field]; ok && i < len(rec) {
				return cell(rec[i])
			}
			return ""
		}
		if l := get("linked"); l != "" && l != "0" {
			continue // a linked charity: its main charity's row places it
		}
		e := RegisterEntry{Source: source, Number: strings.ToUpper(get("number")), CompanyNumber: strings.ToUpper(get("company")), Name: get("name"),
			Postcode: get("postcode"), Category: get("category"), Status: get("status"), SIC: get("sic"), Line: line}
		if source == CompaniesHouse {
			e.CompanyNumber = e.Number
			for _, f := range []string{"sic2", "sic3", "sic4"} {
				if v := get(f); v != "" {
					e.SIC += " | " + v
				}
			}
			e.Size = AccountsSize(get("accounts"))
			for _, i := range previous {
				if i < len(rec) {
					if v := cell(rec[i]); v != "" {
						e.PreviousNames = append(e.PreviousNames, v)
					}
				}
			}
		}
		if e.Number == "" || e.Name == "" {
			addBad(line, "no number or no name")
			continue
		}
		if err := each(e); err != nil {
			return rows, err
		}
	}
	if bad > maxListedRegisterErrors {
		fe.Add(0, "and %d more bad rows (%d in all)", bad-maxListedRegisterErrors, bad)
	}
	return rows, fe.Err()
}

// cell is a register cell as text: trimmed, "NA"/"N/A" as nothing, and
// copied (not a slice of the reused row's text).
func cell(v string) string {
	v = strings.TrimSpace(Text(v))
	if v == "NA" || v == "N/A" || v == "null" {
		return ""
	}
	return strings.Clone(v)
}

// AccountsSize classifies a company by the accounts it last filed
// (Companies House's Accounts.AccountCategory): micro-entity accounts
// "micro"; small, total-exemption, abridged and dormant accounts "small"
// (the small companies regime); medium "medium"; full and group accounts
// "large" (as the issue defines; a small company may choose full
// accounts, so this errs towards large); anything else (no accounts
// filed, not available, initial, exemptions for subsidiaries) "".
func AccountsSize(category string) string {
	c := strings.ToUpper(strings.TrimSpace(category))
	switch {
	case c == "":
		return ""
	case strings.Contains(c, "MICRO"):
		return "micro"
	case strings.Contains(c, "MEDIUM"):
		return "medium"
	case c == "SMALL", strings.HasPrefix(c, "TOTAL EXEMPTION"), strings.Contains(c, "ABRIDGED"), c == "DORMANT":
		return "small"
	case c == "FULL", c == "GROUP":
		return "large"
	}
	return ""
}

// byteLimit fails a read past lim.Bytes with a LimitError.
type byteLimit struct {
	r    io.Reader
	left int64
	lim  Limits
}

func (b *byteLimit) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, b.lim.bytesErr("")
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// jsonRecords reads a JSON array of objects (the Charity Commission's
// .json extract) as records: the header is the first object's keys and
// each object a row of their values as text. Lines are counted as
// objects (the file has no meaningful lines), the first being line 2.
func jsonRecords(r io.Reader) ([]string, func() ([]string, int, error), error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return nil, nil, fmt.Errorf("not a JSON array of register entries")
	}
	var header []string
	var pending map[string]any
	obj := 1
	read := func() (map[string]any, error) {
		if !dec.More() {
			return nil, io.EOF
		}
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("entry %d: %w", obj, err)
		}
		obj++
		return m, nil
	}
	first, err := read()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	if first != nil {
		for k := range first {
			header = append(header, k)
		}
		sort.Strings(header)
		pending = first
	}
	rec := make([]string, len(header))
	next := func() ([]string, int, error) {
		m := pending
		pending = nil
		if m == nil {
			var err error
			if m, err = read(); err != nil {
				if !errors.Is(err, io.EOF) {
					err = fmt.Errorf("%w", err)
				}
				return nil, obj, err
			}
		}
		for i, k := range header {
			switch v := m[k].(type) {
			case nil:
				rec[i] = ""
			case string:
				rec[i] = v
			case json.Number:
				rec[i] = v.String()
			default:
				rec[i] = fmt.Sprint(v)
			}
		}
		return rec, obj, nil
	}
	return header, next, nil
}

// OpenRegister opens a register file for StreamRegister: for a .zip (as
// Companies House and the Charity Commission publish them), its one
// .csv, .txt or .json member, inflated as it is read and guarded against
// expanding past lim (Ratio, Bytes) as spend archives are; else the file.
func OpenRegister(path string, lim Limits) (io.ReadCloser, error) {
	lim = lim.withDefaults()
	if !strings.HasSuffix(strings.ToLower(path), ".zip") {
		return os.Open(path)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var names []string
	for _, zf := range zr.File {
		lower := strings.ToLower(zf.Name)
		names = append(names, zf.Name)
		if strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".txt") || strings.HasSuffix(lower, ".json") {
			g := &sizeGuard{lim: lim}
			mr, err := g.member(zf, "the member "+zf.Name)
			if err != nil {
				zr.Close()
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return zipMember{mr, zr}, nil
		}
	}
	zr.Close()
	return nil, fmt.Errorf("%s: the archive holds no .csv, .txt or .json file (it holds: %s)", path, rowText(names))
}

type zipMember struct {
	io.ReadCloser
	zr *zip.ReadCloser
}

func (z zipMember) Close() error {
	return errors.Join(z.ReadCloser.Close(), z.zr.Close())
}
