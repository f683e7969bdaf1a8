package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

func (s *Server) tenderRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /tenders", h(s.tenderList)) // tenders_search.go
	mux.Handle("GET /tenders.atom", h(s.tenderFeed))
	mux.Handle("GET /tenders/new", h(s.newTenderForm))
	mux.Handle("POST /tenders", h(s.createTender))
	mux.Handle("GET /tenders/{id}", h(s.tenderPage))
	mux.Handle("GET /tenders/{id}/edit", h(s.editTenderForm))
	mux.Handle("POST /tenders/{id}/edit", h(s.editTender))
	mux.Handle("POST /tenders/{id}/state", h(s.moveTender))
	mux.Handle("POST /tenders/{id}/upload", h(s.uploadTenderDocument))
	mux.Handle("GET /tenders/{id}/documents/{doc}", h(s.tenderDocument))
	mux.Handle("POST /tenders/{id}/questions", h(s.askQuestion))
	mux.Handle("POST /tenders/{id}/questions/{q}/answer", h(s.answerQuestion))
	mux.Handle("GET /tenders/{id}/bid", h(s.bidForm))
	mux.Handle("POST /tenders/{id}/bid", h(s.submitBid))
	mux.Handle("GET /tenders/{id}/bids", h(s.bidList))
	mux.Handle("GET /tenders/{id}/bids/{org}", h(s.bidPage))
	mux.Handle("GET /tenders/{id}/bids/{org}/files/{sha}", h(s.bidFile))
	mux.Handle("POST /tenders/{id}/evaluators", h(s.assignEvaluators))
	mux.Handle("GET /tenders/{id}/marking", h(s.markingForm))
	mux.Handle("POST /tenders/{id}/marking", h(s.submitMarking))
	mux.Handle("GET /tenders/{id}/moderation", h(s.moderationForm))
	mux.Handle("POST /tenders/{id}/moderation", h(s.submitModeration))
	mux.Handle("GET /tenders/{id}/evaluation", h(s.evaluationPage))
	mux.Handle("GET /tenders/{id}/evaluation.json", h(s.evaluationJSON))
	mux.Handle("POST /tenders/{id}/award", h(s.awardTender))
	mux.Handle("GET /tenders/{id}/award", h(s.awardPage))
	s.lifecycleRoutes(mux)
	s.lotRoutes(mux) // tenders_lots.go
}

// tenderFor loads a tender the actor may see: drafts only for the buyer.
func (s *Server) tenderFor(r *http.Request) (tenders.Tender, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return tenders.Tender{}, err
	}
	t, err := s.Store.Tender(r.Context(), id, s.now())
	if err != nil {
		return t, err
	}
	if t.Status == tenders.Draft && !auth.Can(actorFrom(r), auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID}) {
		return t, fmt.Errorf("draft tender %d: %w", id, problem.ErrNotFound)
	}
	return t, nil
}

func (s *Server) manageTender(r *http.Request) (tenders.Tender, auth.Actor, error) {
	t, err := s.tenderFor(r)
	if err != nil {
		return t, auth.Actor{}, err
	}
	a, err := require(r, auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID})
	return t, a, err
}

// tenderFormData is what the tender form offers: the buyer's bodies, the
// latest published framework's measures and the published People's Weights.
func (s *Server) tenderFormData(r *http.Request) (map[string]any, framework.Framework, error) {
	a := actorFrom(r)
	f, editions, err := s.tenderFramework(r) // tenders_editions.go
	if err != nil {
		return nil, f, err
	}
	published, err := s.weightsRounds(r, f)
	if err != nil {
		return nil, f, err
	}
	var bodies []orgs.Option
	for _, m := range a.OrgsWith(orgs.PublicBody, auth.RoleBuyer, auth.RoleOrgAdmin) {
		bodies = append(bodies, orgs.Option{Value: strconv.FormatInt(m.OrgID, 10), Label: m.OrgName})
	}
	methods := []orgs.Option{{Value: tenders.MethodRelative, Label: "Relative: each quantity against the highest compliant bid, weighted by People's Weights"},
		{Value: tenders.MethodMonetised, Label: "Monetised: quantities valued with cited proxy values"}}
	reservations := []orgs.Option{{Value: "", Label: "Open to all suppliers"}, {Value: "vcse", Label: "Reserved for VCSE organisations"}, {Value: "sme", Label: "Reserved for SMEs"}}
	var gates []orgs.Option
	for _, g := range tenders.Gates {
		gates = append(gates, orgs.Option{Value: g, Label: "The supplier " + tenders.GateLabel(g)})
	}
	indexes, indexOpts, err := s.priceIndexOptions(r)
	if err != nil {
		return nil, f, err
	}
	data := map[string]any{"Framework": f, "Editions": editions, "Rounds": published, "Bodies": bodies, "Methods": methods, "Reservations": reservations, "Gates": gates,
		"CriterionRows": []int{0, 1, 2, 3, 4}, "Minimum": tenders.DefaultSVMinimum, "PriceIndexes": indexes, "IndexOptions": indexOpts}
	addActOptions(data)
	return data, f, nil
}

