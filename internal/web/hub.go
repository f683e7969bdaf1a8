package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) hubRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /hub", h(s.hubHome))
	mux.Handle("GET /hub/needs/new", h(s.needForm))
	mux.Handle("POST /hub/needs", h(s.createNeed))
	mux.Handle("GET /hub/needs/{id}", h(s.needPage))
	mux.Handle("POST /hub/needs/{id}/state", h(s.moveNeed))
	mux.Handle("GET /hub/needs/{id}/edit", h(s.editNeedForm))
	mux.Handle("POST /hub/needs/{id}/edit", h(s.editNeed))
	mux.Handle("POST /hub/offers/{id}/state", h(s.moveOffer))
	mux.Handle("GET /hub/offers/new", h(s.offerForm))
	mux.Handle("POST /hub/offers", h(s.createOffer))
	mux.Handle("GET /hub/offers/{id}", h(s.offerPage))
	mux.Handle("POST /hub/matches", h(s.proposeMatch))
	mux.Handle("GET /hub/matches/{id}", h(s.matchPage))
	mux.Handle("POST /hub/matches/{id}/decision", h(s.decideMatch))
	mux.Handle("POST /hub/matches/{id}/messages", h(s.matchMessage))
	mux.Handle("POST /hub/matches/{id}/confirm", h(s.confirmMatch))
	mux.Handle("GET /admin/hub", h(s.hubModeration))
	mux.Handle("POST /organisations/{slug}/moderator", h(s.setHubModerator))
	mux.Handle("GET /hub/needs.json", h(s.needsJSON))
	mux.Handle("GET /hub/offers.json", h(s.offersJSON))
	mux.Handle("GET /hub/matches.csv", h(s.matchesCSV))
	// The same open data under the versioned API.
	mux.Handle("GET /api/v1/hub/needs", h(s.needsJSON))
	mux.Handle("GET /api/v1/hub/offers", h(s.offersJSON))
	mux.Handle("GET /api/v1/hub/resources", h(s.resourcesJSON))
	mux.Handle("GET /api/v1/hub/network", h(s.networkJSON))
	mux.Handle("GET /api/v1/hub/kitemarks", h(s.kiteMarksJSON))
}

// hubContext is what matching needs: the latest published People's Weights
// and district centroids.
func (s *Server) hubContext(r *http.Request) (map[string]float64, hub.Geo, error) {
	g := hub.Geo{Centroids: map[string][2]float64{}}
	ds, err := s.Store.Districts(r.Context())
	if err != nil {
		return nil, g, err
	}
	for _, d := range ds {
		g.Centroids[d.Code] = [2]float64{d.Lon, d.Lat}
	}
	rounds, err := s.Store.ListRounds(r.Context())
	if err != nil {
		return nil, g, err
	}
	var latest int64
	for _, rd := range rounds {
		if rd.Status == priorities.Published && rd.ID > latest {
			latest = rd.ID
		}
	}
	if latest == 0 {
		return nil, g, nil
	}
	pw, err := s.Store.PublishedWeights(r.Context(), latest)
	if err != nil {
		return nil, g, err
	}
	var people map[string]float64
	if err := json.Unmarshal([]byte(pw.Weights), &people); err != nil {
		return nil, g, fmt.Errorf("people's weights: %w", err)
	}
	return people, g, nil
}

// myOrgs lists the actor's organisations that may take action.
func myOrgs(a auth.Actor, action auth.Action) []orgs.Option {
	var out []orgs.Option
	seen := map[int64]bool{}
	for _, m := range a.Memberships {
		if !seen[m.OrgID] && auth.Can(a, action, auth.Target{OrgID: m.OrgID}) {
			seen[m.OrgID] = true
			out = append(out, orgs.Option{Value: strconv.FormatInt(m.OrgID, 10), Label: m.OrgName})
		}
	}
	return out
}

func (s *Server) hubHome(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	l, err := s.hubLists(r, q.Get("kind"), q.Get("district"))
	if err != nil {
		return err
	}
	a := actorFrom(r)
	s.render(w, r, http.StatusOK, "hub", &page{Title: "Social Value Hub: needs and offers", Form: q, Data: map[string]any{"TopHTML": l.topHTML, "ListsHTML": l.listsHTML,
		"Districts": l.districts, "Kinds": kindOptions(), "CanNeed": len(myOrgs(a, auth.PostNeed)) > 0, "CanOffer": len(myOrgs(a, auth.PostOffer)) > 0}})
	return nil
}

func kindOptions() []orgs.Option {
	var out []orgs.Option
	for _, k := range hub.Kinds {
		out = append(out, orgs.Option{Value: k.Value, Label: k.Label + " (" + k.Unit + ")"})
	}
	return out
}

