package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

func (s *Server) priorityRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /priorities", h(s.rounds))
	mux.Handle("GET /priorities/new", h(s.newRoundForm))
	mux.Handle("POST /priorities", h(s.createRound))
	mux.Handle("GET /priorities/{id}", h(s.roundPage))
	mux.Handle("GET /priorities/{id}/edit", h(s.editRoundForm))
	mux.Handle("POST /priorities/{id}/edit", h(s.editRound))
	mux.Handle("POST /priorities/{id}/ballot", h(s.submitBallot))
	mux.Handle("POST /priorities/{id}/status", h(s.moveRound))
	mux.Handle("POST /priorities/{id}/publish", h(s.publishRound))
	mux.Handle("GET /priorities/{id}/results", h(s.roundResults))
	mux.Handle("GET /priorities/{id}/results.json", h(s.roundResultsJSON))
	mux.Handle("GET /priorities/{id}/ballots.csv", h(s.roundBallotsCSV))
	mux.Handle("GET /priorities/{id}/comments", h(s.roundComments))
	mux.Handle("POST /priorities/{id}/comments", h(s.moderateComment))
	mux.Handle("GET /priorities/{id}/workshop/{org}", h(s.workshop))
	mux.Handle("POST /priorities/{id}/workshop/{org}/codes", h(s.createCodes))
	mux.Handle("POST /priorities/{id}/workshop/{org}/ballot", h(s.paperBallot))
	mux.Handle("POST /priorities/{id}/workshop/{org}/upload", h(s.paperUpload))
}

// loadRound returns the round in the path. Drafts are seen only by those
// who manage them.
func (s *Server) loadRound(r *http.Request) (priorities.Round, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return priorities.Round{}, err
	}
	rd, err := s.Store.Round(r.Context(), id)
	if err != nil {
		return rd, err
	}
	if rd.Status == priorities.Draft && !auth.Can(actorFrom(r), auth.ManageRound, auth.Target{OrgID: rd.OwnerOrgID}) {
		return rd, fmt.Errorf("draft round %d: %w", id, problem.ErrNotFound)
	}
	return rd, nil
}

func (s *Server) rounds(w http.ResponseWriter, r *http.Request) error {
	all, err := s.Store.ListRounds(r.Context())
	if err != nil {
		return err
	}
	a := actorFrom(r)
	var visible []priorities.Round
	for _, rd := range all {
		if rd.Status != priorities.Draft || auth.Can(a, auth.ManageRound, auth.Target{OrgID: rd.OwnerOrgID}) {
			visible = append(visible, rd)
		}
	}
	s.render(w, r, http.StatusOK, "rounds", &page{Title: "People's Priorities", Data: map[string]any{"Rounds": visible, "Now": s.now()}})
	return nil
}

// roundFormData is what the new-round form needs.
func (s *Server) roundFormData(r *http.Request) (map[string]any, error) {
	fws, err := s.Store.ListFrameworks(r.Context())
	if err != nil {
		return nil, err
	}
	var published []framework.Framework
	for _, f := range fws {
		if f.Status == framework.Published {
			if full, err := s.Store.Framework(r.Context(), f.ID); err == nil {
				published = append(published, full)
			}
		}
	}
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return nil, err
	}
	a := actorFrom(r)
	return map[string]any{"Frameworks": published, "Districts": districts, "Bodies": a.OrgsWith("public_body", auth.RoleBuyer, auth.RoleOrgAdmin)}, nil
}

func (s *Server) newRoundForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.CreateRound, auth.Target{}); err != nil {
		return err
	}
	data, err := s.roundFormData(r)
	if err != nil {
		return err
	}
	now := s.now().In(london)
	form := url.Values{"opens_at": {now.Format("2006-01-02T15:04")}, "closes_at": {now.Add(28 * 24 * time.Hour).Format("2006-01-02T15:04")}}
	s.render(w, r, http.StatusOK, "round-form", &page{Title: "Start a participation round", Form: form, Data: data})
	return nil
}

func parseLocal(v string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), london)
	if err != nil {
		return time.Time{}
	}
	return t
}