// latestEdition is the hub's default framework edition (defaultEdition) without
// its tree (pages that only name its priorities need no more).
func (s *Server) latestEdition(r *http.Request) (framework.Framework, error) {
	var f framework.Framework
	fws, err := s.Store.ListFrameworks(r.Context())
	if err != nil {
		return f, err
	}
	return s.defaultEdition(r, fws) // tenders_editions.go
}

// latestPriorities are the latest published edition's priorities alone
// (none when nothing is published).
func (s *Server) latestPriorities(r *http.Request) []framework.Priority {
	f, err := s.latestEdition(r)
	if err != nil {
		return nil
	}
	ps, _ := s.Store.FrameworkPriorities(r.Context(), f.ID)
	return ps
}

func (s *Server) newTenderForm(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	if len(a.OrgsWith(orgs.PublicBody, auth.RoleBuyer, auth.RoleOrgAdmin)) == 0 {
		return fmt.Errorf("create tender: %w", problem.ErrForbidden)
	}
	data, fw, err := s.tenderFormData(r)
	if err != nil {
		return err
	}
	form := url.Values{"framework": {strconv.FormatInt(fw.ID, 10)}, "w_price": {"40"}, "w_quality": {"40"}, "w_sv": {"20"}, "alpha": {"50"}, "method": {tenders.MethodRelative}, "gates": {tenders.GateRLW, tenders.GateExclusion},
		"deadline": {s.now().Add(28 * 24 * time.Hour).In(london).Format("2006-01-02T15:04")}, "procedure": {tenders.DefaultProcedure}, "contract_type": {tenders.DefaultContractTy}}
	if rs := data["Rounds"].([]orgs.Option); len(rs) > 0 {
		form.Set("weights_round", rs[0].Value) // the latest published
	}
	if bs := data["Bodies"].([]orgs.Option); len(bs) > 0 {
		form.Set("buyer", bs[0].Value)
	}
	data["Action"] = "/tenders"
	s.render(w, r, http.StatusOK, "tender-form", &page{Title: "Create a tender", Form: form, Data: data})
	return nil
}

// parseTender reads the tender form into a tender and field errors.
func parseTender(f url.Values, fw framework.Framework, indexes []proxies.Index) (tenders.Tender, *problem.Invalid) {
	v := &problem.Invalid{}
	num := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(name)))
		if err != nil {
			v.Add(name, "Enter a whole number")
		}
		return n
	}
	t := tenders.Tender{Title: strings.TrimSpace(f.Get("title")), Description: strings.TrimSpace(f.Get("description")), CPV: strings.TrimSpace(f.Get("cpv")),
		WPrice: num("w_price"), WQuality: num("w_quality"), WSV: num("w_sv"), AlphaPercent: num("alpha"), Method: f.Get("method"), Reservation: f.Get("reservation"),
		SVMinimum: tenders.DefaultSVMinimum, FrameworkID: fw.ID, Gates: f["gates"]}
	if p, ok := parsePence(f.Get("value")); ok {
		t.ValuePence = p
	}
	if d := parseLocal(f.Get("deadline")); !d.IsZero() {
		t.Deadline = d
	}
	t.WeightsRound, _ = strconv.ParseInt(f.Get("weights_round"), 10, 64)
	t.BuyerOrgID, _ = strconv.ParseInt(f.Get("buyer"), 10, 64)
	parseAct(f, &t, v)
	for i := range 5 {
		title := strings.TrimSpace(f.Get(fmt.Sprintf("criterion_title_%d", i)))
		weight := strings.TrimSpace(f.Get(fmt.Sprintf("criterion_weight_%d", i)))
		if title == "" && weight == "" {
			continue
		}
		w, err := strconv.Atoi(weight)
		if err != nil {
			v.Add(fmt.Sprintf("criterion_weight_%d", i), "Enter a whole-number weight for criterion %d", i+1)
		}
		t.Criteria = append(t.Criteria, tenders.Criterion{Title: title, Weight: w, Descriptors: tenders.DefaultDescriptors})
	}
	chosen := f["measures"]
	for _, p := range fw.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				if slices.Contains(chosen, strconv.FormatInt(m.ID, 10)) {
					tm := tenders.Measure{ID: m.ID, Code: m.Code, Wording: m.Wording, Unit: m.Unit, PriorityCode: p.Code, PriorityTitle: p.Title}
					if uv, ok := m.UnitValue(); ok {
						tm.ProxyPence, tm.ProxySource, tm.ProxyPriceYear = uv.Pence, uv.Source, uv.PriceYear
					}
					t.Measures = append(t.Measures, tm)
				}
			}
		}
	}
	if t.Method == tenders.MethodMonetised {
		t.Uplift = parseUplift(f, indexes, v)
	}
	if t.ValuePence > tenders.CRPThresholdPence && !t.HasGate(tenders.GateCRP) {
		// PPN 06/21: a Carbon Reduction Plan is required above £5m a year.
		t.Gates = append(t.Gates, tenders.GateCRP)
	}
	if err := t.Validate(); err != nil {
		var inv *problem.Invalid
		if errors.As(err, &inv) {
			for _, fe := range inv.Fields {
				if !v.Has(fe.Field) {
					v.Fields = append(v.Fields, fe)
				}
			}
		}
	}
	return t, v
}

