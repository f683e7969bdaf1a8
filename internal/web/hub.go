package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
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
	needs, err := s.Store.ListNeeds(r.Context(), store.NeedFilter{Status: hub.Open, Kind: q.Get("kind"), District: q.Get("district")})
	if err != nil {
		return err
	}
	offers, err := s.Store.ListOffers(r.Context(), hub.Open, 0)
	if err != nil {
		return err
	}
	var top, rest []hub.Need
	for _, n := range needs {
		if n.TopChallenge {
			top = append(top, n)
		} else {
			rest = append(rest, n)
		}
	}
	byP, byD, err := s.Store.NeedsMet(r.Context())
	if err != nil {
		return err
	}
	fw, _ := s.latestFramework(r)
	titles := map[string]string{}
	for _, p := range fw.Priorities {
		titles[p.Code] = p.Title
	}
	for i := range byP {
		if t := titles[byP[i].Key]; t != "" {
			byP[i].Label = t
		}
	}
	ds, err := s.Store.Districts(r.Context())
	if err != nil {
		return err
	}
	dn := map[string]string{}
	var districts []orgs.Option
	for _, d := range ds {
		dn[d.Code] = d.Name
		districts = append(districts, orgs.Option{Value: d.Code, Label: d.Name})
	}
	for i := range byD {
		if n := dn[byD[i].Key]; n != "" {
			byD[i].Label = n
		}
	}
	a := actorFrom(r)
	s.render(w, r, http.StatusOK, "hub", &page{Title: "Social Value Hub: needs and offers", Form: q, Data: map[string]any{"Top": top, "Needs": rest, "Offers": offers, "ByPriority": byP, "ByDistrict": byD,
		"Districts": districts, "Kinds": kindOptions(), "CanNeed": len(myOrgs(a, auth.PostNeed)) > 0, "CanOffer": len(myOrgs(a, auth.PostOffer)) > 0}})
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
	fw, _ := s.latestFramework(r)
	var out []orgs.Option
	for _, p := range fw.Priorities {
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

func (s *Server) needFormData(r *http.Request) (map[string]any, error) {
	areas, err := s.areaOptions(r, "Anywhere in Greater Manchester")
	if err != nil {
		return nil, err
	}
	return map[string]any{"Orgs": myOrgs(actorFrom(r), auth.PostNeed), "Kinds": kindOptions(), "Priorities": s.priorityOptions(r), "Areas": areas}, nil
}

func (s *Server) needForm(w http.ResponseWriter, r *http.Request) error {
	return s.postingForm(w, r, "need-form", "Post a need", false, s.needFormData)
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

// postedOrg parses a posted form and checks the actor may act for its org.
func postedOrg(r *http.Request, action auth.Action) (url.Values, int64, auth.Actor, error) {
	if err := r.ParseForm(); err != nil {
		return nil, 0, auth.Actor{}, err
	}
	org, _ := strconv.ParseInt(r.PostForm.Get("org"), 10, 64)
	a, err := require(r, action, auth.Target{OrgID: org})
	return r.PostForm, org, a, err
}

func (s *Server) createNeed(w http.ResponseWriter, r *http.Request) error {
	f, org, a, err := postedOrg(r, auth.PostNeed)
	if err != nil {
		return err
	}
	n, err := s.parseNeed(r, f, org)
	var id int64
	if err == nil {
		id, err = s.Store.CreateNeed(r.Context(), a, n, s.now())
	}
	if err != nil {
		return s.formFailed(w, r, err, "need-form", "Post a need", s.needFormData, nil)
	}
	setFlash(w, "Your need has been sent for moderation. It will be public once approved.")
	return redirect(w, r, fmt.Sprintf("/hub/needs/%d", id))
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

// parseNeed reads the need form into a need and its field errors.
func (s *Server) parseNeed(r *http.Request, f url.Values, org int64) (hub.Need, error) {
	n := hub.Need{OrgID: org, Title: strings.TrimSpace(f.Get("title")), Description: strings.TrimSpace(f.Get("description")), Kind: f.Get("kind"), Priorities: f["priorities"],
		Area: f.Get("area"), Recurring: f.Get("recurring") == "1", Beneficiaries: strings.TrimSpace(f.Get("beneficiaries")), Contact: strings.TrimSpace(f.Get("contact")), TopChallenge: f.Get("top_challenge") == "1"}
	v := &problem.Invalid{}
	if size, err := strconv.ParseInt(strings.TrimSpace(f.Get("size")), 10, 64); err == nil {
		n.Size = size
	}
	by, err := hub.ParseDate(f.Get("by"), "by")
	if err != nil {
		v.Fields = append(v.Fields, err.(*problem.Invalid).Fields...)
	}
	n.By = by
	if err := s.checkArea(r, n.Area); err != nil {
		v.Add("area", "Choose a district from the list, or anywhere in Greater Manchester")
	}
	return n, mergeInvalid(v.Err(), n.Validate(s.now()))
}

// needValues fills the need form from a need.
func needValues(n hub.Need) url.Values {
	f := url.Values{"org": {strconv.FormatInt(n.OrgID, 10)}, "title": {n.Title}, "description": {n.Description}, "kind": {n.Kind}, "priorities": n.Priorities, "area": {n.Area},
		"size": {strconv.FormatInt(n.Size, 10)}, "beneficiaries": {n.Beneficiaries}, "contact": {n.Contact}, "by": {dateValue(n.By)}}
	if n.Recurring {
		f.Set("recurring", "1")
	}
	return f
}

func dateValue(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// needFor loads the need in the path.
func (s *Server) needFor(r *http.Request) (hub.Need, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return hub.Need{}, err
	}
	return s.Store.Need(r.Context(), id)
}

// offerFor loads the offer in the path.
func (s *Server) offerFor(r *http.Request) (hub.Offer, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return hub.Offer{}, err
	}
	return s.Store.Offer(r.Context(), id)
}

func (s *Server) ownNeed(r *http.Request) (hub.Need, auth.Actor, error) {
	n, err := s.needFor(r)
	if err != nil {
		return n, auth.Actor{}, err
	}
	a, err := require(r, auth.PostNeed, auth.Target{OrgID: n.OrgID})
	return n, a, err
}

func (s *Server) editNeedForm(w http.ResponseWriter, r *http.Request) error {
	n, _, err := s.ownNeed(r)
	if err != nil {
		return err
	}
	data, err := s.needFormData(r)
	if err != nil {
		return err
	}
	data["Edit"] = n.ID
	s.render(w, r, http.StatusOK, "need-form", &page{Title: "Edit need", Form: needValues(n), Data: data})
	return nil
}

func (s *Server) editNeed(w http.ResponseWriter, r *http.Request) error {
	old, a, err := s.ownNeed(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	n, err := s.parseNeed(r, r.PostForm, old.OrgID)
	if err == nil {
		n.ID = old.ID
		err = s.Store.UpdateNeed(r.Context(), a, n)
	}
	if err != nil {
		return s.formFailed(w, r, err, "need-form", "Edit need", s.needFormData, func(d map[string]any) { d["Edit"] = old.ID })
	}
	setFlash(w, "Need updated")
	return redirect(w, r, fmt.Sprintf("/hub/needs/%d", old.ID))
}

func (s *Server) moveOffer(w http.ResponseWriter, r *http.Request) error {
	o, err := s.offerFor(r)
	if err != nil {
		return err
	}
	id := o.ID
	a, err := require(r, auth.PostOffer, auth.Target{OrgID: o.OrgID})
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	to := r.PostForm.Get("to")
	if err := s.Store.MoveOffer(r.Context(), a, id, to); err != nil {
		return err
	}
	setFlash(w, "Offer "+map[string]string{hub.Open: "resumed", hub.Paused: "paused", "closed": "closed"}[to])
	return redirect(w, r, fmt.Sprintf("/hub/offers/%d", id))
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

// matchedParty reports whether the actor belongs to either side of an
// accepted or delivered match involving the need (contact details are
// shown only to them and to moderators).
func (s *Server) matchedParty(r *http.Request, ms []hub.Match) bool {
	a := actorFrom(r)
	if a.Admin() {
		return true
	}
	for _, m := range ms {
		if (m.Status == hub.Accepted || m.Status == hub.Delivered) && (a.MemberOf(m.NeedOrgID) || a.MemberOf(m.OfferOrgID)) {
			return true
		}
	}
	return false
}

func (s *Server) needPage(w http.ResponseWriter, r *http.Request) error {
	n, err := s.needFor(r)
	if err != nil {
		return err
	}
	id := n.ID
	a := actorFrom(r)
	owner := auth.Can(a, auth.PostNeed, auth.Target{OrgID: n.OrgID})
	if n.Status == hub.Pending && !owner && !a.Admin() {
		return fmt.Errorf("need %d: %w", id, problem.ErrNotFound)
	}
	ms, err := s.Store.MatchesFor(r.Context(), id, 0, 0)
	if err != nil {
		return err
	}
	data := map[string]any{"N": n, "Owner": owner, "Matches": visibleMatches(a, ms), "Contact": owner || s.matchedParty(r, ms), "Unit": hub.KindUnit(n.Kind), "KindLabel": hub.KindLabel(n.Kind)}
	if n.Status == hub.Open {
		offers, err := s.Store.ListOffers(r.Context(), hub.Open, 0)
		if err != nil {
			return err
		}
		people, g, err := s.hubContext(r)
		if err != nil {
			return err
		}
		if owner {
			data["Ranked"] = rankedOffers(hub.RankOffers(n, offers, people, g, s.now(), 20), offers)
		}
		// An offering organisation may propose one of its own offers.
		var mine []orgs.Option
		for _, o := range offers {
			if auth.Can(a, auth.PostOffer, auth.Target{OrgID: o.OrgID}) && hub.ScoreOf(n, o, people, g, s.now()).Compatible() {
				mine = append(mine, orgs.Option{Value: strconv.FormatInt(o.ID, 10), Label: fmt.Sprintf("%s (%d %s left)", o.Title, o.Remaining, hub.KindUnit(o.Kind))})
			}
		}
		data["MyOffers"] = mine
	}
	s.render(w, r, http.StatusOK, "need", &page{Title: n.Title, Form: url.Values{}, Data: data})
	return nil
}

type rankedOffer struct {
	hub.Score
	Offer hub.Offer
}

func rankedOffers(ss []hub.Score, offers []hub.Offer) []rankedOffer {
	byID := map[int64]hub.Offer{}
	for _, o := range offers {
		byID[o.ID] = o
	}
	var out []rankedOffer
	for _, sc := range ss {
		out = append(out, rankedOffer{sc, byID[sc.OfferID]})
	}
	return out
}

type rankedNeed struct {
	hub.Score
	Need hub.Need
}

// visibleMatches: a match is shown to its two parties and moderators.
func visibleMatches(a auth.Actor, ms []hub.Match) []hub.Match {
	var out []hub.Match
	for _, m := range ms {
		if a.Admin() || a.MemberOf(m.NeedOrgID) || a.MemberOf(m.OfferOrgID) {
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) moveNeed(w http.ResponseWriter, r *http.Request) error {
	n, err := s.needFor(r)
	if err != nil {
		return err
	}
	id := n.ID
	if err := r.ParseForm(); err != nil {
		return err
	}
	to := r.PostForm.Get("to")
	a := actorFrom(r)
	// Moderation (pending → open or withdrawn) is for moderators; the rest
	// for the organisation that posted the need.
	action, target := auth.PostNeed, auth.Target{OrgID: n.OrgID}
	if n.Status == hub.Pending && to == hub.Open {
		action, target = auth.ModerateHub, auth.Target{}
	}
	if a, err = require(r, action, target); err != nil {
		return err
	}
	// A trusted body does not moderate its own needs.
	if action == auth.ModerateHub && !a.Admin() && a.MemberOf(n.OrgID) {
		return fmt.Errorf("another moderator must publish your own organisation's need: %w", problem.ErrForbidden)
	}
	if err := s.Store.MoveNeed(r.Context(), a, id, to, s.now()); err != nil {
		return err
	}
	setFlash(w, "Need "+map[string]string{hub.Open: "published", hub.Paused: "paused", hub.Fulfilled: "marked as met", hub.Withdrawn: "withdrawn"}[to])
	if strings.HasPrefix(r.PostForm.Get("back"), "/admin/") {
		return redirect(w, r, "/admin/hub")
	}
	return redirect(w, r, fmt.Sprintf("/hub/needs/%d", id))
}

func (s *Server) offerFormData(r *http.Request) (map[string]any, error) {
	a := actorFrom(r)
	areas, err := s.areaOptions(r, "Anywhere in Greater Manchester")
	if err != nil {
		return nil, err
	}
	// The organisation's contract commitments an offer can help deliver.
	commitments := []orgs.Option{{Value: "", Label: "Not linked to a contract"}}
	for _, o := range myOrgs(a, auth.PostOffer) {
		id, _ := strconv.ParseInt(o.Value, 10, 64)
		cs, err := s.Store.ListContracts(r.Context(), store.ContractFilter{SupplierOrgID: id})
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			cms, err := s.Store.Commitments(r.Context(), c.ID)
			if err != nil {
				return nil, err
			}
			for _, m := range cms {
				commitments = append(commitments, orgs.Option{Value: strconv.FormatInt(m.ID, 10), Label: fmt.Sprintf("%s: %s (%s)", c.Title, m.Wording, m.Unit)})
			}
		}
	}
	return map[string]any{"Orgs": myOrgs(a, auth.PostOffer), "Kinds": kindOptions(), "Priorities": s.priorityOptions(r), "Areas": areas, "Commitments": commitments}, nil
}

func (s *Server) offerForm(w http.ResponseWriter, r *http.Request) error {
	return s.postingForm(w, r, "offer-form", "Post an offer", false, s.offerFormData)
}

func (s *Server) createOffer(w http.ResponseWriter, r *http.Request) error {
	f, org, a, err := postedOrg(r, auth.PostOffer)
	if err != nil {
		return err
	}
	o := hub.Offer{OrgID: org, Title: strings.TrimSpace(f.Get("title")), Description: strings.TrimSpace(f.Get("description")), Kind: f.Get("kind"), Priorities: f["priorities"], Area: f.Get("area")}
	for _, sk := range strings.Split(f.Get("skills"), ",") {
		if sk = strings.TrimSpace(sk); sk != "" {
			o.Skills = append(o.Skills, sk)
		}
	}
	v := &problem.Invalid{}
	if c, err := strconv.ParseInt(strings.TrimSpace(f.Get("capacity")), 10, 64); err == nil {
		o.Capacity = c
	}
	o.CommitmentID, _ = strconv.ParseInt(f.Get("commitment"), 10, 64)
	var derr error
	if o.From, derr = hub.ParseDate(f.Get("from"), "from"); derr != nil {
		v.Fields = append(v.Fields, derr.(*problem.Invalid).Fields...)
	}
	if o.To, derr = hub.ParseDate(f.Get("to"), "to"); derr != nil {
		v.Fields = append(v.Fields, derr.(*problem.Invalid).Fields...)
	}
	if err := s.checkArea(r, o.Area); err != nil {
		v.Add("area", "Choose a district from the list, or anywhere in Greater Manchester")
	}
	err = mergeInvalid(v.Err(), o.Validate())
	var id int64
	if err == nil {
		id, err = s.Store.CreateOffer(r.Context(), a, o, s.now())
	}
	if err != nil {
		return s.formFailed(w, r, err, "offer-form", "Post an offer", s.offerFormData, nil)
	}
	setFlash(w, "Your offer is published. The needs it fits best are listed below.")
	return redirect(w, r, fmt.Sprintf("/hub/offers/%d", id))
}

func (s *Server) offerPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.offerFor(r)
	if err != nil {
		return err
	}
	id := o.ID
	a := actorFrom(r)
	owner := auth.Can(a, auth.PostOffer, auth.Target{OrgID: o.OrgID})
	ms, err := s.Store.MatchesFor(r.Context(), 0, id, 0)
	if err != nil {
		return err
	}
	data := map[string]any{"O": o, "Owner": owner, "Matches": visibleMatches(a, ms), "Unit": hub.KindUnit(o.Kind), "KindLabel": hub.KindLabel(o.Kind)}
	if owner && o.Status == hub.Open {
		needs, err := s.Store.ListNeeds(r.Context(), store.NeedFilter{Status: hub.Open})
		if err != nil {
			return err
		}
		people, g, err := s.hubContext(r)
		if err != nil {
			return err
		}
		byID := map[int64]hub.Need{}
		for _, n := range needs {
			byID[n.ID] = n
		}
		var ranked []rankedNeed
		for i, sc := range hub.RankNeeds(o, needs, people, g, s.now()) {
			if i == 20 {
				break
			}
			ranked = append(ranked, rankedNeed{sc, byID[sc.NeedID]})
		}
		data["Ranked"] = ranked
	}
	s.render(w, r, http.StatusOK, "offer", &page{Title: o.Title, Form: url.Values{}, Data: data})
	return nil
}

func (s *Server) proposeMatch(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	needID, _ := strconv.ParseInt(f.Get("need"), 10, 64)
	offerID, _ := strconv.ParseInt(f.Get("offer"), 10, 64)
	n, err := s.Store.Need(r.Context(), needID)
	if err != nil {
		return err
	}
	o, err := s.Store.Offer(r.Context(), offerID)
	if err != nil {
		return err
	}
	// Either side may propose; the proposer is the side the actor acts for.
	a := actorFrom(r)
	by := int64(0)
	switch {
	case f.Get("side") == "offer" && auth.Can(a, auth.PostOffer, auth.Target{OrgID: o.OrgID}):
		by = o.OrgID
	case f.Get("side") == "need" && auth.Can(a, auth.PostNeed, auth.Target{OrgID: n.OrgID}):
		by = n.OrgID
	}
	if by == 0 {
		if _, err := requireUser(r); err != nil {
			return err
		}
		return fmt.Errorf("propose a match: %w", problem.ErrForbidden)
	}
	people, g, err := s.hubContext(r)
	if err != nil {
		return err
	}
	sc := hub.ScoreOf(n, o, people, g, s.now())
	if !sc.Compatible() {
		return problem.Field("offer", "This offer cannot meet this need: %s", sc.Reason)
	}
	q, err := strconv.ParseInt(strings.TrimSpace(f.Get("quantity")), 10, 64)
	if err != nil {
		q = min(n.Remaining, o.Remaining)
	}
	id, err := s.Store.ProposeMatch(r.Context(), a, needID, offerID, by, q, sc.Total, s.now())
	if err != nil {
		return err
	}
	other := n.OrgID
	if by == n.OrgID {
		other = o.OrgID
	}
	s.notifyOrg(r, other, "A match has been proposed: "+n.Title, fmt.Sprintf("%s has proposed a Social Value Hub match. Accept or decline it at %s/hub/matches/%d\n", orgName(by, n, o), s.BaseURL, id))
	setFlash(w, "Match proposed. The other organisation will accept or decline it.")
	return redirect(w, r, fmt.Sprintf("/hub/matches/%d", id))
}

// matchFor loads a match the actor may see: its two parties and moderators.
func (s *Server) matchFor(r *http.Request) (hub.Match, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return hub.Match{}, err
	}
	m, err := s.Store.Match(r.Context(), id)
	if err != nil {
		return m, err
	}
	a := actorFrom(r)
	if !a.SignedIn() {
		return m, problem.ErrUnauthorised
	}
	if !a.Admin() && !a.MemberOf(m.NeedOrgID) && !a.MemberOf(m.OfferOrgID) {
		return m, fmt.Errorf("match %d: %w", id, problem.ErrForbidden)
	}
	return m, nil
}

func (s *Server) matchPage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.matchFor(r)
	if err != nil {
		return err
	}
	return s.matchPageWith(w, r, m, http.StatusOK, &page{})
}

func (s *Server) matchPageWith(w http.ResponseWriter, r *http.Request, m hub.Match, code int, p *page) error {
	a := actorFrom(r)
	msgs, err := s.Store.Messages(r.Context(), m.ID)
	if err != nil {
		return err
	}
	n, err := s.Store.Need(r.Context(), m.NeedID)
	if err != nil {
		return err
	}
	p.Title = "Match: " + m.NeedTitle
	if p.Form == nil {
		p.Form = url.Values{"quantity": {strconv.FormatInt(m.Quantity, 10)}, "on": {s.now().Format(time.DateOnly)}}
	}
	p.Data = map[string]any{"M": m, "Messages": msgs, "Unit": hub.KindUnit(m.Kind), "Contact": n.Contact,
		"CanDecide": m.Status == hub.Proposed && a.MemberOf(m.OtherParty()) && !a.MemberOf(m.ProposedBy),
		"NeedSide":  a.MemberOf(m.NeedOrgID), "OfferSide": a.MemberOf(m.OfferOrgID), "Open": m.Status == hub.Accepted || m.Status == hub.Delivered}
	s.render(w, r, code, "match", p)
	return nil
}

// side says which organisation of the match the actor acts for.
func side(a auth.Actor, m hub.Match) (string, int64) {
	switch {
	case a.MemberOf(m.NeedOrgID):
		return "need", m.NeedOrgID
	case a.MemberOf(m.OfferOrgID):
		return "offer", m.OfferOrgID
	}
	return "", 0
}

func (s *Server) decideMatch(w http.ResponseWriter, r *http.Request) error {
	m, err := s.matchFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	if !a.MemberOf(m.OtherParty()) {
		return fmt.Errorf("only the other organisation can accept or decline: %w", problem.ErrForbidden)
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	accept := r.PostForm.Get("decision") == "accept"
	if err := s.Store.DecideMatch(r.Context(), a, m.ID, accept, strings.TrimSpace(r.PostForm.Get("reason")), s.now()); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			return s.matchPageWith(w, r, m, http.StatusUnprocessableEntity, &page{Errors: inv, Form: r.PostForm})
		}
		return err
	}
	s.notifyOrg(r, m.ProposedBy, "Your proposed match was "+map[bool]string{true: "accepted", false: "declined"}[accept], fmt.Sprintf("See %s/hub/matches/%d\n", s.BaseURL, m.ID))
	setFlash(w, map[bool]string{true: "Match accepted. You can now talk to each other here.", false: "Match declined"}[accept])
	return redirect(w, r, fmt.Sprintf("/hub/matches/%d", m.ID))
}

func (s *Server) matchMessage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.matchFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	_, org := side(a, m)
	if org == 0 || (m.Status != hub.Accepted && m.Status != hub.Delivered) {
		return fmt.Errorf("messages are between the two organisations of an accepted match: %w", problem.ErrForbidden)
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	body := strings.TrimSpace(r.PostForm.Get("message"))
	if body == "" || len(body) > 4000 {
		return s.matchPageWith(w, r, m, http.StatusUnprocessableEntity, &page{Errors: problemField("message", "Write a message of up to 4,000 characters"), Form: r.PostForm})
	}
	if err := s.Store.AddMessage(r.Context(), a, m.ID, org, body, s.now()); err != nil {
		return err
	}
	// The other side hears about it by email (the outbox without SMTP).
	other := m.OfferOrgID
	if org == m.OfferOrgID {
		other = m.NeedOrgID
	}
	s.notifyOrg(r, other, "New message about "+m.NeedTitle, fmt.Sprintf("There is a new message in your Social Value Hub match: %s/hub/matches/%d\n", s.BaseURL, m.ID))
	return redirect(w, r, fmt.Sprintf("/hub/matches/%d#messages", m.ID))
}

func problemField(field, msg string) *problem.Invalid {
	v := &problem.Invalid{}
	v.Add(field, "%s", msg)
	return v
}

func (s *Server) confirmMatch(w http.ResponseWriter, r *http.Request) error {
	m, err := s.matchFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	sd, _ := side(a, m)
	if sd == "" {
		return fmt.Errorf("confirm delivery: %w", problem.ErrForbidden)
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	q, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("quantity")), 10, 64)
	on, derr := time.Parse(time.DateOnly, r.PostForm.Get("on"))
	if err != nil || derr != nil {
		v := &problem.Invalid{}
		if err != nil {
			v.Add("quantity", "Enter what was delivered as a whole number")
		}
		if derr != nil {
			v.Add("on", "Enter the date it was delivered, like 2026-11-20")
		}
		return s.matchPageWith(w, r, m, http.StatusUnprocessableEntity, &page{Errors: v, Form: r.PostForm})
	}
	if _, err := s.Store.ConfirmDelivery(r.Context(), a, m.ID, sd, q, on.Format(time.DateOnly), s.now()); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			return s.matchPageWith(w, r, m, http.StatusUnprocessableEntity, &page{Errors: inv, Form: r.PostForm})
		}
		return err
	}
	setFlash(w, "Delivery confirmed. When both organisations have confirmed, it counts.")
	return redirect(w, r, fmt.Sprintf("/hub/matches/%d", m.ID))
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

