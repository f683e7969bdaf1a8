package spend

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
)

// XLSXToCSV converts one worksheet of an Excel workbook (the first, or the
// one named sheet) to CSV, in memory (small files and tests; imports
// stream with StreamFile). Numbers are written in their shortest exact
// decimal form; dates stay Excel serial numbers, which ParseDate
// understands.
func XLSXToCSV(data []byte, sheet string) ([]byte, error) {
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	err := streamXLSX(bytes.NewReader(data), int64(len(data)), sheet, DefaultLimits, func(_ int, cells []string) error {
		return w.Write(cells)
	})
	if err != nil {
		return nil, err
	}
	w.Flush()
	return out.Bytes(), w.Error()
}

// XLSXRow is one stored row of a worksheet: its row number in the workbook
// (rows with no cells are not stored, so numbers can skip) and its cells as
// text, numbers in their shortest exact decimal form.
type XLSXRow struct {
	Num   int
	Cells []string
}

// workbook is an opened .xlsx: its parts by name and its sheets in order.
type workbook struct {
	files  map[string]*zip.File
	sheets []xlsxSheetRef
	guard  *sizeGuard
}

type xlsxSheetRef struct {
	Name string `xml:"name,attr"`
	RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
}

// metaPartMax bounds the small parts (workbook, relationships) that are
// read whole.
const metaPartMax = 16 << 20

func openWorkbook(ra io.ReaderAt, size int64, lim Limits) (*workbook, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("not an Excel workbook: %w", err)
	}
	wbk := &workbook{files: map[string]*zip.File{}, guard: &sizeGuard{lim: lim}}
	for _, f := range zr.File {
		wbk.files[f.Name] = f
	}
	if wbk.sheets, err = wbk.listSheets(lim); err != nil {
		return nil, err
	}
	if len(wbk.sheets) == 0 {
		return nil, fmt.Errorf("the workbook lists no sheets")
	}
	return wbk, nil
}

// listSheets reads the workbook's sheet list token by token, stopping at
// the sheet limit.
func (wbk *workbook) listSheets(lim Limits) ([]xlsxSheetRef, error) {
	const part = "xl/workbook.xml"
	rc, err := wbk.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := wbk.xmlDecoder(rc, part, lim)
	var out []xlsxSheetRef
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			if errors.Is(err, ErrLimit) {
				return nil, err
			}
			return nil, fmt.Errorf("the workbook lists no sheets: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "sheet" {
			continue
		}
		if len(out) >= lim.Sheets {
			return nil, &LimitError{What: fmt.Sprintf("the workbook lists more than %d sheets", lim.Sheets), Limit: "sheets in a workbook", Max: int64(lim.Sheets), Flag: "--max-sheets"}
		}
		var ref xlsxSheetRef
		for _, a := range se.Attr {
			switch {
			case a.Name.Local == "name":
				ref.Name = a.Value
			case a.Name.Local == "id" && a.Name.Space == "http://schemas.openxmlformats.org/officeDocument/2006/relationships":
				ref.RID = a.Value
			}
		}
		out = append(out, ref)
	}
}

// open opens a part for streaming, guarded against decompression bombs.
func (wbk *workbook) open(name string) (io.ReadCloser, error) {
	f, ok := wbk.files[name]
	if !ok {
		return nil, fmt.Errorf("the workbook has no %s", name)
	}
	return wbk.guard.member(f, "the workbook part "+name)
}

// read reads a small part whole.
func (wbk *workbook) read(name string) ([]byte, error) {
	rc, err := wbk.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, metaPartMax+1))
	if err == nil && len(b) > metaPartMax {
		err = &LimitError{Where: "the workbook part " + name, What: "the part is larger than " + formatCount(metaPartMax), Limit: "the size of a workbook's index parts", Max: metaPartMax, Flag: "--max-bytes (it cannot be raised)"}
	}
	return b, err
}