// roundFromForm reads the round form; the framework and owner of an
// existing round (edit) are kept as they were.
func roundFromForm(f url.Values, existing *priorities.Round) priorities.Round {
	rd := priorities.Round{Title: strings.TrimSpace(f.Get("title")), Explanation: strings.TrimSpace(f.Get("explanation")), ScopeDistrict: f.Get("scope"),
		OpensAt: parseLocal(f.Get("opens_at")), ClosesAt: parseLocal(f.Get("closes_at"))}
	if existing != nil {
		rd.ID, rd.FrameworkID, rd.OwnerOrgID = existing.ID, existing.FrameworkID, existing.OwnerOrgID
	} else {
		rd.FrameworkID, _ = strconv.ParseInt(f.Get("framework_id"), 10, 64)
		rd.OwnerOrgID, _ = strconv.ParseInt(f.Get("owner"), 10, 64)
	}
	return rd
}

// choosePriorities fills rd.Priorities from the ticked boxes, in the
// framework's order.
func choosePriorities(f url.Values, rd *priorities.Round, fws []framework.Framework) {
	chosen := map[string]bool{}
	for _, id := range f["priorities"] {
		chosen[id] = true
	}
	for _, fw := range fws {
		if fw.ID != rd.FrameworkID {
			continue
		}
		for _, p := range fw.Priorities {
			if chosen[strconv.FormatInt(p.ID, 10)] {
				rd.Priorities = append(rd.Priorities, priorities.RoundPriority{ID: p.ID, Code: p.Code, Title: p.Title})
			}
		}
	}
}

func (s *Server) createRound(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.CreateRound, auth.Target{})
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	rd := roundFromForm(r.PostForm, nil)
	data, err := s.roundFormData(r)
	if err != nil {
		return err
	}
	var v problem.Invalid
	// The running body must be one the actor may manage rounds for.
	if rd.OwnerOrgID != 0 || !a.Admin() {
		if !auth.Can(a, auth.ManageRound, auth.Target{OrgID: rd.OwnerOrgID}) {
			v.Add("owner", "Select a public body you are a buyer officer or organisation admin of")
		}
	}
	choosePriorities(r.PostForm, &rd, data["Frameworks"].([]framework.Framework))
	if err := rd.Validate(); err != nil {
		v.Fields = append(v.Fields, err.(*problem.Invalid).Fields...)
	}
	if len(v.Fields) > 0 {
		return s.invalid(w, r, &v, "round-form", &page{Title: "Start a participation round", Data: data})
	}
	id, err := s.Store.CreateRound(r.Context(), a, rd)
	if err != nil {
		return s.invalid(w, r, err, "round-form", &page{Title: "Start a participation round", Data: data})
	}
	setFlash(w, "Draft round created. Open it when you are ready for people to take part.")
	return redirect(w, r, fmt.Sprintf("/priorities/%d", id))
}

func (s *Server) editRoundForm(w http.ResponseWriter, r *http.Request) error {
	rd, _, err := s.manageRound(r)
	if err != nil {
		return err
	}
	if rd.Status != priorities.Draft {
		return fmt.Errorf("a round's priorities and rules cannot change once it is %s: %w", rd.Status, problem.ErrConflict)
	}
	data, err := s.roundFormData(r)
	if err != nil {
		return err
	}
	data["Edit"] = rd
	form := url.Values{"title": {rd.Title}, "explanation": {rd.Explanation}, "scope": {rd.ScopeDistrict}, "opens_at": {rd.OpensAt.In(london).Format("2006-01-02T15:04")},
		"closes_at": {rd.ClosesAt.In(london).Format("2006-01-02T15:04")}, "framework_id": {strconv.FormatInt(rd.FrameworkID, 10)}}
	for _, p := range rd.Priorities {
		form.Add("priorities", strconv.FormatInt(p.ID, 10))
	}
	s.render(w, r, http.StatusOK, "round-form", &page{Title: "Edit " + rd.Title, Form: form, Data: data})
	return nil
}

