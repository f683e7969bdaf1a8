package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

// Clarification questions on a tender and the buyer's published answers.

func (s *Server) askQuestion(w http.ResponseWriter, r *http.Request) error {
	t, err := s.tenderFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	org, _ := strconv.ParseInt(r.PostForm.Get("org"), 10, 64)
	a, err := require(r, auth.Bid, auth.Target{OrgID: org})
	if err != nil {
		return err
	}
	if !t.Open(s.now()) {
		return fmt.Errorf("questions are taken while the tender is open: %w", problem.ErrConflict)
	}
	q := strings.TrimSpace(r.PostForm.Get("question"))
	if q == "" {
		return problem.Field("question", "Enter your question")
	}
	if err := s.Store.AskQuestion(r.Context(), a, store.Question{TenderID: t.ID, AskerOrgID: org, Question: q}, s.now()); err != nil {
		return err
	}
	setFlash(w, "Question sent to the buyer. The answer will be published here for every bidder, without your name.")
	return redirect(w, r, fmt.Sprintf("/tenders/%d#questions", t.ID))
}

func (s *Server) answerQuestion(w http.ResponseWriter, r *http.Request) error {
	t, a, err := s.manageTender(r)
	if err != nil {
		return err
	}
	qid, err := pathID(r, "q")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	ans := strings.TrimSpace(r.PostForm.Get("answer"))
	if ans == "" {
		return problem.Field("answer", "Enter the answer")
	}
	if err := s.Store.AnswerQuestion(r.Context(), a, t.ID, qid, ans, s.now()); err != nil {
		return err
	}
	if qs, err := s.Store.Questions(r.Context(), t.ID); err == nil {
		for _, q := range qs {
			if q.ID == qid {
				s.tellBidders(r, t, q.Question, ans)
			}
		}
	}
	setFlash(w, "Answer published to all bidders")
	return redirect(w, r, fmt.Sprintf("/tenders/%d#questions", t.ID))
}
