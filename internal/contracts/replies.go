package contracts

import (
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Reply is one message in a queried delivery line's thread: the
// supplier's answer, with its evidence files.
type Reply struct {
	ID        int64
	LineID    int64
	Author    string // the organisation's name, as shown publicly
	Body      string
	CreatedAt time.Time
	Files     []EvidenceFile
}

// EvidenceFile is a file attached to a reply; its bytes are fetched
// separately.
type EvidenceFile struct {
	ID      int64
	ReplyID int64
	Name    string
	Type    string
	Size    int64
	SHA256  string
	Content []byte `json:"-"`
}

// Evidence file limits: 10 MB each, at most three a reply.
const (
	MaxEvidenceBytes = 10 << 20
	MaxEvidenceFiles = 3
	MaxReplyText     = 5000
)

// EvidenceExtensions are the file types accepted as delivery evidence:
// PDF, images and spreadsheets (their content is checked by
// tenders.CheckAttachment's sniffing, which refuses programs and web pages).
var EvidenceExtensions = []string{".pdf", ".png", ".jpg", ".xlsx", ".csv"}

// ValidateReply checks a reply's text: required, and bounded.
func ValidateReply(body string, status string) error {
	var v problem.Invalid
	if status != Queried {
		v.Add("reply", "Only a queried line can be answered; this line is %s", status)
	}
	b := strings.TrimSpace(body)
	if b == "" {
		v.Add("reply", "Enter your answer to the buyer's query")
	} else if len(b) > MaxReplyText {
		v.Add("reply", "Your answer must be %d characters or fewer; it has %d", MaxReplyText, len(b))
	}
	return v.Err()
}

// SizeText is the file's size in rounded plain words: "850 bytes",
// "12 KB", "3.4 MB".
func (f EvidenceFile) SizeText() string {
	switch {
	case f.Size < 1000:
		return strconv.FormatInt(f.Size, 10) + " bytes"
	case f.Size < 1_000_000:
		return strconv.FormatInt((f.Size+500)/1000, 10) + " KB"
	}
	return strconv.FormatFloat(float64(f.Size)/1e6, 'f', 1, 64) + " MB"
}