func (s *Server) createTender(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	data, fw, err := s.tenderFormData(r)
	if err != nil {
		return err
	}
	t, v := parseTender(r.PostForm, fw, data["PriceIndexes"].([]proxies.Index))
	checkWeightsRound(v, t.WeightsRound, data["Rounds"].([]orgs.Option))
	a, err := require(r, auth.CreateTender, auth.Target{OrgID: t.BuyerOrgID})
	if err != nil {
		return err
	}
	if !t.Deadline.IsZero() && !t.Deadline.After(s.now()) && !v.Has("deadline") {
		v.Add("deadline", "The deadline must be in the future")
	}
	if err := v.Err(); err != nil {
		data["Action"] = "/tenders"
		return s.invalid(w, r, err, "tender-form", &page{Title: "Create a tender", Data: data})
	}
	id, err := s.Store.CreateTender(r.Context(), a, t, s.Sealer.NewTenderKey, s.now())
	if err != nil {
		return err
	}
	setFlash(w, "Draft tender created. Check it, then publish it.")
	return redirect(w, r, fmt.Sprintf("/tenders/%d", id))
}

func tenderForm(t tenders.Tender) url.Values {
	f := url.Values{"title": {t.Title}, "description": {t.Description}, "cpv": {t.CPV}, "value": {fmt.Sprintf("%d.%02d", t.ValuePence/100, t.ValuePence%100)},
		"deadline": {t.Deadline.In(london).Format("2006-01-02T15:04")}, "w_price": {strconv.Itoa(t.WPrice)}, "w_quality": {strconv.Itoa(t.WQuality)}, "w_sv": {strconv.Itoa(t.WSV)},
		"alpha": {strconv.Itoa(t.AlphaPercent)}, "method": {t.Method}, "reservation": {t.Reservation}, "gates": t.Gates,
		"weights_round": {strconv.FormatInt(t.WeightsRound, 10)}, "buyer": {strconv.FormatInt(t.BuyerOrgID, 10)}, "framework": {strconv.FormatInt(t.FrameworkID, 10)}}
	for i, c := range t.Criteria {
		f.Set(fmt.Sprintf("criterion_title_%d", i), c.Title)
		f.Set(fmt.Sprintf("criterion_weight_%d", i), strconv.Itoa(c.Weight))
	}
	for _, m := range t.Measures {
		f.Add("measures", strconv.FormatInt(m.ID, 10))
	}
	if t.Uplift != nil {
		f.Set("uplift_index", upliftKey(t.Uplift.Index, t.Uplift.Published))
		f.Set("uplift_year", t.Uplift.PriceYear)
	}
	actForm(f, t)
	return f
}

