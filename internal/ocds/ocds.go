// Package ocds builds Open Contracting Data Standard 1.1 release packages
// from the hub's tenders, awards and contracts: one release per stage
// (tender, award, contract) of each contracting process, sharing its ocid.
package ocds

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/tenders"
)

// Input is what a package is built from.
type Input struct {
	Prefix    string // ocid prefix, e.g. "ocds-svhub"
	BaseURL   string
	Publisher string
	Tenders   []tenders.Tender
	Awards    map[int64]AwardInfo // by tender id
	Contracts map[int64]contracts.Contract
	Orgs      map[int64]orgs.Organisation
	// Commitments are each contract's social value commitments with their
	// verified delivery, by contract id; UnitValues are the unit values of
	// each contract's measures, by contract id then measure id.
	Commitments map[int64][]contracts.Commitment
	UnitValues  map[int64]map[int64]framework.UnitValue
	// Notices are the published Procurement Act notices (notices.go).
	Notices []tenders.Notice
	// Tenderers are the organisations that bid, by tender id; only
	// awarded tenders past their deadline have them published (delivery.go).
	Tenderers map[int64][]int64
	// KPIs (with their assessments) and residents' concerns (with the
	// buyer's responses), by contract id.
	KPIs     map[int64][]contracts.KPI
	Concerns map[int64][]contracts.Concern
	Now      time.Time
}

// AwardInfo is the award of one tender.
type AwardInfo struct {
	SupplierID int64
	ValuePence int64
	DecidedAt  time.Time
}

// Package is an OCDS release package.
type Package struct {
	URI           string    `json:"uri"`
	Version       string    `json:"version"`
	PublishedDate string    `json:"publishedDate"`
	Publisher     Publisher `json:"publisher"`
	License       string    `json:"license,omitempty"`
	Extensions    []string  `json:"extensions,omitempty"`
	Releases      []Release `json:"releases"`
}

// Publisher names who publishes the package.
type Publisher struct {
	Name string `json:"name"`
	URI  string `json:"uri,omitempty"`
}

// Release is one stage of a contracting process.
type Release struct {
	OCID           string     `json:"ocid"`
	ID             string     `json:"id"`
	Date           string     `json:"date"`
	Tag            []string   `json:"tag"`
	InitiationType string     `json:"initiationType"`
	Language       string     `json:"language"`
	Parties        []Party    `json:"parties"`
	Buyer          *OrgRef    `json:"buyer,omitempty"`
	Tender         *Tender    `json:"tender,omitempty"`
	Awards         []Award    `json:"awards,omitempty"`
	Contracts      []Contract `json:"contracts,omitempty"`
}

// Party is an organisation taking part.
type Party struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Address    *Address    `json:"address,omitempty"`
	Roles      []string    `json:"roles"`
}

// Identifier is an org-id.guide identifier.
type Identifier struct {
	Scheme    string `json:"scheme"`
	ID        string `json:"id"`
	LegalName string `json:"legalName,omitempty"`
}

// Address is a party's address.
type Address struct {
	Locality    string `json:"locality,omitempty"`
	Region      string `json:"region,omitempty"`
	PostalCode  string `json:"postalCode,omitempty"`
	CountryName string `json:"countryName"`
}

// OrgRef points at a party.
type OrgRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Value is an amount of money.
type Value struct {
	Amount   Pounds `json:"amount"`
	Currency string `json:"currency"`
}

// Pounds is an amount held in integer pence and written as a JSON number
// of pounds with two decimals (123456 pence is 1234.56), so no float ever
// holds it. OCDS and 360Giving amounts are JSON numbers in the currency's
// unit.
type Pounds int64

