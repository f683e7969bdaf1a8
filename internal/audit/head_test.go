package audit

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestHeadSignatureAndEnd(t *testing.T) {
	key := []byte(strings.Repeat("k", KeySize))
	var v Verifier
	prev := GenesisHash
	for i := range 3 {
		e := Seal(Event{At: time.Date(2026, 12, 7, 1, i, 0, 0, time.UTC), Actor: "a", Action: "x.y", ObjectType: "t", ObjectID: "1", Summary: "{}"}, int64(i), prev)
		if err := v.Next(e); err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
	head := SignHead(key, 3, prev, time.Now())
	if err := head.CheckSignature(key); err != nil {
		t.Fatalf("own signature: %v", err)
	}
	if err := v.End(&head, key); err != nil {
		t.Fatalf("clean end: %v", err)
	}
	other := []byte(strings.Repeat("o", KeySize))
	for _, tc := range []struct {
		name string
		head *Head
		key  []byte
		want string
	}{
		{"another key", &head, other, "the head (event 3) is forged"},
		{"unsigned", ptr(SignHead(nil, 3, prev, time.Now())), key, "is not signed, but an audit key is configured"},
		{"head ahead", ptr(SignHead(key, 5, prev, time.Now())), key, "the chain ends at 3 but the last signed head says 5"},
		{"head behind", ptr(SignHead(key, 2, prev, time.Now())), key, "the chain ends at 3 but the last signed head says 2"},
		{"other hash", ptr(SignHead(key, 3, GenesisHash, time.Now())), key, "event 3 does not have the hash the signed head gives it"},
		{"no head", nil, key, "the chain ends at 3 but there is no signed head"},
		{"unsigned without a key, cut short", ptr(SignHead(nil, 4, prev, time.Now())), nil, "the chain ends at 3 but the last signed head says 4"},
	} {
		err := v.End(tc.head, tc.key)
		var b *Break
		if !errors.As(err, &b) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	// Without a key an unsigned head at the chain's end is accepted.
	if err := v.End(ptr(SignHead(nil, 3, prev, time.Now())), nil); err != nil {
		t.Errorf("unsigned head without a key: %v", err)
	}
	if _, err := ParseKey("c2hvcnQ="); err == nil || !strings.Contains(err.Error(), "must be 32 bytes") {
		t.Errorf("short key: %v", err)
	}
}

func ptr(h Head) *Head { return &h }
