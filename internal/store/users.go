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
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
)

const userCols = `id, email, name, password_hash, email_verified_at, is_admin, postcode, created_at`

func scanUser(row interface{ Scan(...any) error }) (auth.User, error) {
	var u auth.User
	var verified sql.NullTime
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &verified, &u.IsAdmin, &u.Postcode, &u.CreatedAt)
	if verified.Valid {
		t := verified.Time
		u.EmailVerifiedAt = &t
	}
	return u, err
}

func userEvent(actor auth.Actor, action string, u auth.User, before, after any) audit.Event {
	return audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action, ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10), Summary: audit.Summary(before, after)}
}

// CreateUser adds an unverified account with its verification token.
func (s *Store) CreateUser(ctx context.Context, u auth.User, verifyHash string, verifyExpires time.Time) (auth.User, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, is_admin, postcode, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			u.Email, u.Name, u.PasswordHash, u.IsAdmin, u.Postcode, u.CreatedAt.UTC()).Scan(&u.ID)
		if isUnique(err) {
			return fmt.Errorf("create user %s: %w", u.Email, problem.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if verifyHash != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
				verifyHash, u.ID, auth.PurposeVerify, u.CreatedAt.UTC(), verifyExpires.UTC()); err != nil {
				return fmt.Errorf("create verification token: %w", err)
			}
		}
		self := auth.Actor{User: &u}
		return s.record(ctx, tx, userEvent(self, "user.register", u, nil, map[string]any{"email": u.Email, "name": u.Name}))
	})
	return u, err
}

// CreateVerifiedUser adds an account whose email is already confirmed
// (command line and demo seed), recording actor as its creator.
func (s *Store) CreateVerifiedUser(ctx context.Context, actor string, u auth.User) (auth.User, error) {
	now := time.Now().UTC()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, email_verified_at, is_admin, postcode, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			u.Email, u.Name, u.PasswordHash, now, u.IsAdmin, u.Postcode, now).Scan(&u.ID)
		if isUnique(err) {
			return fmt.Errorf("create user %s: %w", u.Email, problem.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		u.EmailVerifiedAt, u.CreatedAt = &now, now
		return s.record(ctx, tx, audit.Event{Actor: actor, Action: "user.create", ObjectType: "user", ObjectID: strconv.FormatInt(u.ID, 10),
			Summary: audit.Summary(nil, map[string]any{"email": u.Email, "admin": u.IsAdmin, "verified": true})})
	})
	return u, err
}

// UserByEmail finds an account by normalised email.
func (s *Store) UserByEmail(ctx context.Context, email string) (auth.User, error) {
	u, err := scanUser(s.readRow(ctx, `SELECT `+userCols+` FROM users WHERE email = $1`, email))
	return u, notFound(err, "user by email")
}