func (s *Server) editRound(w http.ResponseWriter, r *http.Request) error {
	existing, a, err := s.manageRound(r)
	if err != nil {
		return err
	}
	if existing.Status != priorities.Draft {
		return fmt.Errorf("a round's priorities and rules cannot change once it is %s: %w", existing.Status, problem.ErrConflict)
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	rd := roundFromForm(r.PostForm, &existing)
	data, err := s.roundFormData(r)
	if err != nil {
		return err
	}
	data["Edit"] = existing
	choosePriorities(r.PostForm, &rd, data["Frameworks"].([]framework.Framework))
	p := &page{Title: "Edit " + existing.Title, Data: data}
	if err := rd.Validate(); err != nil {
		return s.invalid(w, r, err, "round-form", p)
	}
	if err := s.Store.UpdateRound(r.Context(), a, rd); err != nil {
		return s.invalid(w, r, err, "round-form", p)
	}
	setFlash(w, "Round saved")
	return redirect(w, r, fmt.Sprintf("/priorities/%d", rd.ID))
}

// voterKey identifies an online voter within a round.
func voterKey(a auth.Actor) string { return "user:" + strconv.FormatInt(a.ID(), 10) }

func (s *Server) roundPageData(r *http.Request, rd priorities.Round) (map[string]any, error) {
	a := actorFrom(r)
	open, why := rd.AcceptsBallots(s.now())
	data := map[string]any{"Round": rd, "Open": open, "Why": why, "Manage": auth.Can(a, auth.ManageRound, auth.Target{OrgID: rd.OwnerOrgID}),
		"Workshops": a.OrgsWith("vcse", auth.RoleVCSE, auth.RoleOrgAdmin), "Next": priorities.Next(rd.Status)}
	if a.Resident() {
		cb, err := s.Store.CurrentBallot(r.Context(), rd.ID, voterKey(a))
		if err != nil {
			return nil, err
		}
		data["Voted"] = cb != nil
	}
	data["Questions"] = priorities.Questions
	return data, nil
}

func (s *Server) roundPage(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.loadRound(r)
	if err != nil {
		return err
	}
	data, err := s.roundPageData(r, rd)
	if err != nil {
		return err
	}
	form := url.Values{}
	if a := actorFrom(r); a.Resident() {
		cb, err := s.Store.CurrentBallot(r.Context(), rd.ID, voterKey(a))
		if err != nil {
			return err
		}
		form.Set("postcode", a.User.Postcode)
		if cb != nil {
			for _, p := range rd.Priorities {
				form.Set("points-"+p.Code, strconv.Itoa(cb.Points[p.ID]))
			}
			form.Set("comment", cb.Comment)
			if cb.Answers != nil {
				form.Set("consent", "1")
				for k, v := range cb.Answers {
					form.Set(k, v)
				}
			}
		}
	}
	s.render(w, r, http.StatusOK, "round", &page{Title: rd.Title, Form: form, Data: data})
	return nil
}

// placeVoter resolves a voter's postcode and checks it is in the round's scope.
func (s *Server) placeVoter(r *http.Request, rd priorities.Round, raw string) (geo.Place, string) {
	pc, err := geo.NormalisePostcode(raw)
	if err != nil {
		return geo.Place{}, "Enter your postcode: " + err.Error()
	}
	place, err := s.Store.ResolvePostcode(r.Context(), pc)
	if err == nil && place.Elsewhere != nil {
		return place, pc + " is in " + place.Elsewhere.Name + ", outside Greater Manchester; this round is for people who live in Greater Manchester"
	}
	if geo.OutsideGM(pc) {
		return place, pc + " is not a Greater Manchester postcode; this round is for people who live in Greater Manchester"
	}
	if err != nil || !place.InGM() {
		return place, "We cannot find " + pc + " in our postcode tables, so we cannot tell which Greater Manchester district it is in; check it, or ask the round's organisers to add you"
	}
	if rd.ScopeDistrict != "" && place.DistrictCode != rd.ScopeDistrict {
		return place, pc + " is in " + place.DistrictName + "; this round is for people who live in " + rd.ScopeName
	}
	return place, ""
}

func (s *Server) submitBallot(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.Vote, auth.Target{})
	if err != nil {
		return err
	}
	rd, err := s.loadRound(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	data, err := s.roundPageData(r, rd)
	if err != nil {
		return err
	}
	p := &page{Title: rd.Title, Data: data}
	var v problem.Invalid
	pts, perr := priorities.ParsePoints(rd.Priorities, func(code string) string { return f.Get("points-" + code) })
	if perr != nil {
		v.Fields = append(v.Fields, perr.(*problem.Invalid).Fields...)
	}
	place, msg := s.placeVoter(r, rd, f.Get("postcode"))
	if msg != "" {
		v.Add("postcode", "%s", msg)
	}
	comment := strings.TrimSpace(f.Get("comment"))
	if len(comment) > 2000 {
		v.Add("comment", "Keep your answer to 2,000 characters or fewer")
	}
	answers, aerr := priorities.ParseDemographics(f.Get("consent") == "1", f.Get)
	if aerr != nil {
		v.Fields = append(v.Fields, aerr.(*problem.Invalid).Fields...)
	}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "round", p)
	}
	replaced, err := s.Store.SubmitBallot(r.Context(), a, store.Ballot{RoundID: rd.ID, VoterKey: voterKey(a), Channel: priorities.Online, Postcode: place.Postcode,
		DistrictCode: place.DistrictCode, WardCode: place.WardCode, IMDDecile: place.IMDDecile, Comment: comment, Points: pts, Answers: answers}, s.now())
	var closed store.ErrRoundClosed
	if errors.As(err, &closed) {
		return s.invalid(w, r, problem.Field("points-"+rd.Priorities[0].Code, "%s", closed.Reason), "round", p)
	}
	if err != nil {
		return err
	}
	if replaced {
		setFlash(w, "Your ballot has been updated. Only your latest ballot counts.")
	} else {
		setFlash(w, "Thank you: your ballot has been counted. You can change it until the round closes.")
	}
	return redirect(w, r, fmt.Sprintf("/priorities/%d#ballot", rd.ID))
}

