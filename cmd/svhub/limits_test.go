package main

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/framework"
)

// Every file input other than spend and registers (which have their own
// tests) refuses a generated bomb — a huge cell, a long line, a row of
// millions of cells, a zip or workbook that expands hundreds of times, a
// file of endless rows — with a clean error naming the limit, run under a
// memory limit (runLimited), under 300 MB peak and 10 s.
func TestImportsRefuseBombsUnderMemoryLimit(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	const (
		nspl    = "PCDS,LAD24CD,RGN25CD,CTRY25CD\n"
		imd     = "LSOA code (2011),LSOA name (2011),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\n"
		ballots = "ballot_id,jobs,environment\n"
		pbHead  = "META\nkey;value\nbudget;1000\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;100\n2;200\nVOTES\nvoter_id;vote\n"
		ucd     = "Cost code,Detail,Unit,Agency,Fiscal cost £,Price year\n"
		sheet1  = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Cost code</t></is></c></row>`
	)
	postcodes := []string{"import", "postcodes", "--db", db, "--release", "Test"}
	imdArgs := []string{"import", "imd", "--db", db}
	aggregate := []string{"priorities", "aggregate"}
	allocate := []string{"fund", "allocate"}
	proxiesArgs := []string{"import", "proxies", "--db", db, "--edition", "9.9"}
	deflator := []string{"import", "deflator", "--db", db, "--source", "Test", "--published", "2025-01-01"}
	creditors := []string{"import", "creditors", "--db", db, "--buyer", "Trafford Council"}
	if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Trafford Council", filepath.Join("..", "..", "internal", "spend", "testdata", "councils", "trafford", "trafford-supplier-spend-2024-25.zip")); code != 0 {
		t.Fatal(out) // creditors need their buyer
	}
	const cred = "Supplier No,Supplier Name,Post Code\n"
	type file struct {
		name     string
		prefix   string
		unit     string
		n        int
		suffix   string
		zip      []bombMember // instead of prefix, unit, n, suffix
		numbered bool         // unit is a format of each line's number
	}
	for _, tc := range []struct {
		file
		args []string
		want []string
	}{
		// svhub import postcodes: CSV or the ONS zip.
		{file{name: "pc-cell.csv", prefix: nspl + `WA2 2AA,E06000007,"`, unit: "x", n: 64 << 20, suffix: "\"\n"}, postcodes, []string{"line 2", "over the limit of 4 KiB on the length of a cell"}},
		{file{name: "pc-line.csv", prefix: nspl + "WA2 2AA,", unit: strings.Repeat("y", 4000) + ",", n: 60_000, suffix: "\n"}, postcodes, []string{"line 2", "over the limit of 64 KiB on the length of a row"}},
		{file{name: "pc-cells.csv", prefix: nspl + "WA2 2AA", unit: ",", n: 64 << 20, suffix: "\n"}, postcodes, []string{"line 2", "over the limit of 500 on cells per row"}},
		{file{name: "pc-ratio.zip", zip: []bombMember{{name: "Data/NSPL_NOV_2024_UK.csv", prefix: nspl, unit: "\n", n: 256 << 20}}}, postcodes, []string{"Data/NSPL_NOV_2024_UK.csv", "over the limit of 400 on the ratio of decompressed to compressed size"}},
		// svhub import imd
		{file{name: "imd-cell.csv", prefix: imd + `E01000001,"`, unit: "x", n: 64 << 20, suffix: "\"\n"}, imdArgs, []string{"line 2", "over the limit of 4 KiB on the length of a cell"}},
		{file{name: "imd-cells.csv", prefix: imd + "E01000001", unit: ",", n: 64 << 20, suffix: "\n"}, imdArgs, []string{"line 2", "over the limit of 500 on cells per row"}},
		{file{name: "imd-rows.csv", prefix: imd, unit: "E%08d,City of London 001A,29199,9\n", numbered: true, n: 150_000}, imdArgs, []string{"line 100002", "over the limit of 100000 on rows in the file"}},
		// svhub priorities aggregate (ballot CSV)
		{file{name: "ballot-cell.csv", prefix: ballots + `b1,"`, unit: "1", n: 64 << 20, suffix: "\",1\n"}, aggregate, []string{"line 2", "over the limit of 1 KiB on the length of a cell"}},
		{file{name: "ballot-cells.csv", prefix: ballots + "b1", unit: ",1", n: 64 << 20, suffix: "\n"}, aggregate, []string{"line 2", "over the limit of 200 on cells per row"}},
		{file{name: "ballot-rows.csv", prefix: ballots, unit: "b%d,1,2\n", numbered: true, n: 600_000}, aggregate, []string{"line 500002", "over the limit of 500000 on ballots in a file"}},
		// svhub fund allocate (.pb)
		{file{name: "line.pb", prefix: pbHead + "v1;", unit: "1,", n: 128 << 20, suffix: "2\n"}, allocate, []string{"line 11", "the longest line a .pb file may have"}},
		{file{name: "voters.pb", prefix: pbHead, unit: "v%d;1,2\n", numbered: true, n: 600_000}, allocate, []string{"line 500011", "over the limit of 500,000 on voters in a file"}},
		{file{name: "size.pb", prefix: pbHead, unit: "v%d" + strings.Repeat("x", 60_000) + ";1,2\n", numbered: true, n: 1200}, allocate, []string{"over the limit of 64 MiB on the size of a .pb file"}},
		// svhub import proxies (workbook or CSV)
		{file{name: "ucd-cells.xlsx", zip: workbookMembers(bombMember{prefix: sheet1 + `<row r="2">`, unit: `<c/>`, n: 64_000_000, suffix: `</row></sheetData></worksheet>`})}, proxiesArgs, []string{"over the limit of 100 on cells per row"}},
		{file{name: "ucd-string.xlsx", zip: workbookMembers(bombMember{prefix: sheet1 + `<row r="2"><c r="A2" t="inlineStr"><is><t>`, unit: "A", n: 256 << 20, suffix: `</t></is></c></row></sheetData></worksheet>`})}, proxiesArgs, []string{"over the limit of 4 KiB on the length of a cell"}},
		{file{name: "ucd-rows.xlsx", zip: workbookMembers(bombMember{prefix: sheet1, unit: `<row><c t="inlineStr"><is><t>HO1.0</t></is></c><c t="inlineStr"><is><t>Cost of a crime</t></is></c><c t="inlineStr"><is><t>per crime</t></is></c></row>`, n: 4 << 20, suffix: `</sheetData></worksheet>`})}, proxiesArgs, []string{"more than 20000 rows, over the limit of 20000 on rows"}},
		{file{name: "ucd-cells.csv", prefix: ucd + "HO1.0", unit: ",", n: 8 << 20, suffix: "\n"}, proxiesArgs, []string{"line 2", "over the limit of 100 on cells per row"}},
		{file{name: "ucd-rows.csv", prefix: ucd, unit: "HO%d,Cost of a crime,per crime,Home Office,100,2022/23\n", numbered: true, n: 30_000}, proxiesArgs, []string{"line 20001", "over the limit of 20000 on rows in a file of unit costs"}},
		{file{name: "ucd-cell.csv", prefix: ucd + `HO1.0,"`, unit: "x", n: 128 << 20, suffix: "\"\n"}, proxiesArgs, []string{"larger than 16 MB"}},
		// svhub import register: a zip as published (the CSV bombs are in register_bombs_test.go)
		{file{name: "register-ratio.zip", zip: []bombMember{{name: "BasicCompanyData-2026-12-01.csv", prefix: "CompanyName,CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,SICCode.SicText_1\n", unit: "\n", n: 256 << 20}}}, []string{"import", "register", "--db", db, "--source", "company"}, []string{"over the limit of 400 on the ratio of decompressed to compressed size", "--max-ratio"}},
		// svhub import creditors (every row held until the file is read)
		{file{name: "cred-cell.csv", prefix: cred + `1,"`, unit: "x", n: 64 << 20, suffix: "\",WA14 2DE\n"}, creditors, []string{"line 2", "over the limit of 64 KiB on the length of a cell", "--max-field"}},
		{file{name: "cred-cells.csv", prefix: cred + "1", unit: ",", n: 64 << 20, suffix: "\n"}, creditors, []string{"line 2", "over the limit of 1000 on cells per row", "--max-cells"}},
		{file{name: "cred-rows.csv", prefix: cred, unit: "%d,Supplier Ltd,WA14 2DE\n", numbered: true, n: 600_000}, creditors, []string{"line 500002", "over the limit of 500000 on rows in a file", "--max-rows"}},
		// svhub import deflator
		{file{name: "deflator.csv", prefix: "year,index\n", unit: "2020,100\n", n: 8 << 20}, deflator, []string{"at most 1 MB"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			switch {
			case tc.zip != nil:
				writeZip(t, path, tc.zip...)
			case tc.numbered:
				writeNumbered(t, path, tc.prefix, tc.unit, tc.n, tc.suffix)
			default:
				writeRepeat(t, path, tc.prefix, tc.unit, tc.n, tc.suffix)
			}
			runLimited(t, append(append([]string{}, tc.args...), path)...).refused(t, tc.name, tc.want...)
		})
	}
}

