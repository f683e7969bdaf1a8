package web

import (
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
)

func (s *Server) resourceRoutes(mux interface {
	Handle(string, http.Handler)
}) {
	h := s.serve
	mux.Handle("GET /resources", h(s.resourceList))
	mux.Handle("GET /resources/new", h(s.resourceForm))
	mux.Handle("POST /resources", h(s.createResource))
	mux.Handle("GET /resources/{id}", h(s.resourcePage))
	mux.Handle("POST /resources/{id}/state", h(s.moveResource))
	mux.Handle("POST /resources/{id}/complete", h(s.completeResource))
	mux.Handle("POST /resources/{id}/upload", h(s.uploadResourceFile))
	mux.Handle("GET /resources/{id}/files/{file}", h(s.resourceFile))
	mux.Handle("GET /resources.json", h(s.resourcesJSON))
}

func options(list []struct{ Value, Label string }) []orgs.Option {
	out := make([]orgs.Option, len(list))
	for i, x := range list {
		out[i] = orgs.Option{Value: x.Value, Label: x.Label}
	}
	return out
}

func (s *Server) resourceList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	a := actorFrom(r)
	f := store.ResourceFilter{Query: q.Get("q"), Kind: q.Get("kind"), Sector: q.Get("sector"), Priority: q.Get("priority"), Status: hub.ResPublished}
	var review []hub.Resource
	var err error
	if auth.Can(a, auth.ModerateHub, auth.Target{}) {
		if review, err = s.Store.SearchResources(r.Context(), store.ResourceFilter{Status: hub.ResReview}); err != nil {
			return err
		}
	}
	main, err := s.resourcesMain(r, f)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "resources", &page{Title: "Guidance, training and case studies", Form: q, Data: map[string]any{"Main": main, "Review": review,
		"CanWrite": a.Admin() || len(a.Memberships) > 0 && a.Resident()}})
	return nil
}

// resourcesMain is the /resources search form and the published resources
// it finds (the "resources-main" template) for filter f. It depends on no
// reader: the form shows only f's fields, and the list what was published,
// so it is rendered once per filter under the sum of the library's and the
// priorities' generations (the priority choices) and kept (cachedGen).
func (s *Server) resourcesMain(r *http.Request, f store.ResourceFilter) (template.HTML, error) {
	g, err := s.generationSum(r.Context(), store.RefResources, store.RefPriorities) // shared with requests arriving together (freshread.go)
	if err != nil {
		return "", err
	}
	return cachedGen(&s.resourceLists.mu, &s.resourceLists.m, g, f, func() (template.HTML, error) {
		list, err := s.Store.SearchResources(r.Context(), f)
		if err != nil {
			return "", err
		}
		p := &page{Form: url.Values{"q": {f.Query}, "kind": {f.Kind}, "sector": {f.Sector}, "priority": {f.Priority}},
			Data: map[string]any{"Resources": list, "Kinds": options(hub.ResourceKinds), "Sectors": options(hub.Sectors), "Priorities": s.priorityOptions(r)}}
		return s.renderPart("resources", "resources-main", p)
	})
}

func (s *Server) resourceFormData(r *http.Request) map[string]any {
	a := actorFrom(r)
	return map[string]any{"Orgs": myOrgs(a, auth.WriteResource), "Kinds": options(hub.ResourceKinds), "Sectors": options(hub.Sectors), "Levels": options(hub.Levels), "Priorities": s.priorityOptions(r)}
}

func (s *Server) resourceForm(w http.ResponseWriter, r *http.Request) error {
	return s.postingForm(w, r, "resource-form", "Write a resource", true, func(r *http.Request) (map[string]any, error) { return s.resourceFormData(r), nil })
}

func (s *Server) createResource(w http.ResponseWriter, r *http.Request) error {
	f, org, a, err := postedOrg(r, auth.WriteResource)
	if err != nil {
		return err
	}
	res := hub.Resource{OrgID: org, Title: strings.TrimSpace(f.Get("title")), Kind: f.Get("kind"), Sectors: f["sectors"], Priorities: f["priorities"], Level: f.Get("level"),
		Summary: strings.TrimSpace(f.Get("summary")), Body: f.Get("body")}
	res.ContractID, _ = strconv.ParseInt(f.Get("contract"), 10, 64)
	if err := res.Validate(); err != nil {
		return s.invalid(w, r, err, "resource-form", &page{Title: "Write a resource", Data: s.resourceFormData(r)})
	}
	id, err := s.Store.CreateResource(r.Context(), a, res, s.now())
	if err != nil {
		return err
	}
	setFlash(w, "Draft saved. Send it for review when it is ready.")
	return redirect(w, r, fmt.Sprintf("/resources/%d", id))
}

