package web

import (
	"html/template"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
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
	mux.Handle("POST /fund/proposals/{id}/updates", h(s.fundUpdate))
	mux.Handle("GET /fund/grants.json", h(s.grantsJSON))
	mux.Handle("GET /fund/grants.csv", h(s.grantsCSV))
	mux.Handle("GET /api/v1/fund/rounds", h(s.apiFundRounds))
	mux.Handle("GET /api/v1/fund/rounds/{id}", h(s.apiFundRound))
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
	v, err := s.fundLedgerView(r)
	if err != nil {
		return err
	}
	var options template.HTML
	if auth.Can(actorFrom(r), auth.ManageFund, auth.Target{}) {
		// The form's choice shows names only (the directory's order).
		if options, err = s.fundOrgOptions(r, v, p.Form.Get("org")); err != nil {
			return err
		}
	}
	p.Title = "Social Innovation Collaboration Fund"
	if p.Errors != nil {
		p.Title = "Error: " + p.Title
	}
	p.Data = map[string]any{"LedgerHTML": v.ledgerHTML, "Balance": v.balance, "Sectors": v.totals, "Rounds": v.rounds, "OrgOptionsHTML": options}
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
