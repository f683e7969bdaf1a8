package web

import (
	"net/http"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	a, err := requireUser(r)
	if err != nil {
		return err
	}
	tokens, err := s.Store.ListAPITokens(r.Context(), a.ID())
	if err != nil {
		return err
	}
	notify, err := s.notifyChoices(r, a.ID())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "account", &page{Title: "Your account", Data: map[string]any{"Tokens": tokens, "NewToken": "", "Notify": notify}})
	return nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ManageOwnTokens, auth.Target{})
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	p := &page{Title: "Your account"}
	if name == "" || len(name) > 100 {
		tokens, _ := s.Store.ListAPITokens(r.Context(), a.ID())
		p.Data = map[string]any{"Tokens": tokens}
		return s.invalid(w, r, problem.Field("name", "Enter a name for the token of up to 100 characters, such as the script that will use it"), "account", p)
	}
	secret, hash := auth.NewToken()
	if _, err := s.Store.CreateAPIToken(r.Context(), a, name, hash); err != nil {
		return err
	}
	tokens, err := s.Store.ListAPITokens(r.Context(), a.ID())
	if err != nil {
		return err
	}
	// The secret is shown once, now; only its hash is kept.
	w.Header().Set("Cache-Control", "no-store")
	p.Data = map[string]any{"Tokens": tokens, "NewToken": secret}
	s.render(w, r, http.StatusOK, "account", p)
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	a, err := require(r, auth.ManageOwnTokens, auth.Target{})
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Store.RevokeAPIToken(r.Context(), a, id); err != nil {
		return err
	}
	setFlash(w, "Token revoked")
	return redirect(w, r, "/account")
}
