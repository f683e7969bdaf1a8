package main

import (
	"encoding/json"
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

// Killing 'svhub import spend' part-way leaves nothing of the file on
// either engine (on PostgreSQL the blocks and rollups go through COPY in
// the import's transaction); running it again gives exactly what a clean
// run gives, and the run records the file's hash, taken while importing.
func TestImportSpendKilledMidRunBothEngines(t *testing.T) {
	eachEngine(t, func(t *testing.T, fresh func() string) {
		const rows = 600_000
		dir := t.TempDir()
		var b strings.Builder
		b.WriteString("Date,Supplier,Amount,Transaction Number,Service Area,Expense Type\n")
		for i := range rows {
			fmt.Fprintf(&b, "%02d/%02d/2026,Supplier %d Ltd,%d.%02d,T%07d,Service %d,Type %d\n", 1+i%28, 5+i/(rows/3), i%700, 500+i%9000, i%100, i, i%40, i%90)
		}
		file := filepath.Join(dir, "big.csv")
		if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		killed, clean := fresh(), fresh()
		// Killed past half way, so batches of blocks and rollups have
		// already been written in the transaction.
		r := stopMidRun(t, exec.Command(bin, "import", "spend", "--db", killed, "--buyer", "Big Council", file), "big.csv", rows/2, rows, 120*time.Second, syscall.SIGKILL)
		var exit *exec.ExitError
		if !errors.As(r.err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("the import was not killed mid-run (it had read %d of %d rows): %v", r.at, rows, r.err)
		}
		t.Logf("killed after %d of %d rows", r.at, rows)
		type report struct {
			Report struct {
				Payments int   `json:"payments"`
				Total    int64 `json:"total_net_pence"`
			} `json:"report"`
		}
		payments := func(db string) report {
			out, code, err := runE(nil, "report", "spend", "--db", db, "--buyer", "Big Council")
			var doc report
			if err != nil || code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
				t.Fatalf("report on %s: %d %v\n%s", db, code, err, out)
			}
			return doc
		}
		if got := payments(killed); got.Report.Payments != 0 || got.Report.Total != 0 {
			t.Fatalf("the killed import left %d payments (%d pence) behind", got.Report.Payments, got.Report.Total)
		}
		var shas []string
		for _, db := range []string{killed, clean} {
			out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Big Council", file)
			var doc struct {
				Runs []struct {
					SHA256   string `json:"sha256"`
					Imported int    `json:"rows_imported"`
				} `json:"runs"`
			}
			at := strings.Index(out, "{\n") // after the progress bar on standard error
			if code != 0 || at < 0 || json.Unmarshal([]byte(out[at:]), &doc) != nil || len(doc.Runs) != 1 || doc.Runs[0].Imported != rows {
				t.Fatalf("import: %d %s", code, out[max(at, 0):])
			}
			shas = append(shas, doc.Runs[0].SHA256)
		}
		if shas[0] != shas[1] || len(shas[0]) != 64 {
			t.Fatalf("file hashes %q", shas)
		}
		if k, c := payments(killed), payments(clean); k.Report.Payments != rows || k != c {
			t.Fatalf("after a killed run: %+v; clean run: %+v", k, c)
		}
	})
}
