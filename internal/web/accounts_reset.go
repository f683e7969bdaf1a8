package web

import (
	"net/http"
)

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "forgot", &page{Title: "Reset your password"})
	return nil
}

func (s *Server) forgot(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.Auth.RequestReset(r.Context(), r.PostForm.Get("email")); err != nil {
		return s.invalid(w, r, err, "forgot", &page{Title: "Reset your password"})
	}
	s.render(w, r, http.StatusOK, "forgot-sent", &page{Title: "Check your email", Data: map[string]any{"Email": r.PostForm.Get("email")}})
	return nil
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "reset", &page{Title: "Choose a new password", Form: r.URL.Query()})
	return nil
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	_, err := s.Auth.ResetPassword(r.Context(), f.Get("token"), f.Get("password"), f.Get("confirm"))
	if err != nil {
		f.Del("password")
		f.Del("confirm")
		return s.invalid(w, r, err, "reset", &page{Title: "Choose a new password"})
	}
	setFlash(w, "Your password has been changed and you have been signed out everywhere. Sign in with your new password.")
	return redirect(w, r, "/login")
}
