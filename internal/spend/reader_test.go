package spend

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadLayouts(t *testing.T) {
	in := "Spending over £500,,,\nPublished by Somewhere Council,,,\n,,,\n" +
		"Payment Date,Supplier Name,Net Amount £,Gross Amount,Directorate,Notes\n" +
		"29/05/2026,Acme Ltd,\"1,234.56\",\"1,481.47\",Adults,x\n" +
		"29/05/2026,Acme Ltd,\"1,234.56\",\"1,481.47\",Adults,x\n" + // identical line: kept
		"30/05/2026,REDACTED,500.00,600.00,Children,\n" +
		",,\"9,999.99\",,,\n" + // a total row
		",,,,,\n" + // blank
		"31/05/2026,\"Smith, Jones & Co\",(20.00),,Adults,credit\n" +
		"2026-05-29742.50,Broken Ltd,,,Adults,\n" // a date run into the amount
	res, err := Read(strings.NewReader(in), "test.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Preamble != 3 || res.Columns.Name["amount"] != "Net Amount £" || res.Columns.Name["gross"] != "Gross Amount" || res.Columns.Name["service"] != "Directorate" {
		t.Fatalf("columns %+v preamble %d", res.Columns.Name, res.Preamble)
	}
	if len(res.Payments) != 4 || res.Blank != 1 || len(res.Rejects) != 2 {
		t.Fatalf("payments %d blank %d rejects %+v", len(res.Payments), res.Blank, res.Rejects)
	}
	if res.Payments[0].Key != res.Payments[1].Key || !res.Payments[2].Redacted || res.Payments[3].NetPence != -2000 || !slices.Equal(res.Payments[0].Extra, []string{"x"}) || !slices.Equal(res.Columns.ExtraNames(), []string{"Notes"}) {
		t.Fatalf("payments %+v", res.Payments)
	}
	if !strings.Contains(res.Rejects[0].Reason, "total") || res.Rejects[1].Field != "date" || res.Rejects[1].Line != 11 {
		t.Fatalf("rejects %+v", res.Rejects)
	}
	net, _, _ := Totals(res.Payments)
	if net != 123456*2+50000-2000 {
		t.Fatalf("net %d", net)
	}
}

func TestReadEncodingsAndOrder(t *testing.T) {
	// Windows-1252 bytes, a double-encoded BOM, and month-first dates.
	in := "ï»¿Date,Payee,Amount\n05/29/2026,Caf\xe9 \xa3 Co,10.00\n06/30/2026,B,5\n"
	res, err := Read(strings.NewReader(in), "w.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.DateOrder != MonthFirst || res.Payments[0].Supplier != "Café £ Co" || res.Payments[0].Date.Day() != 29 {
		t.Fatalf("%v %+v", res.DateOrder, res.Payments)
	}
	if _, err := Read(strings.NewReader("name,address\nx,y\n"), "people.csv", nil); !errors.Is(err, ErrNotSpend) || !strings.Contains(err.Error(), "name, address") {
		t.Fatalf("not a spend file: %v", err)
	}
	// --map names a column the synonyms do not know.
	res, err = Read(strings.NewReader("When,Who,HowMuch\n01/01/2026,A,1\n"), "m.csv", map[string]string{"date": "When", "supplier": "Who", "amount": "HowMuch"})
	if err != nil || len(res.Payments) != 1 {
		t.Fatalf("map: %v", err)
	}
}

