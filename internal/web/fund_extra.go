package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/ocds"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) fundExtraRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("POST /fund/proposals/{id}/updates", h(s.fundUpdate))
	mux.Handle("GET /fund/grants.json", h(s.grantsJSON))
	mux.Handle("GET /fund/grants.csv", h(s.grantsCSV))
	mux.Handle("GET /api/v1/fund/rounds", h(s.apiFundRounds))
	mux.Handle("GET /api/v1/fund/rounds/{id}", h(s.apiFundRound))
}

// publishedResults returns a published round's frozen results document.
func (s *Server) publishedResults(r *http.Request, rd fund.Round) (*fundResultsDoc, error) {
	if rd.Phase != fund.PhasePublished {
		return nil, nil
	}
	_, _, js, err := s.Store.FundResults(r.Context(), rd.ID)
	if err != nil {
		return nil, err
	}
	var doc fundResultsDoc
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		return nil, fmt.Errorf("results of fund round %d: %w", rd.ID, err)
	}
	return &doc, nil
}

func (d *fundResultsDoc) funded(id int64) bool {
	if d == nil {
		return false
	}
	for _, p := range d.Proposals {
		if p.ID == id && p.Funded {
			return true
		}
	}
	return false
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
	if _, err := s.Store.AddFundUpdate(r.Context(), a, u, doc.funded(id)); err != nil {
		return err
	}
	setFlash(w, "Progress update published for "+p.Title)
	return redirect(w, r, fmt.Sprintf("/fund/rounds/%d#delivery-%d", rd.ID, id))
}

// grant is one award in the 360Giving data standard.
type grant struct {
	ID                    string      `json:"id"`
	Title                 string      `json:"title"`
	Description           string      `json:"description"`
	Currency              string      `json:"currency"`
	AmountAwarded         ocds.Pounds `json:"amountAwarded"`
	AwardDate             string      `json:"awardDate"`
	RecipientOrganization []grantOrg  `json:"recipientOrganization"`
	FundingOrganization   []grantOrg  `json:"fundingOrganization"`
	DataSource            string      `json:"dataSource"`
}

type grantOrg struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// orgIdentifier follows org-id.guide: charity or company number where known.
func orgIdentifier(o orgs.Organisation) string {
	switch {
	case o.CharityNumber != "":
		return "GB-CHC-" + o.CharityNumber
	case o.CompanyNumber != "":
		return "GB-COH-" + o.CompanyNumber
	}
	return "360G-svhub-org-" + o.Slug
}

func (s *Server) grants(r *http.Request) ([]grant, error) {
	rounds, err := s.Store.ListFundRounds(r.Context())
	if err != nil {
		return nil, err
	}
	var out []grant
	funder := grantOrg{ID: "360G-svhub-fund", Name: "Social Innovation Collaboration Fund (Greater Manchester)"}
	for _, rd := range rounds {
		doc, err := s.publishedResults(r, rd)
		if err != nil || doc == nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		for _, p := range doc.Proposals {
			if !p.Funded {
				continue
			}
			full, err := s.Store.Proposal(r.Context(), p.ID)
			if err != nil {
				return nil, err
			}
			o, err := s.Store.OrganisationByID(r.Context(), full.OrgID)
			if err != nil {
				return nil, err
			}
			out = append(out, grant{ID: fmt.Sprintf("360G-svhub-%d-%d", rd.ID, p.ID), Title: full.Title, Description: full.Summary, Currency: "GBP",
				AmountAwarded: ocds.Pounds(full.BudgetPence), AwardDate: rd.VotingUntil.In(london).Format(time.DateOnly),
				RecipientOrganization: []grantOrg{{ID: orgIdentifier(o), Name: o.LegalName}}, FundingOrganization: []grantOrg{funder},
				DataSource: fmt.Sprintf("%s/fund/rounds/%d", s.BaseURL, rd.ID)})
		}
	}
	return out, nil
}

func (s *Server) grantsJSON(w http.ResponseWriter, r *http.Request) error {
	gs, err := s.grants(r)
	if err != nil {
		return err
	}
	if gs == nil {
		gs = []grant{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"grants": gs})
	return nil
}

func (s *Server) grantsCSV(w http.ResponseWriter, r *http.Request) error {
	gs, err := s.grants(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="collaboration-fund-grants-360giving.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date", "Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier", "Funding Org:Name", "Data Source"})
	for _, g := range gs {
		_ = cw.Write([]string{g.ID, g.Title, g.Description, g.Currency, g.AmountAwarded.String(), g.AwardDate,
			g.RecipientOrganization[0].ID, g.RecipientOrganization[0].Name, g.FundingOrganization[0].ID, g.FundingOrganization[0].Name, g.DataSource})
	}
	cw.Flush()
	return cw.Error()
}

type apiFundRound struct {
	ID          int64           `json:"id"`
	Title       string          `json:"title"`
	BudgetPence int64           `json:"budget_pence"`
	Rule        string          `json:"rule"`
	Phase       string          `json:"phase"`
	VotingFrom  string          `json:"voting_from"`
	VotingUntil string          `json:"voting_until"`
	Results     *fundResultsDoc `json:"results,omitempty"`
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