func (s *Server) manageRound(r *http.Request) (priorities.Round, auth.Actor, error) {
	rd, err := s.loadRound(r)
	if err != nil {
		return rd, auth.Anonymous, err
	}
	a, err := require(r, auth.ManageRound, auth.Target{OrgID: rd.OwnerOrgID})
	return rd, a, err
}

func (s *Server) moveRound(w http.ResponseWriter, r *http.Request) error {
	rd, a, err := s.manageRound(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	to := r.PostForm.Get("to")
	if err := s.Store.MoveRound(r.Context(), a, rd.ID, to, s.now()); err != nil {
		return err
	}
	setFlash(w, "The round is now "+to)
	return redirect(w, r, fmt.Sprintf("/priorities/%d", rd.ID))
}

func districtNames(ds []geo.District) map[string]string {
	m := map[string]string{}
	for _, d := range ds {
		m[d.Code] = d.Name
	}
	return m
}

// liveDocument computes a round's results from its ballots now.
func (s *Server) liveDocument(r *http.Request, rd priorities.Round) (priorities.Document, string, error) {
	recs, err := s.Store.RoundRecords(r.Context(), rd.ID)
	if err != nil {
		return priorities.Document{}, "", err
	}
	ds, err := s.Store.Districts(r.Context())
	if err != nil {
		return priorities.Document{}, "", err
	}
	return priorities.Publication(rd, recs, districtNames(ds))
}

func (s *Server) publishRound(w http.ResponseWriter, r *http.Request) error {
	rd, a, err := s.manageRound(r)
	if err != nil {
		return err
	}
	if rd.Status != priorities.Closed {
		return fmt.Errorf("close the round before publishing it: %w", problem.ErrConflict)
	}
	doc, export, err := s.liveDocument(r, rd)
	if err != nil {
		return err
	}
	if doc.Ballots == 0 {
		return fmt.Errorf("a round with no ballots cannot be published: %w", problem.ErrConflict)
	}
	if _, err := s.Store.PublishDocument(r.Context(), a, doc, export, s.now()); err != nil {
		return err
	}
	setFlash(w, "Results published. These People's Weights are now frozen and can be used to score tenders.")
	return redirect(w, r, fmt.Sprintf("/priorities/%d/results", rd.ID))
}

// resultsDocument returns the frozen document of a published round, or a
// live preview of a closed one for those who manage it.
func (s *Server) resultsDocument(r *http.Request) (priorities.Round, priorities.Document, *store.PeopleWeights, error) {
	rd, err := s.loadRound(r)
	if err != nil {
		return rd, priorities.Document{}, nil, err
	}
	if rd.Status == priorities.Published {
		pw, err := s.Store.PublishedWeights(r.Context(), rd.ID)
		if err != nil {
			return rd, priorities.Document{}, nil, err
		}
		var doc priorities.Document
		if err := json.Unmarshal([]byte(pw.Results), &doc); err != nil {
			return rd, doc, nil, fmt.Errorf("stored results of round %d: %w", rd.ID, err)
		}
		return rd, doc, &pw, nil
	}
	// Nobody, managers included, sees running results while a round is open.
	if rd.Status != priorities.Closed || !auth.Can(actorFrom(r), auth.ManageRound, auth.Target{OrgID: rd.OwnerOrgID}) {
		return rd, priorities.Document{}, nil, fmt.Errorf("results of round %d are not published: %w", rd.ID, problem.ErrNotFound)
	}
	doc, _, err := s.liveDocument(r, rd)
	return rd, doc, nil, err
}

func (s *Server) roundResults(w http.ResponseWriter, r *http.Request) error {
	rd, doc, pw, err := s.resultsDocument(r)
	if err != nil {
		return err
	}
	quotes, err := s.Store.Comments(r.Context(), rd.ID, "approved")
	if err != nil {
		return err
	}
	chart, _ := json.Marshal(doc.Rows())
	part, _ := json.Marshal(doc.Participation)
	s.render(w, r, http.StatusOK, "round-results", &page{Title: "Results: " + rd.Title, Data: map[string]any{"Round": rd, "Doc": doc, "PW": pw, "Quotes": quotes,
		"Chart": string(chart), "Participation": string(part), "Manage": auth.Can(actorFrom(r), auth.ManageRound, auth.Target{OrgID: rd.OwnerOrgID})}})
	return nil
}

func (s *Server) roundResultsJSON(w http.ResponseWriter, r *http.Request) error {
	_, doc, pw, err := s.resultsDocument(r)
	if err != nil {
		return err
	}
	if pw == nil {
		return fmt.Errorf("results are downloadable once published: %w", problem.ErrNotFound)
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="round-%d-results.json"`, doc.Round))
	writeJSON(w, http.StatusOK, doc)
	return nil
}

func (s *Server) roundBallotsCSV(w http.ResponseWriter, r *http.Request) error {
	rd, _, pw, err := s.resultsDocument(r)
	if err != nil {
		return err
	}
	if pw == nil {
		return fmt.Errorf("ballots are downloadable once published: %w", problem.ErrNotFound)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="round-%d-ballots.csv"`, rd.ID))
	_, err = io.WriteString(w, pw.ExportCSV)
	return err
}

