package tenders

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Sealer encrypts bid bodies. Each tender has its own random 256-bit key,
// stored in the database only wrapped (AES-256-GCM) by the hub's sealing
// key, which is configuration (SVHUB_SEAL_KEY) and never in the database.
// Someone reading the tables sees ciphertext, sizes and which organisations
// bid; they cannot read prices, answers or commitments. The hub unwraps a
// tender's key only for the bidding organisation's own bid, or for anyone
// entitled after the deadline. See docs/procurement.md for what this does
// not protect against (an operator holding both the database and the key).
type Sealer struct {
	kek cipher.AEAD
}

// ErrSealed is returned when a bid is asked for before its tender opens.
var ErrSealed = fmt.Errorf("bids are sealed until the deadline: %w", problem.ErrForbidden)

// NewSealer takes a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("sealing key must be 32 bytes, got %d", len(key))
	}
	a, err := gcm(key)
	if err != nil {
		return nil, err
	}
	return &Sealer{kek: a}, nil
}

// ParseKey decodes a base64 sealing key.
func ParseKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("sealing key is not base64: %w", err)
	}
	if len(k) != 32 {
		return nil, fmt.Errorf("sealing key must decode to 32 bytes, got %d", len(k))
	}
	return k, nil
}

// NewKey makes a random 32-byte key, base64-encoded.
func NewKey() string {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read never fails (Go 1.24+)
	return base64.StdEncoding.EncodeToString(k)
}

func gcm(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

func seal(a cipher.AEAD, plain, aad []byte) []byte {
	nonce := make([]byte, a.NonceSize())
	_, _ = rand.Read(nonce)
	return a.Seal(nonce, nonce, plain, aad)
}

func open(a cipher.AEAD, box, aad []byte) ([]byte, error) {
	if len(box) < a.NonceSize() {
		return nil, errors.New("sealed data is too short")
	}
	return a.Open(nil, box[:a.NonceSize()], box[a.NonceSize():], aad)
}

// NewTenderKey makes a tender's key and returns it wrapped for storage.
func (s *Sealer) NewTenderKey(tenderID int64) []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return seal(s.kek, k, tenderAAD(tenderID))
}

func tenderAAD(id int64) []byte { return []byte("svhub tender key " + strconv.FormatInt(id, 10)) }

func bidAAD(tender, org int64, version int) []byte {
	return fmt.Appendf(nil, "svhub bid %d/%d/%d", tender, org, version)
}

func (s *Sealer) tenderAEAD(tenderID int64, wrapped []byte) (cipher.AEAD, error) {
	k, err := open(s.kek, wrapped, tenderAAD(tenderID))
	if err != nil {
		return nil, fmt.Errorf("unwrap tender %d key (is SVHUB_SEAL_KEY the one the bids were sealed with?): %w", tenderID, err)
	}
	return gcm(k)
}

// SealBid encrypts a bid body for storage; the tender id, organisation and
// version are bound in as associated data so a ciphertext cannot be moved
// to another bid row.
func (s *Sealer) SealBid(tenderID int64, wrapped []byte, org int64, version int, canonical []byte) ([]byte, error) {
	a, err := s.tenderAEAD(tenderID, wrapped)
	if err != nil {
		return nil, err
	}
	return seal(a, canonical, bidAAD(tenderID, org, version)), nil
}

func fileAAD(tender, org int64, sha string) []byte {
	return fmt.Appendf(nil, "svhub bid file %d/%d/%s", tender, org, sha)
}

// SealFile encrypts an attached file under the tender's key; the file is
// named by the SHA-256 of its bytes, bound in as associated data.
func (s *Sealer) SealFile(tenderID int64, wrapped []byte, org int64, sha string, content []byte) ([]byte, error) {
	a, err := s.tenderAEAD(tenderID, wrapped)
	if err != nil {
		return nil, err
	}
	return seal(a, content, fileAAD(tenderID, org, sha)), nil
}

// OpenFile decrypts an attached file under the same rules as OpenBid.
func (s *Sealer) OpenFile(t Tender, wrapped []byte, org int64, sha string, box []byte, o Opening) ([]byte, error) {
	if !o.OwnBid && (t.Sealed(o.Now) || !o.Entitled) {
		if t.Sealed(o.Now) {
			return nil, ErrSealed
		}
		return nil, fmt.Errorf("open file: %w", problem.ErrForbidden)
	}
	a, err := s.tenderAEAD(t.ID, wrapped)
	if err != nil {
		return nil, err
	}
	plain, err := open(a, box, fileAAD(t.ID, org, sha))
	if err != nil {
		return nil, fmt.Errorf("open file: %w", err)
	}
	return plain, nil
}

// Opening says who is asking to open a bid.
type Opening struct {
	Now      time.Time
	OwnBid   bool // the asker belongs to the bidding organisation
	Entitled bool // the asker may read the tender's bids once opened
}

// OpenBid decrypts a bid body when the rules allow: the bidder always; the
// buyer's people only once the tender is no longer sealed.
func (s *Sealer) OpenBid(t Tender, wrapped []byte, org int64, version int, box []byte, o Opening) (BidContent, error) {
	var b BidContent
	if !o.OwnBid && (t.Sealed(o.Now) || !o.Entitled) {
		if t.Sealed(o.Now) {
			return b, ErrSealed
		}
		return b, fmt.Errorf("open bid: %w", problem.ErrForbidden)
	}
	a, err := s.tenderAEAD(t.ID, wrapped)
	if err != nil {
		return b, err
	}
	plain, err := open(a, box, bidAAD(t.ID, org, version))
	if err != nil {
		return b, fmt.Errorf("open bid: %w", err)
	}
	if err := json.Unmarshal(plain, &b); err != nil {
		return b, fmt.Errorf("open bid: %w", err)
	}
	return b, nil
}
