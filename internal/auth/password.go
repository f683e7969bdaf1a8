package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's second recommended configuration
// (19 MiB, 2 passes, 1 lane). Encoded in every PHC string, so they can be
// raised later and old hashes still verify.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// Hasher hashes and checks passwords with argon2id, letting at most a fixed
// number of hashes run at once so a burst of sign-ins cannot exhaust memory.
type Hasher struct {
	slots chan struct{}
}

// NewHasher allows concurrency hashes at once (0 means one per CPU).
func NewHasher(concurrency int) *Hasher {
	if concurrency <= 0 {
		concurrency = runtime.NumCPU()
	}
	return &Hasher{slots: make(chan struct{}, concurrency)}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting to hash password: %w", ctx.Err())
	}
}

// Hash returns a PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$key.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-h.slots }()
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("unrecognised password hash")

// Check reports whether password matches the PHC string.
func (h *Hasher) Check(ctx context.Context, phc, password string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errBadHash
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-h.slots }()
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// MinPasswordLength follows NCSC guidance: length over complexity rules.
const MinPasswordLength = 10

// CheckPasswordStrength returns a reason the password is too weak, or "".
func CheckPasswordStrength(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return fmt.Sprintf("Password must be at least %d characters", MinPasswordLength)
	case n > 256:
		return "Password must be 256 characters or fewer"
	}
	lower := strings.ToLower(password)
	if commonPasswords[lower] {
		return "Password is too common; choose one that is harder to guess, such as three random words"
	}
	if local, _, ok := strings.Cut(strings.ToLower(email), "@"); ok && len(local) >= 4 && strings.Contains(lower, local) {
		return "Password must not contain your email address"
	}
	return ""
}

// A short list of the most used passwords of 10+ characters from public
// breach-frequency lists; length already rules out the shorter ones.
var commonPasswords = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`1234567890 12345678910 0123456789 1234567891 qwertyuiop
password123 password12 password1! passw0rd123 iloveyou123 1q2w3e4r5t 1qaz2wsx3edc
qwerty1234 qwerty12345 qwertyuiop1 abcdefghij abc1234567 football123 manchester
manchester1 manchesterunited manutd1234 liverpool1 letmein123 welcome123 welcome1234
administrator admin12345 changeme123 sunshine12 princess12 computer12 baseball123
1111111111 0000000000 9876543210 aaaaaaaaaa zaq12wsxcv superman123 trustno1234
passwordpassword mypassword mypassword1 starwars12 dragon1234 monkey1234 summer2024
summer2025 summer2026 winter2025 winter2026 spring2026 autumn2026 password2024
password2025 password2026 socialvalue socialvalue1 greatermanchester`) {
		commonPasswords[p] = true
	}
}
