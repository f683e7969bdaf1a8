package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// MaxSpendUploadBytes bounds one uploaded spend file.
const MaxSpendUploadBytes = 64 << 20

func (s *Server) spendRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /spend", h(s.spendAnalysis))
	mux.Handle("GET /spend/report.json", h(s.spendReportJSON))
	mux.Handle("GET /spend/suppliers.csv", h(s.spendSuppliersCSV))
	mux.Handle("GET /spend/suppliers", h(s.spendSuppliers))
	mux.Handle("GET /spend/suppliers/{key}", h(s.spendSupplier))
	mux.Handle("GET /spend/upload", h(s.spendUploadForm))
	mux.Handle("POST /spend/upload", h(s.spendUpload))
	mux.Handle("GET /spend/uploads/{id}", h(s.spendUploadPage))
	mux.Handle("POST /spend/uploads/{id}/cancel", h(s.cancelSpendUpload))
	mux.Handle("GET /spend/uploads/{id}/columns", h(s.spendMappingForm))
	mux.Handle("POST /spend/uploads/{id}/columns", h(s.spendMapping))
	mux.Handle("GET /spend/runs/{id}/rejects.csv", h(s.spendRejectsCSV))
	mux.Handle("GET /spend/creditors", h(s.spendCreditorsForm))
	mux.Handle("POST /spend/creditors", h(s.spendCreditorsUpload))
	mux.Handle("GET /spend/resolve", h(s.spendResolve))
	mux.Handle("POST /spend/resolve", h(s.spendDecide))
	mux.Handle("POST /spend/resolve/{id}/undo", h(s.spendUndo))
	mux.Handle("POST /spend/companies-house", h(s.searchCompaniesHouse))
	mux.Handle("POST /spend/companies-house/{id}", h(s.decideCompaniesHouse))
	mux.Handle("GET /spend/surveys", h(s.surveysPage))
	mux.Handle("POST /spend/surveys", h(s.createSurvey))
	mux.Handle("GET /spend/surveys/{id}", h(s.surveyPage))
	mux.Handle("GET /spend/surveys/{id}/answer/{key}", h(s.surveyAnswerForm))
	mux.Handle("POST /spend/surveys/{id}/answer/{key}", h(s.answerSurvey))
}

type location struct {
	Key, Label string
	Share      spend.Share
}

var locationLabels = []struct{ Key, Label string }{
	{spend.InDistrict, "Based or branched in the buyer's district"},
	{spend.InGM, "Elsewhere in Greater Manchester"},
	{spend.OutsideGM, "Outside Greater Manchester"},
	{spend.Unknown, "Unknown: not yet matched to an organisation, or not placed"},
}

// spendView is a buyer and period chosen on the spend pages, with the
// report for it.
type spendView struct {
	Buyer    orgs.Organisation
	Buyers   []orgs.Organisation
	From, To string
	// Service and ExpenseType narrow the analysis; Services and Types are
	// the buyer's choices for them (listed only when short enough for a
	// drop-down), ServiceCount and TypeCount how many there are.
	Service, ExpenseType    string
	Services, Types         []string
	ServiceCount, TypeCount int
	Report                  spend.Report
	ByService               []spend.ServiceSpend
	// key and gen name the kept report; built is it, so the page and JSON
	// bodies made from it can be kept with it.
	key   spendReportKey
	gen   int64
	built builtSpend
	// all is every buyer's generations summed (store.SpendGenerations.All),
	// which moves with any change to the buyers or any report.
	all int64
}

// maxChoices is the longest list offered as a drop-down; a buyer with more
// service areas or categories (Trafford's file has thousands of free-text
// purposes) gets a text box instead of a page of options.
const maxChoices = 200

// TypeServices and TypeCategories say whether the choices are typed.
func (v spendView) TypeServices() bool   { return v.ServiceCount > maxChoices }
func (v spendView) TypeCategories() bool { return v.TypeCount > maxChoices }

func (v spendView) filter() store.SpendFilter {
	return store.SpendFilter{BuyerIDs: []int64{v.Buyer.ID}, From: v.From, To: v.To, Service: v.Service, ExpenseType: v.ExpenseType}
}

