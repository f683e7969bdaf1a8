package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkPages measures the handler chain for the pages in the HTTP
// benchmark (bench/http.sh), without the network.
func BenchmarkPages(b *testing.B) {
	t := &testing.T{}
	h := newHub(t)
	handler := h.Config.Handler
	for _, path := range []string{"/static/css/svhub.css", "/", "/healthz", "/organisations"} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}
