package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) newFundRoundForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.ManageFund, auth.Target{}); err != nil {
		return err
	}
	now := s.now().In(london)
	form := url.Values{"rule": {"mes-add1"}, "electorate": {fund.Residents}, "proposals_until": {now.Add(7 * 24 * time.Hour).Format("2006-01-02T15:04")}, "voting_from": {now.Add(14 * 24 * time.Hour).Format("2006-01-02T15:04")}, "voting_until": {now.Add(28 * 24 * time.Hour).Format("2006-01-02T15:04")}}
	s.render(w, r, http.StatusOK, "fund-round-form", &page{Title: "Start a fund round", Form: form, Data: map[string]any{"Rules": fund.Rules}})
	return nil
}

func (s *Server) createFundRound(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ManageFund, auth.Target{})
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	rd := fund.Round{Title: strings.TrimSpace(f.Get("title")), Description: strings.TrimSpace(f.Get("description")), Rule: f.Get("rule"), Electorate: f.Get("electorate"),
		ProposalsUntil: parseLocal(f.Get("proposals_until")), VotingFrom: parseLocal(f.Get("voting_from")), VotingUntil: parseLocal(f.Get("voting_until"))}
	var v problem.Invalid
	var ok bool
	if rd.BudgetPence, ok = parsePence(f.Get("budget")); !ok {
		v.Add("budget", "Enter the round's budget in pounds, like 250000")
	}
	if f.Get("min_budget") != "" {
		if rd.MinPence, ok = parsePence(f.Get("min_budget")); !ok {
			v.Add("min_budget", "Enter the smallest grant in pounds")
		}
	}
	if f.Get("max_budget") != "" {
		if rd.MaxPence, ok = parsePence(f.Get("max_budget")); !ok {
			v.Add("max_budget", "Enter the largest grant in pounds")
		}
	}
	if f.Get("max_approvals") != "" {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get("max_approvals")))
		if err != nil {
			v.Add("max_approvals", "Enter a whole number, or leave it blank for no cap")
		}
		rd.MaxApprovals = n
	}
	if len(v.Fields) == 0 {
		if err := rd.Validate(); err != nil {
			v.Fields = append(v.Fields, err.(*problem.Invalid).Fields...)
		}
	}
	p := &page{Title: "Start a fund round", Data: map[string]any{"Rules": fund.Rules}}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "fund-round-form", p)
	}
	id, err := s.Store.CreateFundRound(r.Context(), a, rd)
	if err != nil {
		return s.invalid(w, r, err, "fund-round-form", p)
	}
	setFlash(w, "Round created and its budget reserved. Proposals are open.")
	return redirect(w, r, fmt.Sprintf("/fund/rounds/%d", id))
}

func (s *Server) loadFundRound(r *http.Request) (fund.Round, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return fund.Round{}, err
	}
	return s.Store.FundRound(r.Context(), id)
}

