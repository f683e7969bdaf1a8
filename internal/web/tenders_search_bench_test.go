package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkTenderSearch measures what a visitor waits for on the demo: the
// whole /tenders page unfiltered and with every filter, the Atom feed, and
// /ocds.json as the reference measured in the same run.
func BenchmarkTenderSearch(b *testing.B) {
	t := &testing.T{}
	h := newHub(t)
	handler := h.Config.Handler
	for _, path := range []string{"/tenders", "/tenders?q=care&status=awarded&min=1000&max=5000000&cpv=85&from=2020-01-01&to=2030-12-31", "/tenders.atom", "/ocds.json"} {
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