func (s *Server) hubModeration(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.ModerateHub, auth.Target{}); err != nil {
		return err
	}
	pending, err := s.Store.ListNeeds(r.Context(), store.NeedFilter{Status: hub.Pending})
	if err != nil {
		return err
	}
	// A preview of the global assignment over every open need and offer.
	needs, err := s.Store.ListNeeds(r.Context(), store.NeedFilter{Status: hub.Open})
	if err != nil {
		return err
	}
	offers, err := s.Store.ListOffers(r.Context(), hub.Open, 0)
	if err != nil {
		return err
	}
	people, g, err := s.hubContext(r)
	if err != nil {
		return err
	}
	plan := hub.Assign(needs, offers, hub.Candidates(needs, offers, people, g, 25, s.now()))
	nt, ot := map[int64]string{}, map[int64]string{}
	for _, n := range needs {
		nt[n.ID] = n.Title + " (" + n.OrgName + ")"
	}
	for _, o := range offers {
		ot[o.ID] = o.Title + " (" + o.OrgName + ")"
	}
	s.render(w, r, http.StatusOK, "admin-hub", &page{Title: "Hub moderation", Data: map[string]any{"Pending": pending, "Plan": plan, "NeedTitles": nt, "OfferTitles": ot}})
	return nil
}

// needsJSON and offersJSON are the open data: open needs and offers
// without contact details.
func (s *Server) needsJSON(w http.ResponseWriter, r *http.Request) error {
	needs, err := s.Store.ListNeeds(r.Context(), store.NeedFilter{Status: hub.Open})
	if err != nil {
		return err
	}
	type item struct {
		ID           int64    `json:"id"`
		Organisation string   `json:"organisation"`
		Title        string   `json:"title"`
		Kind         string   `json:"kind"`
		Priorities   []string `json:"priorities"`
		Area         string   `json:"area_code"`
		Size         int64    `json:"size"`
		Remaining    int64    `json:"remaining"`
		Unit         string   `json:"unit"`
		TopChallenge bool     `json:"top_challenge"`
	}
	items := []item{}
	for _, n := range needs {
		items = append(items, item{n.ID, n.OrgName, n.Title, n.Kind, n.Priorities, n.Area, n.Size, n.Remaining, hub.KindUnit(n.Kind), n.TopChallenge})
	}
	writeJSON(w, http.StatusOK, map[string]any{"needs": items})
	return nil
}

