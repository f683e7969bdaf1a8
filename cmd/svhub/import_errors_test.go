package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Spend import errors name the file once, never echo raw control bytes,
// and a header-only file records no run.
func TestImportSpendErrorMessages(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hub.db")
	db := "sqlite:" + path
	binary := filepath.Join(dir, "photo.csv")
	body := []byte("\x00\x00\x01\x00\x1b]0;owned\x07\x1b[2J,\x1a\x00IHDR\n")
	for i := range 4096 {
		body = append(body, byte(i*31))
	}
	if err := os.WriteFile(binary, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, code := run(t, nil, "import", "spend", "--db", db, "--buyer", "Example Council", binary)
	if code != 1 || !strings.Contains(out, "not a spend file") {
		t.Fatalf("binary file: %d %s", code, out)
	}
	if n := strings.Count(out, binary); n != 1 {
		t.Fatalf("the path appears %d times: %s", n, out)
	}
	if strings.ContainsAny(out, "\x00\x07\x1b\x1a") || !strings.Contains(out, `\x1b`) {
		t.Fatalf("raw control bytes or no escapes in: %q", out)
	}
	headerOnly := filepath.Join(dir, "empty.csv")
	if err := os.WriteFile(headerOnly, []byte("Date,Supplier Name,Net Amount\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, nil, "import", "spend", "--db", db, "--buyer", "Example Council", headerOnly)
	if code != 1 || !strings.Contains(out, "no payment rows after the header") || strings.Count(out, headerOnly) != 1 {
		t.Fatalf("header-only file: %d %s", code, out)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var runs int
	if err := raw.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM spend_runs`).Scan(&runs); err != nil || runs != 0 {
		t.Fatalf("spend runs stored: %d %v", runs, err)
	}
}
