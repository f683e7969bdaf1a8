package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

func (s *Server) procurementAPIRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /api/v1/tenders", h(s.apiTenders))
	mux.Handle("GET /api/v1/tenders/{id}", h(s.apiTender))
	mux.Handle("GET /api/v1/tenders/{id}/award", h(s.apiAward))
	mux.Handle("GET /api/v1/contracts", h(s.apiContracts))
	mux.Handle("GET /api/v1/contracts/{id}", h(s.apiContract))
	mux.Handle("POST /api/v1/contracts/{id}/reports", h(s.apiSubmitReport))
}

type apiTenderBody struct {
	ID            int64                   `json:"id"`
	Title         string                  `json:"title"`
	Description   string                  `json:"description"`
	Buyer         string                  `json:"buyer"`
	BuyerSlug     string                  `json:"buyer_slug"`
	Status        string                  `json:"status"`
	CPV           string                  `json:"cpv,omitempty"`
	ValuePence    int64                   `json:"value_pence"`
	Deadline      time.Time               `json:"deadline"`
	Weights       tenders.ModelWeights    `json:"weights"`
	Alpha         string                  `json:"alpha"`
	Method        string                  `json:"method"`
	PeopleWeights *int64                  `json:"people_weights_round"`
	Measures      []apiMeasureRef         `json:"measures,omitempty"`
	Criteria      []tenders.EvalCriterion `json:"criteria,omitempty"`
	Gates         []string                `json:"gates"`
	Reservation   string                  `json:"reservation,omitempty"`
	Bids          *int                    `json:"bids,omitempty"` // only once the deadline has passed
}

type apiMeasureRef struct {
	Code     string `json:"code"`
	Wording  string `json:"wording"`
	Unit     string `json:"unit"`
	Priority string `json:"priority"`
}

func toAPITender(t tenders.Tender, now time.Time) apiTenderBody {
	b := apiTenderBody{ID: t.ID, Title: t.Title, Description: t.Description, Buyer: t.BuyerName, BuyerSlug: t.BuyerSlug, Status: t.Status, CPV: t.CPV, ValuePence: t.ValuePence,
		Deadline: t.Deadline.UTC(), Weights: tenders.ModelWeights{Price: t.WPrice, Quality: t.WQuality, SocialValue: t.WSV}, Alpha: tenders.Milli(int64(t.AlphaPercent) * 10),
		Method: t.Method, Gates: t.Gates, Reservation: t.Reservation}
	if b.Gates == nil {
		b.Gates = []string{}
	}
	if t.WeightsRound != 0 {
		r := t.WeightsRound
		b.PeopleWeights = &r
	}
	for _, m := range t.Measures {
		b.Measures = append(b.Measures, apiMeasureRef{m.Code, m.Wording, m.Unit, m.PriorityCode})
	}
	for i, c := range t.Criteria {
		b.Criteria = append(b.Criteria, tenders.EvalCriterion{Key: tenders.CriterionKey(i), Title: c.Title, Weight: c.Weight})
	}
	if !t.Sealed(now) {
		n := t.BidCount
		b.Bids = &n
	}
	return b
}

func (s *Server) apiTenders(w http.ResponseWriter, r *http.Request) error {
	page, per, err := apiPaging(r)
	if err != nil {
		return err
	}
	all, err := s.Store.ListTenders(r.Context(), store.TenderFilter{Public: true, NoLots: true}, s.now()) // a tender's lots are on its page
	if err != nil {
		return err
	}
	if st := r.URL.Query().Get("status"); st != "" {
		var keep []tenders.Tender
		for _, t := range all {
			if t.Status == st {
				keep = append(keep, t)
			}
		}
		all = keep
	}
	items := []apiTenderBody{}
	for i := (page - 1) * per; i < len(all) && i < page*per; i++ {
		items = append(items, toAPITender(all[i], s.now()))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "page": page, "per_page": per, "total": len(all)})
	return nil
}

