package web

import "testing"

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		// Paths on this site pass unchanged.
		{"/", "/"},
		{"/account", "/account"},
		{"/tenders/3/bids?page=2#top", "/tenders/3/bids?page=2#top"},
		{"/search?q=caf%C3%A9+%26+bar", "/search?q=caf%C3%A9+%26+bar"},
		{"/spend/suppliers/org-12", "/spend/suppliers/org-12"},
		{"/a/b/../c", "/a/b/../c"},
		{"/login?next=%2Faccount", "/login?next=%2Faccount"},
		// Empty, relative or too long.
		{"", "/"},
		{"account", "/"},
		{"./account", "/"},
		{"../x", "/"},
		{"/" + longPath(3000), "/"},
		// Other sites, schemes and protocol-relative forms.
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"https://evil", "/"},
		{"https://evil.example/", "/"},
		{"http:evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"JavaScript:alert(1)", "/"},
		{"data:text/html,<script>alert(1)</script>", "/"},
		{" //evil.example", "/"},
		{"https:/evil.example", "/"},
		// Backslashes, which browsers read as "/".
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"/\\/evil.example", "/"},
		{"/a\\b", "/"},
		{"/%5Cevil.example", "/"},
		{"/%5cevil.example", "/"},
		{"/%255Cevil.example", "/"},
		// Control characters, which browsers strip.
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{"\t//evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%0A/evil.example", "/"},
		{"/%0d%0a/evil.example", "/"},
		{"/%00", "/"},
		{"/\x00/evil.example", "/"},
		{"/\x7f/evil.example", "/"},
		{"/\u0085/evil.example", "/"},
		{"/\u2028/evil.example", "/"},
		{"/%C2%85/evil.example", "/"},
		{"/%E2%80%A8/evil.example", "/"},
		{"/account\nSet-Cookie:%20x=y", "/"},
		// Percent-encoded slashes that decode to "//".
		{"/%2F/evil.example", "/"},
		{"/%2f/evil.example", "/"},
		{"%2F%2Fevil.example", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"/%252F/evil.example", "/"},
		{"/%25252F/evil.example", "/"},
		{"%2F/evil.example", "/"},
		// Malformed escapes and invalid UTF-8.
		{"/%zz", "/"},
		{"/%", "/"},
		{"/%FF", "/"},
		{"/\xff", "/"},
		// User info and hosts smuggled into a path.
		{"//user@evil.example", "/"},
		{"/@evil.example", "/@evil.example"}, // a path on this site
	} {
		if got := safeNext(tc.next); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
}

func longPath(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}
