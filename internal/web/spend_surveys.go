package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// surveyBuyer is the public body in ?buyer= (or the form's buyer) that the
// actor may survey for: its buyer officers and admins, and hub admins.
func (s *Server) surveyBuyer(r *http.Request, slug string) (orgs.Organisation, auth.Actor, error) {
	o, err := s.Store.OrganisationBySlug(r.Context(), slug)
	if err != nil {
		return o, auth.Actor{}, err
	}
	a, err := require(r, auth.ImportSpend, auth.Target{OrgID: o.ID})
	return o, a, err
}

func (s *Server) surveysPage(w http.ResponseWriter, r *http.Request) error {
	b, _, err := s.surveyBuyer(r, r.URL.Query().Get("buyer"))
	if err != nil {
		return err
	}
	list, err := s.Store.SurveysOf(r.Context(), b.ID)
	if err != nil {
		return err
	}
	year := s.now().Year()
	if s.now().Month() < time.April {
		year--
	}
	form := url.Values{"buyer": {b.Slug}, "from": {fmt.Sprintf("%d-04-01", year-1)}, "to": {fmt.Sprintf("%d-03-31", year)}, "top": {"300"}}
	s.render(w, r, http.StatusOK, "surveys", &page{Title: "Re-spend surveys: " + b.LegalName, Form: form, Data: map[string]any{"Buyer": b, "Surveys": list}})
	return nil
}

// createSurvey asks the buyer's top suppliers based or branched in its
// district or elsewhere in GM (only their re-spend counts towards LM3).
// Directory organisations answer on the hub and are emailed; the others are
// recorded as not on the hub and counted as not answering.
func (s *Server) createSurvey(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	b, a, err := s.surveyBuyer(r, f.Get("buyer"))
	if err != nil {
		return err
	}
	top, err := strconv.Atoi(f.Get("top"))
	if err != nil || top < 1 || top > 1000 {
		return problem.Field("top", "Ask between 1 and 1,000 suppliers")
	}
	for _, d := range []struct{ field, label string }{{"from", "the first day of the period"}, {"to", "the last day of the period"}} {
		if _, err := time.Parse(time.DateOnly, f.Get(d.field)); err != nil {
			return problem.Field(d.field, "Enter %s as a date like 2025-04-01", d.label)
		}
	}
	_, rep, err := s.buyerReport(r, b, store.SpendFilter{BuyerIDs: []int64{b.ID}, From: f.Get("from"), To: f.Get("to")}, top)
	if err != nil {
		return err
	}
	sv := spend.Survey{BuyerOrgID: b.ID, From: f.Get("from"), To: f.Get("to"), Top: top}
	for _, x := range rep.Top {
		if x.Location != "district" && x.Location != "gm" {
			continue
		}
		status := spend.SurveyNotOnHub
		if x.OrgID > 0 {
			status = spend.SurveySent
		}
		sv.Suppliers = append(sv.Suppliers, spend.SurveySupplier{Key: x.Key, Name: x.Name, OrgID: max(x.OrgID, 0), SpendPence: x.NetPence, Location: x.Location, Status: status})
	}
	if len(sv.Suppliers) == 0 {
		return problem.Field("top", "None of the top suppliers in that period is known to be based or branched in Greater Manchester")
	}
	id, err := s.Store.CreateSurvey(r.Context(), a, sv, s.now())
	if err != nil {
		return err
	}
	for _, x := range sv.Suppliers {
		if x.Status == spend.SurveySent {
			s.notifyOrg(r, x.OrgID, b.LegalName+" asks about your local spending", fmt.Sprintf("%s is measuring how much of its spending stays in the local economy. Please answer six questions about the contract's wages and purchases: %s/spend/surveys/%d/answer/%s\n", b.LegalName, s.BaseURL, id, url.PathEscape(x.Key)))
		}
	}
	setFlash(w, fmt.Sprintf("Survey sent to %d suppliers", len(sv.Suppliers)))
	return redirect(w, r, fmt.Sprintf("/spend/surveys/%d", id))
}

