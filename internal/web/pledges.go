package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) pledgeRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("POST /organisations/{slug}/pledge", h(s.signPledge))
	mux.Handle("POST /organisations/{slug}/pledge/reports", h(s.reportPledge))
	mux.Handle("POST /organisations/{slug}/champions", h(s.addChampion))
	mux.Handle("POST /organisations/{slug}/relationships", h(s.declareRelationship))
	mux.Handle("GET /kitemarks.json", h(s.kiteMarksJSON))
}

// orgData is what the organisation page shows beyond the profile: the
// pledge, the kite mark with the evidence for every rule, champions.
func (s *Server) orgData(r *http.Request, o orgs.Organisation) (map[string]any, error) {
	p, err := s.profile(r.Context(), o.Slug)
	if err != nil {
		return nil, err
	}
	p.org = o
	return s.orgDataOf(r, p)
}

// orgDataOf is the organisation page's data: the kept public profile, and
// for those who may edit it, every champion and the other organisations.
func (s *Server) orgDataOf(r *http.Request, p orgProfile) (map[string]any, error) {
	ctx := r.Context()
	o, pledge, text, champions := p.org, p.pledge, p.text, p.champions
	level, checks := hub.KiteMark(p.facts, s.now())
	a := actorFrom(r)
	editor := auth.Can(a, auth.EditOrg, auth.Target{OrgID: o.ID})
	if editor {
		var err error
		if champions, err = s.Store.Champions(ctx, o.ID, false); err != nil {
			return nil, err
		}
	}
	data := map[string]any{"Org": o, "Pledge": pledge, "PledgeText": text, "Kite": level, "Checks": checks, "Champions": champions, "Priorities": s.priorityOptions(r),
		"RelKinds": []orgs.Option{{Value: "network", Label: "Network"}, {Value: "partnership", Label: "Partnership"}}, "Year": strconv.Itoa(s.now().Year()), "Today": s.now().In(london).Format(time.DateOnly),
		// what the reader may do, asked once rather than at each place the page offers it
		"CanEdit": editor, "CanVerify": auth.Can(a, auth.VerifyOrg, auth.Target{OrgID: o.ID}), "CanVerifyAny": auth.Can(a, auth.VerifyOrg, auth.Target{}),
		"CanViewMembers": auth.Can(a, auth.ViewMembers, auth.Target{OrgID: o.ID})}
	if editor {
		all, err := s.Store.OrganisationNames(ctx, 1000)
		if err != nil {
			return nil, err
		}
		var others []orgs.Option
		for _, x := range all {
			if x.ID != o.ID {
				others = append(others, orgs.Option{Value: strconv.FormatInt(x.ID, 10), Label: x.LegalName})
			}
		}
		data["Others"] = others
	}
	s.bodyData(r, o, p.bodies, data)
	return data, nil
}

func (s *Server) orgInvalid(w http.ResponseWriter, r *http.Request, o orgs.Organisation, err error) error {
	data, derr := s.orgData(r, o)
	if derr != nil {
		return derr
	}
	return s.invalid(w, r, err, "organisation", &page{Title: o.LegalName, Data: data})
}

func (s *Server) signPledge(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	text, err := s.Store.CurrentPledge(r.Context())
	if err != nil {
		return err
	}
	if r.PostForm.Get("agree") != "1" {
		return s.orgInvalid(w, r, o, problem.Field("agree", "Tick to confirm your organisation signs the pledge"))
	}
	if err := s.Store.SignPledge(r.Context(), a, o.ID, text.Version, r.PostForm["pledge_priorities"], s.now()); err != nil {
		return err
	}
	setFlash(w, "Pledge signed")
	return redirect(w, r, "/organisations/"+o.Slug+"#pledge")
}

func (s *Server) reportPledge(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(r.PostForm.Get("year"))
	text := strings.TrimSpace(r.PostForm.Get("report"))
	if err != nil || year < 2000 || year > s.now().Year() {
		return s.orgInvalid(w, r, o, problem.Field("year", "Enter the year the report covers, up to this year"))
	}
	if text == "" {
		return s.orgInvalid(w, r, o, problem.Field("report", "Say what your organisation did towards its pledge"))
	}
	if err := s.Store.ReportPledge(r.Context(), a, o.ID, year, text, s.now()); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			return s.orgInvalid(w, r, o, inv)
		}
		return err
	}
	setFlash(w, fmt.Sprintf("Progress report for %d published", year))
	return redirect(w, r, "/organisations/"+o.Slug+"#pledge")
}

func (s *Server) addChampion(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	c := hub.Champion{OrgID: o.ID, Name: strings.TrimSpace(r.PostForm.Get("champion_name")), Role: strings.TrimSpace(r.PostForm.Get("champion_role")), Consent: r.PostForm.Get("champion_consent") == "1"}
	if c.Name == "" {
		return s.orgInvalid(w, r, o, problem.Field("champion_name", "Enter the champion's name"))
	}
	if err := s.Store.AddChampion(r.Context(), a, c, s.now()); err != nil {
		return err
	}
	setFlash(w, "Champion added"+map[bool]string{true: "", false: " (not listed publicly without their consent)"}[c.Consent])
	return redirect(w, r, "/organisations/"+o.Slug+"#champions")
}

func (s *Server) declareRelationship(w http.ResponseWriter, r *http.Request) error {
	o, a, err := s.orgAction(r, auth.EditOrg)
	if err != nil {
		return err
	}
	to, _ := strconv.ParseInt(r.PostForm.Get("rel_to"), 10, 64)
	kind := r.PostForm.Get("rel_kind")
	if _, err := s.Store.OrganisationByID(r.Context(), to); err != nil || (kind != "network" && kind != "partnership") {
		return s.orgInvalid(w, r, o, problem.Field("rel_to", "Choose the organisation and the kind of relationship"))
	}
	since := strings.TrimSpace(r.PostForm.Get("rel_since"))
	if since != "" {
		if _, err := time.Parse(time.DateOnly, since); err != nil {
			return s.orgInvalid(w, r, o, problem.Field("rel_since", "Enter the date it began, like 2024-04-01"))
		}
	}
	if err := s.Store.DeclareRelationship(r.Context(), a, o.ID, to, kind, since, s.now()); err != nil {
		if inv, ok := err.(*problem.Invalid); ok {
			return s.orgInvalid(w, r, o, inv)
		}
		return err
	}
	setFlash(w, "Relationship added to the network")
	return redirect(w, r, "/organisations/"+o.Slug+"#network")
}

// kiteMarksJSON publishes every organisation's kite mark level.
func (s *Server) kiteMarksJSON(w http.ResponseWriter, r *http.Request) error {
	items, err := s.kiteMarks(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": "see any organisation page", "accreditations_counted": "verified only: self-declared accreditations (not checked by the hub, or whose check has lapsed) do not count toward a kite mark", "kite_marks": items})
	return nil
}
