package proxies

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// sheetData is one worksheet for makeWorkbook: rows of cells; a cell that
// reads as a number is written as a number, anything else as text.
type sheetData struct {
	Name string
	Rows [][]string
}

// makeWorkbook writes a minimal .xlsx with archive/zip (no spreadsheet
// program needed): workbook, relationships, and one sheet file per sheet
// with inline strings. Rows are numbered from 1; an empty row is left
// out, as Excel does, so row numbers skip.
func makeWorkbook(t testing.TB, sheets ...sheetData) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	var wb, rels strings.Builder
	wb.WriteString(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, s := range sheets {
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, esc(s.Name), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
	}
	wb.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	add("xl/workbook.xml", wb.String())
	add("xl/_rels/workbook.xml.rels", rels.String())
	for i, s := range sheets {
		var b strings.Builder
		b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		for r, row := range s.Rows {
			if len(row) == 0 {
				continue
			}
			fmt.Fprintf(&b, `<row r="%d">`, r+1)
			for c, v := range row {
				if v == "" {
					continue
				}
				ref := string(rune('A'+c)) + strconv.Itoa(r+1)
				if _, err := strconv.ParseFloat(v, 64); err == nil {
					fmt.Fprintf(&b, `<c r="%s"><v>%s</v></c>`, ref, v)
				} else {
					fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, esc(v))
				}
			}
			b.WriteString(`</row>`)
		}
		b.WriteString(`</sheetData></worksheet>`)
		add(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), b.String())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// fixtureSheets is testdata/unit-costs-v9.9.xlsx: a cut-down workbook in
// the GMCA layout (a contents sheet, then theme sheets with a title block
// above the header row; headers worded as the workbook words them).
func fixtureSheets() []sheetData {
	header := []string{"Cost code", "Outcome detail", "Unit", "Agency", "Agency detail", "Fiscal cost (£)", "Price year"}
	return []sheetData{
		{Name: "Contents", Rows: [][]string{{"Unit Cost Database v9.9 (test fixture)"}, {"Crime"}, {"Health"}}},
		{Name: "Crime", Rows: [][]string{
			{"Research Team — Unit Cost Database"},
			{"Theme: Crime"},
			{},
			header,
			{"", "ANTI-SOCIAL BEHAVIOUR"},
			{"CR1.0", "Anti-social behaviour, further action (cost of dealing with an incident)", "Per incident", "Police", "Local authority", "500", "2002/03"},
			{"CR1.1", "Anti-social behaviour, no further action", "Per incident", "Police", "", "35", "2002-03"},
			{},
			{"CR2.0", "Arrest (computed cost)", "Per arrest", "Police", "", "1234.5678", "2013/14"},
		}},
		{Name: "Health", Rows: [][]string{
			{"Theme: Health"},
			header,
			{"HE1.0", "A&E attendance", "Per attendance", "NHS", "", "£1,200.50", "2014/15"},
			{"HE1.1", "GP appointment", "Per appointment", "NHS", "", "45", "2020"},
		}},
	}
}
