package web

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) fundRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /fund", h(s.fundPage))
	mux.Handle("POST /fund/entries", h(s.fundEntry))
	mux.Handle("GET /fund/rounds/new", h(s.newFundRoundForm))
	mux.Handle("POST /fund/rounds", h(s.createFundRound))
	mux.Handle("GET /fund/rounds/{id}", h(s.fundRoundPage))
	mux.Handle("POST /fund/rounds/{id}/phase", h(s.moveFundRound))
	mux.Handle("POST /fund/rounds/{id}/ballot", h(s.fundBallot))
	mux.Handle("GET /fund/rounds/{id}/round.pb", h(s.fundPabulib))
	mux.Handle("GET /fund/rounds/{id}/proposals/new", h(s.newProposalForm))
	mux.Handle("POST /fund/rounds/{id}/proposals", h(s.submitProposal))
	mux.Handle("POST /fund/proposals/{id}/review", h(s.reviewProposal))
	mux.Handle("POST /fund/proposals/{id}/withdraw", h(s.withdrawProposal))
}

// parsePence reads an amount of pounds (like 1,250.50) as whole pence.
func parsePence(v string) (int64, bool) {
	v = strings.TrimSpace(strings.TrimPrefix(strings.ReplaceAll(strings.TrimSpace(v), ",", ""), "£"))
	r, ok := new(big.Rat).SetString(v)
	if !ok {
		return 0, false
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

type sectorTotal struct {
	Sector string
	Label  string
	Pence  int64
}

func (s *Server) fundPage(w http.ResponseWriter, r *http.Request) error {
	return s.fundPageWith(w, r, http.StatusOK, &page{Form: url.Values{}})
}

func (s *Server) fundPageWith(w http.ResponseWriter, r *http.Request, code int, p *page) error {
	ledger, err := s.Store.Ledger(r.Context())
	if err != nil {
		return err
	}
	rounds, err := s.Store.ListFundRounds(r.Context())
	if err != nil {
		return err
	}
	var balance int64
	bySector := map[string]int64{}
	for _, e := range ledger {
		balance += e.Pence
		if e.Kind == fund.Contribution || e.Kind == fund.Correction {
			bySector[e.Sector] += e.Pence
		}
	}
	var totals []sectorTotal
	for _, sec := range []string{fund.Public, fund.Private, fund.VCSE} {
		totals = append(totals, sectorTotal{sec, fund.SectorLabel(sec), bySector[sec]})
	}
	var orgList []orgs.Organisation
	if auth.Can(actorFrom(r), auth.ManageFund, auth.Target{}) {
		if orgList, _, err = s.Store.ListOrganisations(r.Context(), orgs.Filter{Limit: 1000}); err != nil {
			return err
		}
	}
	p.Title = "Social Innovation Collaboration Fund"
	if p.Errors != nil {
		p.Title = "Error: " + p.Title
	}
	p.Data = map[string]any{"Ledger": ledger, "Balance": balance, "Sectors": totals, "Rounds": rounds, "Orgs": orgList}
	s.render(w, r, code, "fund", p)
	return nil
}

func (s *Server) fundEntry(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ManageFund, auth.Target{})
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	e := fund.Entry{Kind: f.Get("kind"), Note: strings.TrimSpace(f.Get("note"))}
	var v problem.Invalid
	pence, ok := parsePence(f.Get("amount"))
	if !ok {
		v.Add("amount", "Enter an amount in pounds, like 2500 or 2,500.50")
	}
	e.Pence = pence
	if orgID, _ := strconv.ParseInt(f.Get("org"), 10, 64); orgID != 0 {
		o, err := s.Store.OrganisationByID(r.Context(), orgID)
		if err != nil {
			v.Add("org", "Select the contributing organisation")
		} else {
			e.OrgID, e.Sector = o.ID, fund.SectorOf(o.Kind)
		}
	} else if e.Kind == fund.Contribution {
		v.Add("org", "Select the contributing organisation")
	}
	if err := v.Err(); err != nil {
		return s.fundPageWith(w, r, http.StatusUnprocessableEntity, &page{Errors: &v, Form: f})
	}
	if _, err := s.Store.AddLedgerEntry(r.Context(), a, e); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			return s.fundPageWith(w, r, http.StatusUnprocessableEntity, &page{Errors: inv, Form: f})
		}
		return err
	}
	setFlash(w, "Recorded in the ledger")
	return redirect(w, r, "/fund#ledger")
}

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

