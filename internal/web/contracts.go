package web

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

func (s *Server) contractRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /contracts", h(s.contractList))
	mux.Handle("GET /contracts.csv", h(s.contractsCSV))
	mux.Handle("GET /contracts/delivery.csv", h(s.deliveryCSV))
	mux.Handle("GET /contracts/{id}", h(s.contractPage))
	mux.Handle("GET /contracts/{id}/report", h(s.reportForm))
	mux.Handle("POST /contracts/{id}/report", h(s.submitReport))
	mux.Handle("POST /contracts/{id}/lines/{line}", h(s.decideLine))
	mux.Handle("POST /contracts/{id}/lines/{line}/concerns", h(s.raiseConcern))
	mux.Handle("POST /contracts/{id}/concerns/{c}/response", h(s.respondConcern))
	mux.Handle("GET /ocds.json", h(s.ocdsPackage))
}

func (s *Server) contractList(w http.ResponseWriter, r *http.Request) error {
	f := store.ContractFilter{}
	f.BuyerOrgID, _ = strconv.ParseInt(r.URL.Query().Get("buyer"), 10, 64)
	f.SupplierOrgID, _ = strconv.ParseInt(r.URL.Query().Get("supplier"), 10, 64)
	v, err := s.contractsDashboard(r, f) // tenders_cache.go
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "contracts", &page{Title: "Contracts and social value delivered", Data: map[string]any{"D": v.d, "Scope": v.scope, "Body": v.body}})
	return nil
}

// contractsView is what the contracts dashboard shows for a filter: the
// totals, the scope's name, and the dashboard, its worth and the newest
// contracts rendered (the "contracts-body" template).
type contractsView struct {
	d     contracts.Dashboard
	scope string
	body  template.HTML
}

// loadContractsView reads the contracts dashboard for a filter from the
// store: the contracts, the totals by priority and area, their worth, and
// the name of the buyer or supplier it is narrowed to.
func (s *Server) loadContractsView(r *http.Request, f store.ContractFilter) (contractsView, error) {
	var v contractsView
	list, err := s.Store.ListContracts(r.Context(), f)
	if err != nil {
		return v, err
	}
	if v.d, err = s.Store.Dashboard(r.Context(), store.DashFilter{BuyerOrgID: f.BuyerOrgID, SupplierOrgID: f.SupplierOrgID}); err != nil {
		return v, err
	}
	money, err := s.dashboardMoney(r, store.DashFilter{BuyerOrgID: f.BuyerOrgID, SupplierOrgID: f.SupplierOrgID})
	if err != nil {
		return v, err
	}
	v.scope = "Greater Manchester"
	if f.BuyerOrgID != 0 || f.SupplierOrgID != 0 {
		o, err := s.Store.OrganisationByID(r.Context(), f.BuyerOrgID+f.SupplierOrgID)
		switch {
		case err == nil:
			v.scope = o.LegalName
		case !errors.Is(err, problem.ErrNotFound):
			return v, err
		}
	}
	// The page lists the newest contracts; the CSV and API have them all.
	total := len(list)
	if len(list) > 100 {
		list = list[:100]
	}
	v.body, err = s.renderPart("contracts", "contracts-body", map[string]any{"D": v.d, "Chart": completionChart(v.d), "Money": money, "Contracts": list, "Total": total})
	return v, err
}

// completionChart is the by-priority completion as chart rows (the same
// numbers as the table beside it).
func completionChart(d contracts.Dashboard) string {
	type row struct {
		Title  string
		Weight float64
	}
	var rows []row
	for _, p := range d.ByPriority {
		rows = append(rows, row{p.Label, p.Completion()})
	}
	b, _ := json.Marshal(rows)
	return string(b)
}

// commitmentRow is a commitment with its progress for the contract page.
type commitmentRow struct {
	contracts.Commitment
	ExpectedMilli int64
	Status        string
}

func (s *Server) contractFor(r *http.Request) (contracts.Contract, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return contracts.Contract{}, err
	}
	return s.Store.Contract(r.Context(), id)
}

