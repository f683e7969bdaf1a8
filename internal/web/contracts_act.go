package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// The Procurement Act 2023 after the award: the standstill and entering
// into the contract (s.51), the contract details notice with its KPIs
// (s.52, s.53), KPI assessments in contract performance notices (s.71),
// contract change (s.75) and termination (s.80) notices, and a page for
// every published notice.

func (s *Server) lifecycleRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /notices/{id}", h(s.noticePage))
	mux.Handle("POST /contracts/{id}/enter", h(s.enterContract))
	mux.Handle("POST /contracts/{id}/kpis", h(s.setKPIs))
	mux.Handle("POST /contracts/{id}/details-notice", h(s.publishDetailsNotice))
	mux.Handle("POST /contracts/{id}/assessments", h(s.recordAssessments))
	mux.Handle("POST /contracts/{id}/change", h(s.changeContract))
	mux.Handle("POST /contracts/{id}/terminate", h(s.terminateContract))
}

// kpiRows is how many KPI rows the form offers.
const kpiRows = 5

func (s *Server) noticePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Store.Notice(r.Context(), id)
	if err != nil {
		return err
	}
	// A notice is public once published; the tender it belongs to is too.
	t, err := s.Store.Tender(r.Context(), n.TenderID, s.now())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "notice", &page{Title: n.Name() + ": " + n.Title, Data: map[string]any{"N": n, "T": t, "Info": tenders.Notices[n.Kind]}})
	return nil
}

// manageContract loads a contract the actor manages as its buyer.
func (s *Server) manageContract(r *http.Request) (contracts.Contract, auth.Actor, error) {
	c, err := s.contractFor(r)
	if err != nil {
		return c, auth.Actor{}, err
	}
	a, err := require(r, auth.ManageTender, auth.Target{OrgID: c.BuyerOrgID})
	if err != nil {
		if a.SignedIn() {
			_ = s.Store.RecordRefusal(r.Context(), a, "contract.manage", "contract", strconv.FormatInt(c.ID, 10), "not the contract's buyer")
		}
		return c, a, err
	}
	return c, a, r.ParseForm()
}

func ratingOptions() []struct{ Value, Label string } {
	var out []struct{ Value, Label string }
	for _, r := range contracts.Ratings {
		out = append(out, struct{ Value, Label string }{r, contracts.RatingLabel(r)})
	}
	return out
}

func (s *Server) enterContract(w http.ResponseWriter, r *http.Request) error {
	c, a, err := s.manageContract(r)
	if err != nil {
		return err
	}
	if err := s.Store.EnterContract(r.Context(), a, c.ID, s.now()); err != nil {
		var se *store.StandstillError
		if errors.As(err, &se) {
			_ = s.Store.RecordRefusal(r.Context(), a, "contract.enter.refused", "contract", strconv.FormatInt(c.ID, 10), se.Error())
			return s.contractPageWith(w, r, c, http.StatusConflict, &page{Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "enter", Message: se.Error()}}}})
		}
		return err
	}
	setFlash(w, "Contract entered into. Publish the contract details notice within 30 days (section 53).")
	return redirect(w, r, fmt.Sprintf("/contracts/%d#lifecycle", c.ID))
}

