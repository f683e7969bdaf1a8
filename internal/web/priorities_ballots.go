package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

// voterKey identifies an online voter within a round.
func voterKey(a auth.Actor) string { return "user:" + strconv.FormatInt(a.ID(), 10) }

// voterPlace is where a voter was placed, or why not. Choices, when set,
// are the Greater Manchester districts a voter whose postcode is not in
// the loaded tables may choose from (Problem, if set, asks them to).
type voterPlace struct {
	Place   geo.Place
	Problem string
	Choices []geo.District
}

// placeVoter resolves a voter's postcode and checks it is in the round's
// scope. A well-formed postcode the tables cannot place, and that they do
// not put outside Greater Manchester, is never refused for that alone: the
// voter chooses their district (stated, the district code they chose, or
// "" when they have not been asked yet) and the place is "stated by the
// voter". A postcode the tables place outside Greater Manchester is refused
// naming where it is.
func (s *Server) placeVoter(r *http.Request, rd priorities.Round, raw, stated string) (voterPlace, error) {
	pc, err := geo.NormalisePostcode(raw)
	if err != nil {
		return voterPlace{Problem: "Enter your postcode: " + err.Error()}, nil
	}
	place, err := s.Store.ResolvePostcode(r.Context(), pc)
	if err != nil {
		return voterPlace{}, err
	}
	if place.Elsewhere != nil {
		return voterPlace{Place: place, Problem: pc + " is in " + place.Elsewhere.Name + ", outside Greater Manchester; this round is for people who live in Greater Manchester"}, nil
	}
	if geo.OutsideGM(pc) {
		return voterPlace{Place: place, Problem: pc + " is not a Greater Manchester postcode; this round is for people who live in Greater Manchester"}, nil
	}
	if !place.InGM() {
		return s.statedPlace(r, rd, place, stated)
	}
	if rd.ScopeDistrict != "" && place.DistrictCode != rd.ScopeDistrict {
		return voterPlace{Place: place, Problem: pc + " is in " + place.DistrictName + "; this round is for people who live in " + rd.ScopeName}, nil
	}
	return voterPlace{Place: place}, nil
}

// statedPlace offers the districts an unplaced postcode could be in (all
// ten when the tables cannot narrow it down), within the round's scope,
// and places the voter in the one they chose.
func (s *Server) statedPlace(r *http.Request, rd priorities.Round, place geo.Place, stated string) (voterPlace, error) {
	choices := place.Candidates
	if len(choices) == 0 {
		all, err := s.Store.Districts(r.Context())
		if err != nil {
			return voterPlace{}, err
		}
		choices = all
	}
	if rd.ScopeDistrict != "" {
		var in []geo.District
		for _, d := range choices {
			if d.Code == rd.ScopeDistrict {
				in = append(in, d)
			}
		}
		if len(in) == 0 {
			return voterPlace{Place: place, Problem: "We cannot find " + place.Postcode + " in our postcode tables, and what we know of the postcodes around it says it is not in " + rd.ScopeName + "; this round is for people who live in " + rd.ScopeName}, nil
		}
		choices = in
	}
	if stated != "" {
		for _, d := range choices {
			if d.Code == stated {
				place.Confidence, place.DistrictCode, place.DistrictName = geo.Stated, d.Code, d.Name
				place.Candidates = nil
				// The choices stay, so a form shown again for another
				// mistake still holds the district chosen.
				return voterPlace{Place: place, Choices: choices}, nil
			}
		}
		return voterPlace{Place: place, Choices: choices, Problem: "Choose one of the districts listed"}, nil
	}
	return voterPlace{Place: place, Choices: choices, Problem: place.Postcode + " is not in our postcode tables yet, so we cannot tell which district it is in: choose the district you live in"}, nil
}

// wardGroup is a district's wards, offered to a voter who states their
// district.
type wardGroup struct {
	District string
	Wards    []geo.Ward
}

// statedWard offers a voter who chooses their district the wards of the
// districts offered (by name, grouped by district), and places them in
// the ward they chose, which is optional but must be in their district.
// It returns the groups to offer (nil when no district is asked for) and
// a problem with the ward chosen.
func (s *Server) statedWard(r *http.Request, vp *voterPlace, ward string) ([]wardGroup, string, error) {
	if vp.Choices == nil {
		return nil, "", nil
	}
	codes := make([]string, len(vp.Choices))
	for i, d := range vp.Choices {
		codes[i] = d.Code
	}
	wards, err := s.Store.WardsOf(r.Context(), codes)
	if err != nil {
		return nil, "", err
	}
	groups := make([]wardGroup, len(vp.Choices))
	for i, d := range vp.Choices {
		groups[i].District = d.Name
		for _, w := range wards {
			if w.DistrictCode == d.Code {
				groups[i].Wards = append(groups[i].Wards, w)
			}
		}
	}
	if ward == "" || vp.Place.Confidence != geo.Stated {
		return groups, "", nil
	}
	for _, w := range wards {
		if w.Code == ward && w.DistrictCode == vp.Place.DistrictCode {
			vp.Place.WardCode, vp.Place.WardName = w.Code, w.Name
			return groups, "", nil
		}
	}
	return groups, "Choose a ward in " + vp.Place.DistrictName + ", the district chosen, or leave the ward empty", nil
}

// districtOptions lists districts as form options.
func districtOptions(ds []geo.District) []orgs.Option {
	out := make([]orgs.Option, len(ds))
	for i, d := range ds {
		out[i] = orgs.Option{Value: d.Code, Label: d.Name}
	}
	return out
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
	vp, err := s.placeVoter(r, rd, f.Get("postcode"), f.Get("district"))
	if err != nil {
		return err
	}
	wards, wardProblem, err := s.statedWard(r, &vp, f.Get("ward"))
	if err != nil {
		return err
	}
	place := vp.Place
	if vp.Choices != nil {
		data["ChooseDistrict"], data["ChooseWard"] = districtOptions(vp.Choices), wards
	}
	switch {
	case vp.Problem != "" && vp.Choices != nil:
		v.Add("district", "%s", vp.Problem)
	case vp.Problem != "":
		v.Add("postcode", "%s", vp.Problem)
	case wardProblem != "":
		v.Add("ward", "%s", wardProblem)
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
		DistrictCode: place.DistrictCode, WardCode: place.WardCode, IMDDecile: place.IMDDecile, Confidence: place.Confidence, Comment: comment, Points: pts, Answers: answers}, s.now())
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
