package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The audit command with a key: a clean chain ends at the signed head,
// an exported head is checked, and deleting the newest events is found
// both by the stored head and by the exported one.
func TestAuditVerifyWithSignedHead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hub.db")
	db := "sqlite:" + path
	env := []string{"SVHUB_AUDIT_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}
	if out, code := run(t, env, "seed", "demo", "--db", db, "--demo-password", "x-password-123"); code != 0 {
		t.Fatal(out)
	}
	out, code := run(t, env, "audit", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "Audit chain intact") || !strings.Contains(out, "ending at the signed head") {
		t.Fatalf("clean chain: %d %s", code, out)
	}
	heads := filepath.Join(dir, "heads.jsonl")
	if out, code := run(t, env, "audit", "head", "--db", db, "--out", heads); code != 0 {
		t.Fatalf("audit head: %d %s", code, out)
	}
	if out, code := run(t, env, "audit", "verify", "--db", db, "--head", heads); code != 0 || !strings.Contains(out, "1 exported heads match the chain") {
		t.Fatalf("verify --head: %d %s", code, out)
	}
	// Without the key the signature is not checked, and it says so.
	if out, code := run(t, []string{"SVHUB_AUDIT_KEY="}, "audit", "verify", "--db", db); code != 0 || !strings.Contains(out, "its signature was not checked") {
		t.Fatalf("verify without key: %d %s", code, out)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	if err := raw.QueryRowContext(context.Background(), `SELECT MAX(seq) FROM audit_events`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(context.Background(), `DELETE FROM audit_events WHERE seq > $1`, last-2); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, code = run(t, env, "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(out, "the chain ends at") || !strings.Contains(out, "but the last signed head says") {
		t.Fatalf("truncation not reported: %d %s", code, out)
	}
	if _, err := os.Stat(heads); err != nil {
		t.Fatal(err)
	}
}

// serve --audit-head-dir exports the day's signed head once on start (and
// daily after), to a file 'audit verify --head DIR' accepts; a directory
// that does not exist stops serve at start-up, naming it.
func TestServeExportsAuditHeadDaily(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "hub.db")
	const key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	env := []string{"SVHUB_AUDIT_KEY=" + key}
	missing := filepath.Join(dir, "no-such-dir")
	out, code := run(t, env, "serve", "--db", db, "--addr", "127.0.0.1:0", "--audit-head-dir", missing)
	if code != 1 || !strings.Contains(out, "--audit-head-dir: the audit head directory "+missing+" does not exist") {
		t.Fatalf("missing directory: %d %s", code, out)
	}
	for _, e := range []string{"a@example.org", "b@example.org"} {
		if out, code := run(t, env, "user", "add", "--db", db, "--email", e, "--name", "A", "--password", "a-long-password-1"); code != 0 {
			t.Fatal(out)
		}
	}
	heads := filepath.Join(dir, "heads")
	if err := os.Mkdir(heads, 0o700); err != nil {
		t.Fatal(err)
	}
	n := startServe(t, "--db", db, "--audit-key", key, "--audit-head-dir", heads)
	want := filepath.Join(heads, "audit-head-"+time.Now().UTC().Format(time.DateOnly)+".json")
	for i := 0; ; i++ {
		if _, err := os.Stat(want); err == nil {
			break
		}
		if i == 100 {
			t.Fatalf("no %s after 10 s:\n%s", want, n.logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	n.stop(t)
	// A second start the same day does not export again: the day's job
	// was queued once.
	n = startServe(t, "--db", db, "--audit-key", key, "--audit-head-dir", heads)
	time.Sleep(3 * time.Second)
	n.stop(t)
	if entries, _ := os.ReadDir(heads); len(entries) != 1 {
		t.Fatalf("files after a second start: %v", entries)
	}
	if out, code := run(t, env, "audit", "verify", "--db", db, "--head", heads); code != 0 || !strings.Contains(out, "1 exported heads match the chain") {
		t.Fatalf("verify --head DIR: %d %s", code, out)
	}
	// A forged file in the directory is found.
	forged := `{"seq":1,"hash":"00","at":"2026-12-07T00:00:00Z","mac":"00"}` + "\n"
	if err := os.WriteFile(filepath.Join(heads, "audit-head-2000-01-01.json"), []byte(forged), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, env, "audit", "verify", "--db", db, "--head", heads); code != 1 || !strings.Contains(out, "audit-head-2000-01-01.json:1: ") || !strings.Contains(out, "not signed with the audit key") {
		t.Fatalf("forged head: %d %s", code, out)
	}
}