func (s *Server) offersJSON(w http.ResponseWriter, r *http.Request) error {
	offers, err := s.Store.ListOffers(r.Context(), hub.Open, 0)
	if err != nil {
		return err
	}
	type item struct {
		ID           int64    `json:"id"`
		Organisation string   `json:"organisation"`
		Title        string   `json:"title"`
		Kind         string   `json:"kind"`
		Skills       []string `json:"skills"`
		Area         string   `json:"area_code"`
		Capacity     int64    `json:"capacity"`
		Remaining    int64    `json:"remaining"`
		Unit         string   `json:"unit"`
		Contract     int64    `json:"contract,omitempty"`
	}
	items := []item{}
	for _, o := range offers {
		items = append(items, item{o.ID, o.OrgName, o.Title, o.Kind, o.Skills, o.Area, o.Capacity, o.Remaining, hub.KindUnit(o.Kind), o.ContractID})
	}
	writeJSON(w, http.StatusOK, map[string]any{"offers": items})
	return nil
}

func orgName(id int64, n hub.Need, o hub.Offer) string {
	if id == n.OrgID {
		return n.OrgName
	}
	return o.OrgName
}

// matchesCSV lists delivered matches: who helped whom, with what, how much.
func (s *Server) matchesCSV(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.Store.MatchesFor(r.Context(), 0, 0, 0)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename=hub-matches.csv")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"match_id", "need", "need_organisation", "offer", "offer_organisation", "kind", "agreed", "delivered_confirmed_by_both", "unit", "delivered_on", "contract_id"})
	for _, m := range ms {
		if m.Status != hub.Delivered {
			continue
		}
		_ = cw.Write([]string{strconv.FormatInt(m.ID, 10), m.NeedTitle, m.NeedOrg, m.OfferTitle, m.OfferOrg, m.Kind, strconv.FormatInt(m.Quantity, 10), strconv.FormatInt(m.Confirmed(), 10),
			hub.KindUnit(m.Kind), m.DeliveredOn, strconv.FormatInt(m.ContractID, 10)})
	}
	cw.Flush()
	return cw.Error()
}

// setHubModerator lets a hub administrator trust a VCSE infrastructure
// body to moderate needs.
func (s *Server) setHubModerator(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.VerifyOrg)
	if err != nil {
		return err
	}
	on := r.PostForm.Get("moderator") == "1"
	if err := s.Store.SetHubModerator(r.Context(), a, o.ID, on); err != nil {
		return err
	}
	setFlash(w, map[bool]string{true: o.LegalName + " can now moderate community needs", false: o.LegalName + " no longer moderates needs"}[on])
	return redirect(w, r, "/organisations/"+o.Slug)
}
