package web

import (
	"net/http"
	"strconv"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/store"
)

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.ManageUsers, auth.Target{}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin", &page{Title: "Hub administration"})
	return nil
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.ManageUsers, auth.Target{}); err != nil {
		return err
	}
	q := r.URL.Query()
	users, err := s.Store.ListUsers(r.Context(), q.Get("q"), 200, 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin-users", &page{Title: "Users", Form: q, Data: map[string]any{"Users": users}})
	return nil
}

func (s *Server) adminSetAdmin(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ManageUsers, auth.Target{})
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	admin := r.PostForm.Get("admin") == "1"
	if id == a.ID() && !admin {
		setFlash(w, "You cannot remove your own administrator role; ask another administrator")
		return redirect(w, r, "/admin/users")
	}
	if err := s.Store.SetAdmin(r.Context(), a, id, admin); err != nil {
		return err
	}
	setFlash(w, "Role updated")
	return redirect(w, r, "/admin/users")
}

func (s *Server) adminOutbox(w http.ResponseWriter, r *http.Request) error {
	if _, err := require(r, auth.ViewOutbox, auth.Target{}); err != nil {
		return err
	}
	msgs, err := s.Store.ListOutbox(r.Context(), r.URL.Query().Get("to"), 100)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin-outbox", &page{Title: "Email outbox", Form: r.URL.Query(), Data: map[string]any{"Messages": msgs}})
	return nil
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ViewAudit, auth.Target{})
	if err != nil {
		return err
	}
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	f := store.AuditFilter{Action: q.Get("action"), Actor: q.Get("actor"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"), BeforeSeq: before, Limit: 50, Viewer: a.ID()}
	// Who bid on a tender is sealed like the bids until its deadline: the
	// bid events of tenders still open are left out for everyone but the
	// user who made them.
	now := s.now()
	all, err := s.Store.ListTenders(r.Context(), store.TenderFilter{}, now)
	if err != nil {
		return err
	}
	for _, t := range all {
		if now.Before(t.Deadline) {
			f.SealedTenders = append(f.SealedTenders, t.ID)
		}
	}
	events, err := s.Store.ListAudit(r.Context(), f)
	if err != nil {
		return err
	}
	data := map[string]any{"Events": events, "Older": "", "Sealed": len(f.SealedTenders)}
	if len(events) == 50 {
		next := q
		next.Set("before", strconv.FormatInt(events[len(events)-1].Seq, 10))
		data["Older"] = "/admin/audit?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "admin-audit", &page{Title: "Audit log", Form: r.URL.Query(), Data: data})
	return nil
}