// loadSpendView reads the buyer and period from the query and builds the
// report; ok is false when no spend has been imported. The buyers, their
// filter choices and the built report are kept until the data generation
// moves, so a repeated request reads only the generations (one query).
func (s *Server) loadSpendView(r *http.Request, top int) (spendView, bool, error) {
	var v spendView
	q := r.URL.Query()
	gens, err := s.spendReports.gens.get(r.Context(), s.Store.SpendGenerations) // shared with requests arriving together (freshread.go)
	if err != nil {
		return v, false, err
	}
	v.all = gens.All()
	if v.Buyers, err = s.spendBuyers(r, v.all); err != nil {
		return v, false, err
	}
	if len(v.Buyers) == 0 {
		return v, false, nil
	}
	v.Buyer = v.Buyers[0]
	for _, b := range v.Buyers {
		if b.Slug == q.Get("buyer") {
			v.Buyer = b
		}
	}
	v.From, v.To = q.Get("from"), q.Get("to")
	v.Service, v.ExpenseType = q.Get("service"), q.Get("category")
	gen := gens.Of(v.Buyer.ID)
	choicesKey := spendReportKey{buyer: v.Buyer.ID, top: choicesTop}
	b, ok := s.spendReports.get(choicesKey, gen)
	services, types := b.serviceChoices, b.typeChoices
	if !ok {
		if services, types, err = s.Store.SpendChoiceLists(r.Context(), v.Buyer.ID, maxChoices); err != nil {
			return v, false, err
		}
		s.spendReports.put(choicesKey, builtSpend{generation: gen, serviceChoices: services, typeChoices: types})
	}
	v.Services, v.ServiceCount, v.Types, v.TypeCount = services.Values, services.Count, types.Values, types.Count
	from, to := v.From, v.To
	if from == "" {
		from = "1990-01-01"
	}
	if to == "" {
		to = "2100-12-31"
	}
	v.key, v.gen = spendReportKey{buyer: v.Buyer.ID, from: from, to: to, service: v.Service, expenseType: v.ExpenseType, top: top}, gen
	// A report is only ever kept for filters that passed the checks below,
	// at this generation, so a kept one needs no checking again.
	if b, ok := s.spendReports.get(v.key, gen); ok {
		v.From, v.To = from, to
		v.Report, v.ByService, v.built = b.report, b.services, b
		return v, true, nil
	}
	known := func(field, value string) (bool, error) {
		if value == "" {
			return true, nil
		}
		return s.Store.HasSpendChoice(r.Context(), v.Buyer.ID, field, value)
	}
	okService, err := known(store.SpendChoiceService, v.Service)
	if err != nil {
		return v, false, err
	}
	okType, err := known(store.SpendChoiceCategory, v.ExpenseType)
	if err != nil {
		return v, false, err
	}
	var inv problem.Invalid
	if !okService {
		msg := "Choose a service area this body has paid from"
		if v.TypeServices() {
			msg = "Enter a service area exactly as this body's files name it"
		}
		inv.Add("service", "%s", msg)
	}
	if !okType {
		msg := "Choose a category this body has paid for"
		if v.TypeCategories() {
			msg = "Enter a category exactly as this body's files name it"
		}
		inv.Add("category", "%s", msg)
	}
	for _, d := range []struct{ field, label, val string }{{"from", "the first day of the period", v.From}, {"to", "the last day of the period", v.To}} {
		if d.val != "" {
			if _, err := time.Parse(time.DateOnly, d.val); err != nil {
				inv.Add(d.field, "Enter %s as a date like 2026-04-01", d.label)
			}
		}
	}
	if err := inv.Err(); err != nil {
		return v, true, err
	}
	v.From, v.To = from, to
	v.built, err = s.spendReports.build(r.Context(), v.key, gen, func() (builtSpend, error) {
		b := builtSpend{generation: gen}
		var err error
		if _, b.report, err = s.buyerReport(r, v.Buyer, v.filter(), top); err != nil {
			return b, err
		}
		// Keep the top suppliers only, not every supplier behind them
		// (nor the payee rows): about half of what an entry would hold.
		b.report.Top = slices.Clone(b.report.Top)
		b.services, err = s.Store.SpendByService(r.Context(), v.filter())
		return b, err
	})
	if err != nil {
		return v, true, err
	}
	v.Report, v.ByService = v.built.report, v.built.services
	return v, true, nil
}

