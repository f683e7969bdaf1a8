package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// MaxDocumentBytes bounds one tender document.
const MaxDocumentBytes = 5 << 20

// documentTypes are the document types a buyer may upload.
var documentTypes = map[string]string{".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".odt": "application/vnd.oasis.opendocument.text",
	".csv": "text/csv", ".txt": "text/plain"}

func (s *Server) tenderRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /tenders", h(s.tenderList))
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
	mux.Handle("POST /tenders/{id}/evaluators", h(s.assignEvaluators))
	mux.Handle("GET /tenders/{id}/marking", h(s.markingForm))
	mux.Handle("POST /tenders/{id}/marking", h(s.submitMarking))
	mux.Handle("GET /tenders/{id}/moderation", h(s.moderationForm))
	mux.Handle("POST /tenders/{id}/moderation", h(s.submitModeration))
	mux.Handle("GET /tenders/{id}/evaluation", h(s.evaluationPage))
	mux.Handle("GET /tenders/{id}/evaluation.json", h(s.evaluationJSON))
	mux.Handle("POST /tenders/{id}/award", h(s.awardTender))
	mux.Handle("GET /tenders/{id}/award", h(s.awardPage))
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

func (s *Server) tenderList(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r)
	all, err := s.Store.ListTenders(r.Context(), store.TenderFilter{}, s.now())
	if err != nil {
		return err
	}
	var list []tenders.Tender
	for _, t := range all {
		if t.Status != tenders.Draft || auth.Can(a, auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID}) {
			list = append(list, t)
		}
	}
	s.render(w, r, http.StatusOK, "tenders", &page{Title: "Tenders", Data: map[string]any{"Tenders": list, "CanCreate": len(a.OrgsWith(orgs.PublicBody, auth.RoleBuyer, auth.RoleOrgAdmin)) > 0}})
	return nil
}

// tenderFormData is what the tender form offers: the buyer's bodies, the
// latest published framework's measures and the published People's Weights.
func (s *Server) tenderFormData(r *http.Request) (map[string]any, framework.Framework, error) {
	a := actorFrom(r)
	var f framework.Framework
	fws, err := s.Store.ListFrameworks(r.Context())
	if err != nil {
		return nil, f, err
	}
	for _, x := range fws {
		if x.Status == framework.Published && (f.ID == 0 || x.PublishedAt != nil && f.PublishedAt != nil && x.PublishedAt.After(*f.PublishedAt)) {
			f = x
		}
	}
	if f.ID == 0 {
		return nil, f, fmt.Errorf("no published framework to choose measures from: %w", problem.ErrConflict)
	}
	if f, err = s.Store.Framework(r.Context(), f.ID); err != nil {
		return nil, f, err
	}
	rounds, err := s.Store.ListRounds(r.Context())
	if err != nil {
		return nil, f, err
	}
	var published []orgs.Option
	for _, rd := range rounds {
		if rd.Status == priorities.Published && rd.FrameworkID == f.ID {
			published = append(published, orgs.Option{Value: strconv.FormatInt(rd.ID, 10), Label: rd.Title})
		}
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
	return map[string]any{"Framework": f, "Rounds": published, "Bodies": bodies, "Methods": methods, "Reservations": reservations, "Gates": gates,
		"CriterionRows": []int{0, 1, 2, 3, 4}, "Minimum": tenders.DefaultSVMinimum}, f, nil
}

func (s *Server) newTenderForm(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	if len(a.OrgsWith(orgs.PublicBody, auth.RoleBuyer, auth.RoleOrgAdmin)) == 0 {
		return fmt.Errorf("create tender: %w", problem.ErrForbidden)
	}
	data, _, err := s.tenderFormData(r)
	if err != nil {
		return err
	}
	form := url.Values{"w_price": {"40"}, "w_quality": {"40"}, "w_sv": {"20"}, "alpha": {"50"}, "method": {tenders.MethodRelative}, "gates": {tenders.GateRLW, tenders.GateExclusion},
		"deadline": {s.now().Add(28 * 24 * time.Hour).In(london).Format("2006-01-02T15:04")}}
	if rs := data["Rounds"].([]orgs.Option); len(rs) > 0 {
		form.Set("weights_round", rs[len(rs)-1].Value)
	}
	if bs := data["Bodies"].([]orgs.Option); len(bs) > 0 {
		form.Set("buyer", bs[0].Value)
	}
	data["Action"] = "/tenders"
	s.render(w, r, http.StatusOK, "tender-form", &page{Title: "Create a tender", Form: form, Data: data})
	return nil
}

// parseTender reads the tender form into a tender and field errors.
func parseTender(f url.Values, fw framework.Framework) (tenders.Tender, *problem.Invalid) {
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
					if len(m.Proxies) > 0 {
						tm.ProxyPence, tm.ProxySource = m.Proxies[0].PencePerUnit, m.Proxies[0].Source
					}
					t.Measures = append(t.Measures, tm)
				}
			}
		}
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
	t, v := parseTender(r.PostForm, fw)
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
		"weights_round": {strconv.FormatInt(t.WeightsRound, 10)}, "buyer": {strconv.FormatInt(t.BuyerOrgID, 10)}}
	for i, c := range t.Criteria {
		f.Set(fmt.Sprintf("criterion_title_%d", i), c.Title)
		f.Set(fmt.Sprintf("criterion_weight_%d", i), strconv.Itoa(c.Weight))
	}
	for _, m := range t.Measures {
		f.Add("measures", strconv.FormatInt(m.ID, 10))
	}
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
	data, _, err := s.tenderFormData(r)
	if err != nil {
		return err
	}
	data["Action"] = fmt.Sprintf("/tenders/%d/edit", t.ID)
	s.render(w, r, http.StatusOK, "tender-form", &page{Title: "Edit tender", Form: tenderForm(t), Data: data})
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
	data, fw, err := s.tenderFormData(r)
	if err != nil {
		return err
	}
	t, v := parseTender(r.PostForm, fw)
	t.ID, t.BuyerOrgID = old.ID, old.BuyerOrgID
	if err := v.Err(); err != nil {
		data["Action"] = fmt.Sprintf("/tenders/%d/edit", t.ID)
		return s.invalid(w, r, err, "tender-form", &page{Title: "Edit tender", Data: data})
	}
	if err := s.Store.UpdateTender(r.Context(), a, t); err != nil {
		return err
	}
	setFlash(w, "Tender saved")
	return redirect(w, r, fmt.Sprintf("/tenders/%d", t.ID))
}

