package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
)

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
	return map[string]any{"Frameworks": published, "Districts": districts, "Bodies": a.OrgsWith("public_body", auth.RoleBuyer, auth.RoleOrgAdmin), "Edit": nil}, nil
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
	// Set by a ballot whose postcode is not in our tables: the districts
	// the voter may choose from.
	data["ChooseDistrict"] = nil
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
