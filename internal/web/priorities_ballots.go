package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

// voterKey identifies an online voter within a round.
func voterKey(a auth.Actor) string { return "user:" + strconv.FormatInt(a.ID(), 10) }

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
