package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

func districtNames(ds []geo.District) map[string]string {
	m := map[string]string{}
	for _, d := range ds {
		m[d.Code] = d.Name
	}
	return m
}

// liveDocument computes a round's results from its ballots now.
func (s *Server) liveDocument(r *http.Request, rd priorities.Round) (priorities.Document, string, error) {
	recs, err := s.Store.RoundRecords(r.Context(), rd.ID)
	if err != nil {
		return priorities.Document{}, "", err
	}
	ds, err := s.Store.Districts(r.Context())
	if err != nil {
		return priorities.Document{}, "", err
	}
	return priorities.Publication(rd, recs, districtNames(ds))
}

func (s *Server) publishRound(w http.ResponseWriter, r *http.Request) error {
	rd, a, err := s.manageRound(r)
	if err != nil {
		return err
	}
	if rd.Status != priorities.Closed {
		return fmt.Errorf("close the round before publishing it: %w", problem.ErrConflict)
	}
	doc, export, err := s.liveDocument(r, rd)
	if err != nil {
		return err
	}
	if doc.Ballots == 0 {
		return fmt.Errorf("a round with no ballots cannot be published: %w", problem.ErrConflict)
	}
	if _, err := s.Store.PublishDocument(r.Context(), a, doc, export, s.now()); err != nil {
		return err
	}
	setFlash(w, "Results published. These People's Weights are now frozen and can be used to score tenders.")
	return redirect(w, r, fmt.Sprintf("/priorities/%d/results", rd.ID))
}

// resultsDocument returns the frozen document of a published round, or a
// live preview of a closed one for those who manage it.
func (s *Server) resultsDocument(r *http.Request) (priorities.Round, priorities.Document, *store.PeopleWeights, error) {
	rd, err := s.loadRound(r)
	if err != nil {
		return rd, priorities.Document{}, nil, err
	}
	if rd.Status == priorities.Published {
		pw, err := s.Store.PublishedWeights(r.Context(), rd.ID)
		if err != nil {
			return rd, priorities.Document{}, nil, err
		}
		var doc priorities.Document
		if err := json.Unmarshal([]byte(pw.Results), &doc); err != nil {
			return rd, doc, nil, fmt.Errorf("stored results of round %d: %w", rd.ID, err)
		}
		return rd, doc, &pw, nil
	}
	// Nobody, managers included, sees running results while a round is open.
	if rd.Status != priorities.Closed || !auth.Can(actorFrom(r), auth.ManageRound, auth.Target{OrgID: rd.OwnerOrgID}) {
		return rd, priorities.Document{}, nil, fmt.Errorf("results of round %d are not published: %w", rd.ID, problem.ErrNotFound)
	}
	doc, _, err := s.liveDocument(r, rd)
	return rd, doc, nil, err
}

func (s *Server) roundResults(w http.ResponseWriter, r *http.Request) error {
	rd, doc, pw, err := s.resultsDocument(r)
	if err != nil {
		return err
	}
	quotes, err := s.Store.Comments(r.Context(), rd.ID, "approved")
	if err != nil {
		return err
	}
	// The deprivation edition: the one recorded at publication, or for a
	// preview the one ballots are placed with now.
	ed, err := s.Store.DeprivationEditions(r.Context())
	if err != nil {
		return err
	}
	imd := ed.Postcodes
	if pw != nil && pw.IMDEdition != "" {
		imd = pw.IMDEdition
	}
	chart, _ := json.Marshal(doc.Rows())
	part, _ := json.Marshal(doc.Participation)
	s.render(w, r, http.StatusOK, "round-results", &page{Title: "Results: " + rd.Title, Data: map[string]any{"Round": rd, "Doc": doc, "PW": pw, "Quotes": quotes, "IMD": imd,
		"Chart": string(chart), "Participation": string(part), "Summary": priorities.Summarise(doc), "Manage": auth.Can(actorFrom(r), auth.ManageRound, auth.Target{OrgID: rd.OwnerOrgID})}})
	return nil
}

func (s *Server) roundResultsJSON(w http.ResponseWriter, r *http.Request) error {
	_, doc, pw, err := s.resultsDocument(r)
	if err != nil {
		return err
	}
	if pw == nil {
		return fmt.Errorf("results are downloadable once published: %w", problem.ErrNotFound)
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="round-%d-results.json"`, doc.Round))
	writeJSON(w, http.StatusOK, doc)
	return nil
}

func (s *Server) roundBallotsCSV(w http.ResponseWriter, r *http.Request) error {
	rd, _, pw, err := s.resultsDocument(r)
	if err != nil {
		return err
	}
	if pw == nil {
		return fmt.Errorf("ballots are downloadable once published: %w", problem.ErrNotFound)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="round-%d-ballots.csv"`, rd.ID))
	_, err = io.WriteString(w, pw.ExportCSV)
	return err
}
