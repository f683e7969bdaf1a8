package spend

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// SupplierSpend is what a buyer paid one payee spelling in a period.
type SupplierSpend struct {
	Name          string
	VATNumber     string
	CompanyNumber string
	Redacted      bool
	NetPence      int64
	Payments      int
}

// Org is a directory organisation as supplier matching needs it.
type Org struct {
	ID            int64
	Name          string
	Slug          string // directory organisations only
	TradingNames  string
	CompanyNumber string
	VATNumber     string
	Kind          string
	Size          string
	Districts     []string // of its sites: a district code, "" for a site known to be outside GM, "?" for one not placed
	Wards         []string // of its sites, beside Districts ("" when not known)
	Source        string   // "" for the directory, else the register it came from
	Register      bool     // a public register's entry (ID is minus the entry's id)
	IMDDecile     int      // the most deprived decile of its placed sites; 0 if none placed
	SIC           string   // SIC 2007 codes
	Confirmed     []string // supplier keys a person confirmed as this organisation
	// Payees are payee spellings known to be this organisation because a
	// buyer's creditor file gave them its supplier id.
	Payees []string
	// OtherNames are previous or trading names (a register's previous
	// names; a creditor file's other spellings), matched like Name.
	OtherNames []string
}

// Location classes, per the CLES "based or branched" rule.
const (
	InDistrict = "district"
	InGM       = "gm" // elsewhere in Greater Manchester
	OutsideGM  = "outside"
	Unknown    = "unknown"
)

// Supplier is a resolved supplier in a report.
type Supplier struct {
	Key       string   `json:"key"`
	Name      string   `json:"name"`
	NetPence  int64    `json:"net_pence"`
	Payments  int      `json:"payments"`
	Location  string   `json:"location"`
	SME       string   `json:"sme"`  // yes | no | unknown
	VCSE      string   `json:"vcse"` // yes | no | unknown
	OrgID     int64    `json:"org_id,omitempty"`
	MatchedBy string   `json:"matched_by,omitempty"` // supplier id | vat | company | name | confirmed by a person
	IMDDecile int      `json:"imd_decile,omitempty"` // of its most deprived placed site
	District  string   `json:"district,omitempty"`   // its site in the buyer's district, else its first GM site
	Ward      string   `json:"ward,omitempty"`       // the ward of that site
	Sector    string   `json:"sector,omitempty"`     // SIC 2007 section
	Spellings []string `json:"spellings,omitempty"`  // payee names as paid
}

// Share is an amount and its share of the total.
type Share struct {
	Pence int64   `json:"pence"`
	Share float64 `json:"share"`
}

// Report is the CLES-style analysis of a buyer's spend.
type Report struct {
	TotalNetPence int64            `json:"total_net_pence"`
	Payments      int              `json:"payments"`
	Suppliers     int              `json:"suppliers"`
	RedactedPence int64            `json:"redacted_pence"`
	Location      map[string]Share `json:"location"` // district, gm, outside, unknown
	SME           map[string]Share `json:"sme"`      // yes, no, unknown
	VCSE          map[string]Share `json:"vcse"`
	// Deprivation: spend with suppliers in the 10% and 20% most deprived
	// neighbourhoods of England (IMD 2019), and with suppliers not placed.
	Deprivation map[string]Share `json:"deprivation"` // decile_1, deciles_1_2, not_placed
	Top         []Supplier       `json:"top"`
	// ByDistrict sums spend with suppliers placed in each GM district.
	ByDistrict map[string]int64 `json:"by_district"`
	// ByWard sums spend with suppliers by the ward of the site that places
	// them in ByDistrict.
	ByWard map[string]int64 `json:"by_ward"`
	// BySector sums spend by the SIC 2007 section of matched suppliers.
	BySector    map[string]int64 `json:"by_sector"`
	TopLocation map[string]Share `json:"top_location"`
	// Known says how much of the spend is placed and classified;
	// PlacedShare repeats its placed share, and Provisional (with
	// LocationNote in words) is set when that is under ProvisionalBelow:
	// the location shares are then not findings.
	Known        Coverage `json:"known"`
	PlacedShare  float64  `json:"placed_share"`
	Provisional  bool     `json:"provisional"`
	LocationNote string   `json:"location_note,omitempty"`
}

