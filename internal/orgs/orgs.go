// Package orgs describes organisations — public bodies, businesses and VCSE
// organisations — with the profile facts later features rely on: sites with
// postcodes, size, sector and social value accreditations.
package orgs

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

// Kinds of organisation.
const (
	PublicBody = "public_body"
	Business   = "business"
	VCSE       = "vcse"
)

// Kinds lists kinds in display order with their labels.
var Kinds = []Option{{PublicBody, "Public body"}, {Business, "Business"}, {VCSE, "VCSE organisation"}}

// Subkinds of VCSE organisation.
var VCSESubkinds = []Option{{"charity", "Charity"}, {"cic", "Community interest company"}, {"community_group", "Community group"}, {"social_enterprise", "Social enterprise"}}

// Sizes follow the Companies Act / EU thresholds used in procurement (SME = micro, small or medium).
var Sizes = []Option{{"micro", "Micro (fewer than 10 staff)"}, {"small", "Small (10 to 49 staff)"}, {"medium", "Medium (50 to 249 staff)"}, {"large", "Large (250 or more staff)"}}

// Option is a value with a label, for selects and radios.
type Option struct{ Value, Label string }

// Label returns the label for value among opts, or value itself.
func Label(opts []Option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// Organisation is a profile in the directory.
type Organisation struct {
	ID            int64
	Slug          string
	Kind          string
	Subkind       string
	LegalName     string
	TradingNames  string
	CompanyNumber string
	CharityNumber string
	VATNumber     string
	Size          string
	Anchor        bool
	SICCodes      string // space-separated SIC 2007 codes
	Description   string
	Website       string
	Verified      bool
	HubModerator  bool // a VCSE infrastructure body trusted to moderate hub needs
	CreatedAt     time.Time
	UpdatedAt     time.Time

	Sites          []Site
	Accreditations []Accreditation
}

// SME reports whether the organisation is micro, small or medium.
func (o Organisation) SME() bool { return o.Size == "micro" || o.Size == "small" || o.Size == "medium" }

// KindLabel is the display name of the kind.
func (o Organisation) KindLabel() string { return Label(Kinds, o.Kind) }

// Site is a registered office or branch.
type Site struct {
	ID           int64
	OrgID        int64
	Kind         string // registered_office | branch
	Label        string
	Postcode     string
	DistrictCode string
	WardCode     string
	LSOACode     string
	DistrictName string
}

// Accreditation kinds.
var AccreditationKinds = []Option{
	{"real_living_wage", "Real Living Wage employer"},
	{"good_employment_charter", "GM Good Employment Charter"},
	{"fair_tax_mark", "Fair Tax Mark"},
	{"carbon_reduction_plan", "Carbon Reduction Plan"},
}

// CharterLevels are the GM Good Employment Charter tiers.
var CharterLevels = []Option{{"supporter", "Supporter"}, {"member", "Member"}}

// Accreditation is a social value credential with its evidence.
type Accreditation struct {
	ID          int64
	OrgID       int64
	Kind        string
	Level       string // charter: supporter | member
	EvidenceURL string // for a Carbon Reduction Plan, the published plan
	AwardedOn   string // YYYY-MM-DD
	ExpiresOn   string // YYYY-MM-DD (Fair Tax Mark)
	TargetYear  int    // Carbon Reduction Plan net-zero year

	// A hub administrator's verification (see Verification); empty while
	// the accreditation is only self-declared.
	VerifiedEvidence string
	VerifiedOn       string
	VerifiedUntil    string
	VerifiedBy       string
	VerifiedBody     string // the accrediting body whose account verified it; empty when the hub did
	VerifiedDocument string // the name of the certificate the verifier uploaded, if any

	// The last rejection (see Rejection), cleared when it is verified.
	RejectedOn     string
	RejectedReason string
	RejectedBy     string // the accrediting body's name; empty when the hub rejected it
}

// KindLabel is the display name of the accreditation.
func (a Accreditation) KindLabel() string { return Label(AccreditationKinds, a.Kind) }

var (
	companyRe = regexp.MustCompile(`^(?:\d{8}|(?:SC|NI|OC|SO|NC|IP|SP|RS|CE|CS)\d{6})$`)
	charityRe = regexp.MustCompile(`^\d{6,7}(?:-\d{1,2})?$|^SC\d{6}$`)
	vatRe     = regexp.MustCompile(`^(?:GB)?\d{9}(?:\d{3})?$`)
	sicRe     = regexp.MustCompile(`^\d{5}$`)
	slugClean = regexp.MustCompile(`[^a-z0-9]+`)
)

// Slugify makes a URL slug from a name.
func Slugify(name string) string {
	s := strings.Trim(slugClean.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 60 {
		s = strings.Trim(s[:60], "-")
	}
	if s == "" {
		s = "organisation"
	}
	return s
}

// Normalise tidies identifiers (upper case, no spaces) before validation.
func (o *Organisation) Normalise() {
	o.LegalName = strings.TrimSpace(o.LegalName)
	o.TradingNames = strings.TrimSpace(o.TradingNames)
	o.CompanyNumber = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(o.CompanyNumber), " ", ""))
	o.CharityNumber = strings.ReplaceAll(strings.TrimSpace(o.CharityNumber), " ", "")
	o.VATNumber = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(o.VATNumber), " ", ""))
	o.SICCodes = strings.Join(strings.Fields(strings.ReplaceAll(o.SICCodes, ",", " ")), " ")
	o.Website = strings.TrimSpace(o.Website)
	o.Description = strings.TrimSpace(o.Description)
	if o.Kind != VCSE {
		o.Subkind = ""
	}
}