// UserByID finds an account.
func (s *Store) UserByID(ctx context.Context, id int64) (auth.User, error) {
	u, err := scanUser(s.readRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	return u, notFound(err, "user by id")
}

// ListUsers returns accounts in email order, optionally filtered by a substring.
func (s *Store) ListUsers(ctx context.Context, q string, limit, offset int) ([]auth.User, error) {
	rows, err := s.read(ctx, `SELECT `+userCols+` FROM users WHERE $1 = '' OR email LIKE '%' || $1 || '%' OR LOWER(name) LIKE '%' || LOWER($1) || '%' ORDER BY email LIMIT $2 OFFSET $3`, q, limit, offset)
	return collect("list users", rows, err, func(r *sql.Rows) (auth.User, error) { return scanUser(r) })
}

// SetAdmin grants or removes the hub administrator role.
func (s *Store) SetAdmin(ctx context.Context, actor auth.Actor, userID int64, admin bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, userID))
		if err != nil {
			return notFound(err, "set admin")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET is_admin = $1 WHERE id = $2`, admin, userID); err != nil {
			return fmt.Errorf("set admin: %w", err)
		}
		return s.record(ctx, tx, userEvent(actor, "user.set_admin", u, map[string]bool{"admin": u.IsAdmin}, map[string]bool{"admin": admin}))
	})
}

// AddUserToken stores a single-use token hash.
func (s *Store) AddUserToken(ctx context.Context, userID int64, purpose, hash string, expires time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			hash, userID, purpose, time.Now().UTC(), expires.UTC()); err != nil {
			return fmt.Errorf("add %s token: %w", purpose, err)
		}
		u := auth.User{ID: userID}
		return s.record(ctx, tx, userEvent(auth.Actor{User: &u}, "user.token."+purpose, u, nil, map[string]string{"expires": expires.UTC().Format(time.RFC3339)}))
	})
}

// useToken marks an unexpired, unused token used and returns its user.
func useToken(ctx context.Context, tx *sql.Tx, purpose, hash string, now time.Time) (auth.User, error) {
	var userID int64
	err := tx.QueryRowContext(ctx, `UPDATE user_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 RETURNING user_id`,
		now.UTC(), hash, purpose).Scan(&userID)
	if err != nil {
		return auth.User{}, notFound(err, "use "+purpose+" token")
	}
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, userID))
	return u, notFound(err, "token user")
}

// ConsumeVerifyToken confirms the email of the token's user.
func (s *Store) ConsumeVerifyToken(ctx context.Context, hash string, now time.Time) (auth.User, error) {
	var u auth.User
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = useToken(ctx, tx, auth.PurposeVerify, hash, now); err != nil {
			return err
		}
		if u.EmailVerifiedAt == nil {
			t := now.UTC()
			u.EmailVerifiedAt = &t
			if _, err := tx.ExecContext(ctx, `UPDATE users SET email_verified_at = $1 WHERE id = $2`, t, u.ID); err != nil {
				return fmt.Errorf("verify email: %w", err)
			}
		}
		return s.record(ctx, tx, userEvent(auth.Actor{User: &u}, "user.verify_email", u, nil, map[string]any{"email": u.Email}))
	})
	return u, err
}

// ConsumeResetToken sets a new password and ends every session of the user.
func (s *Store) ConsumeResetToken(ctx context.Context, hash, newPasswordHash string, now time.Time) (auth.User, error) {
	var u auth.User
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = useToken(ctx, tx, auth.PurposeReset, hash, now); err != nil {
			return err
		}
		// Following a link from the inbox also proves the address.
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3`, newPasswordHash, now.UTC(), u.ID); err != nil {
			return fmt.Errorf("reset password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
			return fmt.Errorf("reset password: end sessions: %w", err)
		}
		return s.record(ctx, tx, userEvent(auth.Actor{User: &u}, "user.reset_password", u, nil, map[string]any{"sessions_ended": true}))
	})
	return u, err
}

// RecordLoginFailure counts one failed sign-in against each key. The
// audit log gets throttled summaries, not an event per failure: for each
// account ("acct:" key), one event at its first failure in a
// fixed 15-minute window and one when the window's failures reach the
// account limit (sign-in is then refused until the window has passed), each
// with the window's count so far.
func (s *Store) RecordLoginFailure(ctx context.Context, keys []string, at time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, k, at.UTC()); err != nil {
				return fmt.Errorf("record login failure: %w", err)
			}
			account, ok := strings.CutPrefix(k, "acct:")
			if !ok {
				continue
			}
			from := at.UTC().Truncate(auth.ThrottleWindow)
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2 AND at <= $3`, k, from, at.UTC()).Scan(&n); err != nil {
				return fmt.Errorf("count login failures: %w", err)
			}
			if n == 1 || n == auth.MaxAccountFailures {
				if err := s.record(ctx, tx, audit.Event{At: at, Actor: "anonymous", Action: "user.sign_in_failures", ObjectType: "account", ObjectID: account,
					Summary: audit.Summary(nil, map[string]any{"window_from": from, "window_minutes": int(auth.ThrottleWindow / time.Minute), "failures": n, "throttled": n >= auth.MaxAccountFailures})}); err != nil {
					return err
				}
			}
		}
		// Keep the table small: failures older than a day never matter.
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE at < $1`, at.UTC().Add(-24*time.Hour))
		return err
	})
}

