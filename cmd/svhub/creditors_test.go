package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/store"
)

type reportOut struct {
	Report struct {
		PlacedShare  float64 `json:"placed_share"`
		Provisional  bool    `json:"provisional"`
		LocationNote string  `json:"location_note"`
		Known        struct {
			PlacedShare    float64 `json:"placed_share"`
			TopPlacedShare float64 `json:"top_placed_share"`
			SizeShare      float64 `json:"size_classified_share"`
			VCSEShare      float64 `json:"vcse_classified_share"`
		} `json:"known"`
	} `json:"report"`
}

func spendReport(t *testing.T, db string) reportOut {
	t.Helper()
	out, code := run(t, nil, "report", "spend", "--db", db, "--buyer", "Trafford Council", "--format", "json")
	if code != 0 {
		t.Fatalf("report: %s", out)
	}
	var r reportOut
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return r
}

// svhub import creditors places the shipped Trafford year: without the
// creditor file the report's shares are provisional, with it at least 95%
// of spend to named payees is placed and they are not; the contradiction
// in the file is printed; importing it again changes nothing.
func TestImportCreditorsPlacesTraffordYear(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	year := filepath.Join("..", "..", "internal", "spend", "testdata", "councils", "trafford", "trafford-supplier-spend-2024-25.zip")
	creditors := filepath.Join("..", "..", "internal", "spend", "testdata", "creditors", "trafford-creditors-2024-25.csv")
	if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Trafford Council", year); code != 0 {
		t.Fatal(out)
	}
	before := spendReport(t, db)
	if !before.Report.Provisional || before.Report.PlacedShare > 0.05 || !strings.HasPrefix(before.Report.LocationNote, "provisional — only ") {
		t.Fatalf("before: %+v", before.Report)
	}
	table, _ := run(t, nil, "report", "spend", "--db", db, "--buyer", "Trafford Council", "--format", "table")
	if !strings.Contains(table, "placed (location known)") || !strings.Contains(table, "Local and Greater Manchester shares are provisional — only") {
		t.Fatalf("table: %s", table)
	}
	out, code := run(t, nil, "import", "creditors", "--db", db, "--buyer", "Trafford Council", creditors)
	if code != 0 || !strings.Contains(out, "Imported 98 creditor entries for Trafford Council") || !strings.Contains(out, "supplier id 134848 has 2 different postcodes: WA15 7YH on line 81 and M1 1AE on line 82") {
		t.Fatalf("import creditors: %d %s", code, out)
	}
	after := spendReport(t, db)
	t.Logf("placed %.4f (top 300 %.4f), size %.4f, VCSE %.4f", after.Report.Known.PlacedShare, after.Report.Known.TopPlacedShare, after.Report.Known.SizeShare, after.Report.Known.VCSEShare)
	if after.Report.Provisional || after.Report.PlacedShare < 0.95 || after.Report.LocationNote != "" {
		t.Fatalf("after: %+v", after.Report)
	}
	if out, code := run(t, nil, "import", "creditors", "--db", db, "--buyer", "Trafford Council", creditors); code != 0 || !strings.Contains(out, "nothing changed") {
		t.Fatalf("again: %s", out)
	}
	csvOut, _ := run(t, nil, "report", "spend", "--db", db, "--buyer", "Trafford Council", "--format", "csv")
	if !strings.Contains(strings.SplitN(csvOut, "\n", 2)[0], "report_placed_share,report_provisional") || !strings.Contains(csvOut, ",false\n") {
		t.Fatalf("csv: %s", csvOut[:min(len(csvOut), 400)])
	}
	// Not a creditor file: refused naming what is missing.
	bad := filepath.Join(dir, "bad.csv")
	_ = os.WriteFile(bad, []byte("Ref,Amount\n1,2\n"), 0o600)
	if out, code := run(t, nil, "import", "creditors", "--db", db, "--buyer", "Trafford Council", bad); code == 0 || !strings.Contains(out, "no column for a supplier name") || !strings.Contains(out, "postcode, company number or charity number") {
		t.Fatalf("bad file: %d %s", code, out)
	}
}

// Killing 'svhub import creditors' part-way leaves the creditor file in
// force as it was: the import is one transaction.
func TestImportCreditorsKilledMidRun(t *testing.T) {
	const rows = 400_000
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	first := filepath.Join(dir, "first.csv")
	_ = os.WriteFile(first, []byte("Supplier No,Supplier Name,Post Code\n1,Acme Ltd,WA14 2DE\n2,Far Away Ltd,LS1 4AP\n"), 0o600)
	if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Trafford Council", filepath.Join("..", "..", "internal", "spend", "testdata", "councils", "trafford", "trafford-supplier-spend-2024-25.zip")); code != 0 {
		t.Fatal(out)
	}
	if out, code := run(t, nil, "import", "creditors", "--db", db, "--buyer", "Trafford Council", first); code != 0 || !strings.Contains(out, "Imported 2 creditor entries") {
		t.Fatalf("first: %s", out)
	}
	var b strings.Builder
	b.WriteString("Supplier No,Supplier Name,Post Code\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,Supplier %d Ltd,WA14 %dDE\n", i+10, i, i%10)
	}
	big := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(big, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	killMidRun(t, exec.Command(bin, "import", "creditors", "--db", db, "--buyer", "Trafford Council", big), "big.csv", rows, 120*time.Second)
	s, err := store.Open(context.Background(), db, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	buyer, err := s.OrganisationBySlug(context.Background(), "trafford-council")
	if err != nil {
		t.Fatal(err)
	}
	f, ok, err := s.LatestCreditorFile(context.Background(), buyer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !ok || f.File != "first.csv" || f.Entries != 2 {
		t.Fatalf("after the kill the creditor file in force is %+v (%v), not first.csv's 2 entries", f, ok)
	}
}

// Killing 'svhub import register' part-way through a Companies House file
// leaves the register as it was: the whole file is one transaction.
func TestImportCompaniesHouseKilledMidRun(t *testing.T) {
	const rows = 400_000
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	sample := filepath.Join("..", "..", "internal", "spend", "testdata", "registers", "BasicCompanyData-sample.csv")
	if out, code := run(t, nil, "import", "register", "--db", db, "--source", "company", sample); code != 0 || !strings.Contains(out, "Imported 8 company register entries") {
		t.Fatalf("first: %d %s", code, out)
	}
	var b strings.Builder
	b.WriteString("CompanyName, CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,Accounts.AccountCategory, PreviousName_1.CompanyName\n")
	for i := range rows {
		fmt.Fprintf(&b, "COMPANY %d LIMITED,%08d,LS%d %dAB,Private Limited Company,Active,MICRO ENTITY,OLD NAME %d LTD\n", i, 20000000+i, 1+i%20, i%10, i)
	}
	big := filepath.Join(dir, "BasicCompanyData-big.csv")
	if err := os.WriteFile(big, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	killMidRun(t, exec.Command(bin, "import", "register", "--db", db, "--source", "company", big), "BasicCompanyData-big.csv", rows, 120*time.Second)
	s, err := store.Open(context.Background(), db, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	orgs, err := s.RegisterOrgs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 8 {
		t.Fatalf("after the kill the register holds %d entries, not the first file's 8", len(orgs))
	}
}