// XLSXSheets lists a workbook's worksheet names in the workbook's order,
// within lim (zero fields meaning DefaultLimits).
func XLSXSheets(data []byte, lim Limits) ([]string, error) {
	wbk, err := openWorkbook(bytes.NewReader(data), int64(len(data)), lim.withDefaults())
	if err != nil {
		return nil, err
	}
	names := make([]string, len(wbk.sheets))
	for i, s := range wbk.sheets {
		names[i] = s.Name
	}
	return names, nil
}

// XLSXRows reads one worksheet of an Excel workbook (the first, or the one
// named sheet) as text rows with their row numbers, in memory, within lim
// (zero fields meaning DefaultLimits; lim.Rows bounds the rows held).
func XLSXRows(data []byte, sheet string, lim Limits) ([]XLSXRow, error) {
	var out []XLSXRow
	err := streamXLSX(bytes.NewReader(data), int64(len(data)), sheet, lim.withDefaults(), func(num int, cells []string) error {
		out = append(out, XLSXRow{Num: num, Cells: append([]string(nil), cells...)})
		return nil
	})
	return out, err
}

// runGuard refuses XML in which more than max bytes pass without a '<':
// encoding/xml holds a whole text node (or tag) in memory, so this bounds
// every token it can produce — a cell of 1.5 GB is refused at max.
type runGuard struct {
	r    io.Reader
	run  int
	max  int
	part string
	lim  Limits
}

func (g *runGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '<' {
			g.run = 0
		} else if g.run++; g.run > g.max {
			return i, &LimitError{Where: g.part, What: "a cell's text is longer than " + formatCount(int64(g.lim.Field)), Limit: "the length of a cell", Max: int64(g.lim.Field), Flag: "--max-field"}
		}
	}
	return n, err
}

// xmlDecoder decodes a guarded part: no token longer than a cell may be.
func (wbk *workbook) xmlDecoder(r io.Reader, part string, lim Limits) *xml.Decoder {
	// Tags and entity-escaped text take more bytes than the cell's
	// value: allow a margin over the limit.
	d := xml.NewDecoder(&runGuard{r: r, max: lim.Field*2 + 4096, part: "the workbook part " + part, lim: lim})
	d.Strict = false
	return d
}

