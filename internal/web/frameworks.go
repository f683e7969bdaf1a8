package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) frameworks(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Store.ListFrameworks(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "frameworks", &page{Title: "Social value frameworks", Data: map[string]any{"Frameworks": list}})
	return nil
}

// loadFramework returns the edition in the path; drafts are visible only to
// those who may edit them.
func (s *Server) loadFramework(r *http.Request) (framework.Framework, error) {
	f, _, err := s.viewFramework(r, false)
	return f, err
}

// viewFramework is loadFramework for pages that only read the edition:
// with kept set, it comes from the copy kept under the trees' generation
// (tenders_cache.go), which the caller must not modify, with that
// generation.
func (s *Server) viewFramework(r *http.Request, kept bool) (framework.Framework, int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return framework.Framework{}, 0, err
	}
	var f framework.Framework
	var g int64
	if kept {
		f, g, err = s.frameworkTree(r.Context(), id)
	} else {
		f, err = s.Store.Framework(r.Context(), id)
	}
	if err != nil {
		return f, g, err
	}
	if f.Status != framework.Published && !auth.Can(actorFrom(r), auth.EditFramework, auth.Target{}) {
		return f, g, fmt.Errorf("draft framework %d: %w", id, problem.ErrNotFound)
	}
	return f, g, nil
}

func (s *Server) frameworkPage(w http.ResponseWriter, r *http.Request) error {
	f, g, err := s.viewFramework(r, true)
	if err != nil {
		return err
	}
	edit := f.Status == framework.Draft && auth.Can(actorFrom(r), auth.EditFramework, auth.Target{})
	tree, err := s.frameworkTreeHTML(r, f, g, edit)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "framework", &page{Title: f.Name + " " + f.Edition, Form: url.Values{"edition": {""}}, Data: map[string]any{"F": f, "Tree": tree}})
	return nil
}

func (s *Server) frameworkCSV(w http.ResponseWriter, r *http.Request) error {
	f, _, err := s.viewFramework(r, true)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := framework.WriteCSV(&buf, f); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="framework-%d-%s.csv"`, f.ID, strings.ReplaceAll(f.Edition, `"`, "")))
	_, err = w.Write(buf.Bytes())
	return err
}
