package web

import (
	"math/big"
	"net/http"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
)

// moneyRow is one commitment in pounds.
type moneyRow struct {
	Wording, Unit      string
	UnitValue          string // such as £9,800
	PriceYear, Source  string
	Promised, Verified string
	// NetPromised and NetVerified are after the configured deadweight,
	// displacement and attribution (empty when none is configured).
	NetPromised, NetVerified string
}

// moneyTotal is a sum in one price year.
type moneyTotal struct {
	PriceYear, Committed, Verified string
	NetCommitted, NetVerified      string // after the adjustment, when one is configured
}

// contractMoney is a contract's social value in pounds: each commitment
// that has a unit value, the totals for each price year (never added
// across years), and, when a price index is loaded, both totals moved
// into the index's latest year.
type contractMoney struct {
	Rows         []moneyRow
	ByYear       []moneyTotal
	Uplifted     *moneyTotal
	Index        string
	IndexProblem string
	Unpriced     int
	// Discounted is the committed social value at its present value at
	// the contract's start, per price year, when the commitments fall in
	// more than one year of the contract; Rate and RateSource say how.
	Discounted      []moneyTotal
	Rate            string
	RateSource      string
	DiscountProblem string
	// DiscountTo says what the discounted figures are discounted to: the
	// contract's start, or each contract's start on a dashboard.
	DiscountTo string
	// Adjusted says deadweight, displacement or attribution is configured
	// (Adjustment describes it, AdjustmentSource says where it comes from);
	// otherwise Adjustment says the figures are not adjusted.
	Adjusted                     bool
	Adjustment, AdjustmentSource string
}

// net is an exact gross amount after the configured adjustment, to the
// pound, or "" when no adjustment is configured.
func (s *Server) net(pence *big.Rat) string {
	if !s.Adjust.Set() {
		return ""
	}
	return roundPounds(s.Adjust.Net(pence))
}

// netTotal fills a total's net figures from its exact gross ones.
func (s *Server) netTotal(t *moneyTotal, committed, verified *big.Rat) {
	t.NetCommitted = s.net(committed)
	if verified != nil {
		t.NetVerified = s.net(verified)
	}
}

// roundPounds shows an exact amount of pence to the nearest pound.
func roundPounds(pence *big.Rat) string {
	return fund.Pounds(proxies.RoundHalfAway(new(big.Rat).Quo(pence, big.NewRat(100, 1))).Int64() * 100)
}

// moneyItem is a measure's committed and verified quantities.
type moneyItem struct {
	MeasureID                     int64
	Wording, Unit                 string
	CommittedMilli, VerifiedMilli int64
	// Year is the year of the contract the commitment is due in (0 for
	// its first twelve months), or -1 when unknown (dashboards).
	Year int
}