// streamXLSX reads one worksheet (the first, or the one named sheet) row
// by row, calling each with the row's number and cells (reused for the
// next row), within the limits: the sheet's XML is decoded token by token
// and a row is refused as soon as it passes the cell limit, so neither a
// row of millions of empty cells nor a gigabyte string is ever held.
func streamXLSX(ra io.ReaderAt, size int64, sheet string, lim Limits, each func(num int, cells []string) error) error {
	lim = lim.withDefaults()
	wbk, err := openWorkbook(ra, size, lim)
	if err != nil {
		return err
	}
	pick := wbk.sheets[0]
	if sheet != "" {
		found := false
		var names []string
		for _, s := range wbk.sheets {
			names = append(names, s.Name)
			if s.Name == sheet {
				pick, found = s, true
			}
		}
		if !found {
			return fmt.Errorf("no sheet called %q (the sheets are: %s)", sheet, strings.Join(names, ", "))
		}
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	target := "worksheets/sheet1.xml"
	if raw, err := wbk.read("xl/_rels/workbook.xml.rels"); err == nil && xml.Unmarshal(raw, &rels) == nil {
		for _, r := range rels.Rels {
			if r.ID == pick.RID {
				target = strings.TrimPrefix(r.Target, "/xl/")
			}
		}
	} else if errors.Is(err, ErrLimit) {
		return err
	}
	shared, err := wbk.sharedStrings(lim)
	if err != nil {
		return err
	}
	part := path.Join("xl", target)
	rc, err := wbk.open(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := wbk.xmlDecoder(rc, part, lim)
	sheetName := fmt.Sprintf("sheet %q", pick.Name)
	var (
		rec            []string
		num, rows      int
		inRow, inCell  bool
		inV, inT, inIS bool
		col, rowBytes  int
		cellsInRow     int
		cellType       string
		farRef         string
		val            []byte
	)
	cellErr := func(what, limit string, max int64, flag string) error {
		return &LimitError{Where: fmt.Sprintf("row %d of %s", num, sheetName), What: what, Limit: limit, Max: max, Flag: flag}
	}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				le.Where = fmt.Sprintf("row %d of %s", num+1, sheetName)
				return le
			}
			return fmt.Errorf("%s: %w", sheetName, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				inRow, rec, rowBytes, cellsInRow = true, rec[:0], 0, 0
				r := 0
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						r, _ = strconv.Atoi(a.Value)
					}
				}
				if r > num {
					num = r
				} else {
					num++
				}
				if rows++; int64(rows) > lim.Rows {
					return cellErr(fmt.Sprintf("the sheet has more than %d rows", lim.Rows), "rows in a file", lim.Rows, "--max-rows")
				}
			case "c":
				if !inRow {
					continue
				}
				if cellsInRow++; cellsInRow > lim.Cells {
					return cellErr(fmt.Sprintf("the row has more than %d cells", lim.Cells), "cells per row", int64(lim.Cells), "--max-cells")
				}
				inCell, cellType, val, col, farRef = true, "", val[:0], len(rec), ""
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "r":
						if c, ok := columnOf(a.Value, lim.Cells); ok {
							col = c
						} else {
							// Far to the right: only an error if it holds
							// something (Excel keeps formatted empty cells).
							farRef = a.Value
						}
					case "t":
						cellType = a.Value
					}
				}
				if farRef == "" && col >= lim.Cells {
					return cellErr(fmt.Sprintf("the row has more than %d cells", lim.Cells), "cells per row", int64(lim.Cells), "--max-cells")
				}
			case "v":
				inV = inCell
			case "is":
				inIS = inCell
			case "t":
				inT = inIS
			}
		case xml.CharData:
			if inV || inT {
				if len(val)+len(t) > lim.Field {
					return cellErr(fmt.Sprintf("a cell is longer than %s", formatCount(int64(lim.Field))), "the length of a cell", int64(lim.Field), "--max-field")
				}
				val = append(val, t...)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "t":
				inT = false
			case "is":
				inIS = false
			case "c":
				if !inCell {
					continue
				}
				inCell = false
				if farRef != "" {
					if len(val) > 0 {
						return cellErr(fmt.Sprintf("cell %s, past column %d, holds a value", Printable(farRef, 20), lim.Cells), "cells per row", int64(lim.Cells), "--max-cells")
					}
					continue
				}
				v := string(val)
				switch cellType {
				case "s":
					if i, err := strconv.Atoi(v); err == nil && i >= 0 && i < len(shared) {
						v = shared[i]
					}
				case "", "n":
					if f, err := strconv.ParseFloat(v, 64); err == nil {
						v = strconv.FormatFloat(f, 'f', -1, 64)
					}
				}
				if rowBytes += len(v) + 1; rowBytes > lim.Row {
					return cellErr(fmt.Sprintf("the row is longer than %s", formatCount(int64(lim.Row))), "the length of a row", int64(lim.Row), "--max-row-bytes")
				}
				for len(rec) < col {
					rec = append(rec, "")
				}
				if col < len(rec) {
					rec[col] = v
				} else {
					rec = append(rec, v)
				}
			case "row":
				if inRow {
					inRow = false
					if err := each(num, rec); err != nil {
						return err
					}
				}
			}
		}
	}
}