// resourceFor loads a resource: published ones for everyone, others for
// their author's organisation and moderators.
func (s *Server) resourceFor(r *http.Request) (hub.Resource, bool, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return hub.Resource{}, false, err
	}
	res, err := s.Store.Resource(r.Context(), id)
	if err != nil {
		return res, false, err
	}
	a := actorFrom(r)
	author := a.ID() != 0 && (a.ID() == res.CreatedBy || res.OrgID != 0 && a.MemberOf(res.OrgID))
	if res.Status != hub.ResPublished && !author && !a.Admin() {
		return res, false, fmt.Errorf("resource %d: %w", id, problem.ErrNotFound)
	}
	return res, author, nil
}

func (s *Server) resourcePage(w http.ResponseWriter, r *http.Request) error {
	res, author, err := s.resourceFor(r)
	if err != nil {
		return err
	}
	a := actorFrom(r)
	done := false
	if a.SignedIn() {
		if done, err = s.Store.Completed(r.Context(), res.ID, a.ID()); err != nil {
			return err
		}
	}
	// Markdown escapes every character of the source before adding its own
	// tags (see hub.Markdown and its XSS corpus test), so this is safe HTML.
	body := template.HTML(hub.Markdown(res.Body))
	files, err := s.Store.ResourceFiles(r.Context(), res.ID)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "resource", &page{Title: res.Title, Data: map[string]any{"R": res, "Body": body, "Author": author, "Moderator": a.Admin(), "Done": done, "Files": files}})
	return nil
}

func (s *Server) moveResource(w http.ResponseWriter, r *http.Request) error {
	res, author, err := s.resourceFor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	to := r.PostForm.Get("to")
	a := actorFrom(r)
	switch {
	case to == hub.ResReview && author:
	case (to == hub.ResPublished || to == hub.ResDraft) && res.Status == hub.ResReview:
		if a, err = require(r, auth.ModerateHub, auth.Target{}); err != nil {
			return err
		}
	default:
		if _, err := requireUser(r); err != nil {
			return err
		}
		return fmt.Errorf("move resource: %w", problem.ErrForbidden)
	}
	if err := s.Store.MoveResource(r.Context(), a, res.ID, to, s.now()); err != nil {
		return err
	}
	setFlash(w, map[string]string{hub.ResReview: "Sent for review", hub.ResPublished: "Published", hub.ResDraft: "Returned to the author as a draft"}[to])
	return redirect(w, r, fmt.Sprintf("/resources/%d", res.ID))
}

func (s *Server) completeResource(w http.ResponseWriter, r *http.Request) error {
	res, _, err := s.resourceFor(r)
	if err != nil {
		return err
	}
	a, err := requireUser(r)
	if err != nil {
		return err
	}
	if res.Kind != "training" || res.Status != hub.ResPublished {
		return fmt.Errorf("only published training modules are completed: %w", problem.ErrConflict)
	}
	if err := s.Store.MarkCompleted(r.Context(), a, res.ID, s.now()); err != nil {
		return err
	}
	setFlash(w, "Marked as completed")
	return redirect(w, r, fmt.Sprintf("/resources/%d", res.ID))
}

func (s *Server) resourcesJSON(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Store.SearchResources(r.Context(), store.ResourceFilter{Query: r.URL.Query().Get("q"), Status: hub.ResPublished})
	if err != nil {
		return err
	}
	type item struct {
		ID         int64    `json:"id"`
		Title      string   `json:"title"`
		Kind       string   `json:"kind"`
		Sectors    []string `json:"sectors"`
		Priorities []string `json:"priorities"`
		Level      string   `json:"level,omitempty"`
		Summary    string   `json:"summary"`
		Author     string   `json:"author,omitempty"`
		URL        string   `json:"url"`
	}
	items := []item{}
	for _, x := range list {
		items = append(items, item{x.ID, x.Title, x.Kind, x.Sectors, x.Priorities, x.Level, x.Summary, x.OrgName, fmt.Sprintf("%s/resources/%d", s.BaseURL, x.ID)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"resources": items})
	return nil
}

// uploadResourceFile attaches a file to the author's draft (or one under
// review); types and size as for tender documents.
func (s *Server) uploadResourceFile(w http.ResponseWriter, r *http.Request) error {
	res, author, err := s.resourceFor(r)
	if err != nil {
		return err
	}
	a, err := requireUser(r)
	if err != nil {
		return err
	}
	if !author {
		return fmt.Errorf("attach a file: %w", problem.ErrForbidden)
	}
	name, ctype, body, err := readUpload(r, "file")
	if err != nil {
		return err
	}
	if err := s.Store.AddResourceFile(r.Context(), a, store.ResourceFile{ResourceID: res.ID, Name: name, ContentType: ctype, Content: body}, s.now()); err != nil {
		return err
	}
	setFlash(w, "File attached")
	return redirect(w, r, fmt.Sprintf("/resources/%d", res.ID))
}

func (s *Server) resourceFile(w http.ResponseWriter, r *http.Request) error {
	res, _, err := s.resourceFor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, err := s.Store.ResourceFileContent(r.Context(), res.ID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	_, err = w.Write(f.Content)
	return err
}
