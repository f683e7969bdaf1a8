package tenders

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestSealing(t *testing.T) {
	key, _ := ParseKey(NewKey())
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tn := Tender{ID: 7, Status: Published, Deadline: deadline}
	wrapped := s.NewTenderKey(7)
	content := BidContent{PricePence: 123_456_00, SVAnswer: "secret plan"}
	box, err := s.SealBid(7, wrapped, 3, 1, content.Canonical())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(box, []byte("secret plan")) || bytes.Contains(box, []byte("12345600")) {
		t.Fatal("ciphertext contains the plaintext")
	}
	before := deadline.Add(-time.Minute)
	if _, err := s.OpenBid(tn, wrapped, 3, 1, box, Opening{Now: before, Entitled: true}); !errors.Is(err, ErrSealed) {
		t.Fatalf("buyer before deadline: %v", err)
	}
	if b, err := s.OpenBid(tn, wrapped, 3, 1, box, Opening{Now: before, OwnBid: true}); err != nil || b.SVAnswer != "secret plan" {
		t.Fatalf("bidder reads own bid: %v %+v", err, b)
	}
	tn.Status = Closed
	if b, err := s.OpenBid(tn, wrapped, 3, 1, box, Opening{Now: deadline, Entitled: true}); err != nil || b.PricePence != 123_456_00 {
		t.Fatalf("after deadline: %v", err)
	}
	if _, err := s.OpenBid(tn, wrapped, 3, 1, box, Opening{Now: deadline}); err == nil {
		t.Fatal("a stranger opened a bid")
	}
	// A ciphertext moved to another bid row does not open.
	if _, err := s.OpenBid(tn, wrapped, 4, 1, box, Opening{Now: deadline, Entitled: true}); err == nil {
		t.Fatal("a ciphertext opened under another organisation")
	}
	other, _ := NewSealer(bytes.Repeat([]byte{1}, 32))
	if _, err := other.OpenBid(tn, wrapped, 3, 1, box, Opening{Now: deadline, Entitled: true}); err == nil {
		t.Fatal("opened with the wrong sealing key")
	}
}