func (s *Server) apiTender(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	if t.Status == tenders.Draft {
		return fmt.Errorf("tender %d: %w", t.ID, problem.ErrNotFound) // drafts stay off the API
	}
	writeJSON(w, http.StatusOK, toAPITender(t, s.now()))
	return nil
}

// apiAward is the public award: winner and every bid's scores, no content.
func (s *Server) apiAward(w http.ResponseWriter, r *http.Request) error {
	t, aw, e, err := s.awardFor(r)
	if err != nil {
		return err
	}
	type score struct {
		Supplier    string `json:"supplier"`
		Compliant   bool   `json:"compliant"`
		Excluded    string `json:"excluded,omitempty"`
		Rank        int    `json:"rank,omitempty"`
		Price       string `json:"price_score"`
		Quality     string `json:"quality_score"`
		SocialValue string `json:"social_value_score"`
		Total       string `json:"total"`
	}
	scores := []score{}
	for _, x := range e.Results {
		scores = append(scores, score{x.Supplier, x.Compliant, x.Excluded, x.Rank, x.Price, x.Quality, x.SocialValue, x.Total})
	}
	writeJSON(w, http.StatusOK, map[string]any{"tender": t.ID, "supplier": aw.SupplierName, "supplier_slug": aw.SupplierSlug, "value_pence": aw.ValuePence,
		"decided_at": aw.DecidedAt.UTC(), "standstill_end": aw.StandstillEnd, "rationale": aw.Rationale, "contract": aw.ContractID, "scores": scores})
	return nil
}

type apiContractBody struct {
	ID          int64             `json:"id"`
	Tender      int64             `json:"tender"`
	Title       string            `json:"title"`
	Buyer       string            `json:"buyer"`
	Supplier    string            `json:"supplier"`
	ValuePence  int64             `json:"value_pence"`
	Start       string            `json:"start_date"`
	End         string            `json:"end_date"`
	Commitments []apiCommitment   `json:"commitments,omitempty"`
	Verified    []apiVerifiedLine `json:"verified_delivery,omitempty"`
	// SocialValue is the commitments' worth in pounds (contract detail only).
	SocialValue *apiSocialValue `json:"social_value,omitempty"`
}

type apiCommitment struct {
	ID        int64  `json:"id"`
	Measure   string `json:"measure"`
	Wording   string `json:"wording"`
	Unit      string `json:"unit"`
	Priority  string `json:"priority"`
	Committed string `json:"committed"`
	Verified  string `json:"verified"`
	Due       string `json:"due_date"`
	Area      string `json:"area_code,omitempty"`
	Status    string `json:"status"`
}

type apiVerifiedLine struct {
	ID          int64  `json:"id"`
	Commitment  int64  `json:"commitment"`
	Quantity    string `json:"quantity"`
	PeriodStart string `json:"period_start"`
	PeriodEnd   string `json:"period_end"`
	Area        string `json:"area_code,omitempty"`
	Evidence    string `json:"evidence"`
}

func contractBody(c contracts.Contract) apiContractBody {
	return apiContractBody{ID: c.ID, Tender: c.TenderID, Title: c.Title, Buyer: c.BuyerName, Supplier: c.SupplierName, ValuePence: c.ValuePence, Start: c.Start, End: c.End}
}

