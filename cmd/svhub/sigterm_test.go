package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Every import that streams a large file stops within two seconds of
// SIGTERM, part-way through, exits with an error saying it was
// interrupted (not killed by the signal), and leaves what was there
// before: the transaction rolls back. The time is measured from the
// signal to the process's exit (not from the start: a slow start under a
// loaded machine is not the import ignoring the signal). Proxy and
// deflator files (20,000 rows and 1 MB at most) are bounded to finish in
// about a second and have no progress to wait for.
func TestImportsStopOnSIGTERM(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rows  int64                         // in the big file
		from  int64                         // the signal is sent once the progress bar passes this
		first func(t *testing.T, db string) // an import whose data must survive
		line  func(i int) string            // the big file's rows
		head  string
		args  []string // before --db; the file goes last
		count string   // SQL counting what the import stores
		want  int      // that count after first
	}{
		{name: "spend", rows: 1_500_000, from: 300_000, head: "Date,Supplier,Amount,Transaction Number\n",
			first: func(*testing.T, string) {},
			line: func(i int) string {
				return fmt.Sprintf("%02d/%02d/2026,Supplier %d Ltd,%d.%02d,T%07d\n", 1+i%28, 1+i/125_001, i%5000, 500+i%9000, i%100, i)
			},
			args: []string{"import", "spend", "--buyer", "Big Council"}, count: "SELECT (SELECT COUNT(*) FROM spend_runs) + (SELECT COUNT(*) FROM spend_blocks) + (SELECT COUNT(*) FROM spend_rollup)", want: 0},
		{name: "postcodes", rows: 400_000, head: "pcds,laua,rgn\n",
			first: func(t *testing.T, db string) {
				file := filepath.Join(t.TempDir(), "NSPL_JAN_2025_UK.csv")
				_ = os.WriteFile(file, []byte("pcds,laua,rgn\nLS1 1UR,E08000035,E12000003\nLS2 9JT,E08000035,E12000003\n"), 0o600)
				if out, code := run(t, nil, "import", "postcodes", "--db", db, file); code != 0 {
					t.Fatal(out)
				}
			},
			line: func(i int) string {
				const letters = "ABDEFGHJLNPQRSTUWXYZ"
				return fmt.Sprintf("%c%c%d %d%c%c,E06000%03d,E12000001\n", 'A'+i/19800%20, 'B', 1+i/200%99, i/20%10, letters[i%20], letters[i/400%20], i%300)
			},
			args: []string{"import", "postcodes", "--release", "ONSPD May 2025"}, count: "SELECT COUNT(*) FROM geo_directory", want: 2},
		{name: "imd", rows: 99_999, head: "LSOA code (2011),LSOA name (2011),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\n",
			first: func(t *testing.T, db string) {
				file := filepath.Join(t.TempDir(), "first.csv")
				_ = os.WriteFile(file, []byte("LSOA code (2011),LSOA name (2011),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\nE01005061,Bolton 001A,1000,1\nE01005062,Bolton 001B,30000,10\n"), 0o600)
				if out, code := run(t, nil, "import", "imd", "--db", db, file); code != 0 {
					t.Fatal(out)
				}
			},
			line: func(i int) string { return fmt.Sprintf("E%08d,Somewhere %d,%d,%d\n", i, i, i%32844+1, i%10+1) },
			args: []string{"import", "imd"}, count: "SELECT rows_loaded FROM geo_releases WHERE kind = 'imd' AND file = 'first.csv'", want: 2},
		{name: "register", rows: 400_000, head: "CompanyName,CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,SICCode.SicText_1\n",
			first: func(t *testing.T, db string) {
				file := filepath.Join(t.TempDir(), "companies.csv")
				_ = os.WriteFile(file, []byte("CompanyName,CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,SICCode.SicText_1\nACME LTD,01234567,M1 1AA,Private Limited Company,Active,\n"), 0o600)
				if out, code := run(t, nil, "import", "register", "--db", db, "--source", "company", file); code != 0 {
					t.Fatal(out)
				}
			},
			line: func(i int) string {
				return fmt.Sprintf("SUPPLIER %d LTD,%08d,M1 1AA,Private Limited Company,Active,\n", i, i+1000)
			},
			args: []string{"import", "register", "--source", "company"}, count: "SELECT COUNT(*) FROM register_entries", want: 1},
		{name: "creditors", rows: 400_000, head: "Supplier No,Supplier Name,Post Code\n",
			first: func(t *testing.T, db string) {
				file := filepath.Join(t.TempDir(), "first.csv")
				_ = os.WriteFile(file, []byte("Supplier No,Supplier Name,Post Code\n1,Acme Ltd,WA14 2DE\n2,Far Away Ltd,LS1 4AP\n"), 0o600)
				if out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Trafford Council", filepath.Join("..", "..", "internal", "spend", "testdata", "councils", "trafford", "trafford-supplier-spend-2024-25.zip")); code != 0 {
					t.Fatal(out)
				}
				if out, code := run(t, nil, "import", "creditors", "--db", db, "--buyer", "Trafford Council", file); code != 0 {
					t.Fatal(out)
				}
			},
			line: func(i int) string { return fmt.Sprintf("%d,Supplier %d Ltd,WA14 %dDE\n", i+10, i, i%10) },
			args: []string{"import", "creditors", "--buyer", "Trafford Council"}, count: "SELECT COUNT(*) FROM creditor_entries", want: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "hub.db")
			db := "sqlite:" + path
			tc.first(t, db)
			var b strings.Builder
			b.WriteString(tc.head)
			for i := range int(tc.rows) {
				b.WriteString(tc.line(i))
			}
			big := filepath.Join(dir, "big.csv")
			if err := os.WriteFile(big, []byte(b.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			args := append(append(append([]string{}, tc.args[:2]...), "--db", db), tc.args[2:]...)
			r := stopMidRun(t, exec.Command(bin, append(args, big)...), "big.csv", tc.from, tc.rows, 120*time.Second, syscall.SIGTERM)
			t.Logf("SIGTERM after %d of %d rows; stopped in %v: %s", r.at, tc.rows, r.took.Round(time.Millisecond), lastLine(r.out))
			var exit *exec.ExitError
			if !errors.As(r.err, &exit) || exit.ExitCode() != 1 || !strings.Contains(r.out, "interrupted") {
				t.Fatalf("want exit code 1 after SIGTERM, got %v:\n%s", r.err, lastLine(r.out))
			}
			if r.took > 2*time.Second {
				t.Fatalf("stopped %v after SIGTERM, more than 2 s", r.took)
			}
			raw, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			var n int
			if err := raw.QueryRowContext(context.Background(), tc.count).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != tc.want {
				t.Fatalf("after SIGTERM %q gives %d, want %d (what was there before)", tc.count, n, tc.want)
			}
		})
	}
}

// lastLine is the last non-empty line of a command's output (progress
// bars redraw with carriage returns).
func lastLine(out string) string {
	lines := strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := len(lines) - 1; i >= 0; i-- {
		if s := strings.TrimSpace(lines[i]); s != "" {
			return s
		}
	}
	return ""
}
