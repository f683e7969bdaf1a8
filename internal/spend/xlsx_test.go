package spend

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// makeXLSX writes a minimal workbook with a preamble row, shared strings,
// an inline string, numbers and an Excel date serial.
func makeXLSX(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(body))
	}
	add("xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Notes" sheetId="2" r:id="rId2"/><sheet name="Spend" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>`)
	add("xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Payment Date</t></si><si><t>Supplier</t></si><si><t>Amount</t></si><si><r><t>Acme </t></r><r><t>Ltd</t></r></si><si><t>Spend over £500</t></si></sst>`)
	add("xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>4</v></c></row>
<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c></row>
<row r="3"><c r="A3"><v>46171</v></c><c r="B3" t="s"><v>3</v></c><c r="C3"><v>1234.56</v></c></row>
<row r="4"><c r="A4"><v>46172</v></c><c r="B4" t="inlineStr"><is><t>Beta, "Quoted" &amp; Co</t></is></c><c r="D4"><v>1</v></c><c r="C4"><v>-20</v></c></row>
</sheetData></worksheet>`)
	add("xl/worksheets/sheet2.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>About this file</t></is></c></row></sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSX(t *testing.T) {
	data := makeXLSX(t)
	csvData, err := XLSXToCSV(data, "Spend")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Read(bytes.NewReader(csvData), "spend.xlsx", nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, csvData)
	}
	if len(res.Payments) != 2 || res.Payments[0].Supplier != "Acme Ltd" || res.Payments[0].NetPence != 123456 || res.Payments[0].Date.Format("2006-01-02") != "2026-05-29" ||
		res.Payments[1].Supplier != `Beta, "Quoted" & Co` || res.Payments[1].NetPence != -2000 {
		t.Fatalf("%+v\n%s", res.Payments, csvData)
	}
	// The first sheet is the default; asking for a missing one names those there are.
	if _, err := XLSXToCSV(data, "Nope"); err == nil || !strings.Contains(err.Error(), "Notes, Spend") {
		t.Fatalf("missing sheet: %v", err)
	}
	first, _ := XLSXToCSV(data, "")
	if !strings.Contains(string(first), "About this file") {
		t.Fatalf("default sheet: %s", first)
	}
	if _, err := XLSXToCSV([]byte("not a zip"), ""); err == nil {
		t.Fatal("a non-workbook was accepted")
	}
}