func (s *Server) contractMoney(r *http.Request, c contracts.Contract, cms []contracts.Commitment) (*contractMoney, error) {
	values, err := s.Store.ContractUnitValues(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	items := make([]moneyItem, len(cms))
	for i, cm := range cms {
		year, err := proxies.YearOf(c.Start, cm.Due)
		if err != nil {
			year = -1
		}
		items[i] = moneyItem{MeasureID: cm.MeasureID, Wording: cm.Wording, Unit: cm.Unit, CommittedMilli: cm.QuantityMilli, VerifiedMilli: cm.VerifiedMilli, Year: year}
	}
	m, err := s.money(r, items, values)
	if err != nil {
		return nil, err
	}
	s.discount(m, items, values)
	m.DiscountTo = "the contract's start"
	return m, nil
}

// discount brings the committed social value of a contract with
// commitments due after its first year to its present value
// at the contract start, at the configured rate, per price year. Verified
// delivery is an outturn and is not discounted.
func (s *Server) discount(m *contractMoney, items []moneyItem, values map[int64]framework.UnitValue) {
	var pv []proxies.Priced
	last := 0
	for _, it := range items {
		uv, ok := values[it.MeasureID]
		if !ok {
			continue
		}
		if it.Year < 0 {
			return
		}
		last = max(last, it.Year)
		w := proxies.Worth(it.CommittedMilli, uv.Pence, uv.PriceYear)
		d, err := s.Discount.Discount(w.Pence, it.Year)
		if err != nil {
			m.DiscountProblem = err.Error()
			return
		}
		pv = append(pv, proxies.Priced{Pence: d, PriceYear: w.PriceYear})
	}
	if last == 0 {
		return // everything falls in the first year: nothing to discount
	}
	m.Rate, m.RateSource = s.Discount.Percent(), s.Discount.Source
	for _, t := range proxies.ByPriceYear(pv) {
		mt := moneyTotal{PriceYear: t.PriceYear, Committed: roundPounds(t.Pence)}
		s.netTotal(&mt, t.Pence, nil)
		m.Discounted = append(m.Discounted, mt)
	}
}

// dashboardMoney is the social value in pounds of the commitments in a
// dashboard's scope, by measure, with the committed value discounted to
// each contract's start when commitments fall due after a contract's
// first year.
func (s *Server) dashboardMoney(r *http.Request, f store.DashFilter) (*contractMoney, error) {
	totals, values, err := s.Store.DashboardMoney(r.Context(), f)
	if err != nil {
		return nil, err
	}
	items := make([]moneyItem, len(totals))
	for i, t := range totals {
		items[i] = moneyItem{MeasureID: t.MeasureID, Wording: t.Wording, Unit: t.Unit, CommittedMilli: t.CommittedMilli, VerifiedMilli: t.VerifiedMilli}
	}
	m, err := s.money(r, items, values)
	if err != nil || len(m.Rows) == 0 {
		return m, err
	}
	dated, err := s.Store.DashboardCommitments(r.Context(), f)
	if err != nil {
		return nil, err
	}
	each := make([]moneyItem, len(dated))
	for i, d := range dated {
		year, err := proxies.YearOf(d.Start, d.Due)
		if err != nil {
			year = -1
		}
		each[i] = moneyItem{MeasureID: d.MeasureID, CommittedMilli: d.CommittedMilli, Year: year}
	}
	s.discount(m, each, values)
	m.DiscountTo = "each contract's start"
	return m, nil
}

// money prices each item by its measure's unit value, exactly, and totals
// them per price year; with a price index loaded, it also moves both
// totals into the index's latest year.
func (s *Server) money(r *http.Request, items []moneyItem, values map[int64]framework.UnitValue) (*contractMoney, error) {
	var committed, verified []proxies.Priced
	m := &contractMoney{Adjusted: s.Adjust.Set(), Adjustment: s.Adjust.Describe(), AdjustmentSource: s.Adjust.Source}
	for _, it := range items {
		uv, ok := values[it.MeasureID]
		if !ok {
			m.Unpriced++
			continue
		}
		pw, vw := proxies.Worth(it.CommittedMilli, uv.Pence, uv.PriceYear), proxies.Worth(it.VerifiedMilli, uv.Pence, uv.PriceYear)
		committed, verified = append(committed, pw), append(verified, vw)
		m.Rows = append(m.Rows, moneyRow{Wording: it.Wording, Unit: it.Unit, UnitValue: roundPounds(big.NewRat(uv.Pence, 1)),
			PriceYear: uv.PriceYear, Source: uv.Source, Promised: roundPounds(pw.Pence), Verified: roundPounds(vw.Pence), NetPromised: s.net(pw.Pence), NetVerified: s.net(vw.Pence)})
	}
	if len(m.Rows) == 0 {
		return m, nil
	}
	cy, vy := proxies.ByPriceYear(committed), proxies.ByPriceYear(verified)
	for i := range cy {
		t := moneyTotal{PriceYear: cy[i].PriceYear, Committed: roundPounds(cy[i].Pence), Verified: roundPounds(vy[i].Pence)}
		s.netTotal(&t, cy[i].Pence, vy[i].Pence)
		m.ByYear = append(m.ByYear, t)
	}
	if len(cy) < 2 {
		return m, nil
	}
	indexes, err := s.Store.PriceIndexes(r.Context())
	if err != nil {
		return nil, err
	}
	if len(indexes) == 0 {
		return m, nil
	}
	ix := indexes[0]
	years := ix.SortedYears()
	to := years[len(years)-1]
	ct, err := proxies.Sum(committed, &ix, to)
	if err != nil {
		m.IndexProblem = err.Error()
		return m, nil
	}
	vt, err := proxies.Sum(verified, &ix, to)
	if err != nil {
		m.IndexProblem = err.Error()
		return m, nil
	}
	m.Uplifted = &moneyTotal{PriceYear: to, Committed: roundPounds(ct.Pence), Verified: roundPounds(vt.Pence)}
	s.netTotal(m.Uplifted, ct.Pence, vt.Pence)
	m.Index = ct.Index
	return m, nil
}

// deliveryValueHeader names the delivery CSV's columns in pounds: the
// unit value (pence), the year whose prices it is in, committed and
// verified worth (pence, rounded half away from zero to the penny) and
// where the unit value comes from; then the year of the contract the
// commitment is due in (1 for its first twelve months), the committed
// worth discounted to the contract's start at the rate named beside it,
// the committed and verified worth after the configured deadweight,
// displacement and attribution (empty when none is configured) and what
// that adjustment is. They are empty for a commitment with no unit value.
var deliveryValueHeader = []string{"unit_value_pence", "price_year", "committed_value_pence", "verified_value_pence", "unit_value_source",
	"contract_year", "committed_present_value_pence", "discount_rate_percent", "discount_rate_source", "committed_net_value_pence", "verified_net_value_pence", "adjustment"}

func (s *Server) deliveryValues(c contracts.Contract, m contracts.Commitment, values map[int64]framework.UnitValue) []string {
	v, ok := s.commitmentValue(c, m, values)
	if !ok {
		return make([]string, len(deliveryValueHeader))
	}
	str := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	year := ""
	if v.ContractYear > 0 {
		year = strconv.Itoa(v.ContractYear)
	}
	return []string{strconv.FormatInt(v.UnitValuePence, 10), v.PriceYear, strconv.FormatInt(v.CommittedPence, 10), strconv.FormatInt(v.VerifiedPence, 10), v.Source,
		year, str(v.PresentPence), strings.TrimSuffix(s.Discount.Percent(), "%"), s.Discount.Source, str(v.NetCommittedPence), str(v.NetVerifiedPence), s.adjustmentNote()}
}

// adjustmentNote is the adjustment in words with its source.
func (s *Server) adjustmentNote() string {
	if !s.Adjust.Set() {
		return s.Adjust.Describe()
	}
	return s.Adjust.Describe() + " (" + s.Adjust.Source + ")"
}

// commitmentValue is one commitment's worth in pence, each figure rounded
// half away from zero to the penny from the exact product: gross,
// discounted to the contract's start, and net of the adjustment.
type commitmentValue struct {
	Commitment        int64  `json:"commitment"`
	UnitValuePence    int64  `json:"unit_value_pence"`
	PriceYear         string `json:"price_year"`
	Source            string `json:"unit_value_source"`
	CommittedPence    int64  `json:"committed_value_pence"`
	VerifiedPence     int64  `json:"verified_value_pence"`
	ContractYear      int    `json:"contract_year,omitempty"`
	PresentPence      *int64 `json:"committed_present_value_pence"`
	NetCommittedPence *int64 `json:"committed_net_value_pence"`
	NetVerifiedPence  *int64 `json:"verified_net_value_pence"`
}

func (s *Server) commitmentValue(c contracts.Contract, m contracts.Commitment, values map[int64]framework.UnitValue) (commitmentValue, bool) {
	uv, ok := values[m.MeasureID]
	if !ok {
		return commitmentValue{}, false
	}
	pence := func(r *big.Rat) *int64 {
		p := proxies.RoundHalfAway(r).Int64()
		return &p
	}
	cw, vw := proxies.Worth(m.QuantityMilli, uv.Pence, uv.PriceYear).Pence, proxies.Worth(m.VerifiedMilli, uv.Pence, uv.PriceYear).Pence
	v := commitmentValue{Commitment: m.ID, UnitValuePence: uv.Pence, PriceYear: uv.PriceYear, Source: uv.Source, CommittedPence: *pence(cw), VerifiedPence: *pence(vw)}
	if t, err := proxies.YearOf(c.Start, m.Due); err == nil {
		v.ContractYear = t + 1
		if d, err := s.Discount.Discount(cw, t); err == nil {
			v.PresentPence = pence(d)
		}
	}
	if s.Adjust.Set() {
		v.NetCommittedPence, v.NetVerifiedPence = pence(s.Adjust.Net(cw)), pence(s.Adjust.Net(vw))
	}
	return v, true
}

// apiSocialValue is a contract's commitments in pounds for the JSON API,
// with the discount rate and the adjustment they were worked out with.
type apiSocialValue struct {
	DiscountRatePercent string            `json:"discount_rate_percent"`
	DiscountRateSource  string            `json:"discount_rate_source"`
	Adjustment          string            `json:"adjustment"`
	AdjustmentSource    string            `json:"adjustment_source,omitempty"`
	Commitments         []commitmentValue `json:"commitments"`
}

func (s *Server) apiSocialValue(r *http.Request, c contracts.Contract, cms []contracts.Commitment) (*apiSocialValue, error) {
	values, err := s.Store.ContractUnitValues(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	sv := &apiSocialValue{DiscountRatePercent: strings.TrimSuffix(s.Discount.Percent(), "%"), DiscountRateSource: s.Discount.Source, Adjustment: s.Adjust.Describe(), AdjustmentSource: s.Adjust.Source,
		Commitments: []commitmentValue{}}
	for _, m := range cms {
		if v, ok := s.commitmentValue(c, m, values); ok {
			sv.Commitments = append(sv.Commitments, v)
		}
	}
	return sv, nil
}
