package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// spendResolve lists fuzzy supplier candidates across every buyer's spend,
// highest spend first, and the decisions already taken.
func (s *Server) spendResolve(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ResolveSuppliers, auth.Target{})
	if err != nil {
		return err
	}
	rows, err := s.Store.SpendBySupplier(r.Context(), store.SpendFilter{From: "1990-01-01", To: "2100-12-31"})
	if err != nil {
		return err
	}
	orgList, err := s.Store.SupplierCandidatesFor(r.Context(), rows)
	if err != nil {
		return err
	}
	links, err := s.Store.SupplierLinks(r.Context())
	if err != nil {
		return err
	}
	decided := map[string]bool{}
	for _, l := range links {
		decided[spend.DecisionKey(l.SupplierKey, l.OrgID)] = true
	}
	districts, err := s.Store.Districts(r.Context())
	if err != nil {
		return err
	}
	gm := map[string]bool{}
	for _, d := range districts {
		gm[d.Code] = true
	}
	rep := spend.BuildReport(rows, orgList, "", gm, 0)
	unmatched := 0
	// Unplaced suppliers, largest first, with how much of the spend to
	// named payees placing each would add to the placed share.
	type unplaced struct {
		spend.Supplier
		Adds float64
	}
	var todo []unplaced
	for _, sp := range rep.Top {
		if sp.Key == "redacted" {
			continue
		}
		if sp.OrgID == 0 {
			unmatched++
		}
		if sp.Location == spend.Unknown && len(todo) < resolveLimit && sp.NetPence > 0 {
			todo = append(todo, unplaced{sp, float64(sp.NetPence) / float64(max(1, rep.Known.NamedPence))})
		}
	}
	cands := spend.FuzzyCandidates(rep.Top, orgList, decided, resolveLimit)
	ch, err := s.companiesHouse(r, a, rep)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "spend-resolve", &page{Title: "Resolve suppliers", Data: map[string]any{
		"Candidates": cands, "Links": links, "Unmatched": unmatched, "Threshold": spend.CandidateThreshold, "Auto": spend.AutoMatchThreshold,
		"Unplaced": todo, "Known": rep.Known, "Note": rep.LocationNote, "CompaniesHouse": ch}})
	return nil
}

func (s *Server) spendDecide(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ResolveSuppliers, auth.Target{})
	if err != nil {
		return err
	}
	orgID, _ := strconv.ParseInt(r.FormValue("org"), 10, 64)
	score, _ := strconv.ParseFloat(r.FormValue("score"), 64)
	decision := r.FormValue("decision")
	if _, err := s.Store.DecideSupplierLink(r.Context(), a, r.FormValue("key"), r.FormValue("name"), orgID, decision, score); err != nil {
		return err
	}
	msg := fmt.Sprintf("Recorded: %q is not that organisation", r.FormValue("name"))
	if decision == "confirmed" {
		msg = fmt.Sprintf("Confirmed: %q is now counted as that organisation in every analysis", r.FormValue("name"))
	}
	setFlash(w, msg)
	return redirect(w, r, "/spend/resolve")
}

func (s *Server) spendUndo(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ResolveSuppliers, auth.Target{})
	if err != nil {
		return err
	}
	// A decision about a register entry has a negative id.
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id == 0 {
		return fmt.Errorf("decision %q: %w", r.PathValue("id"), problem.ErrNotFound)
	}
	if err := s.Store.UndoSupplierLink(r.Context(), a, id); err != nil {
		return err
	}
	setFlash(w, "Decision undone")
	return redirect(w, r, "/spend/resolve")
}
