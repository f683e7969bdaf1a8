package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// companiesHouseRuns is how many of the latest search runs the resolution
// page lists.
const companiesHouseRuns = 5

// companiesHouseView is the Companies House part of the resolution page:
// the buyers the person may search for, what the searches proposed (for a
// person to decide, largest spend first), what they placed, and how the
// latest runs ended (a refused key says so there).
type companiesHouseView struct {
	Buyers    []orgs.Organisation
	Proposals []store.CompaniesHouseMatch
	Placed    []store.CompaniesHouseMatch
	Runs      []store.CompaniesHouseRun
}

// companiesHouse builds the view from the report the page built; nil when
// no API key is configured (the feature is not shown).
func (s *Server) companiesHouse(r *http.Request, a auth.Actor, rep spend.Report) (*companiesHouseView, error) {
	if !s.CompaniesHouse {
		return nil, nil
	}
	var v companiesHouseView
	ids, err := s.Store.SpendBuyers(r.Context())
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !auth.Can(a, auth.ImportSpend, auth.Target{OrgID: id}) {
			continue
		}
		o, err := s.Store.OrganisationByID(r.Context(), id)
		if err != nil {
			return nil, err
		}
		v.Buyers = append(v.Buyers, o)
	}
	spent, matched := map[string]int64{}, map[string]bool{}
	for _, sp := range rep.Top {
		if sp.OrgID == 0 {
			spent[sp.Key] = sp.NetPence
		}
		for _, n := range sp.Spellings {
			spent[spend.NormaliseSupplier(n)] = sp.NetPence
			matched[spend.NormaliseSupplier(n)] = sp.OrgID != 0
		}
	}
	matches, err := s.Store.CompaniesHouseMatches(r.Context(), store.CHProposed, store.CHPlaced, store.CHConfirmed)
	if err != nil {
		return nil, err
	}
	for _, m := range matches {
		m.NetPence = spent[m.SupplierKey]
		switch {
		case m.State != store.CHProposed:
			v.Placed = append(v.Placed, m)
		case !matched[m.SupplierKey]: // a proposal for a payee matched since is moot
			v.Proposals = append(v.Proposals, m)
		}
	}
	bySpend := func(a, b store.CompaniesHouseMatch) int {
		return cmp.Or(cmp.Compare(b.NetPence, a.NetPence), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(v.Proposals, bySpend)
	slices.SortFunc(v.Placed, bySpend)
	if v.Runs, err = s.Store.CompaniesHouseRuns(r.Context(), companiesHouseRuns); err != nil {
		return nil, err
	}
	return &v, nil
}

// searchCompaniesHouse queues the search for one buyer's largest
// unmatched payees (hub administrators, and the buyer's officers and
// organisation admins).
func (s *Server) searchCompaniesHouse(w http.ResponseWriter, r *http.Request) error {
	if !s.CompaniesHouse {
		return fmt.Errorf("companies house search is not configured: %w", problem.ErrNotFound)
	}
	buyer, err := strconv.ParseInt(r.FormValue("buyer"), 10, 64)
	if err != nil || buyer <= 0 {
		return fmt.Errorf("search companies house: %w", problem.Field("buyer", "Choose a buyer"))
	}
	if _, err := require(r, auth.ImportSpend, auth.Target{OrgID: buyer}); err != nil {
		return err
	}
	o, err := s.Store.OrganisationByID(r.Context(), buyer)
	if err != nil {
		return err
	}
	if _, err := s.Store.EnqueueJob(r.Context(), store.CompaniesHouseJob, strconv.FormatInt(buyer, 10), s.now()); err != nil {
		return err
	}
	setFlash(w, fmt.Sprintf("Searching Companies House for %s's largest unmatched suppliers: what it finds appears on this page in a minute or two", o.LegalName))
	return redirect(w, r, "/spend/resolve#companies-house")
}

// decideCompaniesHouse confirms or rejects what a search found.
func (s *Server) decideCompaniesHouse(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ResolveSuppliers, auth.Target{})
	if err != nil {
		return err
	}
	if !s.CompaniesHouse {
		return fmt.Errorf("companies house search is not configured: %w", problem.ErrNotFound)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.Store.DecideCompaniesHouseMatch(r.Context(), a, id, r.FormValue("decision"))
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Recorded: %q is not %s", m.SupplierName, m.Company.Name)
	if m.State == store.CHConfirmed {
		msg = fmt.Sprintf("Confirmed: %q is %s (company %s) in every analysis", m.SupplierName, m.Company.Name, m.Company.Number)
	}
	setFlash(w, msg)
	return redirect(w, r, "/spend/resolve#companies-house")
}
