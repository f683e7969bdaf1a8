package geo

import (
	"net/http/httptest"
	"testing"
)

// Tests may use net/http/httptest.
func TestDistrict(t *testing.T) {
	_ = httptest.NewRecorder()
	if _, err := District("M1"); err != nil {
		t.Fatal(err)
	}
}
