package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/mail"
)

const auditCols = `seq, at, COALESCE(actor_id, 0), actor, action, object_type, object_id, summary, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }) (audit.Event, error) {
	var e audit.Event
	err := row.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.Summary, &e.PrevHash, &e.Hash)
	return e, err
}

// AuditFilter selects events for the admin browser.
type AuditFilter struct {
	Action     string // prefix, e.g. "organisation."
	Actor      string // substring
	ObjectType string
	ObjectID   string
	BeforeSeq  int64 // page backwards from here (0 = newest)
	Limit      int
	// SealedTenders are the ids of tenders whose deadline has not passed:
	// their bid events ("bid.…") name the bidders, who stay as sealed as
	// the bids until the deadline, so they are left out unless Viewer
	// (a user id) is the one who acted.
	SealedTenders []int64
	Viewer        int64
}

// ListAudit returns events newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Event, error) {
	where := []string{"1=1"}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Action != "" {
		where = append(where, "action LIKE "+arg(f.Action+"%"))
	}
	if f.Actor != "" {
		where = append(where, "actor LIKE "+arg("%"+f.Actor+"%"))
	}
	if f.ObjectType != "" {
		where = append(where, "object_type = "+arg(f.ObjectType))
	}
	if f.ObjectID != "" {
		where = append(where, "object_id = "+arg(f.ObjectID))
	}
	if f.BeforeSeq > 0 {
		where = append(where, "seq < "+arg(f.BeforeSeq))
	}
	if len(f.SealedTenders) > 0 {
		ids := make([]string, len(f.SealedTenders))
		for i, id := range f.SealedTenders {
			ids[i] = arg(strconv.FormatInt(id, 10))
		}
		where = append(where, "NOT (action LIKE 'bid.%' AND object_type = 'tender' AND object_id IN ("+strings.Join(ids, ", ")+") AND COALESCE(actor_id, 0) <> "+arg(f.Viewer)+")")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	rows, err := s.read(ctx, `SELECT `+auditCols+` FROM audit_events WHERE `+strings.Join(where, " AND ")+` ORDER BY seq DESC LIMIT `+arg(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", wrapConn(err))
	}
	defer rows.Close()
	var out []audit.Event
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetAuditKey sets the key that signs the audit chain's head (32 bytes;
// nil writes unsigned heads and leaves their signatures unchecked). Every
// node and command writing to one database must use the same key.
func (s *Store) SetAuditKey(key []byte) { s.auditKey = key }

// AuditKeySet reports whether heads are signed and checked.
func (s *Store) AuditKeySet() bool { return len(s.auditKey) > 0 }

// writeAuditHead rewrites the signed head after appending e, in e's
// transaction.
func (s *Store) writeAuditHead(ctx context.Context, tx *sql.Tx, e audit.Event) error {
	if !s.auditHead.Load() {
		// A database not yet migrated to 23 (only in migration tests: the
		// store migrates on open) has no head to write; migration 23 then
		// starts the head at the newest event. Asked without an error, so a
		// PostgreSQL transaction is not aborted.
		q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'`
		if s.dialect == Postgres {
			q = `SELECT COUNT(*) FROM pg_tables WHERE tablename = 'audit_head' AND schemaname = current_schema()`
		}
		var n int
		if err := tx.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		if n == 0 {
			return nil
		}
		s.auditHead.Store(true)
	}
	h := audit.SignHead(s.auditKey, e.Seq, e.Hash, e.At)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_head (id, seq, hash, at, mac) VALUES (1, $1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, mac = excluded.mac`, h.Seq, h.Hash, h.At, h.MAC); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	return nil
}

// AuditHead returns the stored head, or nil when there is none.
func (s *Store) AuditHead(ctx context.Context) (*audit.Head, error) {
	var h audit.Head
	err := s.readRow(ctx, `SELECT seq, hash, at, mac FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.At, &h.MAC)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit head: %w", wrapConn(err))
	}
	h.At = h.At.UTC()
	return &h, nil
}