// peopleFor returns the People's Weights a tender uses and a link to them.
func (s *Server) peopleFor(r *http.Request, t tenders.Tender) (tenders.EvalPeople, string, error) {
	fw, err := s.Store.Framework(r.Context(), t.FrameworkID)
	if err != nil {
		return tenders.EvalPeople{}, "", err
	}
	var codes []string
	for _, p := range fw.Priorities {
		codes = append(codes, p.Code)
	}
	if t.WeightsRound == 0 {
		return tenders.People(nil, codes, ""), "", nil
	}
	pw, err := s.Store.PublishedWeights(r.Context(), t.WeightsRound)
	if err != nil {
		return tenders.EvalPeople{}, "", err
	}
	var shares map[string]float64
	if err := json.Unmarshal([]byte(pw.Weights), &shares); err != nil {
		return tenders.EvalPeople{}, "", fmt.Errorf("people's weights: %w", err)
	}
	round, err := s.Store.Round(r.Context(), t.WeightsRound)
	if err != nil {
		return tenders.EvalPeople{}, "", err
	}
	link := fmt.Sprintf("/priorities/%d/results", t.WeightsRound)
	return tenders.People(shares, codes, fmt.Sprintf("People's Weights from %q, published %s from %d ballots (%s)", round.Title, pw.PublishedAt.In(london).Format("2 January 2006"), pw.BallotCount, link)), link, nil
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
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	ctx := r.Context()
	people, link, err := s.peopleFor(r, t)
	if err != nil {
		return err
	}
	docs, err := s.Store.TenderDocuments(ctx, t.ID)
	if err != nil {
		return err
	}
	qs, err := s.Store.Questions(ctx, t.ID)
	if err != nil {
		return err
	}
	manage := auth.Can(a, auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID})
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
	data := map[string]any{"T": t, "People": people, "PeopleLink": link, "Measures": measureRows(t, people), "Docs": docs, "Questions": qs, "Manage": manage,
		"Mine": mine, "Open": t.Open(s.now()), "Sealed": t.Sealed(s.now()), "StatusLabel": tenders.StatusLabel(t.Status), "Gates": gateLabels(t.Gates)}
	if manage && t.Status == tenders.Closed {
		evs, err := s.Store.Evaluators(ctx, t.ID)
		if err != nil {
			return err
		}
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
	if evs, err := s.Store.Evaluators(ctx, t.ID); err == nil && slices.ContainsFunc(evs, func(e store.Evaluator) bool { return e.UserID == a.ID() }) {
		data["IsEvaluator"] = true
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
	if err := s.Store.MoveTender(r.Context(), a, t.ID, to, s.now()); err != nil {
		return err
	}
	setFlash(w, "Tender "+map[string]string{tenders.Published: "published: suppliers can now bid", tenders.Cancelled: "cancelled"}[to])
	return redirect(w, r, fmt.Sprintf("/tenders/%d", t.ID))
}

func (s *Server) uploadTenderDocument(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if !(t.Status == tenders.Draft || t.Open(s.now())) {
		_ = s.Store.RecordRefusal(r.Context(), a, "tender.document.add", "tender", strconv.FormatInt(t.ID, 10), "tender is "+t.Status)
		return fmt.Errorf("documents cannot be added to a %s tender: %w", t.Status, problem.ErrForbidden)
	}
	file, hdr, err := r.FormFile("document")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return problem.Field("document", "Choose a file to upload")
	}
	defer file.Close()
	ext := strings.ToLower(filepath.Ext(hdr.Filename))
	ctype, ok := documentTypes[ext]
	if !ok {
		return problem.Field("document", "%s is not an allowed type: upload PDF, DOCX, XLSX, ODT, CSV or TXT", hdr.Filename)
	}
	body, err := io.ReadAll(io.LimitReader(file, MaxDocumentBytes+1))
	if err != nil {
		return err
	}
	if len(body) > MaxDocumentBytes {
		return problem.Field("document", "%s is larger than the %d MB limit", hdr.Filename, MaxDocumentBytes>>20)
	}
	if err := s.Store.AddTenderDocument(r.Context(), a, store.TenderDocument{TenderID: t.ID, Name: filepath.Base(hdr.Filename), ContentType: ctype, Content: body}, s.now()); err != nil {
		if errors.Is(err, problem.ErrForbidden) {
			_ = s.Store.RecordRefusal(r.Context(), a, "tender.document.add", "tender", strconv.FormatInt(t.ID, 10), err.Error())
		}
		return err
	}
	setFlash(w, "Document added")
	return redirect(w, r, fmt.Sprintf("/tenders/%d#documents", t.ID))
}

