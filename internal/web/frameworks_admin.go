package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) publishFramework(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.PublishFramework, auth.Target{})
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Store.PublishFramework(r.Context(), a, id); err != nil {
		return err
	}
	setFlash(w, "Edition published. It can no longer be changed; create a new edition to make changes.")
	return redirect(w, r, fmt.Sprintf("/frameworks/%d", id))
}

func (s *Server) newEdition(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.EditFramework, auth.Target{})
	if err != nil {
		return err
	}
	f, err := s.loadFramework(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	edition := strings.TrimSpace(r.PostForm.Get("edition"))
	if edition == "" {
		return s.invalid(w, r, problem.Field("edition", "Enter a name for the new edition, such as 2027"), "framework", &page{Title: f.Name + " " + f.Edition, Data: map[string]any{"F": f}})
	}
	id, err := s.Store.NewDraftEdition(r.Context(), a, f.ID, edition)
	if err != nil {
		return s.invalid(w, r, err, "framework", &page{Title: f.Name + " " + f.Edition, Data: map[string]any{"F": f}})
	}
	setFlash(w, "Draft edition "+edition+" created. Edit its measures, then publish it.")
	return redirect(w, r, fmt.Sprintf("/frameworks/%d", id))
}

func findMeasure(f framework.Framework, id int64) (framework.Measure, bool) {
	for _, p := range f.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				if m.ID == id {
					return m, true
				}
			}
		}
	}
	return framework.Measure{}, false
}

func (s *Server) measureFor(r *http.Request) (framework.Framework, framework.Measure, error) {
	if _, err := require(r, auth.EditFramework, auth.Target{}); err != nil {
		return framework.Framework{}, framework.Measure{}, err
	}
	f, err := s.loadFramework(r)
	if err != nil {
		return f, framework.Measure{}, err
	}
	mid, err := pathID(r, "mid")
	if err != nil {
		return f, framework.Measure{}, err
	}
	m, ok := findMeasure(f, mid)
	if !ok {
		return f, m, fmt.Errorf("measure %d: %w", mid, problem.ErrNotFound)
	}
	if f.Immutable() {
		return f, m, fmt.Errorf("edition %s is published and cannot change; create a new edition: %w", f.Edition, problem.ErrConflict)
	}
	return f, m, nil
}

func (s *Server) editMeasureForm(w http.ResponseWriter, r *http.Request) error {
	f, m, err := s.measureFor(r)
	if err != nil {
		return err
	}
	data, err := s.measurePageData(r, f, m)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "measure-form", &page{Title: "Edit measure " + m.Code, Form: measureForm(m), Data: data})
	return nil
}

func (s *Server) editMeasure(w http.ResponseWriter, r *http.Request) error {
	f, m, err := s.measureFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	pf := r.PostForm
	n := framework.Measure{ID: m.ID, Code: strings.TrimSpace(pf.Get("code")), Wording: strings.TrimSpace(pf.Get("wording")), Unit: strings.TrimSpace(pf.Get("unit")), Guidance: strings.TrimSpace(pf.Get("guidance")), RecordOnly: pf.Get("record_only") == "1"}
	data, err := s.measurePageData(r, f, m)
	if err != nil {
		return err
	}
	p := &page{Title: "Edit measure " + m.Code, Data: data}
	if err := n.Validate(); err != nil {
		return s.invalid(w, r, err, "measure-form", p)
	}
	a := actorFrom(r)
	if err := s.Store.UpdateMeasure(r.Context(), a, f.ID, n); err != nil {
		return s.invalid(w, r, err, "measure-form", p)
	}
	setFlash(w, "Measure "+n.Code+" saved")
	return redirect(w, r, fmt.Sprintf("/frameworks/%d#measure-%d", f.ID, m.ID))
}

func (s *Server) importFrameworkForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.EditFramework, auth.Target{}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "framework-import", &page{Title: "Import a framework"})
	return nil
}

