// Package store is the only place with SQL. It runs on SQLite (embedded,
// the default) and PostgreSQL (several stateless app nodes on one database)
// with the same statements: both accept $N placeholders, RETURNING and
// ON CONFLICT, so each query is written once beside the method that scans it.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/problem"
)

//go:embed migrations
var migrations embed.FS

// Dialect names a database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the hub's database. On SQLite, writes go through one connection
// (BEGIN IMMEDIATE) so they never meet SQLITE_BUSY mid-transaction, and
// reads use a separate pool that WAL lets run alongside the writer.
type Store struct {
	w, r    *sql.DB
	dialect Dialect
	stmts   sync.Map // query → *sql.Stmt on r
	nstmts  atomic.Int64
	// importCancels holds, by spend upload id, the cancel function of
	// each upload import running in this process (CancelSpendUpload).
	importCancels sync.Map
	// geoProgress holds, by geography run id, the rows read by each web
	// import of a postcode directory running in this process.
	geoProgress sync.Map
	// fallback is the postcode fallback's index for the data in force
	// (geoindex.go), built on first use; fallbackMu serialises building it.
	fallback   atomic.Pointer[fallbackIndex]
	fallbackMu sync.Mutex
	// areaCache holds every district's and ward's name, district and
	// deprivation under the geography's generation (areas).
	areaCache atomic.Pointer[areaFacts]
	// Where is a printable description of the database (no password).
	Where string
	// spendRollGroups is how many rollup groups the spend import sums in
	// memory before writing them (smaller in tests).
	spendRollGroups int
	// spendOpenBytes bounds the payment blocks an import keeps open.
	spendOpenBytes int
	// auditKey signs the audit chain's head (SetAuditKey); empty means
	// heads are written unsigned.
	auditKey []byte
	// auditHead is set once the audit_head table (migration 23) is known
	// to exist.
	auditHead atomic.Bool
	// txRetries counts transactions run again after a deadlock or
	// serialization failure; txAttempts, when set, overrides how many
	// attempts tx makes (txretry.go).
	txRetries  atomic.Int64
	txAttempts int
}

// Dialect reports the engine in use.
func (s *Store) Dialect() Dialect { return s.dialect }

// ParseDSN splits "sqlite:PATH", a bare path, or "postgres://…".
func ParseDSN(dsn string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return Postgres, dsn, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		return SQLite, strings.TrimPrefix(dsn, "sqlite:"), nil
	case dsn == "":
		return "", "", errors.New("no database given: use sqlite:PATH or postgres://…")
	case strings.Contains(dsn, "://"):
		return "", "", fmt.Errorf("database %q: only sqlite:PATH and postgres:// are supported", dsn)
	}
	return SQLite, dsn, nil
}

// Open connects to dsn. SQLite databases (and their folder) are created and
// migrated; PostgreSQL is migrated only when migrate is true, because with
// several nodes that is a deliberate step (svhub migrate up or serve --migrate).
func Open(ctx context.Context, dsn string, migrate bool) (*Store, error) {
	s, err := open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	// The embedded database is always brought up to date.
	if migrate || s.dialect == SQLite {
		if _, err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// open connects without migrating.
func open(ctx context.Context, dsn string) (*Store, error) {
	dialect, target, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{dialect: dialect, spendRollGroups: spendRollGroups, spendOpenBytes: spendOpenBytes}
	switch dialect {
	case SQLite:
		if dir := filepath.Dir(target); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		base := "file:" + (&url.URL{Path: target}).EscapedPath() + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
		if s.w, err = sql.Open("sqlite", base+"&_txlock=immediate&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32768)"); err != nil {
			return nil, fmt.Errorf("open sqlite writer: %w", err)
		}
		s.w.SetMaxOpenConns(1)
		if s.r, err = sql.Open("sqlite", base+"&_pragma=query_only(1)"); err != nil {
			return nil, fmt.Errorf("open sqlite readers: %w", err)
		}
		s.r.SetMaxOpenConns(max(4, runtime.NumCPU()*2))
		s.r.SetMaxIdleConns(max(4, runtime.NumCPU()*2))
		s.r.SetConnMaxIdleTime(5 * time.Minute)
		s.Where = "sqlite:" + target
	case Postgres:
		if s.w, err = sql.Open("pgx", target); err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.w.SetMaxOpenConns(20)
		s.w.SetMaxIdleConns(10)
		s.r = s.w
		if u, err := url.Parse(target); err == nil {
			u.User = nil
			s.Where = u.Redacted()
		}
	}
	if err := s.w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s: %w", s.Where, err)
	}
	return s, nil
}

// Close releases the connections.
func (s *Store) Close() error {
	s.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.dialect))
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithGoMigrations(
		goose.NewGoMigration(spendBlocksMigration, &goose.GoFunc{RunTx: migrateSpendBlocks}, &goose.GoFunc{RunTx: unmigrateSpendBlocks}),
		goose.NewGoMigration(registerNameKeysMigration, &goose.GoFunc{RunTx: migrateRegisterNameKeys}, &goose.GoFunc{RunTx: unmigrateRegisterNameKeys}))}
	dialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		// A session advisory lock lets several nodes start at once: one
		// migrates, the others wait and then find nothing to do.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, s.w, sub, opts...)
}

