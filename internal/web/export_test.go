package web

import "net/http"

// RoutePattern returns the pattern of the route that serves r, or "" when
// none does (for tests that check which routes they reached).
func (s *Server) RoutePattern(r *http.Request) string {
	mux := http.NewServeMux()
	s.routes(mux)
	_, p := mux.Handler(r)
	return p
}
