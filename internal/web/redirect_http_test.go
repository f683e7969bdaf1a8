package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestLoginNextRedirect signs in with hostile next values: the answer always
// stays on this site.
func TestLoginNextRedirect(t *testing.T) {
	h := newHub(t)
	for _, tc := range []struct{ next, want string }{
		{"/account", "/account"},
		{"/tenders?page=2", "/tenders?page=2"},
		{"", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"https://evil.example", "/"},
		{"javascript:alert(1)", "/"},
	} {
		c := h.client(t)
		res := post(t, c, h.URL+"/login", url.Values{"email": {"resident@example.org"}, "password": {pw}, "next": {tc.next}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("next=%q: status %d", tc.next, res.StatusCode)
		}
		if got := res.Header.Get("Location"); got != tc.want {
			t.Errorf("next=%q: Location %q, want %q", tc.next, got, tc.want)
		}
	}
}
