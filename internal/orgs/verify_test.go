package orgs

import (
	"strings"
	"testing"
	"time"
)

func TestVerificationValidate(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	ok := Verification{Evidence: "https://www.livingwage.org.uk/accredited", On: "2026-12-07", Until: "2027-12-06"}
	if err := ok.Validate(now); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		v    Verification
		want string
	}{
		{Verification{Evidence: "", On: "2026-12-07", Until: "2027-01-01"}, "web address of the evidence"},
		{Verification{Evidence: "javascript:alert(1)", On: "2026-12-07", Until: "2027-01-01"}, "web address of the evidence"},
		{Verification{Evidence: ok.Evidence, On: "7/12/2026", Until: "2027-01-01"}, "date you checked"},
		{Verification{Evidence: ok.Evidence, On: "2026-12-08", Until: "2027-01-01"}, "cannot be in the future"},
		{Verification{Evidence: ok.Evidence, On: "2026-12-07", Until: ""}, "runs out"},
		{Verification{Evidence: ok.Evidence, On: "2026-12-07", Until: "2026-12-01"}, "after the date checked"},
	} {
		err := c.v.Validate(now)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %q", c.v, err, c.want)
		}
	}
}

func TestAccreditationStanding(t *testing.T) {
	a := Accreditation{Kind: "fair_tax_mark", ExpiresOn: "2027-04-30"}
	if a.Verified("2026-12-07") || a.Standing("2026-12-07") != "Self-declared" {
		t.Fatal("self-declared counted")
	}
	a.VerifiedOn, a.VerifiedUntil = "2026-12-01", "2027-11-30"
	if !a.Verified("2026-12-07") || a.Standing("2026-12-07") != "Verified" {
		t.Fatal("verified not counted")
	}
	if a.Verified("2027-05-01") || a.Standing("2027-05-01") != "Verification expired" {
		t.Fatal("counted after the mark expired")
	}
}
