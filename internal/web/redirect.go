package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNext bounds the length of a post-sign-in redirect target.
const maxNext = 2048

// safeNext keeps post-sign-in redirects on this site. It returns next only
// when next is a path on this site: it starts with a single "/", parses with
// net/url to no scheme, host or user, and neither it nor any
// percent-decoding of it holds a backslash, a control character (tab,
// newline, DEL, C1 …), invalid UTF-8 or a leading "//". Browsers strip tabs
// and newlines and read "\" as "/", so "/\t/evil.example", "/\evil" and
// "/%2F/evil" would all leave the site. Anything else gives "/".
func safeNext(next string) string {
	if next == "" || len(next) > maxNext {
		return "/"
	}
	// Check the raw form and each percent-decoding of it (a path decoded
	// twice, by a proxy and then by the browser, must still be safe).
	s, stable := next, false
	for range 4 {
		if !sitePath(s) {
			return "/"
		}
		d, err := url.PathUnescape(s)
		if err != nil {
			return "/"
		}
		if d == s {
			stable = true
			break
		}
		s = d
	}
	if !stable {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return next
}

// sitePath reports whether s, as text, is a single-slash path with no
// backslash or control character.
func sitePath(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\\' || unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) {
			return false
		}
	}
	return true
}
