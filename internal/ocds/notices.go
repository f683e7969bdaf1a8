package ocds

import (
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/tenders"
)

// Procurement Act 2023 notices in the release package. Each published
// notice (UK4 tender, UK6 contract award, UK7 contract details, UK9
// contract performance, UK10 contract change, UK11 contract termination)
// is a document of the stage it belongs to, with the core OCDS 1.1
// documentType of tenders.Notices, its notice number in the title and a
// link to its page; the contract release carries the release tags of the
// later notices (implementation, contractAmendment, contractTermination).
// A change notice is also a contract amendment. Only core OCDS 1.1 fields
// are used.

// Document is an OCDS document: here, a published notice.
type Document struct {
	ID            string `json:"id"`
	DocumentType  string `json:"documentType"`
	Title         string `json:"title"`
	Description   string `json:"description,omitempty"`
	URL           string `json:"url"`
	DatePublished string `json:"datePublished"`
	Format        string `json:"format"`
	Language      string `json:"language"`
}

// Amendment is a change to the contract (OCDS 1.1 contracts[].amendments).
type Amendment struct {
	ID          string `json:"id"`
	Date        string `json:"date"`
	Description string `json:"description"`
}

func noticeDocument(base string, n tenders.Notice) Document {
	info := tenders.Notices[n.Kind]
	return Document{ID: "notice-" + strconv.FormatInt(n.ID, 10), DocumentType: info.DocumentType, Title: n.Name(),
		Description: fmt.Sprintf("%s under the Procurement Act 2023 (%s)", info.Name, info.Section), URL: fmt.Sprintf("%s/notices/%d", base, n.ID),
		DatePublished: stamp(n.PublishedAt), Format: "text/html", Language: "en"}
}

// procurementMethod maps the Act's procedure types to the OCDS method
// codelist: competitive flexible may limit who is invited to tender
// (selective); a direct award is direct.
func procurementMethod(p string) string {
	switch p {
	case tenders.ProcFlexible:
		return "selective"
	case tenders.ProcDirectAward:
		return "direct"
	}
	return "open"
}

// contractStatus is pending until the buyer enters into the contract
// (after the standstill), then active, or terminated.
func contractStatus(c contracts.Contract) string {
	switch {
	case c.TerminatedAt != nil:
		return "terminated"
	case c.EnteredAt == nil:
		return "pending"
	}
	return "active"
}

func stampPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return stamp(*t)
}

// addNotices puts a tender's notices into its releases: the tender notice
// on the tender, the award notice on the award, the rest on the contract.
func addNotices(base string, ns []tenders.Notice, ten *Tender, award *Award, c *Contract, tags *[]string) {
	seen := map[string]bool{}
	for _, n := range ns {
		d := noticeDocument(base, n)
		switch n.Kind {
		case tenders.NoticeTender:
			if ten != nil {
				ten.Documents = append(ten.Documents, d)
			}
		case tenders.NoticeAward:
			if award != nil {
				award.Documents = append(award.Documents, d)
			}
		default:
			if c == nil {
				continue
			}
			c.Documents = append(c.Documents, d)
			if n.Kind == tenders.NoticeChange {
				desc := n.Title
				for _, f := range n.Facts {
					if f.Label == "Change" {
						desc = f.Value
					}
				}
				c.Amendments = append(c.Amendments, Amendment{ID: d.ID, Date: d.DatePublished, Description: desc})
			}
			if tag := tenders.Notices[n.Kind].ReleaseTag; tags != nil && tag != "contract" && !seen[tag] {
				seen[tag] = true
				*tags = append(*tags, tag)
			}
		}
	}
}