// Migrate applies pending migrations and returns how many ran.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	p, err := s.provider()
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate %s: %w", s.Where, err)
	}
	return len(res), nil
}

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

// MigrationStatus lists every migration.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := s.provider()
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationStatus, len(st))
	for i, m := range st {
		name := filepath.Base(m.Source.Path)
		if m.Source.Path == "" {
			name = fmt.Sprintf("%05d (Go)", m.Source.Version)
		}
		out[i] = MigrationStatus{Version: m.Source.Version, Name: name, Applied: m.State == goose.StateApplied, AppliedAt: m.AppliedAt}
	}
	return out, nil
}

// Ping checks the database answers, for /healthz.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("%w: %v", problem.ErrUnavailable, err)
	}
	return nil
}

// tx runs fn in a write transaction. On PostgreSQL a transaction aborted
// by a deadlock or serialization failure is run again from the start
// (txretry.go), so fn must be safe to run more than once: everything it
// returns through captured variables is set afresh from what it reads in
// the transaction, and it has no effect outside the transaction.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	for n := 1; ; n++ {
		err := s.txOnce(ctx, fn)
		if !s.retryTx(ctx, err, n) {
			return err
		}
	}
}

// txOnce is one attempt of tx.
func (s *Store) txOnce(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrapConn(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return wrapConn(err)
	}
	return nil
}

// txConn is tx on a dedicated connection, for work that needs the
// driver connection inside the transaction (PostgreSQL COPY).
func (s *Store) txConn(ctx context.Context, fn func(tx *sql.Tx, conn *sql.Conn) error) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return wrapConn(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return wrapConn(err)
	}
	if err := fn(tx, conn); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return wrapConn(err)
	}
	return nil
}

// wrapConn marks connection-level failures as unavailability.
func wrapConn(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %v", problem.ErrUnavailable, err)
}

// record appends an audit event in the caller's transaction, so the change
// and its record commit or roll back together. On PostgreSQL a transaction
// advisory lock serialises appends across nodes; SQLite's single writer
// already does.
func (s *Store) record(ctx context.Context, tx *sql.Tx, e audit.Event) error {
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7243001)`); err != nil {
			return fmt.Errorf("audit lock: %w", err)
		}
	}
	var seq int64
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit head: %w", err)
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e = audit.Seal(e, seq, prev)
	var actorID any
	if e.ActorID != 0 {
		actorID = e.ActorID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_events (seq, at, actor_id, actor, action, object_type, object_id, summary, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.Seq, e.At, actorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Summary, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	return s.writeAuditHead(ctx, tx, e)
}

func isUnique(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// notFound turns sql.ErrNoRows into problem.ErrNotFound.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, problem.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Backup writes a consistent copy of an SQLite database to path.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return errors.New("backup: use pg_dump for PostgreSQL")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file", path)
	}
	if _, err := s.w.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// maxCachedStatements bounds the prepared-statement cache; the filtered
// list queries build a bounded number of variants, so this is never reached
// in practice, and past it statements are simply not cached.
const maxCachedStatements = 512

// readStmt returns a prepared statement on the read pool. Preparing once
// saves SQLite from parsing the SQL and resolving $N names on every read,
// which was most of the cost of a simple page.
func (s *Store) readStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.r.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if s.nstmts.Add(1) > maxCachedStatements {
		return st, nil // uncached: used once and left to the pool's close
	}
	if prev, loaded := s.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// read runs a query on the read pool through the statement cache.
func (s *Store) read(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.readStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// readRow runs a single-row query on the read pool through the statement cache.
func (s *Store) readRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := s.readStmt(ctx, q)
	if err != nil {
		// Let the error surface from Scan, as QueryRowContext would.
		return s.r.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// collect scans every row of a query into a slice; what names the query
// in errors.
func collect[T any](what string, rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, wrapConn(err))
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// query runs a read and collects its rows with scan.
func query[T any](ctx context.Context, s *Store, what string, scan func(*sql.Rows) (T, error), q string, args ...any) ([]T, error) {
	rows, err := s.read(ctx, q, args...)
	return collect(what, rows, err, scan)
}

func scanInt64(rows *sql.Rows) (int64, error) {
	var v int64
	err := rows.Scan(&v)
	return v, err
}

func scanString(rows *sql.Rows) (string, error) {
	var v string
	err := rows.Scan(&v)
	return v, err
}
