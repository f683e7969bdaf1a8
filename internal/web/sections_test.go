package web_test

import (
	"regexp"
	"strings"
	"testing"
)

// The navigation has at most seven items, marks the section the page is
// in, and each section page lists what is inside.
func TestNavigationSections(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	item := regexp.MustCompile(`<li class="govuk-service-navigation__item[^"]*">`)
	current := regexp.MustCompile(`aria-current="(page|true)">(?:<strong[^>]*>)?([^<]+)<`)
	for path, want := range map[string]string{"/": "Home", "/tenders": "Public money", "/spend": "Public money", "/priorities": "Take part",
		"/organisations": "The Hub", "/fund": "Fund", "/about": "About", "/public-money": "Public money", "/the-hub": "The Hub", "/take-part": "Take part"} {
		res, body := get(t, c, h.URL+path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		nav := body[strings.Index(body, `id="navigation"`):]
		nav = nav[:strings.Index(nav, "</ul>")]
		if n := len(item.FindAllString(nav, -1)); n > 7 {
			t.Errorf("%s: %d navigation items", path, n)
		}
		m := current.FindStringSubmatch(nav)
		if m == nil || m[2] != want {
			t.Errorf("%s: current section %v, want %s", path, m, want)
		}
	}
	_, body := get(t, c, h.URL+"/public-money")
	for _, link := range []string{`href="/tenders"`, `href="/contracts"`, `href="/spend"`, `href="/frameworks"`, `href="/proxies"`} {
		if !strings.Contains(body, link) {
			t.Errorf("/public-money does not list %s", link)
		}
	}
}
