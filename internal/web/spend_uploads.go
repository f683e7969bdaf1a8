package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

// uploadBodies lists the public bodies the actor may import spend for.
// uploadsSpend reports whether the actor may upload spend files for some
// public body (a hub administrator, or a buyer officer or organisation admin
// of one), so the link is offered only to those it works for.
func uploadsSpend(a auth.Actor) bool {
	return a.Admin() || len(a.OrgsWith("public_body", auth.RoleBuyer, auth.RoleOrgAdmin)) > 0
}

func (s *Server) uploadBodies(r *http.Request) ([]orgs.Organisation, error) {
	a := actorFrom(r)
	if a.Admin() {
		list, _, err := s.Store.ListOrganisations(r.Context(), orgs.Filter{Kind: orgs.PublicBody, Limit: 1000})
		return list, err
	}
	var out []orgs.Organisation
	for _, m := range a.OrgsWith("public_body", auth.RoleBuyer, auth.RoleOrgAdmin) {
		o, err := s.Store.OrganisationByID(r.Context(), m.OrgID)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func (s *Server) spendUploadForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	bodies, err := s.uploadBodies(r)
	if err != nil {
		return err
	}
	if len(bodies) == 0 {
		return fmt.Errorf("spend upload: %w", problem.ErrForbidden)
	}
	s.render(w, r, http.StatusOK, "spend-upload", &page{Title: "Upload a spend file", Form: url.Values{}, Data: map[string]any{"Bodies": bodies}})
	return nil
}

func (s *Server) spendUpload(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	bodies, err := s.uploadBodies(r)
	if err != nil {
		return err
	}
	p := &page{Title: "Upload a spend file", Data: map[string]any{"Bodies": bodies}}
	buyerID, _ := strconv.ParseInt(r.FormValue("buyer"), 10, 64)
	a, err := require(r, auth.ImportSpend, auth.Target{OrgID: buyerID})
	if err != nil {
		return err
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return s.invalid(w, r, problem.Field("file", "The file is larger than %d MB; upload a .zip of it", MaxSpendUploadBytes>>20), "spend-upload", p)
		}
		return s.invalid(w, r, problem.Field("file", "Select a CSV, .zip or .xlsx file"), "spend-upload", p)
	}
	defer file.Close()
	content, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	id, err := s.Store.CreateSpendUpload(r.Context(), a, buyerID, hdr.Filename, content)
	if err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/spend/uploads/%d", id))
}

func (s *Server) spendUploadPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.Store.SpendUploadByID(r.Context(), id)
	if err != nil {
		return err
	}
	if _, err := require(r, auth.ImportSpend, auth.Target{OrgID: u.BuyerID}); err != nil {
		return err
	}
	data := map[string]any{"Upload": u, "Finished": u.Status == "done" || u.Status == "failed" || u.Status == store.SpendUploadCancelled || u.Status == store.SpendUploadMapping, "Run": nil, "Rejects": nil} // the run once the import has one
	if u.RunID != 0 {
		run, _, err := s.Store.SpendRunByID(r.Context(), u.RunID)
		if err != nil {
			return err
		}
		rejects, err := s.Store.SpendRejects(r.Context(), u.RunID)
		if err != nil {
			return err
		}
		if len(rejects) > 500 {
			rejects = rejects[:500]
		}
		data["Run"], data["Rejects"] = run, rejects
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "spend-upload-status", &page{Title: "Import of " + u.File, Data: data})
	return nil
}

// cancelSpendUpload stops an upload's import: the job sees the upload
// cancelled within about a second and rolls its transaction back.
func (s *Server) cancelSpendUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.Store.SpendUploadByID(r.Context(), id)
	if err != nil {
		return err
	}
	a, err := require(r, auth.ImportSpend, auth.Target{OrgID: u.BuyerID})
	if err != nil {
		return err
	}
	if err := s.Store.CancelSpendUpload(r.Context(), a, id); err != nil {
		return err
	}
	setFlash(w, "Import cancelled: nothing from "+u.File+" will be imported")
	return redirect(w, r, fmt.Sprintf("/spend/uploads/%d", id))
}

func (s *Server) spendRejectsCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, buyer, err := s.Store.SpendRunByID(r.Context(), id)
	if err != nil {
		return err
	}
	if _, err := require(r, auth.ImportSpend, auth.Target{OrgID: buyer}); err != nil {
		return err
	}
	rejects, err := s.Store.SpendRejects(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="spend-run-%d-rejected.csv"`, id))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"line", "field", "reason", "row"})
	for _, rj := range rejects {
		_ = cw.Write([]string{strconv.Itoa(rj.Line), rj.Field, rj.Reason, rj.Raw})
	}
	cw.Flush()
	return cw.Error()
}
