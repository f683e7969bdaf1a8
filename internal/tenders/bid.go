package tenders

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// BidContent is everything a supplier submits; it is sealed as one
// canonical JSON document.
type BidContent struct {
	PricePence  int64                  `json:"price_pence"`
	Answers     map[string]string      `json:"answers"` // criterion key → text
	Commitments map[string]Commitment  `json:"commitments"`
	SVAnswer    string                 `json:"social_value_answer"`
	Gates       map[string]Declaration `json:"gates"`
	Attachments map[string]FileRef     `json:"attachments,omitempty"` // criterion key → file
}

// FileRef names a file attached to an answer; the SHA-256 of its bytes is
// part of the bid's canonical form, so the receipt covers the files too.
type FileRef struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// MaxAttachmentBytes bounds one attached file.
const MaxAttachmentBytes = 5 << 20

// AttachmentTypes are the file types bidders and buyers may upload, by
// extension.
var AttachmentTypes = map[string]string{".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".odt": "application/vnd.oasis.opendocument.text",
	".csv": "text/csv", ".txt": "text/plain", ".png": "image/png", ".jpg": "image/jpeg"}

// Commitment is a quantity promised for one measure.
type Commitment struct {
	Quantity string `json:"quantity"` // exact decimal, at most 3 places
	Plan     string `json:"plan"`
	Where    string `json:"where"` // district or ward code, or "" for all of GM
}

// Declaration answers a pass/fail gate.
type Declaration struct {
	Meets    bool   `json:"meets"`
	Evidence string `json:"evidence"`
}

// Canonical is the bid's canonical form: JSON with sorted keys (Go sorts
// map keys) and no insignificant space. The receipt hashes exactly this.
func (b BidContent) Canonical() []byte {
	out, _ := json.Marshal(b) // plain structs and maps of strings cannot fail
	return out
}

// Receipt is what a supplier keeps to prove what it submitted and when.
type Receipt struct {
	Tender      int64     `json:"tender"`
	Supplier    string    `json:"supplier"`
	Version     int       `json:"version"`
	SHA256      string    `json:"sha256"`
	SubmittedAt time.Time `json:"submitted_at"`
}

// Digest is the hex SHA-256 of the canonical content.
func Digest(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// ParseQuantity reads a non-negative decimal with at most three places and
// returns it in thousandths (the stored, summable form).
func ParseQuantity(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	s = strings.TrimPrefix(s, "£")
	if s == "" {
		return 0, fmt.Errorf("enter a number")
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "/eE") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if r.Sign() < 0 {
		return 0, fmt.Errorf("cannot be negative")
	}
	m := new(big.Rat).Mul(r, big.NewRat(1000, 1))
	if !m.IsInt() {
		return 0, fmt.Errorf("use at most three decimal places")
	}
	if m.Num().BitLen() > 62 {
		return 0, fmt.Errorf("is too large")
	}
	return m.Num().Int64(), nil
}

// Milli formats thousandths as a plain decimal.
func Milli(m int64) string {
	return Exact(big.NewRat(m, 1000))
}

// ValidateBid checks a bid against its tender and returns field errors
// keyed as the bid form names them.
func ValidateBid(t Tender, b BidContent) error {
	v := &problem.Invalid{}
	if b.PricePence <= 0 {
		v.Add("price", "Enter a price in pounds, more than zero")
	}
	for i, c := range t.Criteria {
		if strings.TrimSpace(b.Answers[CriterionKey(i)]) == "" {
			v.Add("answer_"+CriterionKey(i), "Answer %s: %s", CriterionKey(i), c.Title)
		}
	}
	for _, m := range t.Measures {
		c, ok := b.Commitments[m.Code]
		if !ok || strings.TrimSpace(c.Quantity) == "" {
			v.Add("qty_"+m.Code, "Enter a quantity for %s (0 if you commit none)", m.Code)
			continue
		}
		if _, err := ParseQuantity(c.Quantity); err != nil {
			v.Add("qty_"+m.Code, "Quantity for %s: %s", m.Code, err)
		}
	}
	if t.WSV > 0 && t.AlphaPercent < 100 && strings.TrimSpace(b.SVAnswer) == "" {
		v.Add("sv_answer", "Answer the social value question")
	}
	for _, g := range t.Gates {
		if _, ok := b.Gates[g]; !ok {
			v.Add("gate_"+g, "Say whether your organisation %s", GateLabel(g))
		}
	}
	return v.Err()
}
