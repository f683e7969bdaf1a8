// Package storetest runs a store test against every engine: a fresh SQLite
// file always, and a fresh PostgreSQL database when SVHUB_TEST_POSTGRES
// names a server. With REQUIRE_POSTGRES=1 a missing server fails the test
// instead of skipping it, so CI cannot pass on SQLite alone.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/svhub/svhub/internal/store"
)

// Each runs fn once per engine as a subtest named after the engine.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachBench runs a benchmark on a fresh store of each engine, as Each does
// for tests; open makes another store of the same engine (for benchmarks
// that start every iteration empty).
func EachBench(b *testing.B, fn func(b *testing.B, open func(testing.TB) *store.Store)) {
	b.Helper()
	b.Run("sqlite", func(b *testing.B) { fn(b, SQLite) })
	b.Run("postgres", func(b *testing.B) { fn(b, Postgres) })
}

// SQLite opens a migrated store in a temporary file.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "test.db"), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// PostgresDSN creates an empty database and returns its DSN, or skips
// (fails under REQUIRE_POSTGRES=1) when no server is configured.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("SVHUB_TEST_POSTGRES")
	if admin == "" {
		if os.Getenv("REQUIRE_POSTGRES") == "1" {
			t.Fatal("REQUIRE_POSTGRES=1 but SVHUB_TEST_POSTGRES is not set")
		}
		t.Skip("SVHUB_TEST_POSTGRES not set; PostgreSQL tests skipped")
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "svhub_test_" + hex.EncodeToString(b)
	if _, err := db.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create test database (is PostgreSQL at SVHUB_TEST_POSTGRES running?): %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err == nil {
			_, _ = db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			db.Close()
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Postgres opens a migrated store on a fresh database.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), PostgresDSN(t), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
