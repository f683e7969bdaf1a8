package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
)

// The site's top-level navigation: six sections in one row at desktop
// widths, each with a page listing what is inside. Every public page
// belongs to at most one section, by path prefix, so the navigation can mark
// where the visitor is.

type navLink struct {
	Title, Href, Description string
}

type navSection struct {
	Key, Title, Href, Intro string
	// Prefixes are the paths whose pages belong to the section.
	Prefixes []string
	// Links are what the section page lists (empty for sections whose own
	// page already is the list: Home, Fund, About).
	Links []navLink
}

// siteSections is the navigation, in order.
func siteSections() []navSection {
	return []navSection{
		{Key: "home", Title: "Home", Href: "/"},
		{Key: "take-part", Title: "Take part", Href: "/take-part",
			Intro:    "Say what social value should mean for Greater Manchester, and find out which district and ward you are in.",
			Prefixes: []string{"/take-part", "/priorities", "/postcode"},
			Links: []navLink{
				{"People's Priorities", "/priorities", "Share 100 points between the six priorities of the Greater Manchester Social Value Framework. The published People's Weights decide how tenders are scored."},
				{"Postcode lookup", "/postcode", "Which district, ward and neighbourhood a postcode is in, and how deprived the neighbourhood is."},
			}},
		{Key: "public-money", Title: "Public money", Href: "/public-money",
			Intro:    "How public bodies in Greater Manchester buy, what their suppliers promise, and where the money goes.",
			Prefixes: []string{"/public-money", "/tenders", "/contracts", "/spend", "/frameworks", "/proxies", "/ocds.json"},
			Links: []navLink{
				{"Tenders", "/tenders", "Open and past tenders, scored with the People's Weights, with every number explained."},
				{"Contracts delivered", "/contracts", "The social value each contract promised and what has been verified as delivered."},
				{"Where the money goes", "/spend", "Councils' published payments: how much went to local suppliers, small businesses, charities and deprived areas."},
				{"Social value framework", "/frameworks", "The priorities, outcomes and measures that bids are scored on."},
				{"Social value in pounds", "/proxies", "The open unit costs used to put a pound figure on social value, with their sources."},
			}},
		{Key: "the-hub", Title: "The Hub", Href: "/the-hub",
			Intro:    "Where businesses, community groups and public bodies find each other.",
			Prefixes: []string{"/the-hub", "/hub", "/resources", "/network", "/organisations", "/kitemarks.json"},
			Links: []navLink{
				{"Needs and offers", "/hub", "Community groups post what they need; businesses offer time, skills and goods."},
				{"Guidance and training", "/resources", "How to write, score and deliver social value."},
				{"Anchors network", "/network", "How Greater Manchester's public bodies, businesses and voluntary groups are connected."},
				{"Directory", "/organisations", "Every organisation on the hub, its accreditations and its pledge."},
			}},
		{Key: "fund", Title: "Fund", Href: "/fund", Prefixes: []string{"/fund"}},
		{Key: "about", Title: "About", Href: "/about", Prefixes: []string{"/about", "/accessibility", "/api/"}},
	}
}

// sectionOf names the section a path belongs to ("" for none: account and
// administration pages, which are reached from the header).
func sectionOf(path string) string {
	return sectionIn(siteSections(), path)
}

func sectionIn(sections []navSection, path string) string {
	if path == "/" {
		return "home"
	}
	for _, s := range sections {
		for _, p := range s.Prefixes {
			if path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") || strings.HasPrefix(path, p+"?") {
				return s.Key
			}
		}
	}
	return ""
}

func (s *Server) sectionRoutes(mux *http.ServeMux) {
	for _, sec := range siteSections() {
		if len(sec.Links) == 0 {
			continue
		}
		mux.Handle("GET "+sec.Href, s.serve(s.publicCached(func(w http.ResponseWriter, r *http.Request) error {
			s.render(w, r, http.StatusOK, "section", &page{Title: sec.Title, Data: map[string]any{"Section": sec}})
			return nil
		})))
	}
}

// siteNav is the service navigation rendered once for each section (and
// for none), in the two forms of the current section's link: on the
// section's own page (aria-current="page") and below it ("true"). The
// sections are fixed at build time, so nothing here can go stale; render
// looks a page's navigation up instead of running the template per request.
type siteNav struct {
	sections []navSection
	html     map[string]template.HTML // key: section key, then "|page" or "|in"
}

func newSiteNav() (siteNav, error) {
	n := siteNav{sections: siteSections(), html: map[string]template.HTML{}}
	t, err := template.New("").Funcs(funcs).ParseFS(assets, "templates/layout.html")
	if err != nil {
		return n, fmt.Errorf("navigation: %w", err)
	}
	keys := []string{""}
	for _, sec := range n.sections {
		keys = append(keys, sec.Key)
	}
	for _, k := range keys {
		for _, pg := range []bool{true, false} {
			var b bytes.Buffer
			if err := t.ExecuteTemplate(&b, "nav", map[string]any{"Sections": n.sections, "Here": k, "Page": pg}); err != nil {
				return n, fmt.Errorf("navigation: %w", err)
			}
			n.html[navKey(k, pg)] = template.HTML(b.String()) // the template escaped it
		}
	}
	return n, nil
}

func navKey(section string, page bool) string {
	if page {
		return section + "|page"
	}
	return section + "|in"
}

// forPath is the navigation for a page at path.
func (n siteNav) forPath(path string) template.HTML {
	here := sectionIn(n.sections, path)
	page := false
	for _, sec := range n.sections {
		if sec.Key == here {
			page = path == sec.Href
		}
	}
	return n.html[navKey(here, page)]
}
