package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
)

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "login", &page{Title: "Sign in", Form: r.URL.Query()})
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	var v problem.Invalid
	if strings.TrimSpace(r.PostForm.Get("email")) == "" {
		v.Add("email", "Enter your email address")
	}
	if r.PostForm.Get("password") == "" {
		v.Add("password", "Enter your password")
	}
	p := &page{Title: "Sign in"}
	if err := v.Err(); err != nil {
		return s.invalid(w, r, err, "login", p)
	}
	secret, _, err := s.Auth.SignIn(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"), clientIP(r))
	if errors.Is(err, problem.ErrTooMany) {
		return s.invalid(w, r, problem.Field("email", "Too many failed attempts to sign in. Wait 15 minutes, or reset your password"), "login", p)
	}
	if err != nil {
		// Never echo the password back into the form.
		r.PostForm.Del("password")
		return s.invalid(w, r, err, "login", p)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode, MaxAge: int(auth.SessionTTL.Seconds())})
	return redirect(w, r, safeNext(r.PostForm.Get("next")))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Store.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode, MaxAge: -1})
	setFlash(w, "You have signed out")
	return redirect(w, r, "/")
}

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "register", &page{Title: "Create an account"})
	return nil
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	_, err := s.Auth.Register(r.Context(), auth.Registration{Name: strings.TrimSpace(f.Get("name")), Email: f.Get("email"), Password: f.Get("password"), Confirm: f.Get("confirm")})
	if err != nil {
		f.Del("password")
		f.Del("confirm")
		return s.invalid(w, r, err, "register", &page{Title: "Create an account"})
	}
	s.render(w, r, http.StatusOK, "registered", &page{Title: "Check your email", Data: map[string]any{"Email": strings.ToLower(strings.TrimSpace(f.Get("email")))}})
	return nil
}

// verifyForm shows a button: following a link must not change state
// (mail scanners follow links), so confirmation is a POST.
func (s *Server) verifyForm(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "verify", &page{Title: "Confirm your email address", Form: r.URL.Query()})
	return nil
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if _, err := s.Auth.VerifyEmail(r.Context(), r.PostForm.Get("token")); err != nil {
		return s.invalid(w, r, err, "verify", &page{Title: "Confirm your email address"})
	}
	setFlash(w, "Your email address is confirmed. You can now sign in.")
	if actorFrom(r).SignedIn() {
		return redirect(w, r, "/account")
	}
	return redirect(w, r, "/login")
}