func (s *Server) tenderDocument(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "doc")
	if err != nil {
		return err
	}
	d, err := s.Store.TenderDocumentContent(r.Context(), t.ID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", d.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name}))
	_, err = w.Write(d.Content)
	return err
}

func (s *Server) askQuestion(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	org, _ := strconv.ParseInt(r.PostForm.Get("org"), 10, 64)
	a, err := require(r, auth.Bid, auth.Target{OrgID: org})
	if err != nil {
		return err
	}
	if !t.Open(s.now()) {
		return fmt.Errorf("questions are taken while the tender is open: %w", problem.ErrConflict)
	}
	q := strings.TrimSpace(r.PostForm.Get("question"))
	if q == "" {
		return problem.Field("question", "Enter your question")
	}
	if err := s.Store.AskQuestion(r.Context(), a, store.Question{TenderID: t.ID, AskerOrgID: org, Question: q}, s.now()); err != nil {
		return err
	}
	setFlash(w, "Question sent to the buyer. The answer will be published here for every bidder, without your name.")
	return redirect(w, r, fmt.Sprintf("/tenders/%d#questions", t.ID))
}

func (s *Server) answerQuestion(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	qid, err := pathID(r, "q")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	ans := strings.TrimSpace(r.PostForm.Get("answer"))
	if ans == "" {
		return problem.Field("answer", "Enter the answer")
	}
	if err := s.Store.AnswerQuestion(r.Context(), a, t.ID, qid, ans, s.now()); err != nil {
		return err
	}
	setFlash(w, "Answer published to all bidders")
	return redirect(w, r, fmt.Sprintf("/tenders/%d#questions", t.ID))
}