// contractPage shows a contract. Its body comes from what is kept under
// the contract page's generation (contracts_cache.go): the data read once
// per generation, the body rendered once per reader's permissions and
// clock; only the layout is rendered per request.
func (s *Server) contractPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	g, err := s.generationSum(r.Context(), store.ContractPageKinds()...) // store.ContractPageGeneration, shared with requests arriving together (freshread.go)
	if err != nil {
		return err
	}
	e, err := s.contractEntry(r, g, id)
	if err != nil {
		return err
	}
	body, err := s.contractBody(e, readerOf(actorFrom(r), e.d.c), e.d.clock(s.now()))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "contract", &page{Title: e.d.c.Title, Form: url.Values{}, Data: map[string]any{"Body": body}})
	return nil
}

// contractPageWith shows contract c's page again with p's errors and form
// values, read and rendered live.
func (s *Server) contractPageWith(w http.ResponseWriter, r *http.Request, c contracts.Contract, code int, p *page) error {
	d, err := s.loadContractPage(r, c)
	if err != nil {
		return err
	}
	p.Title = c.Title
	if p.Errors != nil {
		p.Title = "Error: " + c.Title
	}
	if p.Form == nil {
		p.Form = url.Values{}
	}
	p.Data = d.templateData(readerOf(actorFrom(r), c), d.clock(s.now()))
	s.render(w, r, code, "contract", p)
	return nil
}

// requireSupplier checks the actor reports for the contract's supplier; a
// refusal is audited, since reporting on someone else's contract is a
// claim about another organisation's delivery.
func (s *Server) requireSupplier(r *http.Request, c contracts.Contract) (auth.Actor, error) {
	a, err := require(r, auth.ReportDelivery, auth.Target{OrgID: c.SupplierID})
	if err != nil && a.SignedIn() {
		_ = s.Store.RecordRefusal(r.Context(), a, "delivery.report", "contract", strconv.FormatInt(c.ID, 10), "not the contract's supplier")
	}
	return a, err
}

func (s *Server) reportForm(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contractFor(r)
	if err != nil {
		return err
	}
	if _, err := s.requireSupplier(r, c); err != nil {
		return err
	}
	cms, err := s.Store.Commitments(r.Context(), c.ID)
	if err != nil {
		return err
	}
	start, end := contracts.ReportPeriod(c, s.now())
	form := url.Values{"period_start": {start}, "period_end": {end}}
	data, err := s.reportData(r, c, cms)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "report-form", &page{Title: "Report delivery: " + c.Title, Form: form, Data: data})
	return nil
}

func (s *Server) reportData(r *http.Request, c contracts.Contract, cms []contracts.Commitment) (map[string]any, error) {
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return nil, err
	}
	return map[string]any{"C": c, "Commitments": cms, "Districts": districts}, nil
}

func (s *Server) submitReport(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contractFor(r)
	if err != nil {
		return err
	}
	a, err := s.requireSupplier(r, c)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return problem.Field("files", "The report and its files together are larger than %d MB; attach at most %d files of 10 MB each", MaxReplyBodyBytes>>20, contracts.MaxEvidenceFiles)
		}
		if !errors.Is(err, http.ErrNotMultipart) {
			return err
		}
	}
	cms, err := s.Store.Commitments(r.Context(), c.ID)
	if err != nil {
		return err
	}
	rep, v := parseReport(r.PostForm, c, cms)
	files, err := evidenceFiles(r, v)
	if err != nil {
		return err
	}
	rep.Files, rep.Author = files, c.SupplierName
	if err := v.Err(); err != nil {
		data, derr := s.reportData(r, c, cms)
		if derr != nil {
			return derr
		}
		return s.invalid(w, r, err, "report-form", &page{Title: "Report delivery: " + c.Title, Data: data})
	}
	if _, err := s.Store.SubmitReport(r.Context(), a, rep, s.now()); err != nil {
		return err
	}
	msg := fmt.Sprintf("Delivery report submitted with %d lines", len(rep.Lines))
	if len(rep.Files) > 0 {
		msg += fmt.Sprintf(" and %d evidence files", len(rep.Files))
	}
	setFlash(w, msg+". The buyer will verify each line.")
	return redirect(w, r, fmt.Sprintf("/contracts/%d#delivery", c.ID))
}

