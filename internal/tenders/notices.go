package tenders

import "time"

// Notice kinds the lifecycle publishes, by the Central Digital Platform's
// notice numbers (Find a Tender: UK4 tender notice, UK6 contract award
// notice, UK7 contract details notice, UK9 contract performance notice,
// UK10 contract change notice, UK11 contract termination notice).
const (
	NoticeTender      = "UK4"
	NoticeAward       = "UK6"
	NoticeDetails     = "UK7"
	NoticePerformance = "UK9"
	NoticeChange      = "UK10"
	NoticeTermination = "UK11"
)

// NoticeInfo describes a notice kind: its name, the section of the Act
// that requires it, and how it appears in OCDS (the release tag and the
// document type from the OCDS 1.1 codelists).
type NoticeInfo struct {
	Name         string
	Section      string
	ReleaseTag   string
	DocumentType string
}

// Notices describes every notice kind.
var Notices = map[string]NoticeInfo{
	NoticeTender:      {"Tender notice", "section 21", "tender", "tenderNotice"},
	NoticeAward:       {"Contract award notice", "section 50", "award", "awardNotice"},
	NoticeDetails:     {"Contract details notice", "section 53", "contract", "contractNotice"},
	NoticePerformance: {"Contract performance notice", "section 71", "implementation", "physicalProgressReport"},
	NoticeChange:      {"Contract change notice", "section 75", "contractAmendment", "contractNotice"},
	NoticeTermination: {"Contract termination notice", "section 80", "contractTermination", "contractNotice"},
}

// Fact is one labelled line of a notice, as published.
type Fact struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Notice is a published notice with the facts it published, frozen.
type Notice struct {
	ID          int64
	Kind        string
	TenderID    int64
	ContractID  int64 // 0 for tender-stage notices
	Title       string
	Facts       []Fact
	PublishedAt time.Time
}

// Name is the notice's kind in words, with its number: "UK6: Contract award notice".
func (n Notice) Name() string { return n.Kind + ": " + Notices[n.Kind].Name }

// Section is the section of the Act requiring the notice.
func (n Notice) Section() string { return Notices[n.Kind].Section }
