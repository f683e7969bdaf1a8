package proxies

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/svhub/svhub/internal/spend"
)

// MaxFileBytes bounds a workbook or CSV file of unit costs. The GMCA
// Unit Cost Database workbook is about 1 MB.
const MaxFileBytes = 16 << 20

// FileLimits bound a file of unit costs as it is read. Every row is held
// until the whole file is known to be good, so besides a cell, a row and
// the cells in a row they bound the rows of the whole file (20,000; the
// GMCA workbook has under a thousand values) and what a workbook may
// expand to (16 MiB of XML a sheet, 400 times its compressed size): what
// a hostile file can make the reader hold stays under about 100 MB.
// There are no flags to raise them (NoFlags).
var FileLimits = spend.Limits{Bytes: 16 << 20, Ratio: 400, Cells: 100, Field: 4 << 10, Row: 64 << 10, Sheets: 64, Rows: 20_000, SharedText: 8 << 20, NoFlags: true}

// refused words a limit's error without a flag (spend's workbook reader
// names the flags of svhub import spend, which this import has not).
func refused(err error) error {
	var le *spend.LimitError
	if errors.As(err, &le) {
		le.Flag = ""
	}
	return err
}

// tooManyRows is the error for a file of more rows than FileLimits.Rows.
func tooManyRows(where string) error {
	return &spend.LimitError{Where: where, What: fmt.Sprintf("the file has more than %d rows", FileLimits.Rows), Limit: "rows in a file of unit costs", Max: FileLimits.Rows}
}

// Problem is one thing wrong with an imported file, where it is.
type Problem struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row,omitempty"`
	Message string `json:"message"`
}

// FileErrors is every problem found in a file; nothing was imported.
type FileErrors struct {
	File     string
	Problems []Problem
}