// sharedStrings reads the workbook's shared strings, token by token,
// within the limits on a cell and on their total.
func (wbk *workbook) sharedStrings(lim Limits) ([]string, error) {
	const part = "xl/sharedStrings.xml"
	if _, ok := wbk.files[part]; !ok {
		return nil, nil
	}
	rc, err := wbk.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := wbk.xmlDecoder(rc, part, lim)
	var (
		out      []string
		cur      []byte
		inT      bool
		phonetic int
		total    int64
	)
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				le.Where = fmt.Sprintf("shared string %d", len(out)+1)
				return nil, le
			}
			return nil, fmt.Errorf("shared strings: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				cur = cur[:0]
			case "t":
				inT = phonetic == 0
			case "rPh": // a phonetic reading, not part of the text
				phonetic++
			}
		case xml.CharData:
			if inT {
				if len(cur)+len(t) > lim.Field {
					return nil, &LimitError{Where: fmt.Sprintf("shared string %d", len(out)+1), What: fmt.Sprintf("a cell is longer than %s", formatCount(int64(lim.Field))), Limit: "the length of a cell", Max: int64(lim.Field), Flag: "--max-field"}
				}
				cur = append(cur, t...)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inT = false
			case "rPh":
				phonetic--
			case "si":
				total += int64(len(cur)) + 16
				if total > lim.SharedText {
					return nil, &LimitError{Where: fmt.Sprintf("shared string %d", len(out)+1), What: "the shared strings hold more than " + formatCount(lim.SharedText), Limit: "a workbook's shared strings", Max: lim.SharedText, Flag: "--max-shared-strings"}
				}
				out = append(out, string(cur))
			}
		}
	}
}

// columnOf turns a cell reference like "AB12" into a 0-based column, and
// reports false for a column past limit (or an absurd reference).
func columnOf(ref string, limit int) (int, bool) {
	n := 0
	for _, r := range ref {
		if r < 'A' || r > 'Z' {
			break
		}
		n = n*26 + int(r-'A'+1)
		if n > limit {
			return 0, false
		}
	}
	return max(n-1, 0), true
}

// StreamFile reads a spend file from disk in bounded memory within
// DefaultLimits, choosing by name: an .xlsx workbook (sheet, or the
// first; streamed from the archive), a .zip holding a CSV (streamed from
// the archive), or a CSV.
func StreamFile(path string, overrides map[string]string, sheet string, each func(*Payment, *Reject) error) (Meta, error) {
	return StreamFileLimits(path, overrides, sheet, Limits{}, each)
}

// StreamFileLimits is StreamFile within the given limits.
func StreamFileLimits(path string, overrides map[string]string, sheet string, lim Limits, each func(*Payment, *Reject) error) (Meta, error) {
	lim = lim.withDefaults()
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".xlsx"), strings.HasSuffix(lower, ".zip"):
		f, err := os.Open(path)
		if err != nil {
			return Meta{}, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return Meta{}, fmt.Errorf("%s: %w", path, err)
		}
		if strings.HasSuffix(lower, ".xlsx") {
			return streamWorkbook(path, f, st.Size(), overrides, sheet, lim, each)
		}
		zr, err := zip.NewReader(f, st.Size())
		if err != nil {
			return Meta{}, fmt.Errorf("%s: %w", path, err)
		}
		return streamZip(path, zr, overrides, lim, each)
	}
	f, err := os.Open(path)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	return StreamLimits(f, path, overrides, lim, each)
}

// StreamBytes is StreamFile for a file already in memory (an upload).
func StreamBytes(name string, raw []byte, overrides map[string]string, sheet string, each func(*Payment, *Reject) error) (Meta, error) {
	lim := DefaultLimits
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".xlsx"):
		return streamWorkbook(name, bytes.NewReader(raw), int64(len(raw)), overrides, sheet, lim, each)
	case strings.HasSuffix(lower, ".zip"):
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			return Meta{}, fmt.Errorf("%s: %w", name, err)
		}
		return streamZip(name, zr, overrides, lim, each)
	}
	return StreamLimits(bytes.NewReader(raw), name, overrides, lim, each)
}