// BuildReport groups payee spellings into suppliers (normalised name; VAT
// and company numbers link spellings to organisations), classifies each by
// the organisation's sites, and sums the shares. orgs may hold register
// entries before directory organisations: later entries win a tie, so the
// directory's own profile is preferred. Suppliers matched to nothing are
// reported as unknown, never as non-local.
func BuildReport(rows []SupplierSpend, orgs []Org, buyerDistrict string, gm map[string]bool, top int) Report {
	byVAT, byCompany, byName, confirmed := map[string]*Org{}, map[string]*Org{}, map[string]*Org{}, map[string]*Org{}
	byPayee := map[string]*Org{}
	for i := range orgs {
		o := &orgs[i]
		for _, k := range o.Confirmed {
			confirmed[k] = o
		}
		for _, p := range o.Payees {
			byPayee[p] = o
		}
		for _, n := range o.OtherNames {
			if k := NormaliseSupplier(n); k != "" && byName[k] == nil {
				byName[k] = o
			}
		}
		if v := digits(o.VATNumber); v != "" {
			byVAT[v] = o
		}
		if c := strings.ToUpper(strings.TrimSpace(o.CompanyNumber)); c != "" {
			byCompany[c] = o
		}
		byName[NormaliseSupplier(o.Name)] = o
		for _, t := range strings.Split(o.TradingNames, ",") {
			if t = strings.TrimSpace(t); t != "" {
				byName[NormaliseSupplier(t)] = o
			}
		}
	}
	// match finds the organisation a payee spelling is, and how.
	var auto map[string]autoMatch
	match := func(r SupplierSpend, key string) (*Org, string) {
		switch v, c := digits(r.VATNumber), strings.ToUpper(strings.TrimSpace(r.CompanyNumber)); {
		case byPayee[r.Name] != nil:
			return byPayee[r.Name], "supplier id"
		case v != "" && byVAT[v] != nil:
			return byVAT[v], "vat"
		case c != "" && byCompany[c] != nil:
			return byCompany[c], "company"
		case byName[key] != nil:
			return byName[key], "name"
		case confirmed[key] != nil:
			return confirmed[key], "confirmed by a person"
		case auto[key].org != nil:
			return auto[key].org, "similar name (" + Percent(auto[key].score) + " alike)"
		}
		return nil, ""
	}
	// Payees nothing matched exactly are compared by name similarity.
	keys := make([]string, len(rows))
	unmatched := map[string]int64{}
	for i, r := range rows {
		if r.Redacted {
			continue
		}
		keys[i] = NormaliseSupplier(r.Name)
		if o, _ := match(r, keys[i]); o == nil {
			unmatched[keys[i]] += r.NetPence
		}
	}
	auto = autoMatches(unmatched, orgs)
	sups := map[string]*Supplier{}
	best := map[string]int64{} // the most-paid spelling names the supplier
	rep := Report{}
	for i, r := range rows {
		rep.TotalNetPence += r.NetPence
		rep.Payments += r.Payments
		key := keys[i]
		name := r.Name
		var o *Org
		var how string
		if r.Redacted {
			key, name = "redacted", "Redacted payee"
			rep.RedactedPence += r.NetPence
		} else if o, how = match(r, key); o != nil {
			// Every spelling matched to one organisation is one supplier.
			key = "org-" + strconv.FormatInt(o.ID, 10)
		}
		s, ok := sups[key]
		if !ok {
			s = &Supplier{Key: key, Name: name, Location: Unknown, SME: "unknown", VCSE: "unknown"}
			sups[key] = s
			if o != nil {
				s.MatchedBy = how
				classify(s, o, buyerDistrict, gm)
				if o.ID > 0 {
					s.Name = o.Name
				}
			}
		}
		s.NetPence += r.NetPence
		s.Payments += r.Payments
		if !r.Redacted && !slices.Contains(s.Spellings, r.Name) {
			s.Spellings = append(s.Spellings, r.Name)
		}
		// A directory organisation goes by its own name; anyone else by the
		// spelling paid the most.
		if !r.Redacted && r.NetPence > best[key] && (o == nil || o.ID <= 0) {
			best[key], s.Name = r.NetPence, r.Name
		}
	}
	list := make([]Supplier, 0, len(sups))
	for _, s := range sups {
		list = append(list, *s)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].NetPence != list[j].NetPence {
			return list[i].NetPence > list[j].NetPence
		}
		return list[i].Key < list[j].Key
	})
	rep.Suppliers = len(list)
	rep.ByDistrict, rep.ByWard, rep.BySector = map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, sp := range list {
		if sp.District != "" {
			rep.ByDistrict[sp.District] += sp.NetPence
		}
		if sp.Ward != "" {
			rep.ByWard[sp.Ward] += sp.NetPence
		}
		sector := sp.Sector
		if sector == "" {
			sector = "Not known"
		}
		rep.BySector[sector] += sp.NetPence
	}
	rep.Deprivation = map[string]Share{}
	var d1, d12, none, all int64
	for _, sp := range list {
		all += sp.NetPence
		switch {
		case sp.IMDDecile == 0:
			none += sp.NetPence
		case sp.IMDDecile == 1:
			d1 += sp.NetPence
			d12 += sp.NetPence
		case sp.IMDDecile == 2:
			d12 += sp.NetPence
		}
	}
	for k, v := range map[string]int64{"decile_1": d1, "deciles_1_2": d12, "not_placed": none} {
		sh := 0.0
		if all != 0 {
			sh = float64(v) / float64(all)
		}
		rep.Deprivation[k] = Share{Pence: v, Share: sh}
	}
	rep.Known = coverage(list)
	rep.PlacedShare, rep.Provisional, rep.LocationNote = rep.Known.PlacedShare, rep.Known.PlacedShare < ProvisionalBelow, ProvisionalNote(rep.Known.PlacedShare)
	rep.Location, rep.SME, rep.VCSE = shares(list, func(s Supplier) string { return s.Location }), shares(list, func(s Supplier) string { return s.SME }), shares(list, func(s Supplier) string { return s.VCSE })
	if top > 0 && len(list) > top {
		list = list[:top]
	}
	rep.Top = list
	rep.TopLocation = shares(list, func(s Supplier) string { return s.Location })
	return rep
}

