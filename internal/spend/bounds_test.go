package spend

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// repeat is a reader of a prefix, then unit repeated n times, then a suffix,
// generated as it is read: a bomb that never exists whole in the test.
type repeat struct {
	prefix, unit, suffix string
	n                    int64
	i                    int64
	stage                int
	buf                  []byte
}

func (r *repeat) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		switch {
		case r.stage == 0:
			r.buf, r.stage = []byte(r.prefix), 1
		case r.stage == 1 && r.i < r.n:
			k := min(r.n-r.i, int64(64<<10/max(len(r.unit), 1)+1))
			r.buf = bytes.Repeat([]byte(r.unit), int(k))
			r.i += k
		case r.stage == 1:
			r.buf, r.stage = []byte(r.suffix), 2
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// zipOf writes a zip whose members are streamed from readers.
func zipOf(t *testing.T, parts ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(parts); i += 2 {
		w, err := zw.Create(parts[i].(string))
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader
		switch v := parts[i+1].(type) {
		case string:
			r = strings.NewReader(v)
		case io.Reader:
			r = v
		}
		if _, err := io.Copy(w, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// workbookOf is a one-sheet workbook whose sheet XML is streamed from sheet.
func workbookOf(t *testing.T, sheet io.Reader) []byte {
	return zipOf(t,
		"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Spend" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml", sheet)
}

const sheetHead = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c><c r="B1" t="inlineStr"><is><t>Supplier</t></is></c><c r="C1" t="inlineStr"><is><t>Amount</t></is></c></row>`

// refuse reads a bomb and checks it is refused for the named limit and
// flag, quickly and in bounded memory (allocations while reading).
func refuse(t *testing.T, limit, flag string, read func() error) {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	err := read()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	var le *LimitError
	if !errors.As(err, &le) || !errors.Is(err, ErrLimit) {
		t.Fatalf("err = %v, want a limit error", err)
	}
	if le.Limit != limit || le.Flag != flag || !strings.Contains(err.Error(), flag) || !strings.Contains(err.Error(), limit) {
		t.Fatalf("refused for %q (%s), want %q (%s): %v", le.Limit, le.Flag, limit, flag, err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 64<<20 {
		t.Fatalf("reading the bomb allocated %d MB", alloc>>20)
	}
	if after.HeapInuse > before.HeapInuse+64<<20 {
		t.Fatalf("heap in use grew from %d MB to %d MB", before.HeapInuse>>20, after.HeapInuse>>20)
	}
	if took > 10*time.Second {
		t.Fatalf("took %v", took)
	}
	t.Logf("%v in %v, %d KB allocated", err, took.Round(time.Millisecond), alloc>>10)
}

func noRows(*Payment, *Reject) error { return nil }

// One row of 393 million empty cells (1.5 MB compressed in the report; a
// 100-million-cell row here) is refused at the cell limit.
func TestBombCellsInARow(t *testing.T) {
	data := workbookOf(t, &repeat{prefix: sheetHead + `<row r="2">`, unit: `<c/>`, n: 100_000_000, suffix: `</row></sheetData></worksheet>`})
	t.Logf("workbook of %d KB", len(data)>>10)
	refuse(t, "cells per row", "--max-cells", func() error {
		_, err := StreamBytes("bomb.xlsx", data, nil, "", noRows)
		return err
	})
	// A value far to the right is refused before any padding …
	far := workbookOf(t, strings.NewReader(sheetHead+`<row r="2"><c r="XFD2"><v>1</v></c></row></sheetData></worksheet>`))
	refuse(t, "cells per row", "--max-cells", func() error {
		_, err := StreamBytes("far.xlsx", far, nil, "", noRows)
		return err
	})
	// … but an empty formatted cell there is skipped.
	styled := workbookOf(t, strings.NewReader(sheetHead+`<row r="2"><c r="A2" t="inlineStr"><is><t>01/05/2026</t></is></c><c r="B2" t="inlineStr"><is><t>Acme</t></is></c><c r="C2"><v>12.5</v></c><c r="XFD2" s="3"/></row></sheetData></worksheet>`))
	res, err := ReadFile("styled.xlsx", styled, nil, "")
	if err != nil || len(res.Payments) != 1 || res.Payments[0].NetPence != 1250 {
		t.Fatalf("styled far cell: %+v %v", res, err)
	}
}

// A row of many cells, each within the cell limit, is refused at the row
// length before it is built.
func TestWorkbookRowLength(t *testing.T) {
	cell := `<c t="inlineStr"><is><t>` + strings.Repeat("w", 60<<10) + `</t></is></c>`
	data := workbookOf(t, &repeat{prefix: sheetHead + `<row r="2">`, unit: cell, n: 900, suffix: `</row></sheetData></worksheet>`})
	refuse(t, "the length of a row", "--max-row-bytes", func() error {
		_, err := StreamBytes("wide.xlsx", data, nil, "", noRows)
		return err
	})
}

// One inline string of 1 GB is refused at the cell limit, never buffered.
func TestBombInlineString(t *testing.T) {
	data := workbookOf(t, &repeat{prefix: sheetHead + `<row r="2"><c r="A2" t="inlineStr"><is><t>`, unit: "A", n: 1 << 30, suffix: `</t></is></c></row></sheetData></worksheet>`})
	t.Logf("workbook of %d KB", len(data)>>10)
	refuse(t, "the length of a cell", "--max-field", func() error {
		_, err := StreamBytes("string.xlsx", data, nil, "", noRows)
		return err
	})
}

// A .zip whose CSV expands far beyond its compressed size is refused at
// the ratio, even though every row in it is short.
func TestBombZipRatio(t *testing.T) {
	data := zipOf(t, "spend.csv", &repeat{prefix: "Date,Supplier,Amount\n", unit: "\n", n: 400 << 20})
	t.Logf("zip of %d KB", len(data)>>10)
	refuse(t, "the ratio of decompressed to compressed size", "--max-ratio", func() error {
		_, err := StreamBytes("ratio.zip", data, nil, "", noRows)
		return err
	})
	// The same from disk.
	path := filepath.Join(t.TempDir(), "ratio.zip")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	refuse(t, "the ratio of decompressed to compressed size", "--max-ratio", func() error {
		_, err := StreamFile(path, nil, "", noRows)
		return err
	})
}

// A CSV with one line of 1.5 GB (plain, or inside a .zip) is refused at the
// row length, having read little more than the limit.
func TestBombLongLine(t *testing.T) {
	// With the default limits the line's one long cell is refused first.
	src := &repeat{prefix: "Date,Supplier,Amount\n01/05/2026,", unit: "x", n: 1536 << 20, suffix: ",1.00\n"}
	refuse(t, "the length of a cell", "--max-field", func() error {
		_, err := Stream(src, "long.csv", nil, noRows)
		return err
	})
	if src.i > 8<<20 {
		t.Fatalf("read %d MB of the line before refusing", src.i>>20)
	}
	// With cells allowed to be longer, the row's length.
	src = &repeat{prefix: "Date,Supplier,Amount\n01/05/2026,", unit: "x", n: 1536 << 20, suffix: ",1.00\n"}
	refuse(t, "the length of a row", "--max-row-bytes", func() error {
		_, err := StreamLimits(src, "long.csv", nil, Limits{Field: 16 << 20}, noRows)
		return err
	})
	if src.i > 8<<20 {
		t.Fatalf("read %d MB of the line before refusing", src.i>>20)
	}
	// Inside a .zip, whichever comes first of the ratio and the cell.
	data := zipOf(t, "long.csv", &repeat{prefix: "Date,Supplier,Amount\n01/05/2026,", unit: "x", n: 256 << 20, suffix: ",1.00\n"})
	refuse(t, "the length of a cell", "--max-field", func() error {
		_, err := StreamBytes("long.zip", data, nil, "", noRows)
		return err
	})
	// A quoted cell running over many short lines is one record.
	quoted := &repeat{prefix: "Date,Supplier,Amount\n01/05/2026,\"", unit: "ab\n", n: 1 << 30, suffix: "\",1.00\n"}
	refuse(t, "the length of a cell", "--max-field", func() error {
		_, err := Stream(quoted, "quoted.csv", nil, noRows)
		return err
	})
	// Many cells of a moderate length make a row too long.
	wide := "Date,Supplier,Amount\n" + strings.Repeat(strings.Repeat("y", 1500)+",", 900) + "\n"
	refuse(t, "the length of a row", "--max-row-bytes", func() error {
		_, err := Stream(strings.NewReader(wide), "wide.csv", nil, noRows)
		return err
	})
	many := "Date,Supplier,Amount\n" + strings.Repeat(",", 5000) + "\n"
	refuse(t, "cells per row", "--max-cells", func() error {
		_, err := Stream(strings.NewReader(many), "many.csv", nil, noRows)
		return err
	})
}

// A workbook listing 100,000 sheets is refused at the sheet limit.
func TestBombManySheets(t *testing.T) {
	var wb strings.Builder
	wb.WriteString(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	for i := range 100_000 {
		fmt.Fprintf(&wb, `<sheet name="S%d" sheetId="%d" r:id="rId%d"/>`, i, i+1, i+1)
	}
	wb.WriteString(`</sheets></workbook>`)
	data := zipOf(t, "xl/workbook.xml", wb.String())
	refuse(t, "sheets in a workbook", "--max-sheets", func() error {
		_, err := StreamBytes("sheets.xlsx", data, nil, "", noRows)
		return err
	})
}

// Rows past the limit stop the read, for a CSV and a workbook.
func TestRowLimit(t *testing.T) {
	body := &repeat{prefix: "Date,Supplier,Amount\n", unit: "01/05/2026,A,1.00\n", n: 10_000}
	refuse(t, "rows in a file", "--max-rows", func() error {
		_, err := StreamLimits(body, "rows.csv", nil, Limits{Rows: 1000}, noRows)
		return err
	})
	var sheet strings.Builder
	sheet.WriteString(sheetHead)
	for i := range 10_000 {
		fmt.Fprintf(&sheet, `<row><c t="inlineStr"><is><t>%02d/05/2026</t></is></c><c t="inlineStr"><is><t>Supplier %d Ltd</t></is></c><c><v>%d.%02d</v></c></row>`, 1+i%28, i*7919%1000, 500+i*31%9000, i%100)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	data := workbookOf(t, strings.NewReader(sheet.String()))
	path := filepath.Join(t.TempDir(), "rows.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	refuse(t, "rows in a file", "--max-rows", func() error {
		_, err := StreamFileLimits(path, nil, "", Limits{Rows: 1000}, noRows)
		return err
	})
	// Within the limits the same workbook streams every row.
	var n int
	if _, err := StreamFile(path, nil, "", func(p *Payment, _ *Reject) error {
		if p != nil {
			n++
		}
		return nil
	}); err != nil || n != 10_000 {
		t.Fatalf("streamed %d payments: %v", n, err)
	}
}

// Shared strings past their limit are refused.
func TestSharedStringsLimit(t *testing.T) {
	data := zipOf(t,
		"xl/workbook.xml", `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Spend" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/sharedStrings.xml", &repeat{prefix: "<sst>", unit: "<si><t>" + strings.Repeat("z", 1000) + "</t></si>", n: 100_000, suffix: "</sst>"},
		"xl/worksheets/sheet1.xml", sheetHead+`</sheetData></worksheet>`)
	path := filepath.Join(t.TempDir(), "shared.xlsx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	refuse(t, "a workbook's shared strings", "--max-shared-strings", func() error {
		_, err := StreamFileLimits(path, nil, "", Limits{SharedText: 10 << 20}, noRows)
		return err
	})
}