// parseReport reads the delivery report form: one optional line per
// commitment, named by the commitment id.
func parseReport(f url.Values, c contracts.Contract, cms []contracts.Commitment) (contracts.Report, *problem.Invalid) {
	v := &problem.Invalid{}
	rep := contracts.Report{ContractID: c.ID, PeriodStart: f.Get("period_start"), PeriodEnd: f.Get("period_end")}
	if err := contracts.ValidReportPeriod(c, rep.PeriodStart, rep.PeriodEnd); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			v.Fields = append(v.Fields, inv.Fields...)
		}
	}
	for _, cm := range cms {
		i := cm.ID
		raw := strings.TrimSpace(f.Get(fmt.Sprintf("qty_%d", i)))
		if raw == "" {
			continue
		}
		q, err := tenders.ParseQuantity(raw)
		if err != nil {
			v.Add(fmt.Sprintf("qty_%d", i), "Quantity for %s: %s", cm.MeasureCode, err)
			continue
		}
		l := contracts.Line{CommitmentID: cm.ID, QuantityMilli: q, AreaCode: f.Get(fmt.Sprintf("where_%d", i)), Evidence: strings.TrimSpace(f.Get(fmt.Sprintf("evidence_%d", i))),
			Attributable: f.Get(fmt.Sprintf("attributable_%d", i)) == "1", Additional: f.Get(fmt.Sprintf("additional_%d", i)) == "1"}
		if err := contracts.ValidateLine(strconv.FormatInt(i, 10), cm.MeasureCode+": "+cm.Wording, l); err != nil {
			if inv, ok := err.(*problem.Invalid); ok {
				v.Fields = append(v.Fields, inv.Fields...)
			}
		}
		rep.Lines = append(rep.Lines, l)
	}
	if len(rep.Lines) == 0 && !v.Has("period_start") && !v.Has("period_end") && len(v.Fields) == 0 {
		if len(cms) > 0 {
			v.Add(fmt.Sprintf("qty_%d", cms[0].ID), "Enter a delivered quantity for at least one commitment")
		} else {
			v.Add("period_start", "This contract has no commitments to report on")
		}
	}
	return rep, v
}

// contractLine loads the contract and delivery line in the path and checks
// the actor may take the action on them (on the buyer's behalf when buyer).
func (s *Server) contractLine(r *http.Request, action auth.Action, buyer bool) (contracts.Contract, auth.Actor, int64, error) {
	c, err := s.contractFor(r)
	if err != nil {
		return c, auth.Actor{}, 0, err
	}
	t := auth.Target{}
	if buyer {
		t.OrgID = c.BuyerOrgID
	}
	a, err := require(r, action, t)
	if err != nil {
		return c, a, 0, err
	}
	lineID, err := pathID(r, "line")
	if err != nil {
		return c, a, 0, err
	}
	if owner, err := s.Store.LineContract(r.Context(), lineID); err != nil || owner != c.ID {
		return c, a, 0, fmt.Errorf("line %d: %w", lineID, problem.ErrNotFound)
	}
	return c, a, lineID, nil
}

func (s *Server) decideLine(w http.ResponseWriter, r *http.Request) error {
	c, a, lineID, err := s.contractLine(r, auth.ManageTender, true)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	decision := r.PostForm.Get("decision")
	note := strings.TrimSpace(r.PostForm.Get("note"))
	if err := s.Store.DecideLine(r.Context(), a, lineID, decision, note, s.now()); err != nil {
		if p, ok := err.(*problem.Invalid); ok {
			for i := range p.Fields {
				p.Fields[i].Field = fmt.Sprintf("%s_%d", p.Fields[i].Field, lineID)
			}
			return s.contractPageWith(w, r, c, http.StatusUnprocessableEntity, &page{Errors: p, Form: r.PostForm})
		}
		return err
	}
	s.tellSupplier(r, c, lineID, decision, note)
	setFlash(w, "Line "+map[string]string{contracts.Verified: "verified: it now counts as delivered", contracts.Queried: "queried: the supplier has been asked", contracts.Rejected: "rejected"}[decision])
	return redirect(w, r, fmt.Sprintf("/contracts/%d#line-%d", c.ID, lineID))
}