// Validate checks a profile, naming each bad field.
func (o Organisation) Validate() error {
	var v problem.Invalid
	if o.LegalName == "" {
		v.Add("legal_name", "Enter the organisation's legal name")
	} else if len(o.LegalName) > 200 {
		v.Add("legal_name", "Legal name must be 200 characters or fewer")
	}
	if Label(Kinds, o.Kind) == o.Kind {
		v.Add("kind", "Select the kind of organisation")
	}
	if o.Kind == VCSE && Label(VCSESubkinds, o.Subkind) == o.Subkind {
		v.Add("subkind", "Select the type of VCSE organisation")
	}
	if o.Size != "" && Label(Sizes, o.Size) == o.Size {
		v.Add("size", "Select a size from the list")
	}
	if o.CompanyNumber != "" && !companyRe.MatchString(o.CompanyNumber) {
		v.Add("company_number", "Companies House number must be 8 digits, or 2 letters and 6 digits, like 01234567 or SC123456")
	}
	if o.CharityNumber != "" && !charityRe.MatchString(o.CharityNumber) {
		v.Add("charity_number", "Charity number must be 6 or 7 digits, like 1012345")
	}
	if o.VATNumber != "" && !vatRe.MatchString(o.VATNumber) {
		v.Add("vat_number", "VAT number must be 9 or 12 digits, optionally starting GB, like GB123456789")
	}
	for _, c := range strings.Fields(o.SICCodes) {
		if !sicRe.MatchString(c) {
			v.Add("sic_codes", "SIC 2007 codes are 5 digits each, like 62020; %q is not", c)
			break
		}
	}
	if o.Website != "" && !strings.HasPrefix(o.Website, "https://") && !strings.HasPrefix(o.Website, "http://") {
		v.Add("website", "Website must start with https:// or http://")
	}
	if len(o.Description) > 5000 {
		v.Add("description", "Description must be 5,000 characters or fewer")
	}
	return v.Err()
}

// Validate checks an accreditation.
func (a Accreditation) Validate(now time.Time) error {
	var v problem.Invalid
	if Label(AccreditationKinds, a.Kind) == a.Kind {
		v.Add("kind", "Select the accreditation")
	}
	if a.Kind == "good_employment_charter" && Label(CharterLevels, a.Level) == a.Level {
		v.Add("level", "Select supporter or member")
	}
	for _, d := range []struct{ field, value string }{{"awarded_on", a.AwardedOn}, {"expires_on", a.ExpiresOn}} {
		if d.value == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.value); err != nil {
			v.Add(d.field, "Enter a real date as YYYY-MM-DD")
		}
	}
	if a.Kind == "fair_tax_mark" && a.ExpiresOn == "" && !v.Has("expires_on") {
		v.Add("expires_on", "Enter when the Fair Tax Mark expires")
	}
	if a.AwardedOn != "" && a.ExpiresOn != "" && !v.Has("awarded_on") && !v.Has("expires_on") && a.ExpiresOn < a.AwardedOn {
		v.Add("expires_on", "Expiry date must be after the award date")
	}
	if a.Kind == "carbon_reduction_plan" {
		if !strings.HasPrefix(a.EvidenceURL, "https://") && !strings.HasPrefix(a.EvidenceURL, "http://") {
			v.Add("evidence_url", "Enter the web address of the published Carbon Reduction Plan")
		}
		if a.TargetYear < now.Year() || a.TargetYear > 2100 {
			v.Add("target_year", "Net-zero target year must be between %d and 2100", now.Year())
		}
	} else if a.EvidenceURL != "" && !strings.HasPrefix(a.EvidenceURL, "https://") && !strings.HasPrefix(a.EvidenceURL, "http://") {
		v.Add("evidence_url", "Evidence link must start with https:// or http://")
	}
	return v.Err()
}

// ParseYear reads an optional year field.
func ParseYear(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// Filter selects directory entries.
type Filter struct {
	Query    string
	Kind     string
	District string
	SME      bool
	Verified bool
	Accred   string
	// SelfDeclared also counts accreditations of kind Accred that the hub
	// has not verified (or whose verification has lapsed); by default
	// only those verified and unexpired on Today count.
	SelfDeclared bool
	Today        string // YYYY-MM-DD
	Limit        int
	Offset       int
}