func (s *Server) importFramework(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.EditFramework, auth.Target{})
	if err != nil {
		return err
	}
	p := &page{Title: "Import a framework"}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return s.invalid(w, r, problem.Field("file", "The file is larger than %d MB", MaxUploadBytes>>20), "framework-import", p)
		}
		return s.invalid(w, r, problem.Field("file", "Select a CSV file to import"), "framework-import", p)
	}
	defer file.Close()
	body, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	f, err := framework.ReadCSV(bytes.NewReader(body), hdr.Filename)
	var ie *problem.FileErrors
	if errors.As(err, &ie) {
		p.Title = "Error: " + p.Title
		p.Errors = &problem.Invalid{Fields: []problem.FieldError{{Field: "file", Message: fmt.Sprintf("%s has %d problem(s); nothing was imported", hdr.Filename, len(ie.Lines))}}}
		p.Data = map[string]any{"Import": ie}
		s.render(w, r, http.StatusUnprocessableEntity, "framework-import", p)
		return nil
	}
	if err != nil {
		return s.invalid(w, r, problem.Field("file", "%s could not be read as CSV: %v", hdr.Filename, err), "framework-import", p)
	}
	id, err := s.Store.CreateFramework(r.Context(), a, f)
	if err != nil {
		return s.invalid(w, r, err, "framework-import", p)
	}
	setFlash(w, fmt.Sprintf("Imported %s %s as a draft with %d measures", f.Name, f.Edition, f.MeasureCount()))
	return redirect(w, r, fmt.Sprintf("/frameworks/%d", id))
}

func (s *Server) editFrameworkForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.EditFramework, auth.Target{}); err != nil {
		return err
	}
	f, err := s.loadFramework(r)
	if err != nil {
		return err
	}
	if f.Immutable() {
		return fmt.Errorf("edition %s is published and cannot change; create a new edition: %w", f.Edition, problem.ErrConflict)
	}
	form := url.Values{"name": {f.Name}, "publisher": {f.Publisher}, "edition": {f.Edition}, "licence": {f.Licence}, "source_url": {f.SourceURL}}
	for _, p := range f.Priorities {
		form.Set(fmt.Sprintf("title-%d", p.ID), p.Title)
		form.Set(fmt.Sprintf("description-%d", p.ID), p.Description)
	}
	s.render(w, r, http.StatusOK, "framework-form", &page{Title: "Edit draft edition " + f.Edition, Form: form, Data: map[string]any{"F": f}})
	return nil
}

func (s *Server) editFramework(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.EditFramework, auth.Target{})
	if err != nil {
		return err
	}
	f, err := s.loadFramework(r)
	if err != nil {
		return err
	}
	if f.Immutable() {
		return fmt.Errorf("edition %s is published and cannot change; create a new edition: %w", f.Edition, problem.ErrConflict)
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	pf := r.PostForm
	n := f
	n.Name, n.Publisher, n.Edition, n.Licence, n.SourceURL = strings.TrimSpace(pf.Get("name")), strings.TrimSpace(pf.Get("publisher")), strings.TrimSpace(pf.Get("edition")), strings.TrimSpace(pf.Get("licence")), strings.TrimSpace(pf.Get("source_url"))
	p := &page{Title: "Edit draft edition " + f.Edition, Data: map[string]any{"F": f}}
	v := problem.Invalid{}
	if err := n.ValidateMeta(); err != nil {
		v.Fields = append(v.Fields, err.(*problem.Invalid).Fields...)
	}
	for _, pr := range f.Priorities {
		if strings.TrimSpace(pf.Get(fmt.Sprintf("title-%d", pr.ID))) == "" {
			v.Add(fmt.Sprintf("title-%d", pr.ID), "Enter the title of priority %s", pr.Code)
		}
	}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "framework-form", p)
	}
	if err := s.Store.UpdateFrameworkMeta(r.Context(), a, n); err != nil {
		return s.invalid(w, r, err, "framework-form", p)
	}
	for _, pr := range f.Priorities {
		t, d := strings.TrimSpace(pf.Get(fmt.Sprintf("title-%d", pr.ID))), strings.TrimSpace(pf.Get(fmt.Sprintf("description-%d", pr.ID)))
		if t != pr.Title || d != pr.Description {
			if err := s.Store.UpdatePriorityText(r.Context(), a, f.ID, pr.ID, t, d); err != nil {
				return err
			}
		}
	}
	setFlash(w, "Draft edition saved")
	return redirect(w, r, fmt.Sprintf("/frameworks/%d", f.ID))
}
