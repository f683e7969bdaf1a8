package spend

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func readFixture(t *testing.T, path string, overrides map[string]string) (*Result, error) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ReadFile(path, raw, overrides, "")
}

// Each layout councils publish is read with the right columns and exact
// totals, by one mechanism: what the columns hold and what their headers
// say.
func TestDetectLayouts(t *testing.T) {
	cases := []struct {
		file                   string
		date, amount, supplier string
		preamble               int
		payments, rejects      int
		net                    int64
	}{
		// A title block, a blank line (which CSV readers skip, so the
		// preamble is four records) and a row of empty cells above a
		// header of names the importer had no synonym for.
		{"testdata/layouts/title-block.csv", "Posting Date", "Value (£)", "Creditor Name", 4, 5, 0, 125000 + 450050 + 80000 - 12025 + 60000},
		// Gross, VAT and Net: the net amount is chosen.
		{"testdata/layouts/gross-vat-net.csv", "Date", "Net", "Payee", 0, 4, 0, 100000 + 54000 + 50000 + 75000},
		// Binary-float artefacts and sub-penny values rounded half away
		// from zero; only the non-number is rejected.
		{"testdata/layouts/float-artefacts.csv", "Payment Date", "Amount", "Supplier Name", 0, 6, 1, 60748 + 43600 + 153100 + 55357 - 55357 + 100010},
		// Months and quarters instead of days; "soon" is rejected.
		{"testdata/layouts/period-only.csv", "Period", "Amount", "Supplier", 0, 5, 1, 100000 + 200000 + 30000 + 4550 + 1000},
		// Headers naming no known word over columns plainly of dates,
		// money and organisations' names.
		{"testdata/layouts/no-known-header.csv", "Entered", "Figure", "Counterparty", 0, 7, 0, 125000 + 450050 + 80000 - 12025 + 9999 + 65000 + 231040},
		// A real file: Lambeth's June 2012 export, nine lines of report
		// parameters above the header, "Invoice Creation Date" and
		// "Invoice Nett Amount"; its three lines that lost a comma are
		// rejected.
		{"testdata/councils/lambeth/lambeth-2012-06-payments.csv", "Invoice Creation Date", "Invoice Nett Amount", "Supplier Name", 9, 14, 3, 0},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res, err := readFixture(t, c.file, nil)
			if err != nil {
				t.Fatal(err)
			}
			ch := res.Columns.Chosen
			if ch["date"].Header != c.date || ch["amount"].Header != c.amount || ch["supplier"].Header != c.supplier {
				t.Fatalf("chose %+v", ch)
			}
			for _, role := range CoreRoles {
				if ch[role].Score < minScore || ch[role].Why == "" || ch[role].RunnerUp == nil || ch[role].RunnerUp.Score >= ch[role].Score {
					t.Errorf("%s: %+v", role, ch[role])
				}
			}
			if res.Preamble != c.preamble || len(res.Payments) != c.payments || len(res.Rejects) != c.rejects {
				t.Fatalf("preamble %d, %d payments, %d rejects %+v", res.Preamble, len(res.Payments), len(res.Rejects), res.Rejects)
			}
			net, _, _ := Totals(res.Payments)
			if c.net != 0 && net != c.net {
				t.Fatalf("net %d, want %d", net, c.net)
			}
		})
	}
}

