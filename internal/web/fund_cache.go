package web

import (
	"html/template"
	"net/http"
	"sync"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

// fundRoundCache keeps what a fund round's page is built from — the round,
// its proposals with their partners and automatic checks, the published
// results and progress updates — and the parts of the page rendered from
// them alone, with the fund's generation they were read under
// (store.RefFund: raised in the transaction of every write to the fund's
// tables and to organisations, on any node). Ballots do not raise it, so
// nothing kept carries a count of votes. Entries are read-only once stored.
type fundRoundCache struct {
	mu     sync.Mutex
	rounds genMap[int64, *fundRoundView]
	// ledger is the /fund page's data (fundLedgerView), under its own
	// generation.
	ledger *fundLedgerView
}

// fundRoundView is a round's page data that does not depend on the visitor.
type fundRoundView struct {
	round     fund.Round
	proposals []fund.Proposal // Approvals left at zero: ballots do not move the generation
	checks    map[int64][]fund.Check
	doc       *fund.Document // nil until published
	updates   map[int64][]fund.Update
	// resultsHTML is the results table (empty until published);
	// proposalsHTML the proposal cards, set only when no visitor can see a
	// form on them (outside the proposals and review phases).
	resultsHTML, proposalsHTML template.HTML
	// deliveryHTML is the progress on each funded proposal (empty until
	// published) as shown to a reader who may report on none of them.
	deliveryHTML template.HTML
}

// fundRoundView returns round id's page data, kept while the fund's
// generation stands; an unknown round is problem.ErrNotFound.
func (s *Server) fundRoundView(r *http.Request, id int64) (*fundRoundView, error) {
	gen, err := s.generationSum(r.Context(), store.RefFund)
	if err != nil {
		return nil, err
	}
	return cachedGen(&s.fundRounds.mu, &s.fundRounds.rounds, gen, id, func() (*fundRoundView, error) { return s.readFundRound(r, id) })
}

// readFundRound reads round id's page data and renders the parts of the
// page made from it alone.
func (s *Server) readFundRound(r *http.Request, id int64) (*fundRoundView, error) {
	rd, err := s.Store.FundRound(r.Context(), id)
	if err != nil {
		return nil, err
	}
	v := &fundRoundView{round: rd, checks: map[int64][]fund.Check{}}
	if v.proposals, err = s.Store.Proposals(r.Context(), rd.ID); err != nil {
		return nil, err
	}
	for i := range v.proposals {
		v.proposals[i].Approvals = 0
		v.checks[v.proposals[i].ID] = fund.AutoChecks(v.proposals[i], rd)
	}
	if v.doc, err = s.publishedResults(r, rd); err != nil {
		return nil, err
	}
	if v.doc != nil {
		if v.updates, err = s.Store.FundUpdates(r.Context(), rd.ID); err != nil {
			return nil, err
		}
		if v.resultsHTML, err = s.renderPart("fund-round", "fund-results", struct {
			R   fund.Round
			Doc *fund.Document
		}{rd, v.doc}); err != nil {
			return nil, err
		}
		if v.deliveryHTML, err = s.fundDeliveryHTML(v, &page{}); err != nil {
			return nil, err
		}
	}
	if !proposalFormsShown(rd) {
		if v.proposalsHTML, err = s.fundProposalsHTML(v, auth.Actor{}, nil); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// proposalFormsShown says whether a proposal card may carry a form (review
// or withdrawal) for someone: only while proposals are made and reviewed.
func proposalFormsShown(rd fund.Round) bool {
	return rd.Phase == fund.PhaseProposals || rd.Phase == fund.PhaseReview
}

// fundProposalsHTML renders a round's proposal cards for actor, with the
// review form's errors.
func (s *Server) fundProposalsHTML(v *fundRoundView, a auth.Actor, errs *problem.Invalid) (template.HTML, error) {
	return s.renderPart("fund-round", "fund-proposals", struct {
		R         fund.Round
		Proposals []fund.Proposal
		Checks    map[int64][]fund.Check
		Actor     auth.Actor
		Errors    *problem.Invalid
	}{v.round, v.proposals, v.checks, a, errs})
}

// fundDeliveryHTML renders a published round's delivery part for the
// reader, form values and errors of p (the "fund-delivery" template).
func (s *Server) fundDeliveryHTML(v *fundRoundView, p *page) (template.HTML, error) {
	return s.renderPart("fund-round", "fund-delivery", &page{Actor: p.Actor, Form: p.Form, Errors: p.Errors,
		Data: map[string]any{"Doc": v.doc, "Updates": v.updates, "Proposals": v.proposals}})
}

// reportsOnAny says whether a may report progress on one of a published
// round's funded proposals, and so sees a form in its delivery part.
func reportsOnAny(a auth.Actor, v *fundRoundView) bool {
	if v.doc == nil || a.User == nil {
		return false
	}
	for _, d := range v.doc.Proposals {
		if !d.Funded {
			continue
		}
		for _, pr := range v.proposals {
			if pr.ID == d.ID && auth.Can(a, auth.Propose, auth.Target{OrgID: pr.OrgID}) {
				return true
			}
		}
	}
	return false
}

// fundLedgerView is the /fund page's data that does not depend on the
// visitor, kept under the fund's generation like a round's: the ledger
// (its rows rendered once), the balance, contributions by sector and the
// rounds; orgOptions, the organisation choice of the entry form, is made
// by the first fund manager's request that needs it.
type fundLedgerView struct {
	gen        int64
	ledger     []fund.Entry
	ledgerHTML template.HTML
	balance    int64
	totals     []sectorTotal
	rounds     []fund.Round
	orgs       []orgs.Organisation
	orgOptions *template.HTML
}

// fundLedgerView returns the /fund page's data at the fund's current
// generation.
func (s *Server) fundLedgerView(r *http.Request) (*fundLedgerView, error) {
	gen, err := s.generationSum(r.Context(), store.RefFund)
	if err != nil {
		return nil, err
	}
	s.fundRounds.mu.Lock()
	v := s.fundRounds.ledger
	s.fundRounds.mu.Unlock()
	if v != nil && v.gen == gen {
		return v, nil
	}
	v = &fundLedgerView{gen: gen}
	if v.ledger, err = s.Store.Ledger(r.Context()); err != nil {
		return nil, err
	}
	if v.rounds, err = s.Store.ListFundRounds(r.Context()); err != nil {
		return nil, err
	}
	bySector := map[string]int64{}
	for _, e := range v.ledger {
		v.balance += e.Pence
		if e.Kind == fund.Contribution || e.Kind == fund.Correction {
			bySector[e.Sector] += e.Pence
		}
	}
	for _, sec := range []string{fund.Public, fund.Private, fund.VCSE} {
		v.totals = append(v.totals, sectorTotal{sec, fund.SectorLabel(sec), bySector[sec]})
	}
	if v.ledgerHTML, err = s.renderPart("fund", "fund-ledger", v.ledger); err != nil {
		return nil, err
	}
	s.fundRounds.mu.Lock()
	if cur := s.fundRounds.ledger; cur == nil || cur.gen <= gen {
		s.fundRounds.ledger = v
	}
	s.fundRounds.mu.Unlock()
	return v, nil
}

// fundOrgOptions renders the entry form's organisation options with cur
// chosen; with none chosen they are kept with v.
func (s *Server) fundOrgOptions(r *http.Request, v *fundLedgerView, cur string) (template.HTML, error) {
	s.fundRounds.mu.Lock()
	kept, list := v.orgOptions, v.orgs
	s.fundRounds.mu.Unlock()
	if cur == "" && kept != nil {
		return *kept, nil
	}
	if list == nil {
		var err error
		if list, err = s.Store.OrganisationNames(r.Context(), 1000); err != nil {
			return "", err
		}
	}
	h, err := s.renderPart("fund", "fund-org-options", struct {
		Orgs []orgs.Organisation
		Cur  string
	}{list, cur})
	if err != nil {
		return "", err
	}
	s.fundRounds.mu.Lock()
	v.orgs = list
	if cur == "" {
		v.orgOptions = &h
	}
	s.fundRounds.mu.Unlock()
	return h, nil
}
