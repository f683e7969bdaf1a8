package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// jsonTail decodes the JSON object that ends svhub's combined output.
func jsonTail(t *testing.T, out string) map[string]any {
	t.Helper()
	i := strings.Index(out, "{")
	if i < 0 {
		t.Fatalf("no JSON in %q", out)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out[i:]), &m); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	return m
}

func countRows(t *testing.T, dbPath, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportProxies(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "hub.db")
	db := "sqlite:" + dbPath
	// A workbook in the GMCA layout: a contents sheet, then theme sheets
	// with a title block above the header (internal/proxies/testdata).
	book := filepath.Join("..", "..", "internal", "proxies", "testdata", "unit-costs-v9.9.xlsx")
	out, code := run(t, nil, "import", "proxies", "--db", db, "--edition", "9.9", book)
	if code != 0 {
		t.Fatalf("import: %d %s", code, out)
	}
	got := jsonTail(t, out)
	want := map[string]any{"source": "Unit Cost Database", "edition": "9.9", "values": 5.0, "sheets": map[string]any{"Crime": 3.0, "Health": 2.0}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("import printed %v, want %v", got, want)
	}
	// The same edition again changes nothing.
	out, code = run(t, nil, "import", "proxies", "--db", db, "--edition", "9.9", book)
	if code != 0 || !strings.Contains(out, "nothing changed") || !reflect.DeepEqual(jsonTail(t, out), want) {
		t.Fatalf("re-import: %d %s", code, out)
	}
	if n := countRows(t, dbPath, "proxy_unit_costs"); n != 5 {
		t.Fatalf("%d values stored after a re-import, want 5", n)
	}
	// A new edition is kept beside the first.
	out, code = run(t, nil, "import", "proxies", "--db", db, "--edition", "10.0", "--format", "table", book)
	if code != 0 || !strings.Contains(out, "Unit Cost Database, edition 10.0: 5 values (/proxies/unit-cost-database-10.0)") || !strings.Contains(out, "Crime") {
		t.Fatalf("second edition: %d %s", code, out)
	}
	if n := countRows(t, dbPath, "proxy_sources"); n != 2 {
		t.Fatalf("%d sources, want 2", n)
	}

	// Bad files are refused whole, with every problem named.
	missing := filepath.Join(dir, "missing.csv")
	_ = os.WriteFile(missing, []byte("cost code,detail,unit,cost\nX1,Thing,Each,5\n"), 0o600)
	out, code = run(t, nil, "import", "proxies", "--db", db, "--edition", "11", missing)
	if code != 1 || !strings.Contains(out, "no column for agency, price year") {
		t.Fatalf("missing columns: %d %s", code, out)
	}
	bad := filepath.Join(dir, "bad.csv")
	_ = os.WriteFile(bad, []byte("theme,cost code,detail,unit,agency,fiscal cost £,price year\nCrime,C1,Thing,Each,Police,n/a,2013/14\nCrime,C2,Thing,Each,Police,12,\nHealth,H1,Thing,Each,NHS,7,2014/15\n"), 0o600)
	out, code = run(t, nil, "import", "proxies", "--db", db, "--edition", "11", bad)
	if code != 1 || !strings.Contains(out, "2 problems, nothing imported") || !strings.Contains(out, `sheet bad, row 2: cost code C1: the fiscal cost "n/a" is not a number`) || !strings.Contains(out, "sheet bad, row 3: cost code C2: no price year") {
		t.Fatalf("bad values: %d %s", code, out)
	}
	if n := countRows(t, dbPath, "proxy_sources"); n != 2 {
		t.Fatalf("a refused file left a source behind: %d", n)
	}
	if out, code := run(t, nil, "import", "proxies", "--db", db, book); code != 2 || !strings.Contains(out, "--edition is required") {
		t.Fatalf("no edition: %d %s", code, out)
	}
	// A licensee's own source needs its provenance.
	if out, code := run(t, nil, "import", "proxies", "--db", db, "--edition", "2024", "--name", "National TOMs", "--licensed", book); code != 1 || !strings.Contains(out, "attribution") {
		t.Fatalf("licensed source without provenance: %d %s", code, out)
	}
	out, code = run(t, nil, "import", "proxies", "--db", db, "--edition", "2024", "--name", "National TOMs", "--publisher", "Social Value Portal", "--licence", "CC BY-NC-ND 4.0", "--attribution", "National TOMs © Social Value Portal", "--licensed", book)
	if code != 0 || jsonTail(t, out)["source"] != "National TOMs" {
		t.Fatalf("licensed source: %d %s", code, out)
	}
}