// Amounts past the penny are flagged as rounded; months and quarters are
// placed on their last day with the period kept.
func TestRoundedAndPeriodRows(t *testing.T) {
	res, err := readFixture(t, "testdata/layouts/float-artefacts.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	rounded := 0
	for _, p := range res.Payments {
		if p.Rounded {
			rounded++
		}
	}
	if rounded != 5 || res.Rejects[0].Field != "amount" || !strings.Contains(res.Rejects[0].Reason, `"not known"`) {
		t.Fatalf("%d rounded, rejects %+v", rounded, res.Rejects)
	}
	res, err = readFixture(t, "testdata/layouts/period-only.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ date, period string }{{"2010-09-30", "2010-07/2010-09"}, {"2010-09-30", "2010-09"}, {"2010-09-30", "2010-09"}, {"2010-09-30", "2010-07/2010-09"}, {"2010-09-28", ""}}
	for i, w := range want {
		p := res.Payments[i]
		if p.Date.Format(time.DateOnly) != w.date || p.Period != w.period {
			t.Errorf("row %d: %s %q, want %s %q", i, p.Date.Format(time.DateOnly), p.Period, w.date, w.period)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	good := map[string][2]string{
		"July 2010-September 2010":    {"2010-09-30", "2010-07/2010-09"},
		"July 2010 to September 2010": {"2010-09-30", "2010-07/2010-09"},
		"201009":                      {"2010-09-30", "2010-09"},
		"Sep-10":                      {"2010-09-30", "2010-09"},
		"Sept 2010":                   {"2010-09-30", "2010-09"},
		"September 2010":              {"2010-09-30", "2010-09"},
		"2011-02":                     {"2011-02-28", "2011-02"},
		"02/2012":                     {"2012-02-29", "2012-02"},
		"Q2 2010/11":                  {"2010-09-30", "2010-07/2010-09"},
		"Q4 2010/11":                  {"2011-03-31", "2011-01/2011-03"},
		"2010/2011 Q1":                {"2010-06-30", "2010-04/2010-06"},
	}
	for in, w := range good {
		end, per, ok := ParsePeriod(in)
		if !ok || end.Format(time.DateOnly) != w[0] || per != w[1] {
			t.Errorf("%q: %v %q %v, want %v", in, end, per, ok, w)
		}
	}
	for _, bad := range []string{"", "soon", "201013", "189912", "Q5 2010/11", "Q2 2010/12", "September 2010-July 2010", "July 2010-September 2011", "Sep", "12345", "1234.56"} {
		if _, _, ok := ParsePeriod(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A file with no column confidently a date, an amount and a supplier is
// refused with the three best candidates for each role.
func TestDetectRefusesWithCandidates(t *testing.T) {
	_, err := readFixture(t, "testdata/layouts/not-payments.csv", nil)
	de, ok := IsDetectError(err)
	if !ok || !errors.Is(err, ErrNotSpend) {
		t.Fatalf("err = %v", err)
	}
	if de.HeaderLine != 1 || len(de.Candidates["date"]) != 3 || len(de.Candidates["supplier"]) != 3 || len(de.Rows) != 3 || len(de.Missing) == 0 {
		t.Fatalf("%+v", de)
	}
	if !strings.Contains(err.Error(), "best for the supplier: \"Description\" (column 2") || !strings.Contains(err.Error(), "--map") {
		t.Fatalf("message: %v", err)
	}
	// The header's line is the file's, blank lines counted.
	_, err = ReadFile("r.csv", []byte("Stock report\n\nCode,Description,Quantity\nA1,Cones,40\n"), nil, "")
	if de, ok := IsDetectError(err); !ok || de.HeaderLine != 3 || !strings.Contains(err.Error(), "taking line 3 as the header") {
		t.Fatalf("header line: %v", err)
	}
	// --map overrides detection.
	res, err := ReadFile("m.csv", []byte("Code,Description,Quantity\n01/02/2025,Road salt,120\n"), map[string]string{"date": "Code", "supplier": "Description", "amount": "Quantity"}, "")
	if err != nil || len(res.Payments) != 1 || res.Payments[0].NetPence != 12000 || res.Columns.Chosen["amount"].Why != "named in the column mapping" {
		t.Fatalf("--map: %v %+v", err, res)
	}
	// A mapping naming a column the file lacks says which.
	if _, err := ReadFile("m.csv", []byte("Code,Description,Quantity\n01/02/2025,Road salt,120\n"), map[string]string{"date": "When"}, ""); err == nil || !strings.Contains(err.Error(), "date=When") {
		t.Fatalf("missing mapped column: %v", err)
	}
}

// A workbook's payments sheet is found when it is not the first.
func TestWorkbookChoosesPaymentsSheet(t *testing.T) {
	res, err := ReadFile("spend.xlsx", makeXLSX(t), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Payments) != 2 || res.Payments[0].Supplier != "Acme Ltd" {
		t.Fatalf("%+v", res.Payments)
	}
	meta, err := StreamBytes("spend.xlsx", makeXLSX(t), nil, "", func(*Payment, *Reject) error { return nil })
	if err != nil || meta.Sheet != "Spend" {
		t.Fatalf("sheet %q: %v", meta.Sheet, err)
	}
}

// Next month's file in the same layout has the same signature.
func TestLayoutSignature(t *testing.T) {
	a, err := readFixture(t, "testdata/layouts/no-known-header.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := readFixture(t, "testdata/layouts/next-month-no-known-header.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Columns.Signature == "" || a.Columns.Signature != b.Columns.Signature || a.Columns.Signature != "entered|counterparty|figure|ref|area" {
		t.Fatalf("%q %q", a.Columns.Signature, b.Columns.Signature)
	}
}

// FuzzParsePeriod: whatever is read as a period ends on the last day of a
// month in a plausible year, and names a month or a range of months.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"July 2010-September 2010", "201009", "Sep-10", "Q2 2010/11", "2010-09", "09/2010"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		end, per, ok := ParsePeriod(s)
		if !ok {
			return
		}
		if end.Year() < 1990 || end.Year() > 2101 || end.AddDate(0, 0, 1).Day() != 1 || (len(per) != 7 && len(per) != 15) {
			t.Fatalf("%q → %v %q", s, end, per)
		}
	})
}
