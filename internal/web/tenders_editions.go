package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
)

// tenderFramework is the framework edition a tender form uses, whole, and
// the published editions a buyer may choose from (such as the GM Social
// Value Framework and the central government Social Value Model of PPN
// 002). The form's "framework" field names the choice (a GET of
// /tenders/new?framework=ID switches it without JavaScript); without one it
// is the latest published edition of the framework residents weighted in
// the latest published People's Weights, else the latest published edition.
// People's Weights apply only to an edition whose priorities they cover
// (weightsRounds), so a tender on another framework weighs its priorities
// equally, and the form says which framework is in force.
func (s *Server) tenderFramework(r *http.Request) (framework.Framework, []orgs.Option, error) {
	fws, err := s.Store.ListFrameworks(r.Context())
	if err != nil {
		return framework.Framework{}, nil, err
	}
	var published []framework.Framework
	var opts []orgs.Option
	for _, f := range fws {
		if f.Status == framework.Published {
			published = append(published, f)
			opts = append(opts, orgs.Option{Value: strconv.FormatInt(f.ID, 10), Label: f.Name + " (" + f.Edition + ")"})
		}
	}
	if len(published) == 0 {
		return framework.Framework{}, nil, fmt.Errorf("no published framework: %w", problem.ErrConflict)
	}
	chosen, ok := framework.Framework{}, false
	if v := r.FormValue("framework"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		for _, f := range published {
			if err == nil && f.ID == id {
				chosen, ok = f, true
			}
		}
		if !ok {
			return chosen, nil, problem.Field("framework", "Choose a published framework from the list")
		}
	}
	if !ok {
		if chosen, err = s.defaultEdition(r, fws); err != nil {
			return chosen, nil, err
		}
	}
	whole, err := s.Store.Framework(r.Context(), chosen.ID)
	return whole, opts, err
}

// defaultEdition is the hub's framework edition where a page does not name
// one: the latest published edition of the framework residents weighted in
// the latest published People's Weights, else the latest published edition.
// So publishing another framework (such as PPN 002) beside the GM framework
// does not take the GM priorities away from the pages that name them.
func (s *Server) defaultEdition(r *http.Request, fws []framework.Framework) (framework.Framework, error) {
	latest := func(name string) framework.Framework {
		var best framework.Framework
		for _, f := range fws {
			if f.Status == framework.Published && (name == "" || f.Name == name) && (best.ID == 0 || f.PublishedAt != nil && best.PublishedAt != nil && f.PublishedAt.After(*best.PublishedAt)) {
				best = f
			}
		}
		return best
	}
	rounds, err := s.Store.ListRounds(r.Context())
	if err != nil {
		return framework.Framework{}, err
	}
	for _, rd := range rounds { // newest first
		if rd.Status != priorities.Published {
			continue
		}
		for _, f := range fws {
			if f.ID == rd.FrameworkID {
				if best := latest(f.Name); best.ID != 0 {
					return best, nil
				}
			}
		}
		break
	}
	if best := latest(""); best.ID != 0 {
		return best, nil
	}
	return framework.Framework{}, fmt.Errorf("no published framework: %w", problem.ErrConflict)
}