// roundVotes reads what a round's allocation is computed from: its
// proposals, and its ballots with each ballot's constituency.
func (s *Server) roundVotes(r *http.Request, rd fund.Round) ([]fund.Proposal, [][]int64, []string, error) {
	ps, err := s.Store.Proposals(r.Context(), rd.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	ballots, cons, err := s.Store.FundBallots(r.Context(), rd.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	return ps, ballots, cons, nil
}

func (s *Server) fundRoundPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.fundRoundView(r, id)
	if err != nil {
		return err
	}
	return s.fundRoundPageOf(w, r, v, http.StatusOK, &page{Form: url.Values{}})
}

// fundRoundPageWith shows round rd's page (after a refused action, with
// its errors).
func (s *Server) fundRoundPageWith(w http.ResponseWriter, r *http.Request, rd fund.Round, code int, p *page) error {
	v, err := s.fundRoundView(r, rd.ID)
	if err != nil {
		return err
	}
	return s.fundRoundPageOf(w, r, v, code, p)
}

func (s *Server) fundRoundPageOf(w http.ResponseWriter, r *http.Request, v *fundRoundView, code int, p *page) error {
	rd, ps := v.round, v.proposals
	a := actorFrom(r)
	proposalsHTML := v.proposalsHTML
	if proposalFormsShown(rd) {
		var err error
		if proposalsHTML, err = s.fundProposalsHTML(v, a, p.Errors); err != nil {
			return err
		}
	}
	data := map[string]any{"Round": rd, "Proposals": ps, "ProposalsHTML": proposalsHTML, "ResultsHTML": v.resultsHTML, "Next": fund.NextPhase(rd.Phase),
		"Proposers": a.OrgsWith("vcse", auth.RoleVCSE, auth.RoleOrgAdmin)}
	for _, kind := range []string{"business", "public_body"} {
		data["Proposers"] = append(data["Proposers"].([]auth.Membership), a.OrgsWith(kind, auth.RoleOrgAdmin)...)
	}
	open := rd.Phase == fund.PhaseVoting && !s.now().Before(rd.VotingFrom) && s.now().Before(rd.VotingUntil)
	data["VotingOpen"] = open
	data["Residents"] = rd.Allows(fund.Residents)
	data["Voted"] = false
	if a.Resident() && p.Form.Get("voted") == "" && rd.Allows(fund.Residents) {
		mine, err := s.Store.FundBallotOf(r.Context(), rd.ID, voterKey(a))
		if err != nil {
			return err
		}
		for _, id := range mine {
			p.Form.Add("proposals", strconv.FormatInt(id, 10))
		}
		data["Voted"] = len(mine) > 0
	}
	// One ballot per member organisation, cast by its organisation admin.
	type orgVote struct {
		Org    auth.Membership
		Chosen []string
	}
	var orgVotes []orgVote
	if rd.Allows(fund.Organisations) {
		for _, kind := range []string{"public_body", "business", "vcse"} {
			for _, m := range a.OrgsWith(kind, auth.RoleOrgAdmin) {
				mine, err := s.Store.FundBallotOf(r.Context(), rd.ID, orgVoterKey(m.OrgID))
				if err != nil {
					return err
				}
				ov := orgVote{Org: m}
				for _, id := range mine {
					ov.Chosen = append(ov.Chosen, strconv.FormatInt(id, 10))
				}
				orgVotes = append(orgVotes, ov)
			}
		}
	}
	data["OrgVotes"] = orgVotes
	data["Results"] = v.doc // nil until published
	data["DeliveryHTML"] = v.deliveryHTML
	if v.doc != nil && (p.Errors != nil || reportsOnAny(a, v)) {
		p.Actor = a
		html, err := s.fundDeliveryHTML(v, p)
		if err != nil {
			return err
		}
		data["DeliveryHTML"] = html
	}
	p.Title = rd.Title
	if p.Errors != nil {
		p.Title = "Error: " + p.Title
	}
	p.Data = data
	s.render(w, r, code, "fund-round", p)
	return nil
}

func (s *Server) moveFundRound(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ManageFund, auth.Target{})
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
	to := r.PostForm.Get("to")
	if to == fund.PhasePublished {
		return s.publishFundRound(w, r, a, rd)
	}
	if err := s.Store.MoveFundRound(r.Context(), a, rd.ID, to); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			return s.fundRoundPageWith(w, r, rd, http.StatusUnprocessableEntity, &page{Errors: inv, Form: url.Values{}})
		}
		return err
	}
	setFlash(w, "The round has moved to "+to)
	return redirect(w, r, fmt.Sprintf("/fund/rounds/%d", rd.ID))
}

func (s *Server) fundPabulib(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.loadFundRound(r)
	if err != nil {
		return err
	}
	if rd.Phase != fund.PhasePublished {
		return fmt.Errorf("ballots are published with the results: %w", problem.ErrNotFound)
	}
	ps, ballots, cons, err := s.roundVotes(r, rd)
	if err != nil {
		return err
	}
	e, _ := fund.NewElection(rd, ps, ballots, cons)
	o, err := fund.Allocate(rd.Rule, e)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="fund-round-%d.pb"`, rd.ID))
	return fund.WritePabulib(w, e, fund.Meta{"description": rd.Title, "country": "United Kingdom", "unit": "Greater Manchester", "currency": "GBP"}, o)
}

type apiFundRound struct {
	ID          int64          `json:"id"`
	Title       string         `json:"title"`
	BudgetPence int64          `json:"budget_pence"`
	Rule        string         `json:"rule"`
	Phase       string         `json:"phase"`
	VotingFrom  string         `json:"voting_from"`
	VotingUntil string         `json:"voting_until"`
	Results     *fund.Document `json:"results,omitempty"`
}

func (s *Server) apiFundRounds(w http.ResponseWriter, r *http.Request) error {
	rounds, err := s.Store.ListFundRounds(r.Context())
	if err != nil {
		return err
	}
	items := []apiFundRound{}
	for _, rd := range rounds {
		items = append(items, apiFundRound{rd.ID, rd.Title, rd.BudgetPence, rd.Rule, rd.Phase, rd.VotingFrom.UTC().Format(time.RFC3339), rd.VotingUntil.UTC().Format(time.RFC3339), nil})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "page": 1, "per_page": len(items), "total": len(items)})
	return nil
}

// apiFundRound shows results only once published: no counts while voting.
func (s *Server) apiFundRound(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.loadFundRound(r)
	if err != nil {
		return err
	}
	doc, err := s.publishedResults(r, rd)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiFundRound{rd.ID, rd.Title, rd.BudgetPence, rd.Rule, rd.Phase, rd.VotingFrom.UTC().Format(time.RFC3339), rd.VotingUntil.UTC().Format(time.RFC3339), doc})
	return nil
}
