package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
)

// APIToken is a personal API token (only its hash is stored).
type APIToken struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// CreateAPIToken stores a new token for the actor.
func (s *Store) CreateAPIToken(ctx context.Context, actor auth.Actor, name, hash string) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			actor.ID(), name, hash, time.Now().UTC()).Scan(&id); err != nil {
			return fmt.Errorf("create api token: %w", err)
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "api_token.create", ObjectType: "api_token", ObjectID: strconv.FormatInt(id, 10), Summary: audit.Summary(nil, map[string]string{"name": name})})
	})
	return id, err
}

// ListAPITokens lists a user's tokens.
func (s *Store) ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.read(ctx, `SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		if used.Valid {
			t.LastUsedAt = &used.Time
		}
		if revoked.Valid {
			t.RevokedAt = &revoked.Time
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes one of the actor's own tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`, time.Now().UTC(), id, actor.ID())
		if err != nil {
			return fmt.Errorf("revoke api token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("revoke api token: %w", problem.ErrNotFound)
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "api_token.revoke", ObjectType: "api_token", ObjectID: strconv.FormatInt(id, 10), Summary: audit.Summary(nil, nil)})
	})
}

// APITokenActor returns the actor owning an unrevoked token, or Anonymous.
func (s *Store) APITokenActor(ctx context.Context, hash string) (auth.Actor, error) {
	var id, userID int64
	err := s.readRow(ctx, `SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, hash).Scan(&id, &userID)
	if err == sql.ErrNoRows {
		return auth.Anonymous, nil
	}
	if err != nil {
		return auth.Anonymous, fmt.Errorf("api token: %w", wrapConn(err))
	}
	// Last-used is advisory; a failure to record it must not fail the request.
	_, _ = s.w.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, time.Now().UTC(), id)
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return auth.Anonymous, err
	}
	return s.actorFor(ctx, u)
}