func (s *Server) editTenderForm(w http.ResponseWriter, r *http.Request) error {
	t, _, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if t.Status != tenders.Draft {
		return fmt.Errorf("only a draft can be edited: %w", problem.ErrConflict)
	}
	if r.URL.Query().Get("framework") == "" { // the draft's own framework
		q := r.URL.Query()
		q.Set("framework", strconv.FormatInt(t.FrameworkID, 10))
		r.URL.RawQuery = q.Encode()
	}
	data, _, err := s.tenderFormData(r)
	if err != nil {
		return err
	}
	data["Action"] = fmt.Sprintf("/tenders/%d/edit", t.ID)
	title := "Edit tender"
	if t.IsLot() {
		p, err := s.Store.Tender(r.Context(), t.ParentID, s.now())
		if err != nil {
			return err
		}
		data["Lot"], title = p, "Edit "+strings.ToLower(t.LotLabel()[:1])+t.LotLabel()[1:]+" of "+p.Title
	}
	s.render(w, r, http.StatusOK, "tender-form", &page{Title: title, Form: tenderForm(t), Data: data})
	return nil
}

func (s *Server) editTender(w http.ResponseWriter, r *http.Request) error {
	old, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var parent *tenders.Tender
	if old.IsLot() { // a lot's deadline and procedure are its tender's
		p, err := s.Store.Tender(r.Context(), old.ParentID, s.now())
		if err != nil {
			return err
		}
		parent = &p
		lotForm(r.PostForm, p)
	}
	data, fw, err := s.tenderFormData(r)
	if err != nil {
		return err
	}
	t, v := parseTender(r.PostForm, fw, data["PriceIndexes"].([]proxies.Index))
	checkWeightsRound(v, t.WeightsRound, data["Rounds"].([]orgs.Option))
	t.ID, t.BuyerOrgID = old.ID, old.BuyerOrgID
	if old.HasLots() && v.Message("value") != "" { // a tender with lots is worth the sum of its lots
		v = withoutField(v, "value")
	}
	if err := v.Err(); err != nil {
		data["Action"] = fmt.Sprintf("/tenders/%d/edit", t.ID)
		if parent != nil {
			data["Lot"] = *parent
		}
		return s.invalid(w, r, err, "tender-form", &page{Title: "Edit tender", Data: data})
	}
	if err := s.Store.UpdateTender(r.Context(), a, t); err != nil {
		return err
	}
	setFlash(w, "Tender saved")
	return redirect(w, r, fmt.Sprintf("/tenders/%d", t.ID))
}

// peopleFor returns the People's Weights a tender uses and a link to them.
// It reads only the edition's priority codes and the published weights
// with the round's title (two small queries), not the edition's tree.
func (s *Server) peopleFor(r *http.Request, t tenders.Tender) (tenders.EvalPeople, error) {
	ps, err := s.Store.FrameworkPriorities(r.Context(), t.FrameworkID)
	if err != nil {
		return tenders.EvalPeople{}, err
	}
	codes := make([]string, 0, len(ps))
	for _, p := range ps {
		codes = append(codes, p.Code)
	}
	if t.WeightsRound == 0 {
		return tenders.People(nil, codes, ""), nil
	}
	pw, err := s.Store.TenderWeights(r.Context(), t.WeightsRound)
	if err != nil {
		return tenders.EvalPeople{}, err
	}
	var shares map[string]float64
	if err := json.Unmarshal([]byte(pw.Weights), &shares); err != nil {
		return tenders.EvalPeople{}, fmt.Errorf("people's weights: %w", err)
	}
	return tenders.People(shares, codes, fmt.Sprintf("People's Weights from %q, published %s from %d ballots (%s)", pw.RoundTitle, pw.PublishedAt.In(london).Format("2 January 2006"), pw.BallotCount, weightsLink(t))), nil
}

// weightsLink is the page of the People's Weights a tender uses ("" for equal weights).
func weightsLink(t tenders.Tender) string {
	if t.WeightsRound == 0 {
		return ""
	}
	return fmt.Sprintf("/priorities/%d/results", t.WeightsRound)
}

// measureRow is a selected measure with its priority's People's Weight and
// its resulting weight ω within the social value score.
type measureRow struct {
	tenders.Measure
	People string
	Omega  string
}

func measureRows(t tenders.Tender, people tenders.EvalPeople) []measureRow {
	var ems []tenders.EvalMeasure
	for _, m := range t.Measures {
		ems = append(ems, tenders.EvalMeasure{Key: m.Code, Priority: m.PriorityCode})
	}
	omega, _ := tenders.MeasureWeights(people, ems)
	var out []measureRow
	for _, m := range t.Measures {
		row := measureRow{Measure: m, People: people.Weights[m.PriorityCode]}
		if o := omega[m.Code]; o != nil {
			row.Omega = tenders.Round4(o)
		}
		out = append(out, row)
	}
	return out
}