func (s *Server) roundComments(w http.ResponseWriter, r *http.Request) error {
	rd, _, err := s.manageRound(r)
	if err != nil {
		return err
	}
	pending, err := s.Store.Comments(r.Context(), rd.ID, "pending")
	if err != nil {
		return err
	}
	approved, err := s.Store.Comments(r.Context(), rd.ID, "approved")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "round-comments", &page{Title: "Moderate comments", Data: map[string]any{"Round": rd, "Pending": pending, "Approved": approved}})
	return nil
}

func (s *Server) moderateComment(w http.ResponseWriter, r *http.Request) error {
	rd, a, err := s.manageRound(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.Store.ModerateComment(r.Context(), a, rd.ID, r.PostForm.Get("ballot"), r.PostForm.Get("status")); err != nil {
		return err
	}
	setFlash(w, "Comment "+r.PostForm.Get("status"))
	return redirect(w, r, fmt.Sprintf("/priorities/%d/comments", rd.ID))
}

// workshopFor loads the round and the VCSE organisation in the path and
// checks the actor may run workshops for it.
func (s *Server) workshopFor(r *http.Request) (priorities.Round, auth.Membership, auth.Actor, error) {
	rd, err := s.loadRound(r)
	if err != nil {
		return rd, auth.Membership{}, auth.Anonymous, err
	}
	a := actorFrom(r)
	for _, m := range a.OrgsWith("vcse", auth.RoleVCSE, auth.RoleOrgAdmin) {
		if m.OrgSlug == r.PathValue("org") {
			return rd, m, a, nil
		}
	}
	if !a.SignedIn() {
		return rd, auth.Membership{}, a, problem.ErrUnauthorised
	}
	return rd, auth.Membership{}, a, fmt.Errorf("workshop for %s: %w", r.PathValue("org"), problem.ErrForbidden)
}

func (s *Server) workshopPage(w http.ResponseWriter, r *http.Request, rd priorities.Round, m auth.Membership, code int, p *page) error {
	issued, used, err := s.Store.CodeCounts(r.Context(), rd.ID, m.OrgID)
	if err != nil {
		return err
	}
	open, why := rd.AcceptsBallots(s.now())
	if p.Data == nil {
		p.Data = map[string]any{}
	}
	p.Data["Round"], p.Data["Org"], p.Data["Issued"], p.Data["Used"], p.Data["Open"], p.Data["Why"] = rd, m, issued, used, open, why
	p.Data["Header"] = strings.Join(priorities.PaperHeader(rd.Priorities), ",")
	if p.Title == "" {
		p.Title = "Workshop ballots: " + m.OrgName
	}
	if p.Errors != nil {
		p.Title = "Error: " + p.Title
	}
	if p.Form == nil {
		p.Form = url.Values{}
	}
	s.render(w, r, code, "workshop", p)
	return nil
}

func (s *Server) workshop(w http.ResponseWriter, r *http.Request) error {
	rd, m, _, err := s.workshopFor(r)
	if err != nil {
		return err
	}
	return s.workshopPage(w, r, rd, m, http.StatusOK, &page{})
}

// MaxCodes bounds one batch of printed codes.
const MaxCodes = 500

func (s *Server) createCodes(w http.ResponseWriter, r *http.Request) error {
	rd, m, a, err := s.workshopFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	n, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("count")))
	if err != nil || n < 1 || n > MaxCodes {
		p := &page{Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "count", Message: fmt.Sprintf("Enter how many codes to print, from 1 to %d", MaxCodes)}}}, Form: r.PostForm}
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, p)
	}
	codes := make([]string, n)
	hashes := make([]string, n)
	for i := range codes {
		secret, _ := auth.NewToken()
		// Short enough to type from paper; 40 bits each, single use, tied to one round and organisation.
		codes[i] = strings.ToUpper(strings.NewReplacer("-", "", "_", "").Replace(secret))[:8]
		hashes[i] = auth.HashToken(codes[i])
	}
	if err := s.Store.CreateCodes(r.Context(), a, rd.ID, m.OrgID, hashes); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.workshopPage(w, r, rd, m, http.StatusOK, &page{Data: map[string]any{"Codes": codes}})
}