// bidderOrgs are the organisations the actor may bid for on t (respecting
// a VCSE or SME reservation).
func (s *Server) bidderOrgs(r *http.Request, t tenders.Tender) ([]orgs.Organisation, error) {
	a := actorFrom(r)
	var out []orgs.Organisation
	for _, m := range a.Memberships {
		if !auth.Can(a, auth.Bid, auth.Target{OrgID: m.OrgID}) || (m.OrgKind != orgs.Business && m.OrgKind != orgs.VCSE) || slices.ContainsFunc(out, func(o orgs.Organisation) bool { return o.ID == m.OrgID }) {
			continue
		}
		o, err := s.Store.OrganisationByID(r.Context(), m.OrgID)
		if err != nil {
			return nil, err
		}
		if (t.Reservation == "vcse" && o.Kind != orgs.VCSE) || (t.Reservation == "sme" && !o.SME()) {
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

func (s *Server) bidFormData(r *http.Request, t tenders.Tender, bidders []orgs.Organisation) (map[string]any, error) {
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return nil, err
	}
	areas := []orgs.Option{{Value: "", Label: "Across Greater Manchester"}}
	for _, d := range districts {
		areas = append(areas, orgs.Option{Value: d.Code, Label: d.Name})
	}
	var bo []orgs.Option
	for _, o := range bidders {
		bo = append(bo, orgs.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.LegalName})
	}
	crit := make([]map[string]any, len(t.Criteria))
	for i, c := range t.Criteria {
		crit[i] = map[string]any{"Key": tenders.CriterionKey(i), "C": c}
	}
	return map[string]any{"T": t, "Areas": areas, "Bidders": bo, "Criteria": crit, "Gates": t.Gates, "GateLabel": gateLabels(t.Gates)}, nil
}

func (s *Server) bidForm(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	if !actorFrom(r).SignedIn() {
		return problem.ErrUnauthorised
	}
	if !t.Open(s.now()) {
		return fmt.Errorf("this tender is not open for bids: %w", problem.ErrConflict)
	}
	bidders, err := s.bidderOrgs(r, t)
	if err != nil {
		return err
	}
	if len(bidders) == 0 {
		return fmt.Errorf("you need to be a supplier representative of an eligible organisation to bid: %w", problem.ErrForbidden)
	}
	data, err := s.bidFormData(r, t, bidders)
	if err != nil {
		return err
	}
	form := url.Values{"org": {strconv.FormatInt(bidders[0].ID, 10)}}
	// Resubmitting starts from the latest version.
	if own, err := s.Store.OrgBids(r.Context(), t.ID, bidders[0].ID); err == nil && len(own) > 0 {
		wrapped, err := s.Store.TenderKey(r.Context(), t.ID)
		if err != nil {
			return err
		}
		b, err := s.Sealer.OpenBid(t, wrapped, own[0].OrgID, own[0].Version, own[0].Sealed, tenders.Opening{Now: s.now(), OwnBid: true})
		if err != nil {
			return err
		}
		form = bidValues(t, b)
		form.Set("org", strconv.FormatInt(bidders[0].ID, 10))
		data["Version"] = own[0].Version
	}
	s.render(w, r, http.StatusOK, "bid-form", &page{Title: "Submit a bid: " + t.Title, Form: form, Data: data})
	return nil
}

func bidValues(t tenders.Tender, b tenders.BidContent) url.Values {
	f := url.Values{"price": {fmt.Sprintf("%d.%02d", b.PricePence/100, b.PricePence%100)}, "sv_answer": {b.SVAnswer}}
	for k, v := range b.Answers {
		f.Set("answer_"+k, v)
	}
	for k, c := range b.Commitments {
		f.Set("qty_"+k, c.Quantity)
		f.Set("plan_"+k, c.Plan)
		f.Set("where_"+k, c.Where)
	}
	for g, d := range b.Gates {
		f.Set("gate_"+g, map[bool]string{true: "yes", false: "no"}[d.Meets])
		f.Set("evidence_"+g, d.Evidence)
	}
	return f
}

func parseBid(t tenders.Tender, f url.Values) (tenders.BidContent, error) {
	b := tenders.BidContent{Answers: map[string]string{}, Commitments: map[string]tenders.Commitment{}, Gates: map[string]tenders.Declaration{}, SVAnswer: strings.TrimSpace(f.Get("sv_answer"))}
	price, ok := parsePence(f.Get("price"))
	if ok {
		b.PricePence = price
	}
	for i := range t.Criteria {
		k := tenders.CriterionKey(i)
		b.Answers[k] = strings.TrimSpace(f.Get("answer_" + k))
	}
	for _, m := range t.Measures {
		q := strings.TrimSpace(f.Get("qty_" + m.Code))
		if q == "" {
			continue
		}
		if milli, err := tenders.ParseQuantity(q); err == nil {
			q = tenders.Milli(milli) // canonical digits, so the receipt does not depend on "1,000" vs "1000"
		}
		b.Commitments[m.Code] = tenders.Commitment{Quantity: q, Plan: strings.TrimSpace(f.Get("plan_" + m.Code)), Where: f.Get("where_" + m.Code)}
	}
	for _, g := range t.Gates {
		switch f.Get("gate_" + g) {
		case "yes":
			b.Gates[g] = tenders.Declaration{Meets: true, Evidence: strings.TrimSpace(f.Get("evidence_" + g))}
		case "no":
			b.Gates[g] = tenders.Declaration{Meets: false, Evidence: strings.TrimSpace(f.Get("evidence_" + g))}
		}
	}
	err := tenders.ValidateBid(t, b)
	if _, ok := parsePence(f.Get("price")); !ok && f.Get("price") != "" {
		v := &problem.Invalid{}
		v.Add("price", "Enter the price in pounds, like 950000 or 950,000.00")
		if inv := (*problem.Invalid)(nil); errors.As(err, &inv) {
			for _, fe := range inv.Fields {
				if fe.Field != "price" {
					v.Fields = append(v.Fields, fe)
				}
			}
		}
		return b, v
	}
	return b, err
}

func (s *Server) submitBid(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	org, _ := strconv.ParseInt(r.PostForm.Get("org"), 10, 64)
	a, err := require(r, auth.Bid, auth.Target{OrgID: org})
	if err != nil {
		return err
	}
	bidders, err := s.bidderOrgs(r, t)
	if err != nil {
		return err
	}
	var bidder orgs.Organisation
	for _, o := range bidders {
		if o.ID == org {
			bidder = o
		}
	}
	if bidder.ID == 0 {
		return fmt.Errorf("this organisation cannot bid for this tender (it may be reserved): %w", problem.ErrForbidden)
	}
	if !t.Open(s.now()) {
		_ = s.Store.RecordRefusal(r.Context(), a, "bid.submit", "tender", strconv.FormatInt(t.ID, 10), "after the deadline or not open")
		return fmt.Errorf("this tender is not accepting bids; the deadline was %s: %w", t.Deadline.In(london).Format("15:04 on 2 January 2006"), problem.ErrConflict)
	}
	b, err := parseBid(t, r.PostForm)
	if err != nil {
		data, derr := s.bidFormData(r, t, bidders)
		if derr != nil {
			return derr
		}
		return s.invalid(w, r, err, "bid-form", &page{Title: "Submit a bid: " + t.Title, Data: data})
	}
	wrapped, err := s.Store.TenderKey(r.Context(), t.ID)
	if err != nil {
		return err
	}
	canon := b.Canonical()
	sha := tenders.Digest(canon)
	now := s.now()
	v, err := s.Store.SubmitBid(r.Context(), a, t.ID, org, sha, func(version int) ([]byte, error) {
		return s.Sealer.SealBid(t.ID, wrapped, org, version, canon)
	}, now)
	if err != nil {
		return err
	}
	receipt := tenders.Receipt{Tender: t.ID, Supplier: bidder.LegalName, Version: v, SHA256: sha, SubmittedAt: now.UTC().Truncate(time.Second)}
	s.render(w, r, http.StatusOK, "bid-receipt", &page{Title: "Bid received", Data: map[string]any{"T": t, "R": receipt}})
	return nil
}

// entitled reports whether the actor may read a tender's bids once opened:
// the buyer's people and the assigned evaluators.
func (s *Server) entitled(r *http.Request, t tenders.Tender) (bool, error) {
	a := actorFrom(r)
	if auth.Can(a, auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID}) {
		return true, nil
	}
	if !a.SignedIn() {
		return false, nil
	}
	evs, err := s.Store.Evaluators(r.Context(), t.ID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(evs, func(e store.Evaluator) bool { return e.UserID == a.ID() }), nil
}

// openBids decrypts every final bid for an entitled actor after the
// deadline. Before it, the attempt is refused and audited.
func (s *Server) openBids(r *http.Request, t tenders.Tender) ([]tenders.OpenedBid, error) {
	a := actorFrom(r)
	ok, err := s.entitled(r, t)
	if err != nil {
		return nil, err
	}
	if !a.SignedIn() {
		return nil, problem.ErrUnauthorised
	}
	if t.Sealed(s.now()) {
		_ = s.Store.RecordRefusal(r.Context(), a, "bid.view", "tender", strconv.FormatInt(t.ID, 10), "bids are sealed until the deadline")
		return nil, tenders.ErrSealed
	}
	if !ok {
		return nil, fmt.Errorf("bids: %w", problem.ErrForbidden)
	}
	finals, err := s.Store.FinalBids(r.Context(), t.ID, s.now())
	if err != nil {
		return nil, err
	}
	wrapped, err := s.Store.TenderKey(r.Context(), t.ID)
	if err != nil {
		return nil, err
	}
	out := make([]tenders.OpenedBid, 0, len(finals))
	for _, b := range finals {
		c, err := s.Sealer.OpenBid(t, wrapped, b.OrgID, b.Version, b.Sealed, tenders.Opening{Now: s.now(), Entitled: true})
		if err != nil {
			return nil, err
		}
		out = append(out, tenders.OpenedBid{OrgID: b.OrgID, Supplier: b.OrgName, SubmittedAt: b.SubmittedAt, Content: c})
	}
	return out, nil
}

func (s *Server) bidList(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	bids, err := s.openBids(r, t)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "bids", &page{Title: "Bids: " + t.Title, Data: map[string]any{"T": t, "Bids": bids}})
	return nil
}

