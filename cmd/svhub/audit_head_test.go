package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