func TestImportDeflator(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "hub.db")
	db := "sqlite:" + dbPath
	file := filepath.Join(dir, "deflator.csv")
	_ = os.WriteFile(file, []byte("year,index\n2010-11,88.0\n2013-14,91.5\n2020-21,110\n"), 0o600)
	args := []string{"import", "deflator", "--db", db, "--source", "HM Treasury, GDP deflators at market prices", "--published", "2026-09-30", file}
	out, code := run(t, nil, args...)
	want := map[string]any{"index": "GDP deflator", "source": "HM Treasury, GDP deflators at market prices", "published": "2026-09-30", "years": 3.0, "from": "2010/11", "to": "2020/21"}
	if code != 0 || !reflect.DeepEqual(jsonTail(t, out), want) {
		t.Fatalf("import deflator: %d %s", code, out)
	}
	if out, code := run(t, nil, args...); code != 0 || !strings.Contains(out, "nothing changed") {
		t.Fatalf("re-import: %d %s", code, out)
	}
	if n := countRows(t, dbPath, "price_index_years"); n != 3 {
		t.Fatalf("%d index years, want 3", n)
	}
	_ = os.WriteFile(file, []byte("year,index\n2010-11,88.0\n2013-14,lots\n"), 0o600)
	if out, code := run(t, nil, "import", "deflator", "--db", db, "--source", "HMT", "--published", "2026-12-01", file); code != 1 || !strings.Contains(out, `line 3: the index value "lots"`) {
		t.Fatalf("bad index: %d %s", code, out)
	}
	if out, code := run(t, nil, "import", "deflator", "--db", db, "--source", "HMT", file); code != 2 || !strings.Contains(out, "YYYY-MM-DD") {
		t.Fatalf("no release date: %d %s", code, out)
	}
}

// TestTendersEvaluateMonetised reproduces the monetised worked example's
// hand-computed scores (internal/tenders/monetised_test.go) from its
// export, as an auditor would.
func TestTendersEvaluateMonetised(t *testing.T) {
	file := filepath.Join("..", "..", "internal", "tenders", "testdata", "monetised-example.json")
	out, code := run(t, nil, "tenders", "evaluate", "--format", "json", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var doc struct {
		Results []struct {
			Bid   string `json:"bid"`
			SV    string `json:"social_value_score"`
			Total string `json:"total"`
			Rank  int    `json:"rank"`
			Lines []struct {
				Input string `json:"input"`
			} `json:"lines"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := map[string]string{"A": "91516692/7363667 599609715/7363667 2", "B": "18 91 1", "C": "0 0 0"}
	for _, r := range doc.Results {
		if got := r.SV + " " + r.Total + " " + strconv.Itoa(r.Rank); got != want[r.Bid] {
			t.Errorf("bid %s: %s, want %s", r.Bid, got, want[r.Bid])
		}
		if r.Bid != "A" {
			continue
		}
		explained := false
		for _, l := range r.Lines {
			explained = explained || l.Input == "5 FTE × £9,800 (Unit Cost Database 1.4, E&E1.0. Unit Cost Database © Greater Manchester Combined Authority, Creative Commons Attribution 4.0, in 2012/13 prices)"
		}
		if !explained {
			t.Error("the explanation does not give the unit cost, its source and price year")
		}
	}
}