func (s *Server) bidPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	org, err := pathID(r, "org")
	if err != nil {
		return err
	}
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	own := auth.Can(a, auth.Bid, auth.Target{OrgID: org})
	var versions []store.SealedBid
	var content tenders.BidContent
	if own {
		if versions, err = s.Store.OrgBids(r.Context(), t.ID, org); err != nil {
			return err
		}
		if len(versions) == 0 {
			return fmt.Errorf("no bid: %w", problem.ErrNotFound)
		}
		wrapped, err := s.Store.TenderKey(r.Context(), t.ID)
		if err != nil {
			return err
		}
		if content, err = s.Sealer.OpenBid(t, wrapped, org, versions[0].Version, versions[0].Sealed, tenders.Opening{Now: s.now(), OwnBid: true}); err != nil {
			return err
		}
	} else {
		bids, err := s.openBids(r, t)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(bids, func(b tenders.OpenedBid) bool { return b.OrgID == org })
		if i < 0 {
			return fmt.Errorf("no bid: %w", problem.ErrNotFound)
		}
		content = bids[i].Content
	}
	o, err := s.Store.OrganisationByID(r.Context(), org)
	if err != nil {
		return err
	}
	data, err := s.bidFormData(r, t, nil)
	if err != nil {
		return err
	}
	data["Org"], data["B"], data["Versions"], data["Own"] = o, content, versions, own
	s.render(w, r, http.StatusOK, "bid", &page{Title: "Bid from " + o.LegalName, Data: data})
	return nil
}

