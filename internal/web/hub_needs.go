package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

func (s *Server) needFormData(r *http.Request) (map[string]any, error) {
	data, err := s.postingFormData(r, auth.PostNeed)
	if err != nil {
		return nil, err
	}
	data["Edit"] = int64(0)
	return data, nil
}

func (s *Server) needForm(w http.ResponseWriter, r *http.Request) error {
	return s.postingForm(w, r, "need-form", "Post a need", false, s.needFormData)
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
	return s.posted(w, r, err, "need-form", "Post a need", s.needFormData,
		"Your need has been sent for moderation. It will be public once approved.", fmt.Sprintf("/hub/needs/%d", id))
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
	data := map[string]any{"N": n, "Owner": owner, "Matches": visibleMatches(a, ms), "Contact": owner || s.matchedParty(r, ms), "Unit": hub.KindUnit(n.Kind), "KindLabel": hub.KindLabel(n.Kind), "Ranked": []rankedOffer(nil), "MyOffers": []orgs.Option(nil), "PriorityNames": s.priorityOptions(r)}
	// Offers are ranked for the need's owner and proposed by an offering
	// organisation's people; nobody else sees either, so their page reads
	// no offers.
	if n.Status == hub.Open && (owner || len(myOrgs(a, auth.PostOffer)) > 0) {
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
	// Moderation (pending → open or withdrawn) is for moderators; the rest
	// for the organisation that posted the need.
	action, target := auth.PostNeed, auth.Target{OrgID: n.OrgID}
	if n.Status == hub.Pending && to == hub.Open {
		action, target = auth.ModerateHub, auth.Target{}
	}
	a, err := require(r, action, target)
	if err != nil {
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