func classify(s *Supplier, o *Org, buyerDistrict string, gm map[string]bool) {
	s.OrgID = o.ID
	s.IMDDecile = o.IMDDecile
	s.Sector = Sector(o.SIC)
	s.Location = Unknown
	ward := func(i int) string {
		if i < len(o.Wards) {
			return o.Wards[i]
		}
		return ""
	}
	for i, d := range o.Districts {
		switch {
		case d != "" && d == buyerDistrict:
			if s.Location != InDistrict {
				s.Location, s.District, s.Ward = InDistrict, d, ward(i)
			}
		case gm[d] && s.Location != InDistrict:
			s.Location = InGM
			if s.District == "" {
				s.District, s.Ward = d, ward(i)
			}
		}
	}
	if s.Location == Unknown && len(o.Districts) > 0 {
		outside := true
		for _, d := range o.Districts {
			outside = outside && d == ""
		}
		if outside {
			// Every site is known to be outside Greater Manchester ("" is
			// such a site; a site that could not be placed is "?").
			s.Location = OutsideGM
		}
	}
	switch o.Size {
	case "micro", "small", "medium":
		s.SME = "yes"
	case "large":
		s.SME = "no"
	}
	switch o.Kind {
	case "vcse":
		s.VCSE = "yes"
	case "":
		s.VCSE = "unknown"
	default:
		s.VCSE = "no"
	}
	switch {
	case strings.HasSuffix(o.Source, " file"): // the buyer's creditor file
		s.MatchedBy += " (" + o.Source + ")"
	case o.Source != "":
		s.MatchedBy += " (" + o.Source + " register)"
	}
}

func shares(list []Supplier, class func(Supplier) string) map[string]Share {
	sum := map[string]int64{}
	var total int64
	for _, s := range list {
		sum[class(s)] += s.NetPence
		total += s.NetPence
	}
	out := map[string]Share{}
	for k, v := range sum {
		sh := 0.0
		if total != 0 {
			sh = float64(v) / float64(total)
		}
		out[k] = Share{Pence: v, Share: sh}
	}
	return out
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ServiceSpend is spend in one service area.
type ServiceSpend struct {
	Service  string `json:"service"`
	NetPence int64  `json:"net_pence"`
	Payments int    `json:"payments"`
}

// YearSpend is spend in one period ("2024-05" for a month, "2024/25" for a
// financial year).
type YearSpend struct {
	Year     string `json:"year"`
	NetPence int64  `json:"net_pence"`
	Payments int    `json:"payments"`
}

// FinancialYears folds monthly totals ("YYYY-MM") into UK financial years
// running April to March, labelled like 2024/25, in order.
func FinancialYears(months []YearSpend) []YearSpend {
	var out []YearSpend
	index := map[string]int{}
	for _, m := range months {
		if len(m.Year) < 7 {
			continue
		}
		y, errY := strconv.Atoi(m.Year[:4])
		mo, errM := strconv.Atoi(m.Year[5:7])
		if errY != nil || errM != nil {
			continue
		}
		if mo < 4 {
			y--
		}
		label := fmt.Sprintf("%d/%02d", y, (y+1)%100)
		i, ok := index[label]
		if !ok {
			index[label] = len(out)
			out = append(out, YearSpend{Year: label})
			i = len(out) - 1
		}
		out[i].NetPence += m.NetPence
		out[i].Payments += m.Payments
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Year < out[b].Year })
	return out
}
