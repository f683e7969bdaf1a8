package store

import (
	"context"
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

// VerifyAudit walks the whole chain in order, in pages, and returns the
// number of events checked and the first break (an *audit.Break) if any.
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	var v audit.Verifier
	var after int64
	for {
		rows, err := s.read(ctx, `SELECT `+auditCols+` FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 5000`, after)
		if err != nil {
			return v.Count, fmt.Errorf("verify audit: %w", err)
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return v.Count, fmt.Errorf("verify audit: %w", err)
			}
			if err := v.Next(e); err != nil {
				rows.Close()
				return v.Count, err
			}
			after = e.Seq
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return v.Count, err
		}
		if n == 0 {
			return v.Count, nil
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
