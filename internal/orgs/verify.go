package orgs

import (
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Verification is a hub administrator's check of an accreditation against
// the accrediting body's evidence: a link to the certificate or register
// entry, the date it was checked and the date the check runs out (the
// accreditation's own renewal, or a year when the body gives none).
type Verification struct {
	Evidence string // https:// link to the document or register entry
	On       string // YYYY-MM-DD, the day it was checked
	Until    string // YYYY-MM-DD, the last day it counts
	By       string // who verified it, as the audit log names them
	Body     string // the accrediting body's name, when its account verified it
	// Document is the certificate the verifier checked, when uploaded
	// (already checked by content); a link, a document or both.
	Document *Document
}

// Document is an uploaded evidence document.
type Document struct {
	Name    string
	Type    string // content type, from the content
	Size    int64
	SHA256  string // hex
	Content []byte
}

// Validate checks a verification, naming each bad field.
func (v Verification) Validate(now time.Time) error {
	var inv problem.Invalid
	switch {
	case v.Evidence == "" && v.Document == nil:
		inv.Add("verified_evidence", "Enter the web address of the evidence (the certificate or the accrediting body's register entry), starting https://, or upload the certificate")
	case v.Evidence == "":
	case !strings.HasPrefix(v.Evidence, "https://") && !strings.HasPrefix(v.Evidence, "http://"):
		inv.Add("verified_evidence", "Enter the web address of the evidence (the certificate or the accrediting body's register entry), starting https://")
	case len(v.Evidence) > 500:
		inv.Add("verified_evidence", "Evidence address must be 500 characters or fewer")
	}
	on, err := time.Parse(time.DateOnly, v.On)
	if err != nil {
		inv.Add("verified_on", "Enter the date you checked the evidence as YYYY-MM-DD")
	} else if on.After(now) {
		inv.Add("verified_on", "The date checked cannot be in the future")
	}
	until, err := time.Parse(time.DateOnly, v.Until)
	if err != nil {
		inv.Add("verified_until", "Enter the date the accreditation runs out as YYYY-MM-DD")
	} else if !inv.Has("verified_on") && !until.After(on) {
		inv.Add("verified_until", "The expiry date must be after the date checked")
	}
	return inv.Err()
}

// Verified reports whether a hub administrator's check stands on today
// (YYYY-MM-DD): verified, and not past the check's expiry nor the
// accreditation's own. A self-declared accreditation is not verified.
func (a Accreditation) Verified(today string) bool {
	if a.VerifiedOn == "" || a.VerifiedUntil < today {
		return false
	}
	return a.ExpiresOn == "" || a.ExpiresOn >= today
}

// Standing says in plain words whether the accreditation counts.
func (a Accreditation) Standing(today string) string {
	switch {
	case a.Verified(today):
		return "Verified"
	case a.VerifiedOn != "":
		return "Verification expired"
	case a.RejectedOn != "":
		return "Rejected"
	}
	return "Self-declared"
}

// Verifier says in plain words who verified the accreditation: "the hub"
// or the accrediting body by name.
func (a Accreditation) Verifier() string {
	if a.VerifiedBody != "" {
		return a.VerifiedBody
	}
	return "the hub"
}

// Rejecter says in plain words who rejected the accreditation.
func (a Accreditation) Rejecter() string {
	if a.RejectedBy != "" {
		return a.RejectedBy
	}
	return "the hub"
}

// Rejection is a hub administrator's or the accrediting body's finding
// that a claimed accreditation is not borne out, with the reason. It
// clears any verification.
type Rejection struct {
	Reason string
	On     string // YYYY-MM-DD
	Body   string // the accrediting body's name, when its account rejected it (the audit log names the person)
}

// Validate checks a rejection.
func (r Rejection) Validate() error {
	var inv problem.Invalid
	switch n := len(strings.TrimSpace(r.Reason)); {
	case n == 0:
		inv.Add("rejected_reason", "Enter why the accreditation is rejected (for example, the organisation is not on the accrediting body's register); the organisation sees the reason")
	case n > 1000:
		inv.Add("rejected_reason", "The reason must be 1,000 characters or fewer")
	}
	return inv.Err()
}

// AccreditingBody is the directory organisation a hub administrator has
// designated as the accrediting body of a scheme (an accreditation kind):
// its members may verify or reject that scheme's accreditations.
type AccreditingBody struct {
	Kind         string
	OrgID        int64
	OrgName      string
	OrgSlug      string
	DesignatedBy string
	DesignatedAt time.Time
}

// KindLabel is the scheme's name.
func (b AccreditingBody) KindLabel() string { return Label(AccreditationKinds, b.Kind) }

// ClaimedAccreditation is an accreditation with the organisation that
// claims it, for an accrediting body's list.
type ClaimedAccreditation struct {
	Accreditation
	OrgName string
	OrgSlug string
}

// KnownAccreditationKind reports whether kind is one of the schemes.
func KnownAccreditationKind(kind string) bool {
	for _, k := range AccreditationKinds {
		if k.Value == kind {
			return true
		}
	}
	return false
}