func (s *Server) assignEvaluators(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	members, err := s.Store.MembersOfOrg(r.Context(), t.BuyerOrgID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, v := range r.PostForm["evaluators"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		if !slices.ContainsFunc(members, func(m auth.Membership) bool { return m.UserID == id }) {
			return problem.Field("evaluators", "Evaluators must be members of %s", t.BuyerName)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return problem.Field("evaluators", "Choose at least one evaluator")
	}
	if err := s.Store.AssignEvaluators(r.Context(), a, t.ID, ids, s.now()); err != nil {
		return err
	}
	setFlash(w, fmt.Sprintf("%d evaluators assigned; each marks independently", len(ids)))
	return redirect(w, r, fmt.Sprintf("/tenders/%d#evaluation", t.ID))
}

// markKeys are the criteria an evaluator marks: Q1…Qn and SV.
func markKeys(t tenders.Tender) []string {
	var ks []string
	for i := range t.Criteria {
		ks = append(ks, tenders.CriterionKey(i))
	}
	if t.WSV > 0 && t.AlphaPercent < 100 {
		ks = append(ks, tenders.QualKey)
	}
	return ks
}

// markSlot is one mark an evaluator gives: a bid and a criterion.
type markSlot struct {
	Field  string
	Reason string
	Key    string
	Title  string
	Answer string
	Others []store.Mark
	Mean   string
}

type bidMarks struct {
	Bid   tenders.OpenedBid
	Slots []markSlot
}

func (s *Server) markingData(r *http.Request, t tenders.Tender) ([]bidMarks, *store.Evaluator, error) {
	a := actorFrom(r)
	evs, err := s.Store.Evaluators(r.Context(), t.ID)
	if err != nil {
		return nil, nil, err
	}
	i := slices.IndexFunc(evs, func(e store.Evaluator) bool { return e.UserID == a.ID() })
	if i < 0 {
		return nil, nil, fmt.Errorf("you are not an evaluator of this tender: %w", problem.ErrForbidden)
	}
	bids, err := s.openBids(r, t)
	if err != nil {
		return nil, nil, err
	}
	var all []store.Mark
	if evs[i].SubmittedAt != nil { // only after submitting may an evaluator see the others
		if all, err = s.Store.Marks(r.Context(), t.ID); err != nil {
			return nil, nil, err
		}
	}
	return slots(t, bids, all), &evs[i], nil
}

func slots(t tenders.Tender, bids []tenders.OpenedBid, all []store.Mark) []bidMarks {
	var out []bidMarks
	for _, b := range bids {
		bm := bidMarks{Bid: b}
		for _, k := range markKeys(t) {
			title, answer := "Qualitative social value answer", b.Content.SVAnswer
			if k != tenders.QualKey {
				n, _ := strconv.Atoi(strings.TrimPrefix(k, "Q"))
				title, answer = t.Criteria[n-1].Title, b.Content.Answers[k]
			}
			slot := markSlot{Field: fmt.Sprintf("mark_%d_%s", b.OrgID, k), Reason: fmt.Sprintf("reason_%d_%s", b.OrgID, k), Key: k, Title: title, Answer: answer}
			var ms []int
			for _, m := range all {
				if m.OrgID == b.OrgID && m.Criterion == k {
					slot.Others = append(slot.Others, m)
					ms = append(ms, m.Mark)
				}
			}
			slot.Mean = tenders.MeanMark(ms)
			bm.Slots = append(bm.Slots, slot)
		}
		out = append(out, bm)
	}
	return out
}

func (s *Server) markingForm(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	if !actorFrom(r).SignedIn() {
		return problem.ErrUnauthorised
	}
	bms, ev, err := s.markingData(r, t)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "marking", &page{Title: "Mark bids: " + t.Title, Form: url.Values{}, Data: map[string]any{"T": t, "Bids": bms, "Me": ev, "Scale": tenders.DefaultDescriptors}})
	return nil
}

func (s *Server) submitMarking(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	a, err := requireUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if t.Status == tenders.Evaluated || t.Status == tenders.Awarded {
		_ = s.Store.RecordRefusal(r.Context(), a, "tender.marks.submit", "tender", strconv.FormatInt(t.ID, 10), "after moderation")
		return store.ErrModerated
	}
	bms, ev, err := s.markingData(r, t)
	if err != nil {
		return err
	}
	if ev.SubmittedAt != nil {
		return fmt.Errorf("you have already submitted your marks: %w", problem.ErrConflict)
	}
	v := &problem.Invalid{}
	var marks []store.Mark
	for _, bm := range bms {
		for _, sl := range bm.Slots {
			mk, err := strconv.Atoi(r.PostForm.Get(sl.Field))
			if err != nil || mk < 0 || mk > 5 {
				v.Add(sl.Field, "Choose a mark from 0 to 5 for %s, %s", bm.Bid.Supplier, sl.Key)
			}
			reason := strings.TrimSpace(r.PostForm.Get(sl.Reason))
			if reason == "" {
				v.Add(sl.Reason, "Give a reason for your mark for %s, %s", bm.Bid.Supplier, sl.Key)
			}
			marks = append(marks, store.Mark{OrgID: bm.Bid.OrgID, Criterion: sl.Key, Mark: mk, Reason: reason})
		}
	}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "marking", &page{Title: "Mark bids: " + t.Title, Data: map[string]any{"T": t, "Bids": bms, "Me": ev, "Scale": tenders.DefaultDescriptors}})
	}
	if err := s.Store.SubmitMarks(r.Context(), a, t.ID, marks, s.now()); err != nil {
		if errors.Is(err, store.ErrModerated) {
			_ = s.Store.RecordRefusal(r.Context(), a, "tender.marks.submit", "tender", strconv.FormatInt(t.ID, 10), "after moderation")
		}
		return err
	}
	setFlash(w, "Your marks are submitted. You can now see the other evaluators' marks.")
	return redirect(w, r, fmt.Sprintf("/tenders/%d/marking", t.ID))
}

