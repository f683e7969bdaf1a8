package web

import (
	"math/big"
	"net/http"
	"strconv"

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
}

// moneyTotal is a sum in one price year.
type moneyTotal struct {
	PriceYear, Committed, Verified string
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
		m.Discounted = append(m.Discounted, moneyTotal{PriceYear: t.PriceYear, Committed: roundPounds(t.Pence)})
	}
}

// dashboardMoney is the social value in pounds of the commitments in a
// dashboard's scope, by measure.
func (s *Server) dashboardMoney(r *http.Request, f store.DashFilter) (*contractMoney, error) {
	totals, values, err := s.Store.DashboardMoney(r.Context(), f)
	if err != nil {
		return nil, err
	}
	items := make([]moneyItem, len(totals))
	for i, t := range totals {
		items[i] = moneyItem{MeasureID: t.MeasureID, Wording: t.Wording, Unit: t.Unit, CommittedMilli: t.CommittedMilli, VerifiedMilli: t.VerifiedMilli}
	}
	return s.money(r, items, values)
}

// money prices each item by its measure's unit value, exactly, and totals
// them per price year; with a price index loaded, it also moves both
// totals into the index's latest year.
func (s *Server) money(r *http.Request, items []moneyItem, values map[int64]framework.UnitValue) (*contractMoney, error) {
	var committed, verified []proxies.Priced
	m := &contractMoney{}
	for _, it := range items {
		uv, ok := values[it.MeasureID]
		if !ok {
			m.Unpriced++
			continue
		}
		pw, vw := proxies.Worth(it.CommittedMilli, uv.Pence, uv.PriceYear), proxies.Worth(it.VerifiedMilli, uv.Pence, uv.PriceYear)
		committed, verified = append(committed, pw), append(verified, vw)
		m.Rows = append(m.Rows, moneyRow{Wording: it.Wording, Unit: it.Unit, UnitValue: roundPounds(big.NewRat(uv.Pence, 1)),
			PriceYear: uv.PriceYear, Source: uv.Source, Promised: roundPounds(pw.Pence), Verified: roundPounds(vw.Pence)})
	}
	if len(m.Rows) == 0 {
		return m, nil
	}
	cy, vy := proxies.ByPriceYear(committed), proxies.ByPriceYear(verified)
	for i := range cy {
		m.ByYear = append(m.ByYear, moneyTotal{PriceYear: cy[i].PriceYear, Committed: roundPounds(cy[i].Pence), Verified: roundPounds(vy[i].Pence)})
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
	m.Index = ct.Index
	return m, nil
}

// deliveryValueHeader names the delivery CSV's columns in pounds: the
// unit value (pence), the year whose prices it is in, committed and
// verified worth (pence, rounded half away from zero to the penny) and
// where the unit value comes from. They are empty for a commitment with no
// unit value.
var deliveryValueHeader = []string{"unit_value_pence", "price_year", "committed_value_pence", "verified_value_pence", "unit_value_source"}

func deliveryValues(m contracts.Commitment, values map[int64]framework.UnitValue) []string {
	uv, ok := values[m.MeasureID]
	if !ok {
		return make([]string, len(deliveryValueHeader))
	}
	pence := func(milli int64) string {
		return proxies.RoundHalfAway(proxies.Worth(milli, uv.Pence, uv.PriceYear).Pence).String()
	}
	return []string{strconv.FormatInt(uv.Pence, 10), uv.PriceYear, pence(m.QuantityMilli), pence(m.VerifiedMilli), uv.Source}
}
