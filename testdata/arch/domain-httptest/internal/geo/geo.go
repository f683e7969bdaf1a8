// Package geo is a domain package that reaches for HTTP test tools.
package geo

import "net/http/httptest"

// Recorder leaks an adapter type into the domain.
func Recorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
