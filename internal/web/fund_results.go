package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/ocds"
	"github.com/svhub/svhub/internal/orgs"
)

// publishedResults returns a published round's frozen results document.
func (s *Server) publishedResults(r *http.Request, rd fund.Round) (*fund.Document, error) {
	if rd.Phase != fund.PhasePublished {
		return nil, nil
	}
	_, _, js, err := s.Store.FundResults(r.Context(), rd.ID)
	if err != nil {
		return nil, err
	}
	var doc fund.Document
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		return nil, fmt.Errorf("results of fund round %d: %w", rd.ID, err)
	}
	return &doc, nil
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

func (s *Server) publishFundRound(w http.ResponseWriter, r *http.Request, a auth.Actor, rd fund.Round) error {
	ps, ballots, cons, err := s.roundVotes(r, rd)
	if err != nil {
		return err
	}
	doc, err := fund.Publication(rd, ps, ballots, cons)
	if err != nil {
		return err
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