// Real councils' files (cut down, in testdata/councils): every line is
// imported, rejected or blank, and the imported total matches an independent
// sum of the amount column.
func TestCouncilFiles(t *testing.T) {
	dir := filepath.Join("testdata", "councils")
	check := func(name string, r io.Reader, raw []byte) {
		res, err := Read(r, name, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Independent recomputation: plain CSV, sum the amount column by hand.
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff")))
		cr.FieldsPerRecord = -1
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range recs[0] {
			if strings.EqualFold(strings.TrimSpace(h), "amount") {
				col = i
			}
		}
		var want int64
		n := 0
		for _, rec := range recs[1:] {
			if p, err := ParseAmount(rec[col]); err == nil && strings.TrimSpace(strings.Join(rec, "")) != "" {
				want += p
				n++
			}
		}
		got, from, to := Totals(res.Payments)
		if len(res.Payments)+len(res.Rejects)+res.Blank != len(recs)-1 {
			t.Errorf("%s: %d payments + %d rejects + %d blank ≠ %d lines", name, len(res.Payments), len(res.Rejects), res.Blank, len(recs)-1)
		}
		if got != want || len(res.Payments) != n {
			t.Errorf("%s: imported %d rows totalling %d pence; independent sum %d rows, %d pence", name, len(res.Payments), got, n, want)
		}
		t.Logf("%s: %d payments, %d rejected, £%d.%02d, %s to %s", name, len(res.Payments), len(res.Rejects), got/100, got%100, from.Format("2006-01-02"), to.Format("2006-01-02"))
	}
	for _, f := range []string{"devon/DCCSpendingOver500_201101.csv", "devon/DCCSpendingOver500_202510.csv"} {
		raw, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		check(f, strings.NewReader(string(raw)), raw)
	}
	for _, name := range []string{"trafford-supplier-spend-2026-27.zip", "trafford-supplier-spend-2024-25.zip"} {
		zr, err := zip.OpenReader(filepath.Join(dir, "trafford", name))
		if err != nil {
			t.Fatal(err)
		}
		f, _ := zr.File[0].Open()
		raw, _ := io.ReadAll(f)
		f.Close()
		zr.Close()
		check(name, strings.NewReader(string(raw)), raw)
	}
}

// FuzzRead feeds arbitrary files to the reader: it must never panic, and
// every data line must come out as a payment, a reject or a blank.
func FuzzRead(f *testing.F) {
	f.Add("Date,Supplier,Amount\n01/05/2026,A,1.00\n")
	f.Add("Preamble\n\nPayment Date,Beneficiary Name,Net Amount £\n2026-05-01,\"A, B\",\"(1,000.00)\"\n,,5\n")
	f.Add("\ufeffDate;Supplier;Amount\n")
	f.Add("ï»¿Date,Payee,Amount\n05/29/2026,Caf\xe9,10\n")
	f.Fuzz(func(t *testing.T, in string) {
		lines := 0
		meta, err := Stream(strings.NewReader(in), "fuzz.csv", nil, func(p *Payment, r *Reject) error {
			lines++
			if p != nil && (p.Supplier == "" || p.Date.IsZero()) {
				t.Fatalf("payment without supplier or date: %+v", p)
			}
			return nil
		})
		if err != nil {
			return
		}
		_ = meta
	})
}

// The fast row path must write unmapped columns exactly as json.Marshal
// writes a list of them, name repeated columns apart, and keep the payment
// key stored by earlier versions (SHA-256 of the mapped fields), or
// re-imports would stop matching.
func TestExtraJSONAndKeyMatchStandard(t *testing.T) {
	csvText := "Date,Supplier,Amount,Zeta,Alpha,Notes,Alpha\n" +
		"01/04/2024,Acme Ltd,10.00,\"a \"\"quoted\"\" <b>&\",x,caf\xe9,y\n" +
		"02/04/2024,Beta,20.00,,li\u2028ne,\t tab ,\n"
	res, err := Read(strings.NewReader(csvText), "t.csv", nil)
	if err != nil || len(res.Payments) != 2 {
		t.Fatalf("read: %v %+v", err, res)
	}
	if names := res.Columns.ExtraNames(); !slices.Equal(names, []string{"Zeta", "Alpha", "Notes", "Alpha (2)"}) {
		t.Errorf("extra names %q", names)
	}
	want := [][]string{
		{`a "quoted" <b>&`, "x", "café", "y"},
		{"", "li\u2028ne", "tab", ""},
	}
	for i, p := range res.Payments {
		if !slices.Equal(p.Extra, want[i]) {
			t.Errorf("row %d extra = %q, want %q", i, p.Extra, want[i])
		}
		h := sha256.New()
		for _, v := range []string{p.Date.Format("02/01/2006"), p.Supplier, []string{"10.00", "20.00"}[i], "", "", "", "", "", "", "", "", "", ""} {
			h.Write([]byte(v))
			h.Write([]byte{0x1f})
		}
		if k := hex.EncodeToString(h.Sum(nil))[:32]; hex.EncodeToString(p.Key[:]) != k {
			t.Errorf("row %d key = %x, want %s", i, p.Key, k)
		}
	}
}