func (s *Server) paperBallot(w http.ResponseWriter, r *http.Request) error {
	rd, m, a, err := s.workshopFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	var v problem.Invalid
	code := strings.ToUpper(strings.TrimSpace(f.Get("code")))
	if code == "" {
		v.Add("code", "Enter the ballot code printed on the paper ballot")
	}
	pts, perr := priorities.ParsePoints(rd.Priorities, func(c string) string { return f.Get("points-" + c) })
	if perr != nil {
		v.Fields = append(v.Fields, perr.(*problem.Invalid).Fields...)
	}
	place, msg := s.placeVoter(r, rd, f.Get("postcode"))
	if msg != "" {
		v.Add("postcode", "%s", strings.Replace(msg, "Enter your postcode", "Enter the participant's postcode", 1))
	}
	fail := func(err error) error {
		var inv *problem.Invalid
		if !errors.As(err, &inv) {
			return err
		}
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, &page{Errors: inv, Form: f})
	}
	if err := v.Err(); err != nil {
		return fail(err)
	}
	hash := auth.HashToken(code)
	_, err = s.Store.SubmitBallot(r.Context(), a, store.Ballot{RoundID: rd.ID, VoterKey: "code:" + hash, CodeHash: hash, Channel: priorities.Workshop, WorkshopOrgID: m.OrgID,
		Postcode: place.Postcode, DistrictCode: place.DistrictCode, WardCode: place.WardCode, IMDDecile: place.IMDDecile, Comment: strings.TrimSpace(f.Get("comment")), Points: pts}, s.now())
	var closed store.ErrRoundClosed
	if errors.As(err, &closed) {
		return fail(problem.Field("code", "%s", closed.Reason))
	}
	if err != nil {
		return fail(err)
	}
	setFlash(w, "Paper ballot "+code+" entered")
	return redirect(w, r, fmt.Sprintf("/priorities/%d/workshop/%s", rd.ID, m.OrgSlug))
}