// spendBuyers lists the public bodies with spend, kept while every buyer's
// generations summed stay at all (an import for a new body moves the sum,
// and so does any change to an organisation or its sites).
func (s *Server) spendBuyers(r *http.Request, all int64) ([]orgs.Organisation, error) {
	if buyers, ok := s.spendReports.getBuyers(all); ok {
		return buyers, nil
	}
	ids, err := s.Store.SpendBuyers(r.Context())
	if err != nil {
		return nil, err
	}
	var buyers []orgs.Organisation
	for _, id := range ids {
		o, err := s.Store.OrganisationByID(r.Context(), id)
		if err != nil {
			return nil, err
		}
		buyers = append(buyers, o)
	}
	s.spendReports.putBuyers(all, buyers)
	return buyers, nil
}

// buyerReport builds the CLES report for one buyer: its supplier rows for
// the filter, classified against the buyer's home district.
func (s *Server) buyerReport(r *http.Request, buyer orgs.Organisation, f store.SpendFilter, top int) ([]spend.SupplierSpend, spend.Report, error) {
	rows, err := s.Store.SpendBySupplier(r.Context(), f)
	if err != nil {
		return nil, spend.Report{}, err
	}
	orgList, err := s.Store.SupplierCandidatesFor(r.Context(), rows)
	if err != nil {
		return nil, spend.Report{}, err
	}
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return nil, spend.Report{}, err
	}
	gm := map[string]bool{}
	home := ""
	for _, d := range districts {
		gm[d.Code] = true
	}
	for _, st := range buyer.Sites {
		if st.Kind == "registered_office" && st.DistrictCode != "" {
			home = st.DistrictCode
		}
	}
	if home == "" {
		for _, d := range districts {
			if strings.Contains(strings.ToLower(buyer.LegalName), strings.ToLower(d.Name)) {
				home = d.Code
			}
		}
	}
	return rows, spend.BuildReport(rows, orgList, home, gm, top), nil
}