func (s *Server) apiContracts(w http.ResponseWriter, r *http.Request) error {
	page, per, err := apiPaging(r)
	if err != nil {
		return err
	}
	all, err := s.Store.ListContracts(r.Context(), store.ContractFilter{})
	if err != nil {
		return err
	}
	items := []apiContractBody{}
	for i := (page - 1) * per; i < len(all) && i < page*per; i++ {
		items = append(items, contractBody(all[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "page": page, "per_page": per, "total": len(all)})
	return nil
}

// apiContract shows commitments and only verified delivery: claims awaiting
// verification are not published as delivered.
func (s *Server) apiContract(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contractFor(r)
	if err != nil {
		return err
	}
	b := contractBody(c)
	cms, err := s.Store.Commitments(r.Context(), c.ID)
	if err != nil {
		return err
	}
	for _, m := range cms {
		_, st := contracts.Progress(m, c.Start, s.now())
		b.Commitments = append(b.Commitments, apiCommitment{m.ID, m.MeasureCode, m.Wording, m.Unit, m.PriorityCode, tenders.Milli(m.QuantityMilli), tenders.Milli(m.VerifiedMilli), m.Due, m.AreaCode, st})
	}
	lines, err := s.Store.DeliveryLines(r.Context(), c.ID)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if l.Status == contracts.Verified {
			b.Verified = append(b.Verified, apiVerifiedLine{l.ID, l.CommitmentID, tenders.Milli(l.QuantityMilli), l.PeriodStart, l.PeriodEnd, l.AreaCode, l.Evidence})
		}
	}
	if b.SocialValue, err = s.apiSocialValue(r, c, cms); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

// apiReport is a delivery report as a supplier's system submits it.
type apiReport struct {
	PeriodStart string `json:"period_start"`
	PeriodEnd   string `json:"period_end"`
	Lines       []struct {
		Commitment   int64  `json:"commitment"`
		Quantity     string `json:"quantity"`
		Area         string `json:"area_code"`
		Evidence     string `json:"evidence"`
		Attributable bool   `json:"attributable"`
		Additional   bool   `json:"additional"`
	} `json:"lines"`
}

func (s *Server) apiSubmitReport(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contractFor(r)
	if err != nil {
		return err
	}
	a, err := s.requireSupplier(r, c)
	if err != nil {
		return err
	}
	var in apiReport
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return problem.Field("body", "The body must be a JSON delivery report: %v", err)
	}
	cms, err := s.Store.Commitments(r.Context(), c.ID)
	if err != nil {
		return err
	}
	ok := map[int64]contracts.Commitment{}
	for _, m := range cms {
		ok[m.ID] = m
	}
	v := &problem.Invalid{}
	if err := contracts.ValidReportPeriod(c, in.PeriodStart, in.PeriodEnd); err != nil {
		if inv, isInv := err.(*problem.Invalid); isInv {
			v.Fields = append(v.Fields, inv.Fields...)
		}
	}
	rep := contracts.Report{ContractID: c.ID, PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd}
	if len(in.Lines) == 0 {
		v.Add("lines", "A report needs at least one line")
	}
	for i, l := range in.Lines {
		cm, found := ok[l.Commitment]
		if !found {
			v.Add(fmt.Sprintf("lines[%d].commitment", i), "Commitment %d is not part of contract %d", l.Commitment, c.ID)
			continue
		}
		q, err := tenders.ParseQuantity(l.Quantity)
		if err != nil {
			v.Add(fmt.Sprintf("lines[%d].quantity", i), "Quantity: %s", err)
			continue
		}
		line := contracts.Line{CommitmentID: l.Commitment, QuantityMilli: q, AreaCode: strings.TrimSpace(l.Area), Evidence: strings.TrimSpace(l.Evidence), Attributable: l.Attributable, Additional: l.Additional}
		if err := contracts.ValidateLine(strconv.Itoa(i), fmt.Sprintf("line %d (%s: %s)", i+1, cm.MeasureCode, cm.Wording), line); err != nil {
			if inv, isInv := err.(*problem.Invalid); isInv {
				for _, fe := range inv.Fields {
					v.Add(fmt.Sprintf("lines[%d].%s", i, strings.TrimSuffix(fe.Field, fmt.Sprintf("_%d", i))), "%s", fe.Message)
				}
			}
		}
		rep.Lines = append(rep.Lines, line)
	}
	if err := v.Err(); err != nil {
		return err
	}
	id, err := s.Store.SubmitReport(r.Context(), a, rep, s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"report": id, "lines": len(rep.Lines), "status": "submitted; each line awaits the buyer's verification"})
	return nil
}