func (s *Server) priorityOptions(r *http.Request) []orgs.Option {
	var out []orgs.Option
	for _, p := range s.currentPriorities(r) {
		out = append(out, orgs.Option{Value: p.Code, Label: p.Title})
	}
	return out
}

func (s *Server) areaOptions(r *http.Request, anywhere string) ([]orgs.Option, error) {
	ds, err := s.Store.Districts(r.Context())
	if err != nil {
		return nil, err
	}
	out := []orgs.Option{{Value: "", Label: anywhere}}
	for _, d := range ds {
		out = append(out, orgs.Option{Value: d.Code, Label: d.Name})
	}
	return out, nil
}

// postingForm shows a form for posting on behalf of one of the actor's
// organisations, refusing those who have none that may post it.
// Hub administrators may post with no organisation where adminToo is set.
func (s *Server) postingForm(w http.ResponseWriter, r *http.Request, name, title string, adminToo bool, dataFor func(*http.Request) (map[string]any, error)) error {
	a := actorFrom(r)
	if !a.SignedIn() {
		return problem.ErrUnauthorised
	}
	data, err := dataFor(r)
	if err != nil {
		return err
	}
	if len(data["Orgs"].([]orgs.Option)) == 0 && !(adminToo && a.Admin()) {
		return fmt.Errorf("%s: %w", strings.ToLower(title), problem.ErrForbidden)
	}
	s.render(w, r, http.StatusOK, name, &page{Title: title, Form: url.Values{}, Data: data})
	return nil
}

// postingFormData is what the need and offer forms both list: the actor's
// organisations that may post (action), the kinds of help, the latest
// framework's priorities and the areas.
func (s *Server) postingFormData(r *http.Request, action auth.Action) (map[string]any, error) {
	areas, err := s.areaOptions(r, "Anywhere in Greater Manchester")
	if err != nil {
		return nil, err
	}
	return map[string]any{"Orgs": myOrgs(actorFrom(r), action), "Kinds": kindOptions(), "Priorities": s.priorityOptions(r), "Areas": areas}, nil
}

// posted ends a posting form: with err nil, the flash and a redirect to
// path (the new need or offer); otherwise the form again with its errors.
func (s *Server) posted(w http.ResponseWriter, r *http.Request, err error, name, title string, dataFor func(*http.Request) (map[string]any, error), flash, path string) error {
	if err != nil {
		return s.formFailed(w, r, err, name, title, dataFor, nil)
	}
	setFlash(w, flash)
	return redirect(w, r, path)
}

// postedOrg parses a posted form and checks the actor may act for its org.
func postedOrg(r *http.Request, action auth.Action) (url.Values, int64, auth.Actor, error) {
	if err := r.ParseForm(); err != nil {
		return nil, 0, auth.Actor{}, err
	}
	org, _ := strconv.ParseInt(r.PostForm.Get("org"), 10, 64)
	a, err := require(r, action, auth.Target{OrgID: org})
	return r.PostForm, org, a, err
}

// formFailed re-renders a form with its field errors (or returns err when
// it is not a validation failure); adjust may add to the form's data.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, err error, name, title string, dataFor func(*http.Request) (map[string]any, error), adjust func(map[string]any)) error {
	data, derr := dataFor(r)
	if derr != nil {
		return derr
	}
	if adjust != nil {
		adjust(data)
	}
	return s.invalid(w, r, err, name, &page{Title: title, Data: data})
}

// checkArea accepts "" (anywhere) or a known district or ward code.
func (s *Server) checkArea(r *http.Request, code string) error {
	if code == "" {
		return nil
	}
	ds, err := s.Store.Districts(r.Context())
	if err != nil {
		return err
	}
	if slices.ContainsFunc(ds, func(d geo.District) bool { return d.Code == code }) {
		return nil
	}
	return fmt.Errorf("unknown area %q: %w", code, problem.ErrNotFound)
}

func problemField(field, msg string) *problem.Invalid {
	v := &problem.Invalid{}
	v.Add(field, "%s", msg)
	return v
}

// notifyOrg emails an organisation's members; a failure is logged.
func (s *Server) notifyOrg(r *http.Request, org int64, subject, body string) {
	members, err := s.Store.MembersOfOrg(r.Context(), org)
	if err != nil {
		s.Log.Warn("notify", "org", org, "err", err)
		return
	}
	sent := map[string]bool{}
	for _, m := range members {
		if sent[m.Email] {
			continue
		}
		sent[m.Email] = true
		if err := s.Auth.Mailer.Send(r.Context(), mail.Message{To: m.Email, Subject: subject, Body: body}); err != nil {
			s.Log.Warn("notify", "to", m.Email, "err", err)
		}
	}
}
