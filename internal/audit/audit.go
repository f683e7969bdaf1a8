// Package audit defines the hash-chained audit event and how a chain is
// verified. Storage appends events inside the same transaction as the change
// they describe; this package only knows how to hash and check them.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// GenesisHash is the previous-hash of the first event in a chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Event is one recorded state change.
type Event struct {
	Seq        int64
	At         time.Time
	ActorID    int64 // 0 for the system
	Actor      string
	Action     string // e.g. "organisation.create"
	ObjectType string
	ObjectID   string
	Summary    string // JSON: {"before":…, "after":…}
	PrevHash   string
	Hash       string
}

// Summary builds the before/after JSON summary. Either side may be nil.
func Summary(before, after any) string {
	b, err := json.Marshal(map[string]any{"before": before, "after": after})
	if err != nil {
		// Values passed here are plain maps and structs; a marshal failure is a
		// programming error, but the audit trail must still say something.
		return fmt.Sprintf(`{"error":%q}`, err.Error())
	}
	return string(b)
}

// canonical is the exact byte string that is hashed. Fields are joined with a
// unit separator and the time is UTC RFC 3339 with nanoseconds, so the hash
// does not depend on how a database returns the timestamp.
func canonical(e Event) string {
	return strings.Join([]string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Summary, e.PrevHash,
	}, "\x1f")
}

// ComputeHash returns the SHA-256 (hex) of the event's canonical form.
func ComputeHash(e Event) string {
	sum := sha256.Sum256([]byte(canonical(e)))
	return hex.EncodeToString(sum[:])
}

// Seal sets Seq, PrevHash and Hash for an event that follows prev
// (prevSeq 0 and prevHash "" for the first event).
func Seal(e Event, prevSeq int64, prevHash string) Event {
	if prevHash == "" {
		prevHash = GenesisHash
	}
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	// Databases keep microseconds; truncate so the stored time hashes the same.
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.Hash = ComputeHash(e)
	return e
}

// Break describes the first link of a chain that does not verify.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit chain broken at event %d: %s", b.Seq, b.Reason)
}

// Verifier checks events one at a time, in sequence order, so a chain of any
// length is verified in constant memory.
type Verifier struct {
	prevSeq  int64
	prevHash string
	Count    int64
}

// Next checks one event; it returns a *Break for the first bad link.
func (v *Verifier) Next(e Event) error {
	want := v.prevHash
	if want == "" {
		want = GenesisHash
	}
	switch {
	case e.Seq != v.prevSeq+1:
		return &Break{Seq: e.Seq, Reason: fmt.Sprintf("expected sequence %d (an event is missing or was inserted)", v.prevSeq+1)}
	case e.PrevHash != want:
		return &Break{Seq: e.Seq, Reason: "previous-hash does not match the hash of the event before it (events were reordered, or one was replaced)"}
	case ComputeHash(e) != e.Hash:
		return &Break{Seq: e.Seq, Reason: "content does not match its hash (the event was altered)"}
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	v.Count++
	return nil
}
