package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/problem"
)

func orgVoterKey(orgID int64) string { return "org:" + strconv.FormatInt(orgID, 10) }

func (s *Server) fundBallot(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.Vote, auth.Target{})
	if err != nil {
		return err
	}
	rd, err := s.loadFundRound(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	// A ballot is the person's own, or their organisation's when they are
	// its organisation admin and say so.
	key, constituency := voterKey(a), fund.Residents
	if raw := r.PostForm.Get("org"); raw != "" {
		orgID, _ := strconv.ParseInt(raw, 10, 64)
		if !a.HasRole(orgID, auth.RoleOrgAdmin) {
			return fmt.Errorf("vote for organisation %s: %w", raw, problem.ErrForbidden)
		}
		key, constituency = orgVoterKey(orgID), fund.Organisations
	}
	var ids []int64
	for _, v := range r.PostForm["proposals"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return problem.Field("proposals", "Unknown proposal")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if err := s.Store.CastFundBallot(r.Context(), a, rd.ID, key, constituency, ids, s.now()); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			form := r.PostForm
			form.Set("voted", "1")
			return s.fundRoundPageWith(w, r, rd, http.StatusUnprocessableEntity, &page{Errors: inv, Form: form})
		}
		return err
	}
	setFlash(w, fmt.Sprintf("Your ballot is saved: you support %d proposal(s). You can change it until voting closes.", len(ids)))
	return redirect(w, r, fmt.Sprintf("/fund/rounds/%d#vote", rd.ID))
}
