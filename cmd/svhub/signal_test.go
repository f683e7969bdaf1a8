package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a buffer the command writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// SIGTERM during a large import stops it within two seconds, with nothing
// stored (the transaction rolls back).
func TestImportSpendStopsOnSIGTERM(t *testing.T) {
	const rows = 1_500_000
	dir := t.TempDir()
	file := filepath.Join(dir, "big.csv")
	var b strings.Builder
	b.WriteString("Date,Supplier,Amount,Transaction Number\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "%02d/%02d/2026,Supplier %d Ltd,%d.%02d,T%07d\n", 1+i%28, 1+i/(rows/12+1), i%5000, 500+i%9000, i%100, i)
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "hub.db")
	cmd := exec.Command(bin, "import", "spend", "--db", "sqlite:"+path, "--buyer", "Big Council", file)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Wait until the progress bar shows a fifth of the rows read (batches
	// are being written), then send SIGTERM.
	progress := regexp.MustCompile(`big\.csv \((\d+)/-`)
	deadline := time.Now().Add(60 * time.Second)
	var at int64
	for at == 0 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("no progress within 60 s:\n%s", out.String())
		}
		select {
		case err := <-done:
			t.Fatalf("the import ended before it could be interrupted (%v):\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		for _, m := range progress.FindAllStringSubmatch(out.String(), -1) {
			if v, _ := strconv.ParseInt(m[1], 10, 64); v > rows/5 && v < rows {
				at = v
			}
		}
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var werr error
	select {
	case werr = <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("still running 10 s after SIGTERM")
	}
	took := time.Since(sent)
	t.Logf("SIGTERM after %d of %d rows; stopped in %v", at, rows, took.Round(time.Millisecond))
	if took > 2*time.Second {
		t.Fatalf("stopped %v after SIGTERM, more than 2 s", took)
	}
	if werr == nil || !strings.Contains(out.String(), "interrupted") {
		t.Fatalf("exit %v, output:\n%s", werr, out.String())
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var runs, blocks, rollups int
	if err := raw.QueryRowContext(context.Background(), `SELECT (SELECT COUNT(*) FROM spend_runs), (SELECT COUNT(*) FROM spend_blocks), (SELECT COUNT(*) FROM spend_rollup)`).Scan(&runs, &blocks, &rollups); err != nil {
		t.Fatal(err)
	}
	if runs+blocks+rollups != 0 {
		t.Fatalf("left behind: %d runs, %d blocks, %d rollup rows", runs, blocks, rollups)
	}
}
