// Package web may use net/http and the store.
package web

import (
	"net/http"
	"net/http/httptest"

	"github.com/svhub/svhub/internal/store"
)

// Server serves pages.
type Server struct{ Store *store.Store }

var _ = httptest.NewRecorder

func (s *Server) page(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, "Select a file from your computer, then update your details.", http.StatusBadRequest)
}