func (s *Server) raiseConcern(w http.ResponseWriter, r *http.Request) error {
	c, a, lineID, err := s.contractLine(r, auth.FlagConcern, false)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	body := strings.TrimSpace(r.PostForm.Get("concern"))
	if body == "" || len(body) > 2000 {
		p := &problem.Invalid{}
		p.Add(fmt.Sprintf("concern_%d", lineID), "Describe your concern in up to 2,000 characters")
		return s.contractPageWith(w, r, c, http.StatusUnprocessableEntity, &page{Errors: p, Form: r.PostForm})
	}
	if err := s.Store.RaiseConcern(r.Context(), a, lineID, body, s.now()); err != nil {
		return err
	}
	// The concern goes to the buyer's officers, who must respond publicly.
	members, err := s.Store.MembersOfOrg(r.Context(), c.BuyerOrgID)
	if err != nil {
		return err
	}
	sent := map[string]bool{}
	for _, m := range members {
		if (m.Role != auth.RoleBuyer && m.Role != auth.RoleOrgAdmin) || sent[m.Email] {
			continue
		}
		sent[m.Email] = true
		if err := s.Auth.Mailer.Send(r.Context(), mail.Message{To: m.Email, Subject: "A resident has flagged a delivery claim on " + c.Title,
			Body: fmt.Sprintf("A resident has raised a concern about a social value delivery claim on %s:\n\n%s\n\nPlease respond publicly at %s/contracts/%d#line-%d\n", c.Title, body, s.BaseURL, c.ID, lineID)}); err != nil {
			s.Log.Warn("concern notification", "to", m.Email, "err", err)
		}
	}
	setFlash(w, "Thank you. Your concern has gone to the buyer, who must respond; the response will be published here.")
	return redirect(w, r, fmt.Sprintf("/contracts/%d#line-%d", c.ID, lineID))
}

func (s *Server) respondConcern(w http.ResponseWriter, r *http.Request) error {
	c, err := s.contractFor(r)
	if err != nil {
		return err
	}
	a, err := require(r, auth.ManageTender, auth.Target{OrgID: c.BuyerOrgID})
	if err != nil {
		return err
	}
	id, err := pathID(r, "c")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	resp := strings.TrimSpace(r.PostForm.Get("response"))
	if resp == "" {
		p := &problem.Invalid{}
		p.Add(fmt.Sprintf("response_%d", id), "Write the response to publish")
		return s.contractPageWith(w, r, c, http.StatusUnprocessableEntity, &page{Errors: p, Form: r.PostForm})
	}
	if err := s.Store.RespondConcern(r.Context(), a, c.ID, id, resp, s.now()); err != nil {
		return err
	}
	s.tellConcernRaiser(r, c, id, resp)
	setFlash(w, "Response published")
	return redirect(w, r, fmt.Sprintf("/contracts/%d#delivery", c.ID))
}

func (s *Server) contractsCSV(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Store.ListContracts(r.Context(), store.ContractFilter{})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename=contracts.csv")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"contract_id", "tender_id", "title", "buyer", "supplier", "value_pence", "start_date", "end_date"})
	for _, c := range list {
		_ = cw.Write([]string{strconv.FormatInt(c.ID, 10), strconv.FormatInt(c.TenderID, 10), c.Title, c.BuyerName, c.SupplierName, strconv.FormatInt(c.ValuePence, 10), c.Start, c.End})
	}
	cw.Flush()
	return cw.Error()
}

// deliveryCSV lists every commitment with its committed and verified
// quantity: only verified lines count as delivered.
func (s *Server) deliveryCSV(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Store.ListContracts(r.Context(), store.ContractFilter{})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename=delivery.csv")
	cw := csv.NewWriter(w)
	_ = cw.Write(append([]string{"contract_id", "supplier", "measure", "priority", "unit", "committed", "verified_delivered", "claimed_awaiting_verification", "due_date", "area"}, deliveryValueHeader...))
	for _, c := range list {
		cms, err := s.Store.Commitments(r.Context(), c.ID)
		if err != nil {
			return err
		}
		values, err := s.Store.ContractUnitValues(r.Context(), c.ID)
		if err != nil {
			return err
		}
		for _, m := range cms {
			_ = cw.Write(append([]string{strconv.FormatInt(c.ID, 10), c.SupplierName, m.MeasureCode, m.PriorityTitle, m.Unit, tenders.Milli(m.QuantityMilli), tenders.Milli(m.VerifiedMilli), tenders.Milli(m.ClaimedMilli), m.Due, m.AreaName},
				s.deliveryValues(c, m, values)...))
		}
	}
	cw.Flush()
	return cw.Error()
}

// OCDSPrefix is the ocid prefix of the hub's releases unless configured.
const OCDSPrefix = "ocds-svhub"

func (s *Server) ocdsPackage(w http.ResponseWriter, r *http.Request) error {
	return s.serveOCDS(w, r) // ocds.go
}

func (s *Server) ocidPrefix() string {
	if s.OCIDPrefix != "" {
		return s.OCIDPrefix
	}
	return OCDSPrefix
}
