package web

import (
	"net/http"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/store"
)

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