// AuditHash returns the hash of event seq, or "" when there is no such event.
func (s *Store) AuditHash(ctx context.Context, seq int64) (string, error) {
	var h string
	err := s.readRow(ctx, `SELECT hash FROM audit_events WHERE seq = $1`, seq).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("audit event %d: %w", seq, wrapConn(err))
	}
	return h, nil
}

// CheckExportedHead checks a head exported earlier ('svhub audit head')
// against the chain: with an audit key its signature must be the key's,
// and the chain must still hold its event with its hash.
func (s *Store) CheckExportedHead(ctx context.Context, h audit.Head) error {
	when := h.At.UTC().Format("2006-01-02 15:04 UTC")
	if len(s.auditKey) > 0 {
		if err := h.CheckSignature(s.auditKey); err != nil {
			return &audit.Break{Seq: h.Seq, Reason: fmt.Sprintf("the head exported at %s is not signed with the audit key (%v)", when, err)}
		}
	}
	got, err := s.AuditHash(ctx, h.Seq)
	if err != nil {
		return err
	}
	switch {
	case got == "":
		return &audit.Break{Seq: h.Seq, Reason: fmt.Sprintf("the chain has no event %d, but the head exported at %s says it reached it (the newest events were deleted)", h.Seq, when)}
	case got != h.Hash:
		return &audit.Break{Seq: h.Seq, Reason: fmt.Sprintf("event %d does not have the hash the head exported at %s gives it", h.Seq, when)}
	}
	return nil
}

// VerifyAudit walks the whole chain in order, in pages, checks that it
// ends at the signed head (whose signature is checked when an audit key
// is set), and returns the number of events checked and the first break
// (an *audit.Break) if any.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	var v audit.Verifier
	var after int64
	// Events appended while the chain is read move the head on: walk on
	// to the head read after the walk, a few times, before comparing.
	for range 5 {
		if err := s.verifyFrom(ctx, &v, &after); err != nil {
			return v.Count, err
		}
		head, err := s.AuditHead(ctx)
		if err != nil {
			return v.Count, err
		}
		if n, _ := v.Last(); head != nil && head.Seq > n {
			continue
		}
		return v.Count, v.End(head, s.auditKey)
	}
	head, err := s.AuditHead(ctx)
	if err != nil {
		return v.Count, err
	}
	return v.Count, v.End(head, s.auditKey)
}

// verifyFrom feeds the verifier every event after *after, in pages.
func (s *Store) verifyFrom(ctx context.Context, v *audit.Verifier, after *int64) error {
	for {
		rows, err := s.read(ctx, `SELECT `+auditCols+` FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 5000`, *after)
		if err != nil {
			return fmt.Errorf("verify audit: %w", err)
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("verify audit: %w", err)
			}
			if err := v.Next(e); err != nil {
				rows.Close()
				return err
			}
			*after = e.Seq
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
}

// AddOutbox stores an unsent email.
func (s *Store) AddOutbox(ctx context.Context, m mail.Message) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4)`, m.To, m.Subject, m.Body, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("add outbox: %w", wrapConn(err))
	}
	return nil
}

// OutboxMessage is a stored email.
type OutboxMessage struct {
	ID        int64
	To        string
	Subject   string
	Body      string
	CreatedAt time.Time
}

// ListOutbox returns the newest emails, optionally to one address.
func (s *Store) ListOutbox(ctx context.Context, to string, limit int) ([]OutboxMessage, error) {
	rows, err := s.read(ctx, `SELECT id, to_addr, subject, body, created_at FROM outbox WHERE $1 = '' OR to_addr = $1 ORDER BY id DESC LIMIT $2`, to, limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", wrapConn(err))
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		var m OutboxMessage
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// tamperAudit rewrites one event's summary without fixing its hash. It
// exists for tests of audit verification, which must prove tampering is seen.
func (s *Store) tamperAudit(ctx context.Context, seq int64, summary string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE audit_events SET summary = $1 WHERE seq = $2`, summary, seq)
	return err
}
