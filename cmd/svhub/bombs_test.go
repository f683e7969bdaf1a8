package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeZip writes a zip of members whose bodies are a prefix, a unit
// repeated n times and a suffix, streamed into the compressor.
func writeZip(t *testing.T, path string, members ...bombMember) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		w, err := zw.Create(m.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(w, m.prefix)
		chunk := []byte(strings.Repeat(m.unit, max(1, 64<<10/max(len(m.unit), 1))))
		per := int64(len(chunk) / max(len(m.unit), 1))
		for left := m.n; left > 0; left -= per {
			if left < per {
				chunk = chunk[:left*int64(len(m.unit))]
			}
			if _, err := w.Write(chunk); err != nil {
				t.Fatal(err)
			}
		}
		_, _ = io.WriteString(w, m.suffix)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

type bombMember struct {
	name, prefix, unit, suffix string
	n                          int64
}

func workbookMembers(sheet bombMember) []bombMember {
	sheet.name = "xl/worksheets/sheet1.xml"
	return []bombMember{
		{name: "xl/workbook.xml", prefix: `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Spend" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", prefix: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`},
		sheet,
	}
}

// The binary refuses each bomb of issue 19 with the limit's flag, in
// under 10 s, its peak resident memory (the kernel's maxrss) under 300 MB,
// run under a 1 GiB address-space limit (runLimited).
// The bombs are smaller than the report's (64 million cells, 256 MiB
// strings and lines; the full sizes, 393 million cells and 1.5 GiB, were
// refused at the same point with the same memory, but take a minute to
// compress here): each is refused at its limit, long before its end.
func TestImportSpendRefusesBombs(t *testing.T) {
	dir := t.TempDir()
	head := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c><c r="B1" t="inlineStr"><is><t>Supplier</t></is></c><c r="C1" t="inlineStr"><is><t>Amount</t></is></c></row>`
	var sheets strings.Builder
	sheets.WriteString(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	for i := range 50_000 {
		fmt.Fprintf(&sheets, `<sheet name="S%d" sheetId="%d" r:id="rId%d"/>`, i, i+1, i+1)
	}
	sheets.WriteString(`</sheets></workbook>`)
	for _, tc := range []struct {
		name    string
		members []bombMember
		flag    string
	}{
		{"cells.xlsx", workbookMembers(bombMember{prefix: head + `<row r="2">`, unit: `<c/>`, n: 64_000_000, suffix: `</row></sheetData></worksheet>`}), "--max-cells"},
		{"string.xlsx", workbookMembers(bombMember{prefix: head + `<row r="2"><c r="A2" t="inlineStr"><is><t>`, unit: "A", n: 256 << 20, suffix: `</t></is></c></row></sheetData></worksheet>`}), "--max-field"},
		{"line.zip", []bombMember{{name: "spend.csv", prefix: "Date,Supplier,Amount\n01/05/2026,", unit: "x", n: 256 << 20, suffix: ",1.00\n"}}, "--max-field"},
		{"ratio.zip", []bombMember{{name: "spend.csv", prefix: "Date,Supplier,Amount\n", unit: "\n", n: 256 << 20}}, "--max-ratio"},
		{"sheets.xlsx", []bombMember{{name: "xl/workbook.xml", prefix: sheets.String()}}, "--max-sheets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.name)
			writeZip(t, file, tc.members...)
			st, _ := os.Stat(file)
			runLimited(t, "import", "spend", "--db", "sqlite:"+filepath.Join(dir, "hub.db"), "--buyer", "Example Council", file).
				refused(t, fmt.Sprintf("%s (%d KB)", tc.name, st.Size()>>10), tc.flag, "refused")
		})
	}
}