func (s *Server) paperUpload(w http.ResponseWriter, r *http.Request) error {
	rd, m, a, err := s.workshopFor(r)
	if err != nil {
		return err
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, &page{Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "file", Message: "Select a CSV file of paper ballots"}}}})
	}
	defer file.Close()
	body, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	rejected := func(err error) error {
		var fe *problem.FileErrors
		if !errors.As(err, &fe) {
			return err
		}
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, &page{
			Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "file", Message: fmt.Sprintf("%s has %d problem(s); no ballots from it were stored", hdr.Filename, len(fe.Lines))}}},
			Data:   map[string]any{"Rejected": fe}})
	}
	// One report of every problem: the file's own (format, points,
	// postcodes), then codes and places, which need the database.
	rows, err := priorities.ReadPaperCSV(bytes.NewReader(body), hdr.Filename, rd.Priorities)
	fe := &problem.FileErrors{File: hdr.Filename}
	var pfe *problem.FileErrors
	if errors.As(err, &pfe) {
		fe.Lines = append(fe.Lines, pfe.Lines...)
	} else if err != nil {
		return err
	}
	states, err := s.Store.CodeStates(r.Context(), rd.ID, m.OrgID)
	if err != nil {
		return err
	}
	ballots := make([]store.Ballot, 0, len(rows))
	for _, row := range rows {
		hash := auth.HashToken(row.Code)
		if used, known := states[hash]; row.Code != "" && !known {
			fe.Add(row.Line, "code %s is not one of %s's codes for this round", row.Code, m.OrgName)
		} else if used {
			fe.Add(row.Line, "code %s has already been used", row.Code)
		}
		if row.Postcode == "" || row.Points == nil {
			continue // already reported
		}
		place, msg := s.placeVoter(r, rd, row.Postcode)
		if msg != "" {
			fe.Add(row.Line, "%s", msg)
			continue
		}
		ballots = append(ballots, store.Ballot{RoundID: rd.ID, VoterKey: "code:" + hash, CodeHash: hash, Channel: priorities.Workshop, WorkshopOrgID: m.OrgID, Line: row.Line,
			Postcode: place.Postcode, DistrictCode: place.DistrictCode, WardCode: place.WardCode, IMDDecile: place.IMDDecile, Comment: row.Comment, Points: row.Points})
	}
	slices.SortStableFunc(fe.Lines, func(a, b problem.LineError) int { return a.Line - b.Line })
	if err := fe.Err(); err != nil {
		return rejected(err)
	}
	err = s.Store.SubmitPaperBallots(r.Context(), a, hdr.Filename, ballots, s.now())
	var closed store.ErrRoundClosed
	if errors.As(err, &closed) {
		return s.workshopPage(w, r, rd, m, http.StatusUnprocessableEntity, &page{Errors: &problem.Invalid{Fields: []problem.FieldError{{Field: "file", Message: closed.Reason}}}})
	}
	if err != nil {
		return rejected(err)
	}
	setFlash(w, fmt.Sprintf("%d paper ballots from %s entered", len(ballots), hdr.Filename))
	return redirect(w, r, fmt.Sprintf("/priorities/%d/workshop/%s", rd.ID, m.OrgSlug))
}