func (s *Server) setKPIs(w http.ResponseWriter, r *http.Request) error {
	c, a, err := s.manageContract(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	v := &problem.Invalid{}
	var kpis []contracts.KPI
	for i := range kpiRows {
		k := contracts.KPI{Name: strings.TrimSpace(f.Get(fmt.Sprintf("kpi_name_%d", i))), Target: strings.TrimSpace(f.Get(fmt.Sprintf("kpi_target_%d", i))),
			Measure: strings.TrimSpace(f.Get(fmt.Sprintf("kpi_measure_%d", i)))}
		if k.Name == "" && k.Target == "" && k.Measure == "" {
			continue
		}
		contracts.ValidKPI(v, i, k)
		kpis = append(kpis, k)
	}
	if len(kpis) == 0 {
		v.Add("kpi_name_0", "Enter at least one key performance indicator: its name, target and how it is measured")
	}
	if err := v.Err(); err != nil {
		return s.contractPageWith(w, r, c, http.StatusUnprocessableEntity, &page{Errors: v, Form: f})
	}
	if err := s.Store.SetKPIs(r.Context(), a, c.ID, kpis, s.now()); err != nil {
		return err
	}
	setFlash(w, fmt.Sprintf("%d key performance indicators saved", len(kpis)))
	return redirect(w, r, fmt.Sprintf("/contracts/%d#kpis", c.ID))
}

func (s *Server) publishDetailsNotice(w http.ResponseWriter, r *http.Request) error {
	c, a, err := s.manageContract(r)
	if err != nil {
		return err
	}
	kpis, err := s.Store.KPIs(r.Context(), c.ID)
	if err != nil {
		return err
	}
	facts := []tenders.Fact{{Label: "Buyer", Value: c.BuyerName}, {Label: "Supplier", Value: c.SupplierName}, {Label: "Contract value", Value: fund.Pounds(c.ValuePence)},
		{Label: "Contract period", Value: c.Start + " to " + c.End}}
	if c.EnteredAt != nil {
		facts = append(facts, tenders.Fact{Label: "Entered into", Value: c.EnteredAt.In(london).Format("2 January 2006")})
	}
	for i, k := range kpis {
		facts = append(facts, tenders.Fact{Label: fmt.Sprintf("KPI %d: %s", i+1, k.Name), Value: fmt.Sprintf("Target: %s. Measured by: %s", k.Target, k.Measure)})
	}
	if _, err := s.Store.PublishDetailsNotice(r.Context(), a, c.ID, facts, s.now()); err != nil {
		var inv *problem.Invalid
		if errors.As(err, &inv) {
			return s.contractPageWith(w, r, c, http.StatusUnprocessableEntity, &page{Errors: inv})
		}
		return err
	}
	setFlash(w, "Contract details notice published")
	return redirect(w, r, fmt.Sprintf("/contracts/%d#lifecycle", c.ID))
}

func (s *Server) recordAssessments(w http.ResponseWriter, r *http.Request) error {
	c, a, err := s.manageContract(r)
	if err != nil {
		return err
	}
	kpis, err := s.Store.KPIs(r.Context(), c.ID)
	if err != nil {
		return err
	}
	if len(kpis) == 0 {
		return fmt.Errorf("the contract has no key performance indicators to assess: %w", problem.ErrConflict)
	}
	f := r.PostForm
	v := &problem.Invalid{}
	period := strings.TrimSpace(f.Get("period_end"))
	var as []contracts.Assessment
	facts := []tenders.Fact{{Label: "Supplier", Value: c.SupplierName}, {Label: "Period assessed to", Value: period}}
	for i, k := range kpis {
		as = append(as, contracts.Assessment{KPIID: k.ID, PeriodEnd: period, Rating: f.Get(fmt.Sprintf("rating_%d", i)), Note: strings.TrimSpace(f.Get(fmt.Sprintf("note_%d", i)))})
		if err := contracts.ValidAssessment(c, as[i], s.now()); err != nil {
			var inv *problem.Invalid
			if errors.As(err, &inv) {
				for _, fe := range inv.Fields {
					field, msg := fe.Field, fe.Message
					if field != "period_end" {
						field, msg = fmt.Sprintf("%s_%d", field, i), fmt.Sprintf("KPI %d (%s): %s", i+1, k.Name, msg)
					}
					if !v.Has(field) {
						v.Add(field, "%s", msg)
					}
				}
			} else {
				return err
			}
		}
		facts = append(facts, tenders.Fact{Label: fmt.Sprintf("KPI %d: %s (target %s)", i+1, k.Name, k.Target), Value: contracts.RatingLabel(as[i].Rating) + ". " + as[i].Note})
	}
	if err := v.Err(); err != nil {
		return s.contractPageWith(w, r, c, http.StatusUnprocessableEntity, &page{Errors: v, Form: f})
	}
	nid, err := s.Store.RecordAssessments(r.Context(), a, c.ID, as, facts, s.now())
	if err != nil {
		return err
	}
	setFlash(w, "Performance assessed and the contract performance notice published")
	return redirect(w, r, fmt.Sprintf("/notices/%d", nid))
}

func (s *Server) changeContract(w http.ResponseWriter, r *http.Request) error {
	c, a, err := s.manageContract(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	v := &problem.Invalid{}
	what := strings.TrimSpace(f.Get("change"))
	if what == "" {
		v.Add("change", "Describe the change to the contract")
	} else if len(what) > 2000 {
		v.Add("change", "The description must be 2,000 characters or fewer")
	}
	var value int64
	if nv := strings.TrimSpace(f.Get("new_value")); nv != "" {
		p, ok := parsePence(nv)
		if !ok || p <= 0 {
			v.Add("new_value", "Enter the new contract value in pounds, more than zero, like 650000 or 650000.50; or leave it empty if the value does not change")
		}
		value = p
	}
	if err := v.Err(); err != nil {
		return s.contractPageWith(w, r, c, http.StatusUnprocessableEntity, &page{Errors: v, Form: f})
	}
	facts := []tenders.Fact{{Label: "Supplier", Value: c.SupplierName}, {Label: "Change", Value: what}, {Label: "Value before", Value: fund.Pounds(c.ValuePence)}}
	if value > 0 {
		facts = append(facts, tenders.Fact{Label: "Value after", Value: fund.Pounds(value)})
	}
	nid, err := s.Store.ChangeContract(r.Context(), a, c.ID, value, facts, s.now())
	if err != nil {
		return err
	}
	setFlash(w, "Contract change notice published")
	return redirect(w, r, fmt.Sprintf("/notices/%d", nid))
}

func (s *Server) terminateContract(w http.ResponseWriter, r *http.Request) error {
	c, a, err := s.manageContract(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	reason := strings.TrimSpace(f.Get("reason"))
	if reason == "" || len(reason) > 2000 {
		return s.contractPageWith(w, r, c, http.StatusUnprocessableEntity, &page{Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "reason", Message: "Give the reason the contract is terminated, in 2,000 characters or fewer"}}}, Form: f})
	}
	facts := []tenders.Fact{{Label: "Supplier", Value: c.SupplierName}, {Label: "Terminated on", Value: s.now().In(london).Format("2 January 2006")}, {Label: "Reason", Value: reason}}
	nid, err := s.Store.TerminateContract(r.Context(), a, c.ID, reason, facts, s.now())
	if err != nil {
		return err
	}
	setFlash(w, "Contract terminated and the contract termination notice published")
	return redirect(w, r, fmt.Sprintf("/notices/%d", nid))
}
