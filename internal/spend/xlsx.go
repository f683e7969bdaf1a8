package spend

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
)

// XLSXToCSV converts one worksheet of an Excel workbook (the first, or the
// one named sheet) to CSV, so it goes through the same reader as any file.
// Numbers are written in their shortest exact decimal form; dates stay
// Excel serial numbers, which ParseDate understands.
func XLSXToCSV(data []byte, sheet string) ([]byte, error) {
	rows, err := XLSXRows(data, sheet)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	for _, row := range rows {
		_ = w.Write(row.Cells)
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
}

type xlsxSheetRef struct {
	Name string `xml:"name,attr"`
	RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
}

func openWorkbook(data []byte) (*workbook, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not an Excel workbook: %w", err)
	}
	wbk := &workbook{files: map[string]*zip.File{}}
	for _, f := range zr.File {
		wbk.files[f.Name] = f
	}
	var wb struct {
		Sheets []xlsxSheetRef `xml:"sheets>sheet"`
	}
	raw, err := wbk.read("xl/workbook.xml")
	if err != nil {
		return nil, err
	}
	if err := xml.Unmarshal(raw, &wb); err != nil || len(wb.Sheets) == 0 {
		return nil, fmt.Errorf("the workbook lists no sheets")
	}
	wbk.sheets = wb.Sheets
	return wbk, nil
}

func (wbk *workbook) read(name string) ([]byte, error) {
	f, ok := wbk.files[name]
	if !ok {
		return nil, fmt.Errorf("the workbook has no %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 1<<30))
}

// XLSXSheets lists a workbook's worksheet names in the workbook's order.
func XLSXSheets(data []byte) ([]string, error) {
	wbk, err := openWorkbook(data)
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
// named sheet) as text rows with their row numbers.
func XLSXRows(data []byte, sheet string) ([]XLSXRow, error) {
	wbk, err := openWorkbook(data)
	if err != nil {
		return nil, err
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
			return nil, fmt.Errorf("no sheet called %q (the sheets are: %s)", sheet, strings.Join(names, ", "))
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
	}
	var shared []string
	if raw, err := wbk.read("xl/sharedStrings.xml"); err == nil {
		var sst struct {
			SI []struct {
				T string `xml:"t"`
				R []struct {
					T string `xml:"t"`
				} `xml:"r"`
			} `xml:"si"`
		}
		if err := xml.Unmarshal(raw, &sst); err != nil {
			return nil, fmt.Errorf("shared strings: %w", err)
		}
		for _, si := range sst.SI {
			s := si.T
			for _, r := range si.R {
				s += r.T
			}
			shared = append(shared, s)
		}
	}
	raw, err := wbk.read(path.Join("xl", target))
	if err != nil {
		return nil, err
	}
	var ws struct {
		Rows []struct {
			R int `xml:"r,attr"`
			C []struct {
				R  string `xml:"r,attr"`
				T  string `xml:"t,attr"`
				V  string `xml:"v"`
				IS struct {
					T string `xml:"t"`
				} `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(raw, &ws); err != nil {
		return nil, fmt.Errorf("sheet %s: %w", pick.Name, err)
	}
	out := make([]XLSXRow, 0, len(ws.Rows))
	num := 0
	for _, row := range ws.Rows {
		if row.R > num {
			num = row.R
		} else {
			num++
		}
		var rec []string
		for _, c := range row.C {
			col := columnIndex(c.R)
			for len(rec) < col {
				rec = append(rec, "")
			}
			v := c.V
			switch c.T {
			case "s":
				if i, err := strconv.Atoi(c.V); err == nil && i >= 0 && i < len(shared) {
					v = shared[i]
				}
			case "inlineStr":
				v = c.IS.T
			case "", "n":
				if f, err := strconv.ParseFloat(c.V, 64); err == nil {
					v = strconv.FormatFloat(f, 'f', -1, 64)
				}
			}
			if col < len(rec) {
				rec[col] = v
			} else {
				rec = append(rec, v)
			}
		}
		out = append(out, XLSXRow{Num: num, Cells: rec})
	}
	return out, nil
}

// columnIndex turns a cell reference like "AB12" into a 0-based column.
func columnIndex(ref string) int {
	n := 0
	for _, r := range ref {
		if r < 'A' || r > 'Z' {
			break
		}
		n = n*26 + int(r-'A'+1)
	}
	return max(n-1, 0)
}

// StreamFile reads a spend file from disk in bounded memory, choosing by
// name: an .xlsx workbook (sheet, or the first; converted in memory), a
// .zip holding a CSV (streamed from the archive), or a CSV.
func StreamFile(path string, overrides map[string]string, sheet string, each func(*Payment, *Reject) error) (Meta, error) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".xlsx"):
		raw, err := os.ReadFile(path)
		if err != nil {
			return Meta{}, err
		}
		return StreamBytes(path, raw, overrides, sheet, each)
	case strings.HasSuffix(lower, ".zip"):
		zr, err := zip.OpenReader(path)
		if err != nil {
			return Meta{}, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		return streamZip(path, &zr.Reader, overrides, each)
	}
	f, err := os.Open(path)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	return Stream(f, path, overrides, each)
}

// StreamBytes is StreamFile for a file already in memory (an upload).
func StreamBytes(name string, raw []byte, overrides map[string]string, sheet string, each func(*Payment, *Reject) error) (Meta, error) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".xlsx"):
		body, err := XLSXToCSV(raw, sheet)
		if err != nil {
			return Meta{}, fmt.Errorf("%s: %w", name, err)
		}
		return Stream(bytes.NewReader(body), name, overrides, each)
	case strings.HasSuffix(lower, ".zip"):
		zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			return Meta{}, fmt.Errorf("%s: %w", name, err)
		}
		return streamZip(name, zr, overrides, each)
	}
	return Stream(bytes.NewReader(raw), name, overrides, each)
}

func streamZip(name string, zr *zip.Reader, overrides map[string]string, each func(*Payment, *Reject) error) (Meta, error) {
	for _, zf := range zr.File {
		if strings.HasSuffix(strings.ToLower(zf.Name), ".csv") {
			rc, err := zf.Open()
			if err != nil {
				return Meta{}, fmt.Errorf("%s: %w", name, err)
			}
			defer rc.Close()
			return Stream(rc, name, overrides, each)
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