func (e *FileErrors) Error() string {
	var b strings.Builder
	n := len(e.Problems)
	fmt.Fprintf(&b, "%s: %d problem%s, nothing imported", e.File, n, map[bool]string{true: "", false: "s"}[n == 1])
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		if p.Sheet != "" {
			fmt.Fprintf(&b, "sheet %s", p.Sheet)
			if p.Row > 0 {
				fmt.Fprintf(&b, ", row %d", p.Row)
			}
			b.WriteString(": ")
		} else if p.Row > 0 {
			fmt.Fprintf(&b, "row %d: ", p.Row)
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

func (e *FileErrors) add(sheet string, row int, format string, args ...any) {
	e.Problems = append(e.Problems, Problem{Sheet: sheet, Row: row, Message: fmt.Sprintf(format, args...)})
}

// The columns a workbook sheet must have, by the names the GMCA workbook
// gives them; headers are matched loosely (case, spacing, punctuation and
// wording such as "Unit cost code" or "Fiscal cost (£)").
const (
	colCode   = "cost code"
	colDetail = "detail"
	colUnit   = "unit"
	colAgency = "agency"
	colCost   = "fiscal cost £"
	colYear   = "price year"
	// optional
	colDescription  = "description"
	colAgencyDetail = "agency detail"
	colTheme        = "theme"
	colKind         = "kind"
)

// RequiredColumns are the columns every sheet of unit costs needs.
var RequiredColumns = []string{colCode, colDetail, colUnit, colAgency, colCost, colYear}

var nonWord = regexp.MustCompile(`[^a-z0-9£]+`)

// columnFor says which of our columns a header cell names, or "".
func columnFor(header string) string {
	h := strings.TrimSpace(nonWord.ReplaceAllString(strings.ToLower(header), " "))
	has := func(w string) bool { return strings.Contains(" "+h+" ", " "+w+" ") }
	switch {
	case h == "":
		return ""
	case has("code"):
		return colCode
	case has("price") && (has("year") || has("base")), h == "year", h == "financial year":
		return colYear
	case has("agency") && has("detail"):
		return colAgencyDetail
	case has("agency"):
		return colAgency
	case has("fiscal") && has("cost"), h == "cost", h == "cost £", h == "£", h == "unit cost", h == "unit cost £", h == "value £", h == "value":
		return colCost
	case has("detail") && !has("source"):
		return colDetail
	case has("description"):
		return colDescription
	case h == "unit", h == "units", h == "unit of measure":
		return colUnit
	case h == "theme", h == "sheet":
		return colTheme
	case h == "kind":
		return colKind
	}
	return ""
}

// headerScan is how many rows of a sheet may stand above its header (the
// GMCA workbook has a title block).
const headerScan = 40

// ReadFile reads unit costs from a GMCA-style workbook (.xlsx: one sheet
// per theme, a title block above each header row, columns found by name)
// or a CSV (one header row; a "theme" column, if any, names each row's
// sheet, else the file's name does). Every value must have a numeric cost
// and a price year; every problem is collected, by sheet and row, and
// nothing is returned unless the whole file is good. Sheets without any
// of the columns (contents, notes) are skipped and not counted.
func ReadFile(name string, raw []byte, src Source) (Edition, error) {
	if len(raw) > MaxFileBytes {
		return Edition{}, fmt.Errorf("%s: the file is larger than %d MB", name, MaxFileBytes>>20)
	}
	type sheet struct {
		name string
		rows []spend.XLSXRow
	}
	var sheets []sheet
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		names, err := spend.XLSXSheets(raw, FileLimits)
		if err != nil {
			return Edition{}, fmt.Errorf("%s: %w", name, refused(err))
		}
		total := 0
		for _, n := range names {
			rows, err := spend.XLSXRows(raw, n, FileLimits)
			if errors.Is(err, spend.ErrLimit) {
				return Edition{}, fmt.Errorf("%s: %w", name, refused(err)) // the error names the sheet
			}
			if err != nil {
				return Edition{}, fmt.Errorf("%s: sheet %s: %w", name, n, err)
			}
			// Each sheet is bounded as it is read, the file after each sheet
			// (so at most twice the limit is ever held).
			if total += len(rows); int64(total) > FileLimits.Rows {
				return Edition{}, fmt.Errorf("%s: %w", name, tooManyRows("sheet "+n))
			}
			sheets = append(sheets, sheet{n, rows})
		}
	} else {
		cr := csv.NewReader(spend.GuardCSV(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))), FileLimits))
		cr.FieldsPerRecord = -1
		var rows []spend.XLSXRow
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return Edition{}, fmt.Errorf("%s: %w", name, err)
			}
			line, _ := cr.FieldPos(0)
			if int64(len(rows)) == FileLimits.Rows {
				return Edition{}, fmt.Errorf("%s: %w", name, tooManyRows(fmt.Sprintf("line %d", line)))
			}
			rows = append(rows, spend.XLSXRow{Num: line, Cells: rec})
		}
		sheets = append(sheets, sheet{strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)), rows})
	}
	fe := &FileErrors{File: name}
	ed := Edition{Source: src}
	seen := map[string]string{} // code → where first seen
	anyData := false
	var firstMissing []string
	for _, sh := range sheets {
		// Find the header: the first row naming every required column, or
		// failing that the row naming most of them.
		hdr, best := -1, 0
		var bestCols map[string]int
		for i, row := range sh.rows {
			if i >= headerScan {
				break
			}
			cols := map[string]int{}
			for j, cell := range row.Cells {
				if c := columnFor(cell); c != "" {
					if _, dup := cols[c]; !dup {
						cols[c] = j
					}
				}
			}
			n := 0
			for _, c := range RequiredColumns {
				if _, ok := cols[c]; ok {
					n++
				}
			}
			if n > best {
				best, bestCols, hdr = n, cols, i
			}
			if n == len(RequiredColumns) {
				break
			}
		}
		var missing []string
		for _, c := range RequiredColumns {
			if _, ok := bestCols[c]; !ok {
				missing = append(missing, c)
			}
		}
		if best < 2 {
			// Not a sheet of unit costs (a contents or notes sheet).
			if firstMissing == nil {
				firstMissing = missing
			}
			continue
		}
		anyData = true
		if len(missing) > 0 {
			fe.add(sh.name, sh.rows[hdr].Num, "the header row has no column for %s (a sheet of unit costs needs: %s)", strings.Join(missing, ", "), strings.Join(RequiredColumns, ", "))
			continue
		}
		cell := func(row spend.XLSXRow, col string) string {
			j, ok := bestCols[col]
			if !ok || j >= len(row.Cells) {
				return ""
			}
			return strings.TrimSpace(row.Cells[j])
		}
		for _, row := range sh.rows[hdr+1:] {
			code, cost := cell(row, colCode), cell(row, colCost)
			if code == "" && cost == "" {
				continue // blank line or a heading within the sheet
			}
			theme := sh.name
			if t := cell(row, colTheme); t != "" {
				theme = t
			}
			v := Value{Code: code, Theme: theme, Detail: cell(row, colDetail), Description: cell(row, colDescription),
				Unit: cell(row, colUnit), Agency: cell(row, colAgency), AgencyDetail: cell(row, colAgencyDetail), Kind: Fiscal}
			if v.Description == "" {
				v.Description = v.Detail
			}
			ok := true
			if k := cell(row, colKind); k != "" {
				if !ValidKind(k) {
					fe.add(sh.name, row.Num, "cost code %s: kind %q is not fiscal, economic or social", code, k)
					ok = false
				}
				v.Kind = k
			}
			if code == "" {
				fe.add(sh.name, row.Num, "a cost of %q has no cost code", cost)
				ok = false
			} else if len(code) > 64 {
				fe.add(sh.name, row.Num, "cost code %.20q… is longer than 64 characters", code)
				ok = false
			} else if where, dup := seen[code]; dup {
				fe.add(sh.name, row.Num, "cost code %s appears twice (first at %s)", code, where)
				ok = false
			} else {
				seen[code] = fmt.Sprintf("sheet %s, row %d", sh.name, row.Num)
			}
			if p, err := ParsePence(cost); err != nil {
				if cost == "" {
					fe.add(sh.name, row.Num, "cost code %s has no fiscal cost", code)
				} else {
					fe.add(sh.name, row.Num, "cost code %s: the fiscal cost %q is not a number", code, cost)
				}
				ok = false
			} else {
				v.Pence = p
			}
			if y, err := PriceYear(cell(row, colYear)); err != nil {
				fe.add(sh.name, row.Num, "cost code %s: %v (every value must say which year's prices it is in)", code, err)
				ok = false
			} else {
				v.PriceYear = y
			}
			if v.Unit == "" {
				fe.add(sh.name, row.Num, "cost code %s has no unit (such as \"Per claimant per year\")", code)
				ok = false
			}
			if v.Description == "" {
				fe.add(sh.name, row.Num, "cost code %s has no detail saying what it is the cost of", code)
				ok = false
			}
			if ok {
				ed.Values = append(ed.Values, v)
			}
		}
	}
	if !anyData {
		if firstMissing == nil {
			firstMissing = RequiredColumns
		}
		fe.add("", 0, "no sheet has a header row with the columns %s; missing: %s", strings.Join(RequiredColumns, ", "), strings.Join(firstMissing, ", "))
	} else if len(fe.Problems) == 0 && len(ed.Values) == 0 {
		fe.add("", 0, "the file holds no unit costs")
	}
	if len(fe.Problems) > 0 {
		return Edition{}, fe
	}
	return ed, nil
}