func (s *Server) moderationData(r *http.Request, t tenders.Tender) (map[string]any, error) {
	bids, err := s.openBids(r, t)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.Marks(r.Context(), t.ID)
	if err != nil {
		return nil, err
	}
	evs, err := s.Store.Evaluators(r.Context(), t.ID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	pending := 0
	for _, e := range evs {
		names[e.UserID] = e.Name
		if e.SubmittedAt == nil {
			pending++
		}
	}
	return map[string]any{"T": t, "Bids": slots(t, bids, all), "Names": names, "Pending": pending, "Evaluators": evs}, nil
}

func (s *Server) moderationForm(w http.ResponseWriter, r *http.Request) error {
	t, _, err := s.manageTender(r)
	if err != nil {
		return err
	}
	data, err := s.moderationData(r, t)
	if err != nil {
		return err
	}
	// Default consensus: the mean, with a rationale saying so.
	form := url.Values{}
	for _, bm := range data["Bids"].([]bidMarks) {
		for _, sl := range bm.Slots {
			form.Set(sl.Field, sl.Mean)
			form.Set(sl.Reason, "Mean of the evaluators' marks")
		}
	}
	s.render(w, r, http.StatusOK, "moderation", &page{Title: "Moderate marks: " + t.Title, Form: form, Data: data})
	return nil
}

func (s *Server) submitModeration(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	data, err := s.moderationData(r, t)
	if err != nil {
		return err
	}
	v := &problem.Invalid{}
	var cs []store.Consensus
	for _, bm := range data["Bids"].([]bidMarks) {
		for _, sl := range bm.Slots {
			mark := strings.TrimSpace(r.PostForm.Get(sl.Field))
			if err := validMark(mark); err != nil {
				v.Add(sl.Field, "Consensus mark for %s, %s: %s", bm.Bid.Supplier, sl.Key, err)
			}
			rationale := strings.TrimSpace(r.PostForm.Get(sl.Reason))
			if rationale == "" {
				v.Add(sl.Reason, "Give the rationale for the consensus mark for %s, %s", bm.Bid.Supplier, sl.Key)
			}
			cs = append(cs, store.Consensus{OrgID: bm.Bid.OrgID, Criterion: sl.Key, Mark: mark, Rationale: rationale})
		}
	}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "moderation", &page{Title: "Moderate marks: " + t.Title, Data: data})
	}
	if err := s.Store.Moderate(r.Context(), a, t.ID, cs, s.now()); err != nil {
		return err
	}
	setFlash(w, "Consensus marks recorded; the evaluation is complete")
	return redirect(w, r, fmt.Sprintf("/tenders/%d/evaluation", t.ID))
}

// validMark accepts an exact mark from 0 to 5: a whole number, a decimal or
// a fraction such as 11/3 (the mean of three marks).
func validMark(s string) error {
	if s == "" {
		return errors.New("enter a mark from 0 to 5")
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "eE") {
		return fmt.Errorf("%q is not a number", s)
	}
	if r.Sign() < 0 || r.Cmp(big.NewRat(5, 1)) > 0 {
		return errors.New("must be between 0 and 5")
	}
	return nil
}

// evaluation builds the evaluation of a moderated tender.
func (s *Server) evaluation(r *http.Request, t tenders.Tender) (tenders.Evaluation, error) {
	bids, err := s.openBids(r, t)
	if err != nil {
		return tenders.Evaluation{}, err
	}
	cons, err := s.Store.ConsensusMarks(r.Context(), t.ID)
	if err != nil {
		return tenders.Evaluation{}, err
	}
	if len(cons) == 0 && len(bids) > 0 {
		return tenders.Evaluation{}, fmt.Errorf("the marks have not been moderated yet: %w", problem.ErrConflict)
	}
	byOrg := map[int64]map[string]string{}
	for _, c := range cons {
		if byOrg[c.OrgID] == nil {
			byOrg[c.OrgID] = map[string]string{}
		}
		byOrg[c.OrgID][c.Criterion] = c.Mark
	}
	people, _, err := s.peopleFor(r, t)
	if err != nil {
		return tenders.Evaluation{}, err
	}
	e := tenders.BuildEvaluation(t, people, bids, byOrg)
	res, err := tenders.Evaluate(e)
	if err != nil {
		return e, err
	}
	e.Results = res
	return e, nil
}

