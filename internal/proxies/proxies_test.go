package proxies

import (
	"bytes"
	"errors"
	"math/big"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestShippedUCDLoadsAllValuesWithAttribution(t *testing.T) {
	ed, err := ShippedUCD()
	if err != nil {
		t.Fatal(err)
	}
	if len(ed.Values) != 674 {
		t.Fatalf("shipped UCD has %d values, want 674", len(ed.Values))
	}
	if ed.Source.Attribution != "Unit Cost Database © Greater Manchester Combined Authority, Creative Commons Attribution 4.0" || !ed.Source.BuiltIn || ed.Source.LicensedOnly {
		t.Fatalf("source = %+v", ed.Source)
	}
	if err := ed.Source.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []SheetCount{{"Crime", 184}, {"Education & Skills", 26}, {"Employment & Economy", 75}, {"Fire", 15}, {"Health", 201}, {"Housing", 36}, {"Social Services", 137}}
	if got := ed.Sheets(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets = %v", got)
	}
	first := ed.Values[0]
	if first.Code != "CR1.0" || first.Pence != 50000 || first.PriceYear != "2002/03" || first.Unit != "Per incident" || first.Agency != "Police" || first.Kind != Fiscal {
		t.Fatalf("first value = %+v", first)
	}
	codes := map[string]bool{}
	for _, v := range ed.Values {
		if codes[v.Code] || v.Pence < 0 || v.PriceYear == "" || v.Unit == "" || v.Description == "" {
			t.Fatalf("bad value %+v", v)
		}
		codes[v.Code] = true
	}
	if MakeKey(ed.Source.Name, ed.Source.Edition) != "unit-cost-database-1.4" {
		t.Fatal(MakeKey(ed.Source.Name, ed.Source.Edition))
	}
}

func TestShippedIncludesCarbon(t *testing.T) {
	eds, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if len(eds) != 2 || eds[1].Values[0].Pence != 24100 || eds[1].Values[0].PriceYear != "2020" {
		t.Fatalf("shipped = %d editions, carbon %+v", len(eds), eds[1].Values)
	}
	if err := eds[1].Source.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestPriceYear(t *testing.T) {
	for in, want := range map[string]string{"2013/14": "2013/14", "2013-14": "2013/14", "2013/2014": "2013/14", "FY 2013-14": "2013/14", "1999/00": "1999/00", "2020": "2020", "2020.0": "2020", " 2008/09 ": "2008/09"} {
		if got, err := PriceYear(in); err != nil || got != want {
			t.Errorf("PriceYear(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2013/15", "2013/2015", "13/14", "soon", "2013.5", "0001"} {
		if got, err := PriceYear(in); err == nil {
			t.Errorf("PriceYear(%q) = %q, want an error", in, got)
		}
	}
}

func TestParsePence(t *testing.T) {
	for in, want := range map[string]int64{"500": 50000, "35.0": 3500, "£1,200.50": 120050, "1234.5678": 123457, "0.005": 1, "-0.005": -1, "-£20": -2000, "1.2e3": 120000} {
		if got, err := ParsePence(in); err != nil || got != want {
			t.Errorf("ParsePence(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "n/a", "£", "1/3", "12 pounds", "1e30"} {
		if got, err := ParsePence(in); err == nil {
			t.Errorf("ParsePence(%q) = %d, want an error", in, got)
		}
	}
}

func TestWorkbookFixtureIsCurrent(t *testing.T) {
	committed, err := os.ReadFile("testdata/unit-costs-v9.9.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, makeWorkbook(t, fixtureSheets()...)) {
		t.Fatal("testdata/unit-costs-v9.9.xlsx differs from fixtureSheets(); regenerate it")
	}
}

func TestReadWorkbookInGMCALayout(t *testing.T) {
	raw, err := os.ReadFile("testdata/unit-costs-v9.9.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	ed, err := ReadFile("unit-costs-v9.9.xlsx", raw, UCDSource("9.9"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ed.Sheets(); !reflect.DeepEqual(got, []SheetCount{{"Crime", 3}, {"Health", 2}}) {
		t.Fatalf("sheets = %v", got)
	}
	want := []Value{
		{Code: "CR1.0", Theme: "Crime", Detail: "Anti-social behaviour, further action (cost of dealing with an incident)", Description: "Anti-social behaviour, further action (cost of dealing with an incident)", Unit: "Per incident", Pence: 50000, PriceYear: "2002/03", Agency: "Police", AgencyDetail: "Local authority", Kind: Fiscal},
		{Code: "CR1.1", Theme: "Crime", Detail: "Anti-social behaviour, no further action", Description: "Anti-social behaviour, no further action", Unit: "Per incident", Pence: 3500, PriceYear: "2002/03", Agency: "Police", Kind: Fiscal},
		{Code: "CR2.0", Theme: "Crime", Detail: "Arrest (computed cost)", Description: "Arrest (computed cost)", Unit: "Per arrest", Pence: 123457, PriceYear: "2013/14", Agency: "Police", Kind: Fiscal},
		{Code: "HE1.0", Theme: "Health", Detail: "A&E attendance", Description: "A&E attendance", Unit: "Per attendance", Pence: 120050, PriceYear: "2014/15", Agency: "NHS", Kind: Fiscal},
		{Code: "HE1.1", Theme: "Health", Detail: "GP appointment", Description: "GP appointment", Unit: "Per appointment", Pence: 4500, PriceYear: "2020", Agency: "NHS", Kind: Fiscal},
	}
	if !reflect.DeepEqual(ed.Values, want) {
		t.Fatalf("values =\n%+v\nwant\n%+v", ed.Values, want)
	}
}

func TestReadCSV(t *testing.T) {
	raw := "\ufefftheme,cost code,detail,unit,agency,fiscal cost £,price year\nCrime,CR1.0,ASB,Per incident,Police,500,2002/03\nHealth,HE1.0,A&E,Per attendance,NHS,\"1,200.50\",2014/15\n"
	ed, err := ReadFile("ucd.csv", []byte(raw), UCDSource("9.9"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ed.Sheets(); !reflect.DeepEqual(got, []SheetCount{{"Crime", 1}, {"Health", 1}}) || ed.Values[1].Pence != 120050 {
		t.Fatalf("sheets = %v, values %+v", got, ed.Values)
	}
}

func problems(t *testing.T, err error) []Problem {
	t.Helper()
	var fe *FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want FileErrors", err)
	}
	return fe.Problems
}

func TestReadWorkbookRefusesMissingColumns(t *testing.T) {
	raw := makeWorkbook(t, sheetData{Name: "Crime", Rows: [][]string{{"Title"}, {"Cost code", "Detail", "Unit", "Cost"}, {"CR1.0", "ASB", "Per incident", "500"}}})
	_, err := ReadFile("bad.xlsx", raw, UCDSource("9.9"))
	ps := problems(t, err)
	if len(ps) != 1 || ps[0].Sheet != "Crime" || ps[0].Row != 2 || !strings.Contains(ps[0].Message, "no column for agency, price year") {
		t.Fatalf("problems = %+v", ps)
	}
	// A workbook with no sheet of unit costs at all names every column.
	raw = makeWorkbook(t, sheetData{Name: "Notes", Rows: [][]string{{"About"}}})
	_, err = ReadFile("notes.xlsx", raw, UCDSource("9.9"))
	if ps := problems(t, err); len(ps) != 1 || !strings.Contains(ps[0].Message, "missing: cost code, detail, unit, agency, fiscal cost £, price year") {
		t.Fatalf("problems = %+v", ps)
	}
}

func TestReadWorkbookListsEveryBadRow(t *testing.T) {
	header := []string{"Cost code", "Detail", "Unit", "Agency", "Fiscal cost £", "Price year"}
	raw := makeWorkbook(t,
		sheetData{Name: "Crime", Rows: [][]string{header,
			{"CR1.0", "ASB", "Per incident", "Police", "500", "2002/03"},
			{"CR1.1", "ASB", "Per incident", "Police", "n/a", "2002/03"},
			{"CR1.2", "ASB", "Per incident", "Police", "35"},
		}},
		sheetData{Name: "Health", Rows: [][]string{{"Health"}, {}, header,
			{"HE1.0", "A&E", "Per attendance", "NHS", "see note", "2014/15"},
			{"CR1.0", "Dup", "Per attendance", "NHS", "5", "2014/15"},
		}})
	_, err := ReadFile("bad.xlsx", raw, UCDSource("9.9"))
	ps := problems(t, err)
	want := []Problem{
		{"Crime", 3, `cost code CR1.1: the fiscal cost "n/a" is not a number`},
		{"Crime", 4, "cost code CR1.2: no price year (every value must say which year's prices it is in)"},
		{"Health", 4, `cost code HE1.0: the fiscal cost "see note" is not a number`},
		{"Health", 5, "cost code CR1.0 appears twice (first at sheet Crime, row 2)"},
	}
	if !reflect.DeepEqual(ps, want) {
		t.Fatalf("problems =\n%+v\nwant\n%+v", ps, want)
	}
	if msg := err.Error(); !strings.Contains(msg, "bad.xlsx: 4 problems, nothing imported") || !strings.Contains(msg, "sheet Health, row 4: cost code HE1.0") {
		t.Fatal(msg)
	}
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

func TestSumRefusesMixedPriceYearsWithoutIndex(t *testing.T) {
	amounts := []Priced{{rat("1000"), "2010/11"}, {rat("2000"), "2013/14"}}
	if _, err := Sum(amounts, nil, "2020/21"); !errors.Is(err, ErrMixedPriceYears) {
		t.Fatalf("err = %v", err)
	}
	if _, err := Sum(amounts, nil, ""); !errors.Is(err, ErrMixedPriceYears) {
		t.Fatalf("err = %v", err)
	}
	// One price year adds without an index, and stays in its year.
	tot, err := Sum([]Priced{{rat("1000"), "2010/11"}, {rat("1/3"), "2010/11"}}, nil, "")
	if err != nil || tot.PriceYear != "2010/11" || tot.Pence.Cmp(rat("3001/3")) != 0 || tot.Index != "" {
		t.Fatalf("total = %+v, %v", tot, err)
	}
	// …but cannot be moved to another year without one.
	if _, err := Sum([]Priced{{rat("1000"), "2010/11"}}, nil, "2020/21"); err == nil {
		t.Fatal("moved a value to another price year without an index")
	}
	byYear := ByPriceYear(amounts)
	if len(byYear) != 2 || byYear[0].PriceYear != "2010/11" || byYear[1].Pence.Cmp(rat("2000")) != 0 {
		t.Fatalf("by year = %+v", byYear)
	}
}

func TestSumWithIndexMatchesHandComputedUplift(t *testing.T) {
	ix := &Index{Name: "GDP deflator", Source: "HM Treasury", Published: "2026-10-01", Years: map[string]*big.Rat{
		"2010/11": rat("88"), "2013/14": rat("91.5"), "2020/21": rat("110"),
	}}
	if err := ix.Validate(); err != nil {
		t.Fatal(err)
	}
	// By hand: £10.00 in 2010/11 prices is 1000 × 110 / 88 = 1250p in
	// 2020/21 prices; £20.00 in 2013/14 is 2000 × 110 / 91.5 = 440000/183p;
	// together 228750/183 + 440000/183 = 668750/183p ≈ £36.54.
	amounts := []Priced{{rat("1000"), "2010/11"}, {rat("2000"), "2013/14"}}
	tot, err := Sum(amounts, ix, "2020/21")
	if err != nil {
		t.Fatal(err)
	}
	if tot.Pence.Cmp(big.NewRat(668750, 183)) != 0 || tot.PriceYear != "2020/21" || tot.Index != "GDP deflator (HM Treasury, 2026-10-01)" {
		t.Fatalf("total = %s in %s by %s", tot.Pence.RatString(), tot.PriceYear, tot.Index)
	}
	if RoundHalfAway(tot.Pence).Int64() != 3654 {
		t.Fatal(RoundHalfAway(tot.Pence))
	}
	if _, err := Sum(append(amounts, Priced{rat("5"), "2002/03"}), ix, "2020/21"); err == nil || !strings.Contains(err.Error(), "no value for 2002/03") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Sum(amounts, ix, "2030"); err == nil {
		t.Fatal("uplifted to a year the index lacks")
	}
}

func TestReadIndexCSV(t *testing.T) {
	years, err := ReadIndexCSV(strings.NewReader("Year,Index,Note\n2010-11,88.0,\n2013/14,91.5,\n\n2020-21,110,provisional\n"), "deflator.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(years) != 3 || years["2013/14"].Cmp(rat("91.5")) != 0 || years["2010/11"].Cmp(rat("88")) != 0 {
		t.Fatalf("years = %v", years)
	}
	_, err = ReadIndexCSV(strings.NewReader("year,index\n2010/11,abc\n2011,0\n2012,1\n2012,2\n"), "bad.csv")
	if err == nil || !strings.Contains(err.Error(), "line 2: the index value \"abc\"") || !strings.Contains(err.Error(), "line 3: the index value for 2011 is zero") || !strings.Contains(err.Error(), "line 5: 2012 appears twice") {
		t.Fatalf("err = %v", err)
	}
	if _, err := ReadIndexCSV(strings.NewReader("when,what\n"), "x.csv"); err == nil || !strings.Contains(err.Error(), "missing column year and index") {
		t.Fatalf("err = %v", err)
	}
}

func TestCSVExportReadsBack(t *testing.T) {
	eds, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, ed := range eds {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, ed.Source, ed.Values); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), ed.Source.Attribution) {
			t.Fatal("export lacks the attribution")
		}
		back, err := ReadFile("export.csv", buf.Bytes(), ed.Source)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back.Values, ed.Values) {
			t.Fatalf("%s: export does not read back", ed.Source.Name)
		}
	}
	licensed := Source{Name: "National TOMs", Edition: "2024", LicensedOnly: true}
	if err := WriteCSV(&bytes.Buffer{}, licensed, nil); err == nil {
		t.Fatal("exported a licensed source")
	}
}
