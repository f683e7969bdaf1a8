package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Head is the chain's newest event (sequence and hash) at the moment it
// was written, signed with the audit key. It is stored outside the events
// table and rewritten with every event, and can be exported (svhub audit
// head) to somewhere the database's users cannot write.
type Head struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	// MAC is the hex HMAC-SHA256 of the sequence and hash under the
	// audit key, or "" when the head was written without a key.
	MAC string `json:"mac"`
}

// KeySize is the audit key's length in bytes.
const KeySize = 32

// ParseKey decodes a base64 audit key of 32 bytes.
func ParseKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("the audit key is not base64: %w", err)
	}
	if len(k) != KeySize {
		return nil, fmt.Errorf("the audit key must be %d bytes (base64 of 32 random bytes), not %d", KeySize, len(k))
	}
	return k, nil
}

func headMAC(key []byte, seq int64, hash string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("svhub audit head\x1f" + strconv.FormatInt(seq, 10) + "\x1f" + hash))
	return m.Sum(nil)
}

// SignHead makes the head of a chain whose newest event is (seq, hash),
// signed with key (unsigned when key is empty).
func SignHead(key []byte, seq int64, hash string, at time.Time) Head {
	h := Head{Seq: seq, Hash: hash, At: at.UTC().Truncate(time.Microsecond)}
	if len(key) > 0 {
		h.MAC = hex.EncodeToString(headMAC(key, seq, hash))
	}
	return h
}

// ErrUnsigned is returned by CheckSignature for a head written without a key.
var ErrUnsigned = errors.New("the head is not signed")

// CheckSignature reports whether the head was signed with key: nil when
// it was, ErrUnsigned when it carries no signature, another error when
// the signature is not the key's (a forged head, or another key).
func (h Head) CheckSignature(key []byte) error {
	if h.MAC == "" {
		return ErrUnsigned
	}
	got, err := hex.DecodeString(h.MAC)
	if err != nil || !hmac.Equal(got, headMAC(key, h.Seq, h.Hash)) {
		return errors.New("the head's signature does not match the audit key")
	}
	return nil
}

// Last is the sequence and hash of the last event the verifier accepted
// (0 and "" before any).
func (v *Verifier) Last() (int64, string) { return v.prevSeq, v.prevHash }

// End checks that the verified chain ends where the stored head says.
// head is nil when no head is stored. With a key, the head must carry
// its signature; without one its signature cannot be checked, but a
// chain that ends before or after the head is still found.
func (v *Verifier) End(head *Head, key []byte) error {
	n, last := v.Last()
	if head == nil {
		if n == 0 {
			return nil
		}
		return &Break{Seq: n, Reason: fmt.Sprintf("the chain ends at %d but there is no signed head (it was deleted)", n)}
	}
	if len(key) > 0 {
		switch err := head.CheckSignature(key); {
		case errors.Is(err, ErrUnsigned):
			return &Break{Seq: head.Seq, Reason: fmt.Sprintf("the head (event %d) is not signed, but an audit key is configured: it was written without the key, or forged", head.Seq)}
		case err != nil:
			return &Break{Seq: head.Seq, Reason: fmt.Sprintf("the head (event %d) is forged: its signature does not match the audit key", head.Seq)}
		}
	}
	if head.Seq != n {
		return &Break{Seq: min(n, head.Seq) + 1, Reason: fmt.Sprintf("the chain ends at %d but the last signed head says %d", n, head.Seq)}
	}
	if head.Hash != last {
		return &Break{Seq: n, Reason: fmt.Sprintf("event %d does not have the hash the signed head gives it (the newest event was replaced)", n)}
	}
	return nil
}
