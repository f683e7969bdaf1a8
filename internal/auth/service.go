package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/problem"
)

// Token purposes and lifetimes.
const (
	PurposeVerify = "verify"
	PurposeReset  = "reset"

	VerifyTTL  = 48 * time.Hour
	ResetTTL   = time.Hour
	SessionTTL = 14 * 24 * time.Hour

	// Throttling: failures counted over a sliding window, per account and per IP.
	ThrottleWindow     = 15 * time.Minute
	MaxAccountFailures = 5
	MaxIPFailures      = 50
)

// Store is what account flows need from storage.
type Store interface {
	CreateUser(ctx context.Context, u User, verifyHash string, verifyExpires time.Time) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	AddUserToken(ctx context.Context, userID int64, purpose, hash string, expires time.Time) error
	ConsumeVerifyToken(ctx context.Context, hash string, now time.Time) (User, error)
	ConsumeResetToken(ctx context.Context, hash, newPasswordHash string, now time.Time) (User, error)
	RecordLoginFailure(ctx context.Context, keys []string, at time.Time) error
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	CreateSession(ctx context.Context, hash string, userID int64, now, expires time.Time) error
}

// Service runs registration, verification, sign-in and password reset.
type Service struct {
	Store   Store
	Hasher  *Hasher
	Mailer  mail.Mailer
	BaseURL string
	Now     func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Registration is the sign-up form.
type Registration struct {
	Name, Email, Password, Confirm string
}

// Register creates an unverified account and emails a verification link.
func (s *Service) Register(ctx context.Context, r Registration) (User, error) {
	var v problem.Invalid
	if len(r.Name) == 0 {
		v.Add("name", "Enter your full name")
	} else if len(r.Name) > 200 {
		v.Add("name", "Name must be 200 characters or fewer")
	}
	email, msg := NormaliseEmail(r.Email)
	if msg != "" {
		v.Add("email", "%s", msg)
	}
	if msg := CheckPasswordStrength(r.Password, email); msg != "" {
		v.Add("password", "%s", msg)
	} else if r.Password != r.Confirm {
		v.Add("confirm", "Passwords do not match")
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	hash, err := s.Hasher.Hash(ctx, r.Password)
	if err != nil {
		return User{}, fmt.Errorf("register: %w", err)
	}
	secret, tokenHash := NewToken()
	now := s.now()
	u, err := s.Store.CreateUser(ctx, User{Email: email, Name: r.Name, PasswordHash: hash, CreatedAt: now}, tokenHash, now.Add(VerifyTTL))
	if errors.Is(err, problem.ErrConflict) {
		return User{}, problem.Field("email", "An account with this email address already exists; sign in or reset your password")
	}
	if err != nil {
		return User{}, fmt.Errorf("register: %w", err)
	}
	if err := s.Mailer.Send(ctx, mail.Message{To: email, Subject: "Confirm your email address for Social Value Hub",
		Body: "Hello " + r.Name + ",\n\nConfirm your email address to finish creating your Social Value Hub account:\n\n" +
			s.BaseURL + "/verify?token=" + secret + "\n\nThe link works once and expires in 48 hours.\n"}); err != nil {
		return u, fmt.Errorf("register: send verification: %w", err)
	}
	return u, nil
}

// VerifyEmail consumes a verification token.
func (s *Service) VerifyEmail(ctx context.Context, secret string) (User, error) {
	if secret == "" {
		return User{}, problem.Field("token", "The verification link is incomplete")
	}
	u, err := s.Store.ConsumeVerifyToken(ctx, HashToken(secret), s.now())
	if errors.Is(err, problem.ErrNotFound) {
		return User{}, problem.Field("token", "This verification link is invalid, has expired or has already been used")
	}
	return u, err
}

// SignIn checks credentials with throttling and returns a new session secret.
func (s *Service) SignIn(ctx context.Context, email, password, ip string) (string, User, error) {
	email, _ = NormaliseEmail(email)
	now := s.now()
	since := now.Add(-ThrottleWindow)
	keys := []string{"acct:" + email, "ip:" + ip}
	for i, limit := range []int{MaxAccountFailures, MaxIPFailures} {
		n, err := s.Store.CountLoginFailures(ctx, keys[i], since)
		if err != nil {
			return "", User{}, fmt.Errorf("sign in: %w", err)
		}
		if n >= limit {
			return "", User{}, problem.ErrTooMany
		}
	}
	u, err := s.Store.UserByEmail(ctx, email)
	ok := false
	switch {
	case errors.Is(err, problem.ErrNotFound):
		// Hash anyway so that response time does not reveal which emails exist.
		_, _ = s.Hasher.Check(ctx, dummyHash, password)
	case err != nil:
		return "", User{}, fmt.Errorf("sign in: %w", err)
	default:
		ok, err = s.Hasher.Check(ctx, u.PasswordHash, password)
		if err != nil {
			return "", User{}, fmt.Errorf("sign in: %w", err)
		}
	}
	if !ok {
		if err := s.Store.RecordLoginFailure(ctx, keys, now); err != nil {
			return "", User{}, fmt.Errorf("sign in: %w", err)
		}
		return "", User{}, problem.Field("email", "Email address or password is incorrect")
	}
	secret, hash := NewToken()
	if err := s.Store.CreateSession(ctx, hash, u.ID, now, now.Add(SessionTTL)); err != nil {
		return "", User{}, fmt.Errorf("sign in: %w", err)
	}
	return secret, u, nil
}

// dummyHash is a valid argon2id string of a random password.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c3ZodWJkdW1teXNhbHQ$yZ1p2xQm3WcWg3pQmTz2mY2x8mJ8m2Yx3Vq1Q6cS9kE"

// RequestReset emails a reset link if the account exists. It always
// succeeds from the caller's view so it cannot be used to find accounts.
func (s *Service) RequestReset(ctx context.Context, email string) error {
	email, msg := NormaliseEmail(email)
	if msg != "" {
		return problem.Field("email", "%s", msg)
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if errors.Is(err, problem.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("request reset: %w", err)
	}
	secret, hash := NewToken()
	if err := s.Store.AddUserToken(ctx, u.ID, PurposeReset, hash, s.now().Add(ResetTTL)); err != nil {
		return fmt.Errorf("request reset: %w", err)
	}
	return s.Mailer.Send(ctx, mail.Message{To: email, Subject: "Reset your Social Value Hub password",
		Body: "Someone asked to reset the password for this account. If it was you, choose a new password here:\n\n" +
			s.BaseURL + "/reset?token=" + secret + "\n\nThe link works once and expires in 1 hour. If it was not you, ignore this email.\n"})
}

// ResetPassword sets a new password using a reset token and signs out
// every existing session of that account.
func (s *Service) ResetPassword(ctx context.Context, secret, password, confirm string) (User, error) {
	var v problem.Invalid
	if msg := CheckPasswordStrength(password, ""); msg != "" {
		v.Add("password", "%s", msg)
	} else if password != confirm {
		v.Add("confirm", "Passwords do not match")
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	hash, err := s.Hasher.Hash(ctx, password)
	if err != nil {
		return User{}, fmt.Errorf("reset password: %w", err)
	}
	u, err := s.Store.ConsumeResetToken(ctx, HashToken(secret), hash, s.now())
	if errors.Is(err, problem.ErrNotFound) {
		return User{}, problem.Field("token", "This reset link is invalid, has expired or has already been used; ask for a new one")
	}
	return u, err
}
