package spend

import "strings"

// A payee no register, creditor file or directory entry matched can be
// looked up with the Companies House search API (the adapter is
// internal/companieshouse; the job is in internal/app). What a search
// returns is judged here.

// CompanyHit is one company a Companies House name search returned.
type CompanyHit struct {
	Number   string // company_number
	Name     string // title
	Status   string // company_status: active, dissolved, liquidation …
	Type     string // company_type: ltd, plc, llp, private-limited-guarant-nsc …
	Postcode string // address.postal_code of the registered office
	Created  string // date_of_creation, YYYY-MM-DD
}

// Active reports whether the company is active on the register.
func (h CompanyHit) Active() bool { return strings.EqualFold(h.Status, "active") }

// CompanyChoice is what a search means for a payee: the company most like
// it, how alike (1 for the same normalised name), and whether it places
// the payee without asking a person.
type CompanyChoice struct {
	Hit   CompanyHit
	Score float64
	Place bool
}

// ChooseCompany judges a search's hits for a payee. A payee is placed when
// exactly one active company has its normalised name (or, failing that,
// exactly one is the most alike at AutoMatchThreshold or more): two such
// companies are a question for a person, as is anything less alike down
// to CandidateThreshold or a company that is not active. It returns false
// when no hit is alike enough to propose.
func ChooseCompany(payee string, hits []CompanyHit) (CompanyChoice, bool) {
	key := NormaliseSupplier(payee)
	if key == "" || len(hits) == 0 {
		return CompanyChoice{}, false
	}
	pt := trigrams(payee)
	score := func(h CompanyHit) float64 {
		if NormaliseSupplier(h.Name) == key {
			return 1
		}
		return dice(pt, trigrams(h.Name))
	}
	best, bestScore := -1, 0.0
	activeBest, activeScore, activeTies := -1, 0.0, 0
	for i, h := range hits {
		sc := score(h)
		// Ties go to an active company, then to the search's own order.
		if sc > bestScore || (sc == bestScore && best >= 0 && h.Active() && !hits[best].Active()) {
			best, bestScore = i, sc
		}
		if !h.Active() {
			continue
		}
		switch {
		case sc > activeScore:
			activeBest, activeScore, activeTies = i, sc, 1
		case sc == activeScore && activeBest >= 0:
			activeTies++
		}
	}
	if activeBest >= 0 && activeScore >= AutoMatchThreshold && activeTies == 1 {
		return CompanyChoice{Hit: hits[activeBest], Score: activeScore, Place: true}, true
	}
	if best < 0 || bestScore < CandidateThreshold {
		return CompanyChoice{}, false
	}
	return CompanyChoice{Hit: hits[best], Score: bestScore}, true
}

// companyTypes name the search API's company_type values as the bulk
// file's CompanyCategory does, so a company found by search is classified
// like one loaded from the register (RegisterEntry.VCSE).
var companyTypes = map[string]string{
	"ltd":                         "Private Limited Company",
	"plc":                         "Public Limited Company",
	"llp":                         "Limited Liability Partnership",
	"limited-partnership":         "Limited Partnership",
	"private-unlimited":           "Private Unlimited Company",
	"private-unlimited-nsc":       "Private Unlimited Company",
	"private-limited-guarant-nsc": "PRI/LBG/NSC (Private, Limited by guarantee, no share capital)",
	"private-limited-guarant-nsc-limited-exemption": "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' exemption)",
	"private-limited-shares-section-30-exemption":   "PRI/LTD BY SHR/SECT 30 (Private, limited by shares, exempt under section 30)",
	"charitable-incorporated-organisation":          "Charitable Incorporated Organisation",
	"scottish-charitable-incorporated-organisation": "Scottish Charitable Incorporated Organisation",
	"registered-society-non-jurisdictional":         "Registered Society",
	"industrial-and-provident-society":              "Industrial and Provident Society",
	"royal-charter":                                 "Royal Charter Company",
	"old-public-company":                            "Old Public Company",
	"oversea-company":                               "Overseas Entity",
	"uk-establishment":                              "UK Establishment",
}

// CompanyCategory names a search hit's category as the bulk file would: a
// company whose name ends "CIC" or "Community Interest Company" is one
// (the search does not give the subtype, but the law requires the ending).
func CompanyCategory(h CompanyHit) string {
	n := strings.ToUpper(strings.TrimSpace(strings.TrimRight(h.Name, ". ")))
	if strings.HasSuffix(n, " CIC") || strings.HasSuffix(n, " C.I.C") || strings.HasSuffix(n, "COMMUNITY INTEREST COMPANY") {
		return "Community Interest Company"
	}
	if c, ok := companyTypes[h.Type]; ok {
		return c
	}
	return strings.ReplaceAll(h.Type, "-", " ")
}

// CompanyStatusLabel writes a search status as the bulk file does
// ("active" is "Active", "voluntary-arrangement" "Voluntary Arrangement").
func CompanyStatusLabel(s string) string {
	words := strings.Fields(strings.ReplaceAll(s, "-", " "))
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}
