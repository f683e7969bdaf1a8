package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
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

// eachEngine runs fn on SQLite and on PostgreSQL (when SVHUB_TEST_POSTGRES
// names a server; skipped without, failed under REQUIRE_POSTGRES=1), with a
// function making a fresh, migrated database of that engine.
func eachEngine(t *testing.T, fn func(t *testing.T, fresh func() string)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func() string { return "sqlite:" + filepath.Join(t.TempDir(), "hub.db") })
	})
	t.Run("postgres", func(t *testing.T) {
		storetest.PostgresDSN(t)
		fn(t, func() string {
			dsn := storetest.PostgresDSN(t)
			if out, code := run(t, nil, "migrate", "up", "--db", dsn); code != 0 {
				t.Fatalf("migrate: %s", out)
			}
			return dsn
		})
	})
}

// openDB opens a database the binary wrote, closed at the end of the test.
func openDB(t *testing.T, db string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), db, strings.HasPrefix(db, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// withoutIDs returns organisations with their ids cleared, for comparing
// two databases' contents (PostgreSQL spends ids on rolled-back rows).
func withoutIDs(orgs []spend.Org) []spend.Org {
	for i := range orgs {
		orgs[i].ID = 0
	}
	return orgs
}

// Killing 'svhub import creditors' part-way leaves the creditor file in
// force as it was: the import is one transaction. Running it again then
// gives what a clean run gives. Both engines.
func TestImportCreditorsKilledMidRun(t *testing.T) {
	eachEngine(t, testImportCreditorsKilledMidRun)
}

func testImportCreditorsKilledMidRun(t *testing.T, fresh func() string) {
	const rows = 400_000
	dir := t.TempDir()
	first := filepath.Join(dir, "first.csv")
	_ = os.WriteFile(first, []byte("Supplier No,Supplier Name,Post Code\n1,Acme Ltd,WA14 2DE\n2,Far Away Ltd,LS1 4AP\n"), 0o600)
	setUp := func() string {
		db := fresh()
		if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Trafford Council", filepath.Join("..", "..", "internal", "spend", "testdata", "councils", "trafford", "trafford-supplier-spend-2024-25.zip")); code != 0 {
			t.Fatal(out)
		}
		if out, code := run(t, nil, "import", "creditors", "--db", db, "--buyer", "Trafford Council", first); code != 0 || !strings.Contains(out, "Imported 2 creditor entries") {
			t.Fatalf("first: %s", out)
		}
		return db
	}
	db := setUp()
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
	s := openDB(t, db)
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
	// Run again to the end, and cleanly on a fresh database: the same.
	if out, code := run(t, nil, "import", "creditors", "--db", db, "--buyer", "Trafford Council", big); code != 0 {
		t.Fatalf("rerun: %s", out)
	}
	clean := setUp()
	if out, code := run(t, nil, "import", "creditors", "--db", clean, "--buyer", "Trafford Council", big); code != 0 {
		t.Fatalf("clean run: %s", out)
	}
	cs := openDB(t, clean)
	for _, x := range []*store.Store{s, cs} {
		f, ok, err := x.LatestCreditorFile(context.Background(), buyer.ID)
		if err != nil || !ok || f.File != "big.csv" || f.Entries != rows {
			t.Fatalf("creditor file in force: %+v %v %v", f, ok, err)
		}
	}
	got, err := s.SupplierCandidatesFor(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := cs.SupplierCandidatesFor(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < rows || !reflect.DeepEqual(withoutIDs(got), withoutIDs(want)) {
		t.Fatalf("after the kill and a rerun: %d organisations to match, a clean run %d, or they differ", len(got), len(want))
	}
}

// Killing 'svhub import register' part-way through a Companies House file
// leaves the register as it was: the whole file is one transaction.
// Running it again then gives what a clean run gives. Both engines.
func TestImportCompaniesHouseKilledMidRun(t *testing.T) {
	eachEngine(t, testImportCompaniesHouseKilledMidRun)
}

func testImportCompaniesHouseKilledMidRun(t *testing.T, fresh func() string) {
	const rows = 400_000
	dir := t.TempDir()
	sample := filepath.Join("..", "..", "internal", "spend", "testdata", "registers", "BasicCompanyData-sample.csv")
	setUp := func() string {
		db := fresh()
		if out, code := run(t, nil, "import", "register", "--db", db, "--source", "company", sample); code != 0 || !strings.Contains(out, "Imported 8 company register entries") {
			t.Fatalf("first: %d %s", code, out)
		}
		return db
	}
	db := setUp()
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
	s := openDB(t, db)
	orgs, err := s.RegisterOrgs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 8 {
		t.Fatalf("after the kill the register holds %d entries, not the first file's 8", len(orgs))
	}
	// Run again to the end, and cleanly on a fresh database: the same
	// entries, and previous names found the same way.
	if out, code := run(t, nil, "import", "register", "--db", db, "--source", "company", big); code != 0 || !strings.Contains(out, fmt.Sprintf("Imported %d company register entries", rows)) {
		t.Fatalf("rerun: %d %s", code, out)
	}
	clean := setUp()
	if out, code := run(t, nil, "import", "register", "--db", clean, "--source", "company", big); code != 0 {
		t.Fatalf("clean run: %d %s", code, out)
	}
	cs := openDB(t, clean)
	got, err := s.RegisterOrgs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, err := cs.RegisterOrgs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != rows+8 || !reflect.DeepEqual(withoutIDs(got), withoutIDs(want)) {
		t.Fatalf("after the kill and a rerun the register holds %d entries, a clean run %d, or they differ", len(got), len(want))
	}
	payees := []spend.SupplierSpend{{Name: "Old Name 123456 Ltd"}, {Name: "Company 399999 Ltd"}}
	for _, x := range []*store.Store{s, cs} {
		found, err := x.SupplierCandidatesFor(context.Background(), payees)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, o := range found {
			names[o.Name] = true
		}
		if !names["COMPANY 123456 LIMITED"] || !names["COMPANY 399999 LIMITED"] {
			t.Fatalf("by name and previous name: %v", names)
		}
	}
}