// CountLoginFailures counts failures for key since a time.
func (s *Store) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.readRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2`, key, since.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count login failures: %w", wrapConn(err))
	}
	return n, nil
}

// CreateSession stores a session token hash (a sign-in).
func (s *Store) CreateSession(ctx context.Context, hash string, userID int64, now, expires time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, userID))
		if err != nil {
			return notFound(err, "create session")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, hash, userID, now.UTC(), expires.UTC()); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		// Expired sessions are swept here rather than by a timer.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2`, userID, now.UTC()); err != nil {
			return fmt.Errorf("sweep sessions: %w", err)
		}
		return s.record(ctx, tx, userEvent(auth.Actor{User: &u}, "user.sign_in", u, nil, nil))
	})
}

// DeleteSession signs a session out.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRowContext(ctx, `DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id`, hash).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // already gone: signing out twice is not an error
		}
		if err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		u := auth.User{ID: userID}
		_ = tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, userID).Scan(&u.Email)
		return s.record(ctx, tx, userEvent(auth.Actor{User: &u}, "user.sign_out", u, nil, nil))
	})
}

// SessionActor returns the signed-in actor for a session hash, or
// auth.Anonymous when the session is unknown or expired.
func (s *Store) SessionActor(ctx context.Context, hash string, now time.Time) (auth.Actor, error) {
	u, err := scanUser(s.readRow(ctx, `SELECT u.id, u.email, u.name, u.password_hash, u.email_verified_at, u.is_admin, u.postcode, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2`, hash, now.UTC()))
	if err == sql.ErrNoRows {
		return auth.Anonymous, nil
	}
	if err != nil {
		return auth.Anonymous, fmt.Errorf("session: %w", wrapConn(err))
	}
	return s.actorFor(ctx, u)
}

func (s *Store) actorFor(ctx context.Context, u auth.User) (auth.Actor, error) {
	ms, err := s.MembershipsOfUser(ctx, u.ID)
	if err != nil {
		return auth.Anonymous, err
	}
	return auth.Actor{User: &u, Memberships: ms}, nil
}

// ActorForUser loads a user's roles (command line use).
func (s *Store) ActorForUser(ctx context.Context, u auth.User) (auth.Actor, error) {
	return s.actorFor(ctx, u)
}

const membershipCols = `m.org_id, o.legal_name, o.slug, o.kind, o.hub_moderator, m.user_id, u.email, u.name, m.role`

func scanMemberships(rows *sql.Rows, err error) ([]auth.Membership, error) {
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", wrapConn(err))
	}
	defer rows.Close()
	var out []auth.Membership
	for rows.Next() {
		var m auth.Membership
		var role string
		if err := rows.Scan(&m.OrgID, &m.OrgName, &m.OrgSlug, &m.OrgKind, &m.OrgModerates, &m.UserID, &m.Email, &m.Name, &role); err != nil {
			return nil, fmt.Errorf("memberships: %w", err)
		}
		m.Role = auth.Role(role)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MembershipsOfUser lists the roles a user holds.
func (s *Store) MembershipsOfUser(ctx context.Context, userID int64) ([]auth.Membership, error) {
	return scanMemberships(s.read(ctx, `SELECT `+membershipCols+` FROM memberships m JOIN organisations o ON o.id = m.org_id JOIN users u ON u.id = m.user_id WHERE m.user_id = $1 ORDER BY o.legal_name, m.role`, userID))
}

// MembersOfOrg lists an organisation's members and roles.
func (s *Store) MembersOfOrg(ctx context.Context, orgID int64) ([]auth.Membership, error) {
	return scanMemberships(s.read(ctx, `SELECT `+membershipCols+` FROM memberships m JOIN organisations o ON o.id = m.org_id JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 ORDER BY u.email, m.role`, orgID))
}