// fundResultsDoc is the frozen explanation of a published round.
type fundResultsDoc struct {
	Rule         string         `json:"rule"`
	BudgetPence  int64          `json:"budget_pence"`
	TotalPence   int64          `json:"total_pence"`
	Voters       int            `json:"voters"`
	PerVoter     string         `json:"per_voter_budget,omitempty"`
	Proposals    []fundDocEntry `json:"proposals"`
	GreedyFunded []int64        `json:"greedy_funded"`
	GreedyTotal  int64          `json:"greedy_total_pence"`
}

type fundDocEntry struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	Pence      int64  `json:"cost_pence"`
	Approvals  int    `json:"approvals"`
	Funded     bool   `json:"funded"`
	PerVoter   string `json:"paid_by_each_supporter,omitempty"`
	Reason     string `json:"reason,omitempty"`
	ByGreedy   bool   `json:"funded_by_greedy"`
	Proposer   string `json:"proposer"`
	Supporters int    `json:"supporters"`
}

// election builds the allocation problem in pounds (so Add1 steps by £1)
// from a round's eligible proposals and its ballots.
func (s *Server) election(r *http.Request, rd fund.Round) (*fund.Election, []fund.Proposal, error) {
	ps, err := s.Store.Proposals(r.Context(), rd.ID)
	if err != nil {
		return nil, nil, err
	}
	var eligible []fund.Proposal
	index := map[int64]int{}
	e := &fund.Election{Budget: fund.PenceToPounds(rd.BudgetPence)}
	for _, p := range ps {
		if p.Status == fund.Eligible {
			index[p.ID] = len(e.Projects)
			eligible = append(eligible, p)
			e.Projects = append(e.Projects, fund.Project{ID: strconv.FormatInt(p.ID, 10), Cost: fund.PenceToPounds(p.BudgetPence)})
		}
	}
	ballots, cons, err := s.Store.FundBallots(r.Context(), rd.ID)
	if err != nil {
		return nil, nil, err
	}
	if rd.Electorate == fund.Both {
		// Residents and organisations each hold half the budget.
		for _, c := range cons {
			g := 0
			if c == fund.Organisations {
				g = 1
			}
			e.Groups = append(e.Groups, g)
		}
		e.Shares = []*big.Rat{big.NewRat(1, 2), big.NewRat(1, 2)}
	}
	for _, b := range ballots {
		var bb []int
		for _, pid := range b {
			if i, ok := index[pid]; ok {
				bb = append(bb, i)
			}
		}
		e.Ballots = append(e.Ballots, bb)
	}
	return e, eligible, nil
}

func (s *Server) fundRoundPage(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.loadFundRound(r)
	if err != nil {
		return err
	}
	return s.fundRoundPageWith(w, r, rd, http.StatusOK, &page{Form: url.Values{}})
}

