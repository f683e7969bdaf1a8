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
}

// Validate checks a verification, naming each bad field.
func (v Verification) Validate(now time.Time) error {
	var inv problem.Invalid
	if !strings.HasPrefix(v.Evidence, "https://") && !strings.HasPrefix(v.Evidence, "http://") {
		inv.Add("verified_evidence", "Enter the web address of the evidence (the certificate or the accrediting body's register entry), starting https://")
	} else if len(v.Evidence) > 500 {
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
	}
	return "Self-declared"
}
