package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/geo"
)

// deprivationFigure matches a page that shows deciles or deprived-area
// shares (as words on a page, or fields of the JSON API).
var deprivationFigure = regexp.MustCompile(`(?i)most deprived 10%|decile \d|by deprivation of the neighbourhood|"imd_decile":\s*\d|"deprivation":`)

// imdEdition matches the naming of an Indices of Deprivation edition.
var imdEdition = regexp.MustCompile(`IMD 20(19|25)|IoD20(19|25)|Indices of Deprivation 20(19|25)`)

var hrefRe = regexp.MustCompile(`href="(/[^"#]*)"`)

// Every page that shows deprivation names its IMD edition: a crawl of the
// demo hub, two links deep from the home page and the pages that show
// deprivation, as a signed-in administrator, finds the pages with deciles
// or deprived-area shares and checks each names the edition; with IoD2025
// loaded (a directory and an IoD2025 file), the postcode lookup, its API
// and the spend report say so.
func TestEveryDeprivationPageNamesItsEdition(t *testing.T) {
	h := newHub(t)
	c := h.signedIn(t, "admin@example.org")
	manchester, _ := h.store.OrganisationBySlug(bg, "manchester-city-council")
	seeds := []string{"/", "/spend", "/spend?buyer=" + itoa(manchester.ID), "/priorities", "/postcode?postcode=M32+0JG", "/api/v1/postcodes/M32%200JG", "/hub", "/organisations", "/about", "/network"}
	seen := map[string]bool{}
	type item struct {
		path  string
		depth int
	}
	queue := []item{}
	for _, s := range seeds {
		queue = append(queue, item{s, 0})
		seen[s] = true
	}
	var shown []string
	for len(queue) > 0 && len(seen) < 400 {
		it := queue[0]
		queue = queue[1:]
		res, err := c.Get(h.URL + it.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			continue
		}
		body := string(b)
		if deprivationFigure.MatchString(body) {
			shown = append(shown, it.path)
			if !imdEdition.MatchString(body) {
				t.Errorf("%s shows deprivation (%q) without naming the IMD edition", it.path, deprivationFigure.FindString(body))
			}
		}
		if it.depth >= 2 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			p := strings.ReplaceAll(m[1], "&amp;", "&")
			if strings.HasPrefix(p, "/static/") || strings.Contains(p, "/signout") || strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".zip") || seen[p] {
				continue
			}
			seen[p] = true
			queue = append(queue, item{p, it.depth + 1})
		}
	}
	for _, want := range []string{"/postcode?postcode=M32+0JG", "/api/v1/postcodes/M32%200JG"} {
		found := false
		for _, p := range shown {
			found = found || p == want
		}
		if !found {
			t.Errorf("%s was not found showing deprivation (pages found: %v)", want, shown)
		}
	}
	results := false
	for _, p := range shown {
		results = results || strings.HasSuffix(p, "/results")
	}
	if !results {
		t.Errorf("no People's Priorities results page showing deprivation was crawled: %v", shown)
	}
	t.Logf("%d pages crawled, %d show deprivation: %v", len(seen), len(shown), shown)

	// With IoD2025 in force the lookups and spend report name it.
	next := func() func() (geo.DirectoryRow, error) {
		done := false
		return func() (geo.DirectoryRow, error) {
			if done {
				return geo.DirectoryRow{}, io.EOF
			}
			done = true
			return geo.DirectoryRow{Postcode: "M32 0JG", LAD: "E08000009", LSOA11: "E01006080", LSOA21: "E01006080", Region: "E12000002", IMDDecile: 4}, nil
		}
	}
	if _, err := h.store.ImportDirectory(bg, "test", "ONSPD Test", "t.csv", nil, next(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.ImportIMD(bg, "test", geo.IMD2025, "iod2025.csv", []geo.IMDRow{{LSOA: "E01006080", Rank: 9000, Decile: 3}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/postcode?postcode=M32+0JG", "/api/v1/postcodes/" + url.PathEscape("M32 0JG"), "/spend/report.json?buyer=manchester-city-council", "/spend?buyer=manchester-city-council"} {
		if _, body := get(t, c, h.URL+p); !strings.Contains(body, "IMD 2025") && !strings.Contains(body, "IoD2025") && !strings.Contains(body, "Indices of Deprivation 2025") {
			t.Errorf("%s with IoD2025 loaded does not name it:\n%s", p, body)
		}
	}
	// Published People's Weights keep the edition they were published with.
	for _, p := range shown {
		if strings.HasPrefix(p, "/priorities/") && strings.HasSuffix(p, "/results") {
			if _, body := get(t, c, h.URL+p); !strings.Contains(body, "IMD 2019") || strings.Contains(body, "IMD 2025") {
				t.Errorf("%s (published before IoD2025 was loaded) does not keep IMD 2019", p)
			}
		}
	}
}