// A framework CSV is read only when uploaded to the hub (Admin → Import a
// framework): the server, run under the memory limit, refuses each bomb
// that fits the 10 MB upload (422 naming the limit) or the upload itself
// (over 10 MB), each in under 10 s, and its peak memory over the whole
// run stays under 300 MB.
func TestFrameworkUploadRefusesBombsUnderMemoryLimit(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "hub.db")
	rssFile := filepath.Join(t.TempDir(), "rss")
	n := startNode(t, memoryLimit(t, rssFile), "--db", db, "--demo", "--demo-password", "bomb-password-1")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, err := c.PostForm(n.url+"/login", url.Values{"email": {"admin@example.org"}, "password": {"bomb-password-1"}}); err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", res, err)
	}
	head := strings.Join(framework.CSVHeader, ",") + "\n"
	var rows strings.Builder
	rows.WriteString(head)
	for i := range 150_000 {
		fmt.Fprintf(&rows, "priority,P%d,,T\n", i)
	}
	for _, tc := range []struct {
		name, body string
		code       int
		want       string
	}{
		{"cell.csv", head + "priority,P1,,\"" + strings.Repeat("x", 9<<20) + "\"\n", 422, "over the limit of 64 KiB on the length of a cell"},
		{"cells.csv", head + "priority" + strings.Repeat(",", 9<<20) + "\n", 422, "over the limit of 100 on cells per row"},
		{"row.csv", head + "priority,P1" + strings.Repeat(","+strings.Repeat("y", 60<<10), 20) + "\n", 422, "over the limit of 1 MiB on the length of a row"},
		{"rows.csv", rows.String(), 422, "over the limit of 100000 on rows in a file"},
		{"big.csv", head + strings.Repeat("priority,P1,,T\n", 800_000), 422, "larger than 10 MB"},
	} {
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, _ := mw.CreateFormFile("file", tc.name)
		_, _ = io.WriteString(fw, tc.body)
		_ = mw.Close()
		start := time.Now()
		res, err := c.Post(n.url+"/admin/frameworks/import", mw.FormDataContentType(), &form)
		if err != nil {
			t.Fatalf("%s: %v\nserve's log:\n%s", tc.name, err, n.logs)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		took := time.Since(start)
		t.Logf("%s (%d KB): %d in %v", tc.name, len(tc.body)>>10, res.StatusCode, took.Round(time.Millisecond))
		if res.StatusCode != tc.code || !strings.Contains(html.UnescapeString(string(page)), tc.want) {
			t.Fatalf("%s: %d, want %d saying %q", tc.name, res.StatusCode, tc.code, tc.want)
		}
		if took > 10*time.Second {
			t.Fatalf("%s: took %v", tc.name, took)
		}
	}
	n.stop(t)
	rss := peakRSS(t, rssFile)
	t.Logf("serve's peak RSS over the run (demo seeding included): %d MB", rss>>20)
	if rss > 300<<20 {
		t.Fatalf("serve's peak RSS %d MB, over 300 MB", rss>>20)
	}
}