// String is the amount in pounds with two decimals, like "-12.05".
func (p Pounds) String() string {
	sign, u := "", uint64(p)
	if p < 0 {
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// MarshalJSON writes the amount as a JSON number of pounds.
func (p Pounds) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads a JSON number of pounds with at most two decimals.
func (p *Pounds) UnmarshalJSON(b []byte) error {
	s := string(b)
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if len(frac) > 2 || whole == "" || strings.Trim(whole+frac, "0123456789") != "" {
		return fmt.Errorf("amount %s is not a number of pounds with at most two decimals", s)
	}
	frac += strings.Repeat("0", 2-len(frac))
	pence, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return fmt.Errorf("amount %s: %w", s, err)
	}
	if neg {
		pence = -pence
	}
	*p = Pounds(pence)
	return nil
}

// Period is a span of time.
type Period struct {
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

// Classification is a CPV code.
type Classification struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
}

// Item is what is bought.
type Item struct {
	ID             string          `json:"id"`
	Description    string          `json:"description"`
	Classification *Classification `json:"classification,omitempty"`
	RelatedLot     string          `json:"relatedLot,omitempty"` // Lots extension (lots.go)
}

// Tender is the tender stage.
type Tender struct {
	ID                   string  `json:"id"`
	Title                string  `json:"title"`
	Description          string  `json:"description"`
	Status               string  `json:"status"`
	ProcuringEntity      *OrgRef `json:"procuringEntity,omitempty"`
	Value                *Value  `json:"value,omitempty"`
	ProcurementMethod    string  `json:"procurementMethod"`
	AwardCriteria        string  `json:"awardCriteria"`
	AwardCriteriaDetails string  `json:"awardCriteriaDetails"`
	TenderPeriod         *Period `json:"tenderPeriod,omitempty"`
	Items                []Item  `json:"items,omitempty"`
	NumberOfTenderers    *int    `json:"numberOfTenderers,omitempty"`
	// Tenderers are named only after award (delivery.go).
	Tenderers []OrgRef `json:"tenderers,omitempty"`
	// The Act's procedure (notices.go): procurementMethodDetails names it,
	// mainProcurementCategory is goods, services or works.
	ProcurementMethodDetails string     `json:"procurementMethodDetails,omitempty"`
	MainProcurementCategory  string     `json:"mainProcurementCategory,omitempty"`
	Documents                []Document `json:"documents,omitempty"`
	// Lots are a tender's lots (the Lots extension, lots.go).
	Lots []Lot `json:"lots,omitempty"`
}

// Award is the award stage.
type Award struct {
	ID        string     `json:"id"`
	Status    string     `json:"status"`
	Date      string     `json:"date"`
	Title     string     `json:"title,omitempty"`
	Value     *Value     `json:"value,omitempty"`
	Suppliers []OrgRef   `json:"suppliers"`
	Documents []Document `json:"documents,omitempty"`
	// RelatedLots names the lot awarded (the Lots extension, lots.go).
	RelatedLots []string `json:"relatedLots,omitempty"`
}

// Contract is the contract stage.
type Contract struct {
	ID      string  `json:"id"`
	AwardID string  `json:"awardID"`
	Title   string  `json:"title"`
	Status  string  `json:"status"`
	Period  *Period `json:"period,omitempty"`
	Value   *Value  `json:"value,omitempty"`
	// DateSigned is when the buyer entered into the contract, after the
	// standstill; Documents are its notices and Amendments its changes.
	DateSigned string      `json:"dateSigned,omitempty"`
	Documents  []Document  `json:"documents,omitempty"`
	Amendments []Amendment `json:"amendments,omitempty"`
	// Implementation carries the social value commitments (see
	// implementation.go and docs/procurement.md).
	Implementation *Implementation `json:"implementation,omitempty"`
}

// money converts pence to an OCDS amount in pounds.
func money(p int64) *Value { return &Value{Amount: Pounds(p), Currency: "GBP"} }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// PartyID is the party id of an organisation: its org-id.guide identifier
// when it has a Companies House or charity number, else a hub id.
func PartyID(o orgs.Organisation) string {
	if id := identifier(o); id != nil {
		return id.Scheme + "-" + id.ID
	}
	return "svhub-org-" + strconv.FormatInt(o.ID, 10)
}

func identifier(o orgs.Organisation) *Identifier {
	switch {
	case o.CompanyNumber != "":
		return &Identifier{Scheme: "GB-COH", ID: o.CompanyNumber, LegalName: o.LegalName}
	case o.CharityNumber != "":
		return &Identifier{Scheme: "GB-CHC", ID: o.CharityNumber, LegalName: o.LegalName}
	}
	return nil
}

func party(o orgs.Organisation, roles ...string) Party {
	p := Party{ID: PartyID(o), Name: o.LegalName, Identifier: identifier(o), Roles: roles}
	if len(o.Sites) > 0 {
		s := o.Sites[0]
		p.Address = &Address{Locality: s.DistrictName, Region: "Greater Manchester", PostalCode: s.Postcode, CountryName: "United Kingdom"}
	}
	return p
}

func ref(o orgs.Organisation) *OrgRef { return &OrgRef{ID: PartyID(o), Name: o.LegalName} }

func tenderStatus(s string) string {
	switch s {
	case tenders.Published, tenders.Closed, tenders.Evaluated:
		return "active"
	case tenders.Awarded:
		return "complete"
	case tenders.Cancelled:
		return "cancelled"
	}
	return "planning"
}

// Build makes the package. Drafts are never included.
func Build(in Input) (Package, error) {
	pkg := Package{URI: in.BaseURL + "/ocds.json", Version: "1.1", PublishedDate: stamp(in.Now), Publisher: Publisher{Name: in.Publisher, URI: in.BaseURL},
		License: "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}
	notices := map[int64][]tenders.Notice{}
	for _, n := range in.Notices {
		notices[n.TenderID] = append(notices[n.TenderID], n)
	}
	lotsOf := lotsByTender(in.Tenders) // lots.go
	for _, t := range in.Tenders {
		if t.Status == tenders.Draft || t.IsLot() { // a lot is part of its tender's contracting process
			continue
		}
		buyer, ok := in.Orgs[t.BuyerOrgID]
		if !ok {
			return pkg, fmt.Errorf("ocds: tender %d: buyer %d not loaded", t.ID, t.BuyerOrgID)
		}
		ocid := fmt.Sprintf("%s-%d", in.Prefix, t.ID)
		published := t.CreatedAt
		if t.PublishedAt != nil {
			published = *t.PublishedAt
		}
		ten := &Tender{ID: strconv.FormatInt(t.ID, 10), Title: t.Title, Description: t.Description, Status: tenderStatus(t.Status), ProcuringEntity: ref(buyer),
			Value: money(t.ValuePence), ProcurementMethod: "open", AwardCriteria: "ratedCriteria",
			AwardCriteriaDetails: fmt.Sprintf("Price %d%%, quality %d%%, social value %d%% (weighted by People's Weights)", t.WPrice, t.WQuality, t.WSV),
			TenderPeriod:         &Period{StartDate: stamp(published), EndDate: stamp(t.Deadline)}}
		if t.CPV != "" {
			ten.Items = []Item{{ID: "1", Description: t.Title, Classification: &Classification{Scheme: "CPV", ID: t.CPV}}}
		}
		if t.Procedure != "" {
			ten.ProcurementMethod, ten.ProcurementMethodDetails = procurementMethod(t.Procedure), tenders.ProcedureLabel(t.Procedure)
		}
		if t.ContractType != "" {
			ten.MainProcurementCategory = t.ContractType
		}
		addNotices(in.BaseURL, notices[t.ID], ten, nil, nil, nil)
		lots := lotsOf[t.ID]
		if len(lots) > 0 {
			addLots(&pkg, ten, lots) // lots.go
		} else if !t.Sealed(in.Now) {
			n := t.BidCount
			ten.NumberOfTenderers = &n
		}
		tag := "tender"
		if t.Status == tenders.Cancelled {
			tag = "tenderCancellation"
		}
		base := Release{OCID: ocid, InitiationType: "tender", Language: "en", Buyer: ref(buyer)}
		rel := base
		rel.ID, rel.Date, rel.Tag, rel.Tender = ocid+"-tender", stamp(published), []string{tag}, ten
		rel.Parties = []Party{party(buyer, "buyer", "procuringEntity")}
		pkg.Releases = append(pkg.Releases, rel)
		if len(lots) == 0 {
			if err := awardStages(in, &pkg, base, ten, t, "", notices[t.ID], in.Tenderers[t.ID]); err != nil {
				return pkg, err
			}
			continue
		}
		var bidders []int64 // every lot's, named in each lot's award release
		for _, l := range lots {
			bidders = append(bidders, in.Tenderers[l.ID]...)
		}
		for _, l := range lots {
			if err := awardStages(in, &pkg, base, ten, l, lotID(l), notices[l.ID], bidders); err != nil {
				return pkg, err
			}
		}
	}
	// Newest first reads best; order is otherwise immaterial to OCDS.
	slices.SortStableFunc(pkg.Releases, func(a, b Release) int {
		if a.Date == b.Date {
			return 0
		}
		if a.Date > b.Date {
			return -1
		}
		return 1
	})
	if len(pkg.Releases) == 0 {
		return pkg, fmt.Errorf("ocds: there are no published tenders to export (a release package needs at least one release)")
	}
	return pkg, nil
}

// awardStages adds the award and contract releases of t (a tender, or lot
// of ten's tender), sharing base's ocid. lot is "" for a tender without
// lots; bidders are the organisations named as tenderers.
func awardStages(in Input, pkg *Package, base Release, ten *Tender, t tenders.Tender, lot string, ns []tenders.Notice, bidders []int64) error {
	ocid := base.OCID
	aw, ok := in.Awards[t.ID]
	if !ok || t.Sealed(in.Now) { // bidders are sealed until the deadline, winners too
		return nil
	}
	buyer, ok := in.Orgs[t.BuyerOrgID]
	if !ok {
		return fmt.Errorf("ocds: tender %d: buyer %d not loaded", t.ID, t.BuyerOrgID)
	}
	sup, ok := in.Orgs[aw.SupplierID]
	if !ok {
		return fmt.Errorf("ocds: tender %d: supplier %d not loaded", t.ID, aw.SupplierID)
	}
	parties := []Party{party(buyer, "buyer", "procuringEntity"), party(sup, "supplier", "tenderer")}
	awardID, relSuffix := ocid+"-award-1", ""
	if lot != "" {
		awardID, relSuffix = ocid+"-award-"+lot, "-"+lot
	}
	award := Award{ID: awardID, Status: "active", Date: stamp(aw.DecidedAt), Value: money(aw.ValuePence), Suppliers: []OrgRef{*ref(sup)}}
	if lot != "" {
		award.Title, award.RelatedLots = t.LotLabel(), []string{lot}
	}
	addNotices(in.BaseURL, ns, nil, &award, nil, nil)
	rel := base
	rel.ID, rel.Date, rel.Tag, rel.Parties, rel.Awards = ocid+"-award"+relSuffix, stamp(aw.DecidedAt), []string{"award"}, parties, []Award{award}
	tenCopy := *ten
	{
		refs, more, err := tenderers(append([]int64{aw.SupplierID}, bidders...), in.Orgs)
		if err != nil {
			return fmt.Errorf("ocds: tender %d: %w", t.ID, err)
		}
		tenCopy.Tenderers = refs
		n := len(refs)
		tenCopy.NumberOfTenderers = &n
		parties = mergeParties(parties, more)
		rel.Parties = parties
	}
	rel.Tender = &tenCopy
	pkg.Releases = append(pkg.Releases, rel)
	c, ok := in.Contracts[t.ID]
	if !ok {
		return nil
	}
	rel = base
	rel.ID, rel.Date, rel.Tag, rel.Parties = ocid+"-contract"+relSuffix, stamp(c.CreatedAt), []string{"contract"}, parties
	rel.Awards = []Award{award}
	impl, err := implementation(c, in.Commitments[c.ID], in.UnitValues[c.ID], in.Now)
	if err != nil {
		return fmt.Errorf("ocds: contract %d: %w", c.ID, err)
	}
	if kpis := kpiMetrics(in.KPIs[c.ID]); len(kpis) > 0 {
		if impl == nil {
			impl = &Implementation{}
		}
		impl.Metrics = append(impl.Metrics, kpis...)
	}
	if impl != nil {
		pkg.extend(MetricsExtension)
	}
	oc := Contract{ID: fmt.Sprintf("%s-contract-%d", ocid, c.ID), AwardID: awardID, Title: c.Title, Status: contractStatus(c), DateSigned: stampPtr(c.EnteredAt),
		Period: &Period{StartDate: c.Start + "T00:00:00Z", EndDate: c.End + "T23:59:59Z"}, Value: money(c.ValuePence), Implementation: impl}
	addNotices(in.BaseURL, ns, nil, nil, &oc, &rel.Tag)
	oc.Documents = append(oc.Documents, concernDocuments(in.BaseURL, c.ID, in.Concerns[c.ID])...)
	for _, d := range oc.Documents {
		if d.DatePublished > rel.Date {
			rel.Date = d.DatePublished // the release is as new as its latest notice
		}
	}
	rel.Contracts = []Contract{oc}
	pkg.Releases = append(pkg.Releases, rel)
	return nil
}