func (s *Server) spendReportJSON(w http.ResponseWriter, r *http.Request) error {
	v, ok, err := s.loadSpendView(r, 300)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no spend imported: %w", problem.ErrNotFound)
	}
	body := v.built.json
	if body == nil {
		imd, err := s.spendIMD(r)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"buyer": v.Buyer.LegalName, "from": v.From, "to": v.To, "report": v.Report, "by_service": v.ByService, "imd_edition": imd}); err != nil {
			return fmt.Errorf("spend report: %w", err)
		}
		body = buf.Bytes()
		b := v.built
		b.json = body
		s.spendReports.put(v.key, b)
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="spend-%s.json"`, v.Buyer.Slug))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}

func (s *Server) spendAnalysis(w http.ResponseWriter, r *http.Request) error {
	v, ok, err := s.loadSpendView(r, 50)
	q := r.URL.Query()
	p := &page{Title: "Where the money goes", Form: q, Data: map[string]any{"Buyers": v.Buyers, "Buyer": v.Buyer, "View": v, "Body": nil}} // the report only once a body and period are chosen
	if err != nil {
		var inv *problem.Invalid
		if !errors.As(err, &inv) {
			return err
		}
		p.Errors = inv
		if p.Data["Main"], err = s.renderPart("spend", "spend-main", p); err != nil {
			return err
		}
		return s.invalid(w, r, inv, "spend", p)
	}
	if !ok {
		if p.Data["Main"], err = s.renderPart("spend", "spend-main", p); err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "spend", p)
		return nil
	}
	body := v.built.page
	if body == nil {
		if body, err = s.spendPageBody(r, v); err != nil {
			return err
		}
		b := v.built
		b.page = body
		s.spendReports.put(v.key, b)
	}
	p.Data["Body"] = body
	// The main part shows the buyers (kept under every buyer's generations
	// summed), the report (v.key, at a buyer's generation, which moves the
	// sum) and the form's values: the report's filters are in v.key, the
	// period as typed is not (an empty one and the default are one report).
	key := spendMainKey{report: v.key, from: q.Get("from"), to: q.Get("to")}
	if p.Data["Main"], err = cachedGen(&s.spendReports.mainMu, &s.spendReports.mains, v.all, key, func() (template.HTML, error) { return s.renderPart("spend", "spend-main", p) }); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "spend", p)
	return nil
}

// spendMainKey names a rendered main part of /spend (spendAnalysis).
type spendMainKey struct {
	report   spendReportKey
	from, to string
}

type districtSpend struct {
	District, Name string
	Pence          int64
	Share          float64
}

type sectorSpend struct {
	Sector string
	Pence  int64
}

// spendBody is what the report part of the /spend page shows: the
// "spend-report" and "spend-top" templates' data.
type spendBody struct {
	Buyer              orgs.Organisation
	Report             spend.Report
	Sources            []store.SpendRun
	Locations          []location
	Chart              string
	Years              []spend.YearSpend
	Sectors            []sectorSpend
	Services           []spend.ServiceSpend
	ByDistrict, ByWard []districtSpend
	MapData, WardData  string
	IMD                string
}

// spendPageBody renders the report part of the /spend page: everything in
// it depends only on the buyer, period, filters and data generation (the
// districts, wards and deprivation edition move the hub's generation), so
// it is rendered once and kept with the built report.
func (s *Server) spendPageBody(r *http.Request, v spendView) (*spendPageBody, error) {
	d := spendBody{Buyer: v.Buyer, Report: v.Report, Services: v.ByService}
	type bar struct {
		Title  string
		Weight float64
	}
	var bars []bar
	for _, l := range locationLabels {
		d.Locations = append(d.Locations, location{l.Key, l.Label, v.Report.Location[l.Key]})
		bars = append(bars, bar{l.Label, v.Report.Location[l.Key].Share})
	}
	chart, _ := json.Marshal(bars)
	d.Chart = string(chart)
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return nil, err
	}
	var placed int64
	for _, p := range v.Report.ByDistrict {
		placed += p
	}
	for _, dist := range districts {
		ds := districtSpend{District: dist.Code, Name: dist.Name, Pence: v.Report.ByDistrict[dist.Code]}
		if placed > 0 {
			ds.Share = float64(ds.Pence) / float64(placed)
		}
		d.ByDistrict = append(d.ByDistrict, ds)
	}
	if d.Years, err = s.Store.SpendByYear(r.Context(), v.Buyer.ID); err != nil {
		return nil, err
	}
	if d.Sources, err = s.Store.SpendSources(r.Context(), v.Buyer.ID); err != nil {
		return nil, err
	}
	for k, pence := range v.Report.BySector {
		d.Sectors = append(d.Sectors, sectorSpend{k, pence})
	}
	sort.Slice(d.Sectors, func(i, j int) bool {
		if d.Sectors[i].Pence != d.Sectors[j].Pence {
			return d.Sectors[i].Pence > d.Sectors[j].Pence
		}
		return d.Sectors[i].Sector < d.Sectors[j].Sector
	})
	wardNames, err := s.Store.WardNames(r.Context())
	if err != nil {
		return nil, err
	}
	for code, pence := range v.Report.ByWard {
		ds := districtSpend{District: code, Name: wardNames[code], Pence: pence}
		if placed > 0 {
			ds.Share = float64(pence) / float64(placed)
		}
		d.ByWard = append(d.ByWard, ds)
	}
	sort.Slice(d.ByWard, func(i, j int) bool {
		if d.ByWard[i].Pence != d.ByWard[j].Pence {
			return d.ByWard[i].Pence > d.ByWard[j].Pence
		}
		return d.ByWard[i].District < d.ByWard[j].District
	})
	wardData, _ := json.Marshal(d.ByWard)
	mapData, _ := json.Marshal(d.ByDistrict)
	d.WardData, d.MapData = string(wardData), string(mapData)
	if d.IMD, err = s.spendIMD(r); err != nil {
		return nil, err
	}
	head, err := s.renderPart("spend", "spend-report", d)
	if err != nil {
		return nil, err
	}
	top, err := s.renderPart("spend", "spend-top", d)
	if err != nil {
		return nil, err
	}
	return &spendPageBody{Head: head, Top: top}, nil
}

// resolveLimit bounds the candidates shown at once; deciding some brings
// the next into view.
const resolveLimit = 50
