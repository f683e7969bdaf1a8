package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

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

func (s *Server) fundUpdate(w http.ResponseWriter, r *http.Request) error {
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
	if err := r.ParseForm(); err != nil {
		return err
	}
	rd, err := s.Store.FundRound(r.Context(), p.RoundID)
	if err != nil {
		return err
	}
	doc, err := s.publishedResults(r, rd)
	if err != nil {
		return err
	}
	// Each funded project has its own form; its fields carry the proposal id.
	field := func(name string) string { return strings.TrimSpace(r.PostForm.Get(fmt.Sprintf("%s-%d", name, id))) }
	pct, perr := strconv.Atoi(field("percent"))
	u := fund.Update{ProposalID: id, Percent: pct, Status: field("status"), Note: field("note")}
	if perr != nil {
		u.Percent = -1
	}
	if err := u.Validate(); err != nil {
		inv := err.(*problem.Invalid)
		for i := range inv.Fields {
			inv.Fields[i].Field = fmt.Sprintf("%s-%d", inv.Fields[i].Field, id)
		}
		return s.fundRoundPageWith(w, r, rd, http.StatusUnprocessableEntity, &page{Errors: inv, Form: r.PostForm})
	}
	if _, err := s.Store.AddFundUpdate(r.Context(), a, u, doc.Funded(id)); err != nil {
		return err
	}
	setFlash(w, "Progress update published for "+p.Title)
	return redirect(w, r, fmt.Sprintf("/fund/rounds/%d#delivery-%d", rd.ID, id))
}
