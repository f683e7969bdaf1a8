package web

import (
	"fmt"
	"net/http"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
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
