package spend

import (
	"os"
	"strings"
	"testing"
)

func streamAll(t *testing.T, path, source string) ([]RegisterEntry, error) {
	t.Helper()
	f, err := OpenRegister(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []RegisterEntry
	_, err = StreamRegister(f, path, source, Limits{}, func(e RegisterEntry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// Companies House BasicCompanyData in its published header (leading
// spaces, dotted names, ten previous names): numbers, postcodes, previous
// names in order, size from the accounts category, VCSE from the company
// category.
func TestCompaniesHouseLayout(t *testing.T) {
	es, err := streamAll(t, "testdata/registers/BasicCompanyData-sample.csv", CompaniesHouse)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 8 {
		t.Fatalf("%d entries", len(es))
	}
	by := map[string]RegisterEntry{}
	for _, e := range es {
		by[e.Number] = e
	}
	mm := by["09000004"]
	if mm.Name != "MM CARE HOMES (SIXTEEN) LIMITED" || mm.Postcode != "NE1 7RU" || len(mm.PreviousNames) != 2 || mm.PreviousNames[0] != "MARIA MALLABAND 16 LIMITED" || mm.Size != "large" {
		t.Fatalf("previous names, size: %+v", mm)
	}
	for num, want := range map[string]string{"09000001": "small", "09000002": "large", "09000003": "micro", "09000005": "small", "09000006": "small", "09000007": "small", "09000008": ""} {
		if by[num].Size != want {
			t.Errorf("%s: size %q, want %q (accounts)", by[num].Name, by[num].Size, want)
		}
	}
	for num, want := range map[string]string{"09000001": "no", "09000005": "yes", "09000007": "unknown"} {
		if v := by[num].VCSE(); v != want {
			t.Errorf("%s: VCSE %q, want %q", by[num].Name, v, want)
		}
	}
	if !strings.Contains(by["09000002"].SIC, "61100") || !strings.Contains(by["09000002"].SIC, "62090") || Sector(by["09000002"].SIC) != "Information and communication" {
		t.Fatalf("SIC codes: %q", by["09000002"].SIC)
	}
	// Not in the layout: refused naming every missing column.
	raw, _ := os.ReadFile("testdata/registers/BasicCompanyData-sample.csv")
	cut := strings.Replace(strings.Replace(string(raw), "RegAddress.PostCode", "Postcode2", 1), "CompanyCategory", "Kind", 1)
	_, err = StreamRegister(strings.NewReader(cut), "cut.csv", CompaniesHouse, Limits{}, func(RegisterEntry) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "missing column(s) RegAddress.PostCode, CompanyCategory") {
		t.Fatalf("missing columns: %v", err)
	}
}

// The Charity Commission's full register extract as published
// (publicextract.charity.txt: tab-separated, byte-order mark, CRLF) and as
// JSON; linked charities are left to their main charity.
func TestCharityCommissionExtract(t *testing.T) {
	es, err := streamAll(t, "testdata/registers/publicextract.charity.txt", CharityRegister)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 5 || es[0].Name != "HOLLYBANK TRUST" || es[0].Number != "900001" || es[0].CompanyNumber != "09100001" || es[0].Postcode != "HD5 0AA" || es[0].VCSE() != "yes" {
		t.Fatalf("%d %+v", len(es), es)
	}
	for _, e := range es {
		if strings.Contains(e.Name, "LINKED") {
			t.Fatalf("a linked charity was read: %+v", e)
		}
	}
	js := "\ufeff[{\"date_of_extract\":\"2025-11-01\",\"registered_charity_number\":900003,\"linked_charity_number\":0,\"charity_name\":\"SENSE\",\"charity_contact_postcode\":\"WA14 2DE\",\"charity_company_registration_number\":null},\n" +
		"{\"registered_charity_number\":900003,\"linked_charity_number\":2,\"charity_name\":\"SENSE BRANCH\",\"charity_contact_postcode\":\"M1 1AE\"}]"
	var got []RegisterEntry
	if _, err := StreamRegister(strings.NewReader(js), "publicextract.charity.json", CharityRegister, Limits{}, func(e RegisterEntry) error {
		got = append(got, e)
		return nil
	}); err != nil || len(got) != 1 || got[0].Number != "900003" || got[0].Postcode != "WA14 2DE" || got[0].CompanyNumber != "" {
		t.Fatalf("json: %v %+v", err, got)
	}
	if _, err := StreamRegister(strings.NewReader("[{\"charity_name\":\"X\"}]"), "x.json", CharityRegister, Limits{}, func(RegisterEntry) error { return nil }); err == nil ||
		!strings.Contains(err.Error(), "registered_charity_number, charity_contact_postcode") {
		t.Fatalf("json missing columns: %v", err)
	}
}

// A creditor file: columns by their names, a postcode column found by
// what it holds, rows merged by supplier id, contradictions reported and
// the contradicted field left blank; types classified.
func TestReadCreditors(t *testing.T) {
	in := "Vendor No,Vendor Name,Remit To,Vendor Type\n" +
		"10,Acme Ltd,WA14 2DE,Company - SME\n" +
		"10,ACME LIMITED,wa142de,Company - SME\n" +
		"11,Good Causes,M15 4AB,Charity\n" +
		"12,Two Places Ltd,M1 1AE,Company\n" +
		"12,Two Places Ltd,LS1 4AP,Company\n"
	cf, err := ReadCreditors(strings.NewReader(in), "c.csv", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if cf.Columns["postcode"] != "Remit To" || cf.Columns["supplier_id"] != "Vendor No" || len(cf.Entries) != 3 {
		t.Fatalf("%+v", cf)
	}
	acme, good, two := cf.Entries[0], cf.Entries[1], cf.Entries[2]
	if acme.Postcode != "WA14 2DE" || len(acme.OtherNames) != 1 || acme.Kind() != "business" || acme.Size() != "small" {
		t.Fatalf("acme %+v", acme)
	}
	if good.Kind() != "vcse" || two.Postcode != "" || len(cf.Conflicts) != 1 ||
		cf.Conflicts[0].String() != "supplier id 12 has 2 different postcodes: M1 1AE on line 5 and LS1 4AP on line 6; left unplaced until the file says one" {
		t.Fatalf("conflict: %+v %v", two, cf.Conflicts)
	}
	if _, err := ReadCreditors(strings.NewReader("Vendor No,Amount\n1,2\n"), "x.csv", Limits{}); err == nil || !strings.Contains(err.Error(), "x.csv: not a creditor file: no column for a supplier name") {
		t.Fatalf("missing: %v", err)
	}
	if _, err := ReadCreditors(strings.NewReader("Name,Postcode\n,M1 1AE\n"), "y.csv", Limits{}); err == nil || !strings.Contains(err.Error(), "line 2: no supplier name") {
		t.Fatalf("bad row: %v", err)
	}
	if _, err := ReadCreditors(strings.NewReader("Name,Postcode\nA,M1 1AE\nB,M1 1AE\n"), "z.csv", Limits{Rows: 1}); err == nil || !strings.Contains(err.Error(), "more than 1 rows") {
		t.Fatalf("row limit: %v", err)
	}
}

// How much is known: shares of spend to named payees, redacted left out;
// provisional below 80% placed, in words.
func TestCoverageAndProvisional(t *testing.T) {
	rows := []SupplierSpend{{Name: "Placed Ltd", NetPence: 7000}, {Name: "Unknown Ltd", NetPence: 3000}, {Name: "Redacted", Redacted: true, NetPence: 5000}}
	orgs := []Org{{ID: 1, Name: "Placed Ltd", Districts: []string{"E08000009"}, Size: "small", Kind: "business"}}
	rep := BuildReport(rows, orgs, "E08000009", map[string]bool{"E08000009": true}, 10)
	if rep.Known.NamedPence != 10000 || rep.PlacedShare != 0.7 || !rep.Provisional || rep.LocationNote != "provisional — only 70% of spend placed" || rep.Known.SizeShare != 0.7 || rep.Known.TopSuppliers != 2 {
		t.Fatalf("%+v %v %q", rep.Known, rep.Provisional, rep.LocationNote)
	}
	orgs = append(orgs, Org{ID: 2, Name: "Unknown Ltd", Districts: []string{""}})
	rep = BuildReport(rows, orgs, "E08000009", map[string]bool{"E08000009": true}, 10)
	if rep.PlacedShare != 1 || rep.Provisional || rep.LocationNote != "" {
		t.Fatalf("%+v", rep.Known)
	}
	if Percent(0.004) != "less than 1%" || Percent(0.799) != "79%" || Percent(0) != "0%" {
		t.Fatal(Percent(0.004), Percent(0.799))
	}
}