func (s *Server) tenderPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	k, g, err := s.keptTender(r, id) // tenders_page.go
	if err != nil {
		return err
	}
	a := actorFrom(r)
	ctx := r.Context()
	now := s.now()
	t := closedAt(k.t, now)
	manage := auth.Can(a, auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID})
	if t.Status == tenders.Draft && !manage { // as tenderFor
		return fmt.Errorf("draft tender %d: %w", id, problem.ErrNotFound)
	}
	sealed, lots := t.Sealed(now), lotsAt(k.lots, now)
	if !sealed { // bids are counted per request, never kept
		counts, err := s.Store.TenderBidCounts(ctx, t.ID)
		if err != nil {
			return err
		}
		t = withBidCounts(t, lots, counts)
	}
	// The bidder's own receipts, one list per organisation it may bid for.
	type own struct {
		OrgID   int64
		OrgName string
		Bids    []store.SealedBid
	}
	var mine []own
	for _, m := range a.Memberships {
		if !auth.Can(a, auth.Bid, auth.Target{OrgID: m.OrgID}) || slices.ContainsFunc(mine, func(o own) bool { return o.OrgID == m.OrgID }) {
			continue
		}
		bids, err := s.Store.OrgBids(ctx, t.ID, m.OrgID)
		if err != nil {
			return err
		}
		mine = append(mine, own{m.OrgID, m.OrgName, bids})
	}
	act := actRows(t, now)
	parts, err := s.tenderParts(g, k, t, act, now)
	if err != nil {
		return err
	}
	data := k.partsData(t, act, manage)
	data["HeadHTML"], data["FactsHTML"], data["ModelHTML"], data["DocsHTML"], data["QuestionsHTML"] = parts.head, parts.facts, parts.model, parts.docs, parts.questions
	if manage { // the buyer's people also see unanswered questions, with forms
		if data["QuestionsHTML"], err = s.renderPart("tender", "tender-questions", &page{Data: data}); err != nil {
			return err
		}
	}
	data["Mine"], data["Open"], data["Sealed"], data["StatusLabel"], data["Lots"] = mine, t.Open(now), sealed, tenders.StatusLabel(t.Status), lots
	data["Evaluators"], data["Candidates"] = []store.Evaluator(nil), []auth.Membership(nil) // both only for the buyer of a closed tender
	// Evaluators see the evaluation once bids are open, on a tender
	// without lots: only then is who they are asked.
	var evs []store.Evaluator
	if a.SignedIn() && !sealed && !t.HasLots() {
		if evs, err = s.Store.Evaluators(ctx, t.ID); err != nil {
			return err
		}
	}
	data["IsEvaluator"] = slices.ContainsFunc(evs, func(e store.Evaluator) bool { return e.UserID == a.ID() })
	if manage && t.Status == tenders.Closed {
		members, err := s.Store.MembersOfOrg(ctx, t.BuyerOrgID)
		if err != nil {
			return err
		}
		var candidates []auth.Membership
		for _, m := range members {
			if (m.Role == auth.RoleEvaluator || m.Role == auth.RoleBuyer) && !slices.ContainsFunc(candidates, func(c auth.Membership) bool { return c.UserID == m.UserID }) {
				candidates = append(candidates, m)
			}
		}
		data["Evaluators"], data["Candidates"] = evs, candidates
	}
	s.render(w, r, http.StatusOK, "tender", &page{Title: t.Title, Data: data})
	return nil
}

func gateLabels(gs []string) []string {
	var out []string
	for _, g := range gs {
		out = append(out, tenders.GateLabel(g))
	}
	return out
}

func (s *Server) moveTender(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	to := r.PostForm.Get("to")
	if to != tenders.Published && to != tenders.Cancelled {
		return problem.Field("to", "Choose publish or cancel")
	}
	if to == tenders.Published && t.Status == tenders.Draft {
		if err := s.checkLotsBeforePublishing(r, t); err != nil { // tenders_lots.go
			return err
		}
		return s.publishTender(w, r, t, a)
	}
	if err := s.Store.MoveTender(r.Context(), a, t.ID, to, s.now()); err != nil {
		return err
	}
	setFlash(w, "Tender "+map[string]string{tenders.Published: "published: suppliers can now bid", tenders.Cancelled: "cancelled"}[to])
	return redirect(w, r, fmt.Sprintf("/tenders/%d", t.ID))
}