func (s *Server) evaluationPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	e, err := s.evaluation(r, t)
	if err != nil {
		return err
	}
	ranked := slices.Clone(e.Results)
	// Ranked bids first in rank order, then the excluded (rank 0).
	order := func(x tenders.Result) int {
		if x.Rank == 0 {
			return len(ranked) + 1
		}
		return x.Rank
	}
	slices.SortStableFunc(ranked, func(a, b tenders.Result) int { return order(a) - order(b) })
	people, link, _ := s.peopleFor(r, t)
	form := url.Values{"standstill_end": {s.now().AddDate(0, 0, 8).Format(time.DateOnly)}, "start": {s.now().AddDate(0, 1, 0).Format(time.DateOnly)},
		"end": {s.now().AddDate(2, 1, 0).Format(time.DateOnly)}}
	if len(ranked) > 0 && ranked[0].Rank == 1 {
		form.Set("winner", ranked[0].Bid)
	}
	var winners []orgs.Option
	for _, x := range ranked {
		if x.Compliant {
			winners = append(winners, orgs.Option{Value: x.Bid, Label: fmt.Sprintf("%s (rank %d, total %s)", x.Supplier, x.Rank, x.Total4)})
		}
	}
	s.render(w, r, http.StatusOK, "evaluation", &page{Title: "Evaluation: " + t.Title, Form: form, Data: map[string]any{"T": t, "E": e, "Ranked": ranked, "People": people, "PeopleLink": link,
		"Measures": measureRows(t, people), "Manage": auth.Can(actorFrom(r), auth.ManageTender, auth.Target{OrgID: t.BuyerOrgID}), "Winners": winners}})
	return nil
}

func (s *Server) evaluationJSON(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	e, err := s.evaluation(r, t)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=tender-%d-evaluation.json", t.ID))
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) awardTender(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	e, err := s.evaluation(r, t)
	if err != nil {
		return err
	}
	f := r.PostForm
	v := &problem.Invalid{}
	win := slices.IndexFunc(e.Results, func(x tenders.Result) bool { return x.Bid == f.Get("winner") && x.Compliant })
	if win < 0 {
		v.Add("winner", "Choose the winning compliant bid")
	}
	rationale := strings.TrimSpace(f.Get("rationale"))
	if rationale == "" {
		v.Add("rationale", "Record the reason for the award decision")
	}
	standstill, err1 := time.Parse(time.DateOnly, f.Get("standstill_end"))
	if err1 != nil {
		v.Add("standstill_end", "Enter the standstill end date, like 2026-12-01")
	}
	if err := contracts.ValidPeriod(f.Get("start"), f.Get("end")); err != nil {
		v.Add("start", "Enter the contract start and end dates, with the end after the start")
	}
	if err := v.Err(); err != nil {
		return err
	}
	res := e.Results[win]
	bid := e.Bids[slices.IndexFunc(e.Bids, func(b tenders.EvalBid) bool { return b.ID == res.Bid })]
	orgID, _ := strconv.ParseInt(strings.TrimPrefix(res.Bid, "org-"), 10, 64)
	bids, err := s.openBids(r, t)
	if err != nil {
		return err
	}
	content := bids[slices.IndexFunc(bids, func(b tenders.OpenedBid) bool { return b.OrgID == orgID })].Content
	var cs []contracts.Commitment
	for _, m := range t.Measures {
		c := content.Commitments[m.Code]
		q, err := tenders.ParseQuantity(c.Quantity)
		if err != nil || q == 0 {
			continue
		}
		cs = append(cs, contracts.Commitment{MeasureID: m.ID, QuantityMilli: q, Due: f.Get("end"), AreaCode: c.Where, Plan: c.Plan})
	}
	frozen, _ := json.Marshal(e)
	cid, err := s.Store.AwardTender(r.Context(), a, store.Award{TenderID: t.ID, SupplierID: orgID, ValuePence: bid.PricePence, Evaluation: string(frozen), Rationale: rationale,
		StandstillEnd: standstill.Format(time.DateOnly)}, contracts.Contract{BuyerOrgID: t.BuyerOrgID, Title: t.Title, Start: f.Get("start"), End: f.Get("end")}, cs, s.now())
	if err != nil {
		return err
	}
	setFlash(w, fmt.Sprintf("Awarded to %s. Contract %d created with %d social value commitments.", res.Supplier, cid, len(cs)))
	return redirect(w, r, fmt.Sprintf("/tenders/%d/award", t.ID))
}

func (s *Server) awardPage(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	aw, err := s.Store.AwardOf(r.Context(), t.ID)
	if err != nil {
		return err
	}
	var e tenders.Evaluation
	if err := json.Unmarshal([]byte(aw.Evaluation), &e); err != nil {
		return fmt.Errorf("award evaluation: %w", err)
	}
	a := actorFrom(r)
	var winner tenders.Result
	var mine []tenders.Result
	for _, x := range e.Results {
		if x.Bid == tenders.BidKey(aw.SupplierID) {
			winner = x
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(x.Bid, "org-"), 10, 64)
		if x.Bid != tenders.BidKey(aw.SupplierID) && auth.Can(a, auth.Bid, auth.Target{OrgID: id}) {
			mine = append(mine, x)
		}
	}
	s.render(w, r, http.StatusOK, "award", &page{Title: "Award: " + t.Title, Data: map[string]any{"T": t, "A": aw, "E": e, "Winner": winner, "Mine": mine}})
	return nil
}
