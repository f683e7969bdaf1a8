package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

// offerFor loads the offer in the path.
func (s *Server) offerFor(r *http.Request) (hub.Offer, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return hub.Offer{}, err
	}
	return s.Store.Offer(r.Context(), id)
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

type rankedNeed struct {
	hub.Score
	Need hub.Need
}

func (s *Server) offerFormData(r *http.Request) (map[string]any, error) {
	a := actorFrom(r)
	data, err := s.postingFormData(r, auth.PostOffer)
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
	data["Commitments"] = commitments
	return data, nil
}

func (s *Server) offerForm(w http.ResponseWriter, r *http.Request) error {
	return s.postingForm(w, r, "offer-form", "Post an offer", false, s.offerFormData)
}

func (s *Server) createOffer(w http.ResponseWriter, r *http.Request) error {
	f, org, a, err := postedOrg(r, auth.PostOffer)
	if err != nil {
		return err
	}
	o, err := s.parseOffer(r, f, org)
	var id int64
	if err == nil {
		id, err = s.Store.CreateOffer(r.Context(), a, o, s.now())
	}
	return s.posted(w, r, err, "offer-form", "Post an offer", s.offerFormData,
		"Your offer is published. The needs it fits best are listed below.", fmt.Sprintf("/hub/offers/%d", id))
}

// parseOffer reads the offer form into an offer and its field errors.
func (s *Server) parseOffer(r *http.Request, f url.Values, org int64) (hub.Offer, error) {
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
	return o, mergeInvalid(v.Err(), o.Validate())
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
	data := map[string]any{"O": o, "Owner": owner, "Matches": visibleMatches(a, ms), "Unit": hub.KindUnit(o.Kind), "KindLabel": hub.KindLabel(o.Kind), "Ranked": []rankedNeed(nil)}
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
	for _, o := range hub.Available(offers) {
		items = append(items, item{o.ID, o.OrgName, o.Title, o.Kind, o.Skills, o.Area, o.Capacity, o.Remaining, hub.KindUnit(o.Kind), o.ContractID})
	}
	writeJSON(w, http.StatusOK, map[string]any{"offers": items})
	return nil
}