// streamWorkbook converts a worksheet to CSV on the fly, through a pipe,
// into the CSV reader: the sheet is never held whole.
func streamWorkbook(name string, ra io.ReaderAt, size int64, overrides map[string]string, sheet string, lim Limits, each func(*Payment, *Reject) error) (Meta, error) {
	if sheet == "" {
		var err error
		if sheet, err = paymentsSheet(name, ra, size, overrides, lim); err != nil {
			return Meta{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	meta, err := streamSheet(name, ra, size, overrides, sheet, lim, each)
	meta.Sheet = sheet
	return meta, err
}

// errEnoughRows stops reading a sheet's first rows.
var errEnoughRows = errors.New("enough rows")

// paymentsSheet chooses the worksheet of a workbook with more than one
// that looks like payments: the first (of up to maxSheetsTried) whose
// first rows have a header over a date, an amount and a supplier. It
// returns "" (the first sheet) for a workbook of one sheet or none that
// does.
func paymentsSheet(name string, ra io.ReaderAt, size int64, overrides map[string]string, lim Limits) (string, error) {
	const maxSheetsTried = 20
	lim = lim.withDefaults()
	wbk, err := openWorkbook(ra, size, lim)
	if err != nil {
		return "", err
	}
	if len(wbk.sheets) < 2 {
		return "", nil
	}
	for i, sh := range wbk.sheets {
		if i == maxSheetsTried {
			break
		}
		var rows [][]string
		held := 0
		err := streamXLSX(ra, size, sh.Name, lim, func(_ int, cells []string) error {
			rows = append(rows, slices.Clone(cells))
			for _, c := range cells {
				held += len(c) + 16
			}
			if len(rows) >= headerLines+sampleRows || held >= detectBytes {
				return errEnoughRows
			}
			return nil
		})
		if err != nil && !errors.Is(err, errEnoughRows) {
			if errors.Is(err, ErrLimit) {
				return "", err
			}
			continue // a sheet that cannot be read is not the payments
		}
		if _, _, err := findHeader(name, rows, overrides); err == nil {
			return sh.Name, nil
		}
	}
	return "", nil
}

// streamSheet converts one worksheet to CSV on the fly into the reader.
func streamSheet(name string, ra io.ReaderAt, size int64, overrides map[string]string, sheet string, lim Limits, each func(*Payment, *Reject) error) (Meta, error) {
	pr, pw := io.Pipe()
	go func() {
		w := csv.NewWriter(pw)
		err := streamXLSX(ra, size, sheet, lim, func(_ int, cells []string) error {
			return w.Write(cells)
		})
		if err == nil {
			w.Flush()
			err = w.Error()
		}
		pw.CloseWithError(err)
	}()
	meta, err := StreamLimits(pr, name, overrides, lim, each)
	// Stop the converter if the reader stopped first.
	pr.CloseWithError(errors.New("the import stopped"))
	var le *LimitError
	if errors.As(err, &le) {
		return meta, fmt.Errorf("%s: %w", name, le)
	}
	return meta, err
}

func streamZip(name string, zr *zip.Reader, overrides map[string]string, lim Limits, each func(*Payment, *Reject) error) (Meta, error) {
	for _, zf := range zr.File {
		if strings.HasSuffix(strings.ToLower(zf.Name), ".csv") {
			g := &sizeGuard{lim: lim}
			mr, err := g.member(zf, "the member "+zf.Name)
			if err != nil {
				return Meta{}, fmt.Errorf("%s: %w", name, err)
			}
			defer mr.Close()
			return StreamLimits(mr, name, overrides, lim, each)
		}
	}
	return Meta{}, fmt.Errorf("%s: the archive holds no .csv file", name)
}

// ReadFile reads a whole spend file from its bytes into memory.
func ReadFile(name string, raw []byte, overrides map[string]string, sheet string) (*Result, error) {
	res := &Result{File: name}
	meta, err := StreamBytes(name, raw, overrides, sheet, func(p *Payment, rej *Reject) error {
		if p != nil {
			res.Payments = append(res.Payments, *p)
		} else {
			res.Rejects = append(res.Rejects, *rej)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Columns, res.DateOrder, res.Preamble, res.Blank = meta.Columns, meta.DateOrder, meta.Preamble, meta.Blank
	return res, nil
}