func (s *Server) fundRoundPageWith(w http.ResponseWriter, r *http.Request, rd fund.Round, code int, p *page) error {
	ps, err := s.Store.Proposals(r.Context(), rd.ID)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	checks := map[int64][]fund.Check{}
	for _, pr := range ps {
		checks[pr.ID] = fund.AutoChecks(pr, rd)
	}
	data := map[string]any{"Round": rd, "Proposals": ps, "Checks": checks, "Next": fund.NextPhase(rd.Phase),
		"Proposers": a.OrgsWith("vcse", auth.RoleVCSE, auth.RoleOrgAdmin)}
	for _, kind := range []string{"business", "public_body"} {
		data["Proposers"] = append(data["Proposers"].([]auth.Membership), a.OrgsWith(kind, auth.RoleOrgAdmin)...)
	}
	open := rd.Phase == fund.PhaseVoting && !s.now().Before(rd.VotingFrom) && s.now().Before(rd.VotingUntil)
	data["VotingOpen"] = open
	data["Residents"] = rd.Allows(fund.Residents)
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
	if doc, err := s.publishedResults(r, rd); err != nil {
		return err
	} else if doc != nil {
		data["Results"] = *doc
		updates, err := s.Store.FundUpdates(r.Context(), rd.ID)
		if err != nil {
			return err
		}
		data["Updates"] = updates
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

func (s *Server) publishFundRound(w http.ResponseWriter, r *http.Request, a auth.Actor, rd fund.Round) error {
	e, eligible, err := s.election(r, rd)
	if err != nil {
		return err
	}
	o, err := fund.Allocate(rd.Rule, e)
	if err != nil {
		return err
	}
	x := fund.Explain(e, o)
	g := fund.Greedy(e)
	doc := fundResultsDoc{Rule: rd.Rule, BudgetPence: rd.BudgetPence, Voters: len(e.Ballots)}
	if o.PerVoter != nil {
		doc.PerVoter = fund.Decimal(o.PerVoter)
	}
	approvals := make([]int, len(eligible))
	for _, b := range e.Ballots {
		for _, pi := range b {
			approvals[pi]++
		}
	}
	greedy := map[int]bool{}
	for _, pi := range g.Selected {
		greedy[pi] = true
		doc.GreedyFunded = append(doc.GreedyFunded, eligible[pi].ID)
		doc.GreedyTotal += eligible[pi].BudgetPence
	}
	for _, f := range x.Funded {
		p := eligible[f.Index]
		doc.TotalPence += p.BudgetPence
		doc.Proposals = append(doc.Proposals, fundDocEntry{ID: p.ID, Title: p.Title, Pence: p.BudgetPence, Approvals: approvals[f.Index], Funded: true, PerVoter: f.PerVoter, ByGreedy: greedy[f.Index], Proposer: p.OrgName, Supporters: f.Supporters})
	}
	for _, u := range x.Unfunded {
		p := eligible[u.Index]
		doc.Proposals = append(doc.Proposals, fundDocEntry{ID: p.ID, Title: p.Title, Pence: p.BudgetPence, Approvals: approvals[u.Index], Reason: u.Reason, ByGreedy: greedy[u.Index], Proposer: p.OrgName})
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	if err := s.Store.PublishFundResults(r.Context(), a, rd.ID, rd.Rule, doc.TotalPence, string(js), s.now()); err != nil {
		return err
	}
	setFlash(w, "Results published")
	return redirect(w, r, fmt.Sprintf("/fund/rounds/%d#results", rd.ID))
}

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

func (s *Server) fundPabulib(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.loadFundRound(r)
	if err != nil {
		return err
	}
	if rd.Phase != fund.PhasePublished {
		return fmt.Errorf("ballots are published with the results: %w", problem.ErrNotFound)
	}
	e, _, err := s.election(r, rd)
	if err != nil {
		return err
	}
	o, err := fund.Allocate(rd.Rule, e)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="fund-round-%d.pb"`, rd.ID))
	return fund.WritePabulib(w, e, fund.Meta{"description": rd.Title, "country": "United Kingdom", "unit": "Greater Manchester", "currency": "GBP"}, o)
}

// proposerOrgs lists the organisations the actor may propose for.
func proposerOrgs(a auth.Actor) []auth.Membership {
	var out []auth.Membership
	seen := map[int64]bool{}
	for _, m := range a.Memberships {
		if !seen[m.OrgID] && auth.Can(a, auth.Propose, auth.Target{OrgID: m.OrgID}) {
			seen[m.OrgID] = true
			out = append(out, m)
		}
	}
	return out
}

func (s *Server) proposalFormData(r *http.Request, rd fund.Round) (map[string]any, error) {
	all, _, err := s.Store.ListOrganisations(r.Context(), orgs.Filter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Round": rd, "Proposers": proposerOrgs(actorFrom(r)), "Orgs": all}, nil
}

func (s *Server) newProposalForm(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.loadFundRound(r)
	if err != nil {
		return err
	}
	if _, err := requireUser(r); err != nil {
		return err
	}
	if len(proposerOrgs(actorFrom(r))) == 0 {
		return fmt.Errorf("propose: %w", problem.ErrForbidden)
	}
	data, err := s.proposalFormData(r, rd)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "fund-proposal-form", &page{Title: "Propose a project", Form: url.Values{}, Data: data})
	return nil
}

func (s *Server) submitProposal(w http.ResponseWriter, r *http.Request) error {
	rd, err := s.loadFundRound(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	orgID, _ := strconv.ParseInt(f.Get("org"), 10, 64)
	a, err := require(r, auth.Propose, auth.Target{OrgID: orgID})
	if err != nil {
		return err
	}
	p := fund.Proposal{RoundID: rd.ID, OrgID: orgID, Title: strings.TrimSpace(f.Get("title")), Summary: strings.TrimSpace(f.Get("summary")),
		Coproduction: strings.TrimSpace(f.Get("coproduction")), Systemic: strings.TrimSpace(f.Get("systemic")), Priorities: strings.Join(f["priorities"], " ")}
	var v problem.Invalid
	var ok bool
	if p.BudgetPence, ok = parsePence(f.Get("budget")); !ok {
		v.Add("budget", "Enter the budget you are asking for, in pounds")
	}
	for _, raw := range f["partners"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			continue
		}
		if o, err := s.Store.OrganisationByID(r.Context(), id); err == nil {
			p.Partners = append(p.Partners, fund.Partner{OrgID: o.ID, Name: o.LegalName, Kind: o.Kind})
		}
	}
	if err := p.Validate(rd); err != nil {
		v.Fields = append(v.Fields, err.(*problem.Invalid).Fields...)
	}
	if err := v.Err(); err != nil {
		data, derr := s.proposalFormData(r, rd)
		if derr != nil {
			return derr
		}
		return s.invalid(w, r, err, "fund-proposal-form", &page{Title: "Propose a project", Data: data})
	}
	if _, err := s.Store.SubmitProposal(r.Context(), a, p); err != nil {
		return err
	}
	setFlash(w, "Proposal submitted. It will be checked for eligibility before voting opens.")
	return redirect(w, r, fmt.Sprintf("/fund/rounds/%d#proposal-list", rd.ID))
}

func (s *Server) reviewProposal(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ManageFund, auth.Target{})
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	p, err := s.Store.Proposal(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.Store.ReviewProposal(r.Context(), a, id, r.PostForm.Get("status"), strings.TrimSpace(r.PostForm.Get("reason"))); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			rd, rerr := s.Store.FundRound(r.Context(), p.RoundID)
			if rerr != nil {
				return rerr
			}
			for i := range inv.Fields {
				inv.Fields[i].Field = fmt.Sprintf("%s-%d", inv.Fields[i].Field, id)
			}
			return s.fundRoundPageWith(w, r, rd, http.StatusUnprocessableEntity, &page{Errors: inv, Form: url.Values{}})
		}
		return err
	}
	setFlash(w, "Eligibility recorded for "+p.Title)
	return redirect(w, r, fmt.Sprintf("/fund/rounds/%d#proposal-%d", p.RoundID, id))
}

func (s *Server) withdrawProposal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.Store.Proposal(r.Context(), id)
	if err != nil {
		return err
	}
	a, err := require(r, auth.Propose, auth.Target{OrgID: p.OrgID})
	if err != nil {
		return err
	}
	if err := s.Store.WithdrawProposal(r.Context(), a, id); err != nil {
		return err
	}
	setFlash(w, p.Title+" has been withdrawn")
	return redirect(w, r, fmt.Sprintf("/fund/rounds/%d#proposal-list", p.RoundID))
}
