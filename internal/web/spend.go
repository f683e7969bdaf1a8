package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
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
// payee rows and report for it.
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
	Rows                    []spend.SupplierSpend
	Report                  spend.Report
	ByService               []spend.ServiceSpend
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
// report; ok is false when no spend has been imported.
func (s *Server) loadSpendView(r *http.Request, top int) (spendView, bool, error) {
	var v spendView
	q := r.URL.Query()
	ids, err := s.Store.SpendBuyers(r.Context())
	if err != nil {
		return v, false, err
	}
	for _, id := range ids {
		o, err := s.Store.OrganisationByID(r.Context(), id)
		if err != nil {
			return v, false, err
		}
		v.Buyers = append(v.Buyers, o)
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
	gen, err := s.Store.SpendGeneration(r.Context(), v.Buyer.ID)
	if err != nil {
		return v, false, err
	}
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
	if v.From == "" {
		v.From = "1990-01-01"
	}
	if v.To == "" {
		v.To = "2100-12-31"
	}
	key := spendReportKey{buyer: v.Buyer.ID, from: v.From, to: v.To, service: v.Service, expenseType: v.ExpenseType, top: top}
	if b, ok := s.spendReports.get(key, gen); ok {
		v.Rows, v.Report, v.ByService = b.rows, b.report, b.services
		return v, true, nil
	}
	if v.Rows, v.Report, err = s.buyerReport(r, v.Buyer, v.filter(), top); err != nil {
		return v, true, err
	}
	if v.ByService, err = s.Store.SpendByService(r.Context(), v.filter()); err != nil {
		return v, true, err
	}
	s.spendReports.put(key, builtSpend{generation: gen, rows: v.Rows, report: v.Report, services: v.ByService})
	return v, true, nil
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
	services := v.ByService
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="spend-%s.json"`, v.Buyer.Slug))
	imd, err := s.spendIMD(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"buyer": v.Buyer.LegalName, "from": v.From, "to": v.To, "report": v.Report, "by_service": services, "imd_edition": imd})
	return nil
}

func (s *Server) spendAnalysis(w http.ResponseWriter, r *http.Request) error {
	v, ok, err := s.loadSpendView(r, 50)
	p := &page{Title: "Where the money goes", Form: r.URL.Query(), Data: map[string]any{"Buyers": v.Buyers, "Buyer": v.Buyer, "View": v, "Report": nil}} // the report only once a body and period are chosen
	if err != nil {
		return s.invalid(w, r, err, "spend", p)
	}
	if !ok {
		s.render(w, r, http.StatusOK, "spend", p)
		return nil
	}
	var locs []location
	type bar struct {
		Title  string
		Weight float64
	}
	var bars []bar
	for _, l := range locationLabels {
		locs = append(locs, location{l.Key, l.Label, v.Report.Location[l.Key]})
		bars = append(bars, bar{l.Label, v.Report.Location[l.Key].Share})
	}
	chart, _ := json.Marshal(bars)
	services := v.ByService
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return err
	}
	type districtSpend struct {
		District, Name string
		Pence          int64
		Share          float64
	}
	var placed int64
	for _, p := range v.Report.ByDistrict {
		placed += p
	}
	var byDistrict []districtSpend
	for _, d := range districts {
		ds := districtSpend{District: d.Code, Name: d.Name, Pence: v.Report.ByDistrict[d.Code]}
		if placed > 0 {
			ds.Share = float64(ds.Pence) / float64(placed)
		}
		byDistrict = append(byDistrict, ds)
	}
	years, err := s.Store.SpendByYear(r.Context(), v.Buyer.ID)
	if err != nil {
		return err
	}
	p.Data["Years"] = years
	sources, err := s.Store.SpendSources(r.Context(), v.Buyer.ID)
	if err != nil {
		return err
	}
	p.Data["Sources"] = sources
	type sectorSpend struct {
		Sector string
		Pence  int64
	}
	var sectors []sectorSpend
	for k, v := range v.Report.BySector {
		sectors = append(sectors, sectorSpend{k, v})
	}
	sort.Slice(sectors, func(i, j int) bool {
		if sectors[i].Pence != sectors[j].Pence {
			return sectors[i].Pence > sectors[j].Pence
		}
		return sectors[i].Sector < sectors[j].Sector
	})
	p.Data["Sectors"] = sectors
	wardNames, err := s.Store.WardNames(r.Context())
	if err != nil {
		return err
	}
	var byWard []districtSpend
	for code, pence := range v.Report.ByWard {
		ds := districtSpend{District: code, Name: wardNames[code], Pence: pence}
		if placed > 0 {
			ds.Share = float64(pence) / float64(placed)
		}
		byWard = append(byWard, ds)
	}
	sort.Slice(byWard, func(i, j int) bool {
		if byWard[i].Pence != byWard[j].Pence {
			return byWard[i].Pence > byWard[j].Pence
		}
		return byWard[i].District < byWard[j].District
	})
	wardData, _ := json.Marshal(byWard)
	p.Data["ByWard"], p.Data["WardData"] = byWard, string(wardData)
	mapData, _ := json.Marshal(byDistrict)
	p.Data["ByDistrict"], p.Data["MapData"] = byDistrict, string(mapData)
	p.Data["Buyer"], p.Data["Report"], p.Data["Locations"], p.Data["Chart"], p.Data["Services"] = v.Buyer, v.Report, locs, string(chart), services
	if p.Data["IMD"], err = s.spendIMD(r); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "spend", p)
	return nil
}

// resolveLimit bounds the candidates shown at once; deciding some brings
// the next into view.
const resolveLimit = 50