func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sv, err := s.Store.Survey(r.Context(), id)
	if err != nil {
		return err
	}
	b, err := s.Store.OrganisationByID(r.Context(), sv.BuyerOrgID)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	buyerSide := auth.Can(a, auth.ImportSpend, auth.Target{OrgID: b.ID})
	var mine []spend.SurveySupplier
	for _, x := range sv.Suppliers {
		if x.OrgID > 0 && auth.Can(a, auth.Bid, auth.Target{OrgID: x.OrgID}) {
			mine = append(mine, x)
		}
	}
	if !buyerSide && len(mine) == 0 {
		if !a.SignedIn() {
			return problem.ErrUnauthorised
		}
		return fmt.Errorf("survey %d: %w", id, problem.ErrForbidden)
	}
	data := map[string]any{"S": sv, "Buyer": b, "BuyerSide": buyerSide, "Mine": mine}
	if buyerSide {
		_, rep, err := s.buyerReport(r, b, store.SpendFilter{BuyerIDs: []int64{b.ID}, From: sv.From, To: sv.To}, 0)
		if err != nil {
			return err
		}
		local, gm := rep.Location["district"].Pence, rep.Location["district"].Pence+rep.Location["gm"].Pence
		district := "the district"
		if ds, err := s.Store.Districts(r.Context()); err == nil {
			for _, d := range ds {
				for _, st := range b.Sites {
					if st.DistrictCode == d.Code {
						district = d.Name
					}
				}
			}
		}
		data["District"] = spend.LM3(district, rep.TotalNetPence, local, sv.Respondents(false), false)
		data["GM"] = spend.LM3("Greater Manchester", rep.TotalNetPence, gm, sv.Respondents(true), true)
	}
	s.render(w, r, http.StatusOK, "survey", &page{Title: "Re-spend survey", Data: data})
	return nil
}

// surveySupplier finds the supplier in the path and checks the actor acts
// for it.
func (s *Server) surveySupplier(r *http.Request) (spend.Survey, spend.SurveySupplier, auth.Actor, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return spend.Survey{}, spend.SurveySupplier{}, auth.Actor{}, err
	}
	sv, err := s.Store.Survey(r.Context(), id)
	if err != nil {
		return sv, spend.SurveySupplier{}, auth.Actor{}, err
	}
	key := r.PathValue("key")
	for _, x := range sv.Suppliers {
		if x.Key == key && x.OrgID > 0 {
			a, err := require(r, auth.Bid, auth.Target{OrgID: x.OrgID})
			return sv, x, a, err
		}
	}
	return sv, spend.SurveySupplier{}, auth.Actor{}, fmt.Errorf("supplier %q in survey %d: %w", key, id, problem.ErrNotFound)
}

func (s *Server) surveyAnswerForm(w http.ResponseWriter, r *http.Request) error {
	sv, x, _, err := s.surveySupplier(r)
	if err != nil {
		return err
	}
	a := x.Answer
	form := url.Values{}
	if x.Status == spend.SurveyAnswered {
		for k, v := range map[string]int{"wage_share": a.WageShare, "wage_district": a.WageDistrict, "wage_gm": a.WageGM, "purchase_share": a.PurchaseShare, "purchase_district": a.PurchaseDistrict, "purchase_gm": a.PurchaseGM} {
			form.Set(k, tenths(v))
		}
	}
	s.render(w, r, http.StatusOK, "survey-answer", &page{Title: "Your local spending", Form: form, Data: map[string]any{"S": sv, "X": x}})
	return nil
}

func tenths(v int) string {
	if v%10 == 0 {
		return strconv.Itoa(v / 10)
	}
	return fmt.Sprintf("%d.%d", v/10, v%10)
}

// parseTenths reads a percentage with at most one decimal place.
func parseTenths(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.Atoi(whole)
	if err != nil || len(frac) > 1 {
		return 0, false
	}
	f := 0
	if frac != "" {
		if f, err = strconv.Atoi(frac); err != nil {
			return 0, false
		}
	}
	return w*10 + f, true
}

func (s *Server) answerSurvey(w http.ResponseWriter, r *http.Request) error {
	sv, x, a, err := s.surveySupplier(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := &problem.Invalid{}
	get := func(k string) int {
		n, ok := parseTenths(r.PostForm.Get(k))
		if !ok {
			v.Add(k, "Enter a percentage like 40 or 62.5")
		}
		return n
	}
	ans := spend.SurveyAnswer{WageShare: get("wage_share"), WageDistrict: get("wage_district"), WageGM: get("wage_gm"), PurchaseShare: get("purchase_share"), PurchaseDistrict: get("purchase_district"), PurchaseGM: get("purchase_gm")}
	err = mergeInvalid(v.Err(), ans.Validate())
	if err == nil {
		err = s.Store.AnswerSurvey(r.Context(), a, sv.ID, x.Key, ans, s.now())
	}
	if err != nil {
		return s.invalid(w, r, err, "survey-answer", &page{Title: "Your local spending", Data: map[string]any{"S": sv, "X": x}})
	}
	setFlash(w, "Thank you. Your answers are recorded.")
	return redirect(w, r, fmt.Sprintf("/spend/surveys/%d", sv.ID))
}
