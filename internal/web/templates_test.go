package web_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// renderLog is the test server's log: it fails the test on any template
// error (every test that serves pages through newHubOn checks the
// templates it renders, which run with missingkey=error), and keeps the
// names of the templates rendered and the other errors logged.
type renderLog struct {
	t        *testing.T
	mu       sync.Mutex
	rendered map[string]bool
	errors   []string
}

func newRenderLog(t *testing.T) *renderLog { return &renderLog{t: t, rendered: map[string]bool{}} }

func (l *renderLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *renderLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *renderLog) WithGroup(string) slog.Handler            { return l }
func (l *renderLog) Handle(_ context.Context, r slog.Record) error {
	attrs := map[string]string{}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case r.Level >= slog.LevelError && r.Message == "render":
		l.t.Errorf("template %s: %s", attrs["template"], attrs["err"])
	case r.Level >= slog.LevelError:
		l.errors = append(l.errors, r.Message+": "+attrs["err"])
	case r.Message == "render":
		l.rendered[attrs["template"]] = true
	}
	return nil
}

// getPatterns lists every GET route the web package registers, read from
// its source.
func getPatterns(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if v, err := strconv.Unquote(bl.Value); err == nil && strings.HasPrefix(v, "GET /") {
					out = append(out, v)
				}
			}
			return true
		})
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// renderedBy names, for each page template that only a state the
// demonstration data does not hold shows (after a POST, a deadline, an
// upload or a survey), the tests that render it; they serve through
// newHubOn, whose log fails them on any template error.
var renderedBy = map[string]string{
	"accreditation-verify": "TestVerifyAccreditation",
	"bid-receipt":          "TestProcurementLifecycle, TestBidAttachments",
	"tender-gates":         "TestGateDeclarationsChecked",
	"forgot-sent":          "TestPasswordResetFlow",
	"framework-form":       "TestEditDraftFramework",
	"geography-run":        "TestGeographyUpload",
	"measure-form":         "TestFrameworkAdminLinksMeasureToUnitCost",
	"moderation":           "TestProcurementLifecycle",
	"spend-mapping":        "TestSpendMappingScreen",
	"spend-upload-status":  "TestSpendUploadPermissionsAndJob",
	"survey":               "TestRespendSurvey",
	"survey-answer":        "TestRespendSurvey",
}

// Words, not codes: the text people read (tags and their attributes
// removed, so links, form values and data for scripts may still carry
// codes) never shows a GSS area code such as E08000003, a SIC 2007 code
// without its description, or a framework priority by its code alone.
var (
	tagRE      = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	wordCodeRE = regexp.MustCompile(`\b[EWSNK]\d{8}\b|SIC 2007 \d{5}|\b[Pp]riorit(?:y|ies):? P\d+\b`)
)

// codesInWords returns each code-for-words found in a page's visible text,
// with a little of the text before it.
func codesInWords(page string) []string {
	text := html.UnescapeString(tagRE.ReplaceAllString(page, " "))
	var out []string
	for _, loc := range wordCodeRE.FindAllStringIndex(text, -1) {
		from := max(0, loc[0]-50)
		out = append(out, strings.Join(strings.Fields(text[from:loc[1]]), " "))
	}
	return out
}

var hrefRE = regexp.MustCompile(`(?:href|action|hx-get)="(/[^"#]*)`)

// TestEveryPageRenders follows every link of the demonstration site, as
// every demo role and signed out, starting from every GET route without a
// parameter, and fails on any template error (templates run with
// missingkey=error), any 5xx, and any page template that no page
// rendered. GET routes no link reaches are listed.
func TestEveryPageRenders(t *testing.T) {
	log := newRenderLog(t)
	h := newHubLogged(t, storetest.SQLite(t), slog.New(log))
	patterns := getPatterns(t)
	srv := h.srv

	reached := map[string]bool{}
	codeSeen := map[string]bool{} // each code reported once
	roles := []string{"", "admin@example.org", "buyer@example.org", "evaluator@example.org", "council-admin@example.org",
		"supplier@example.org", "business-admin@example.org", "vcse@example.org", "vcse-admin@example.org", "resident@example.org"}
	const perPattern = 8 // distinct URLs followed per route and role
	for _, role := range roles {
		c := h.client(t)
		if role != "" {
			c = h.signedIn(t, role)
		}
		var queue []string
		for _, p := range patterns {
			if !strings.Contains(p, "{") {
				queue = append(queue, strings.TrimPrefix(p, "GET "))
			}
		}
		seen := map[string]bool{}
		visits := map[string]int{}
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			if seen[u] || strings.HasPrefix(u, "/static/") {
				continue
			}
			seen[u] = true
			req, _ := http.NewRequest(http.MethodGet, h.URL+u, nil)
			pat := srv.RoutePattern(req)
			if pat == "" || !strings.HasPrefix(pat, "GET ") || visits[pat] >= perPattern {
				continue
			}
			visits[pat]++
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode >= 500 {
				t.Errorf("%s as %q: %d %s", u, role, res.StatusCode, body)
				continue
			}
			reached[pat] = true
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			// The audit log shows each event's recorded data as it is.
			for _, c := range codesInWords(string(body)) {
				if strings.HasPrefix(u, "/admin/audit") {
					break
				}
				if !codeSeen[c] {
					codeSeen[c] = true
					t.Errorf("%s as %q shows a code where words belong: %s", u, role, c)
				}
			}
			for _, m := range hrefRE.FindAllStringSubmatch(string(body), -1) {
				if link := html.UnescapeString(m[1]); !seen[link] {
					queue = append(queue, link)
				}
			}
		}
	}

	// Pages no GET link reaches in the demonstration data: the page after
	// registering, an invitation, and the proposal form of a round.
	anon := h.client(t)
	if res := post(t, anon, h.URL+"/register", url.Values{"name": {"Nia New"}, "email": {"nia@example.org"}, "password": {pw}, "confirm": {pw}}); res.StatusCode != http.StatusOK {
		t.Errorf("register: %d", res.StatusCode)
	}
	inv := store.Invitation{OrgID: orgID(t, h, "council-admin@example.org"), Email: "new.buyer@example.org", Role: auth.RoleBuyer, ExpiresAt: h.now().Add(time.Hour)}
	if _, err := h.store.CreateInvitation(bg, adminActor(t, h.store), inv, auth.HashToken("render-test-token")); err != nil {
		t.Fatal(err)
	}
	if res, body := get(t, anon, h.URL+"/invitations/render-test-token"); res.StatusCode != http.StatusOK {
		t.Errorf("invitation: %d %s", res.StatusCode, body)
	}
	rounds, err := h.store.ListFundRounds(bg)
	if err != nil || len(rounds) == 0 {
		t.Fatalf("fund rounds: %v %v", rounds, err)
	}
	vcse := h.signedIn(t, "vcse@example.org")
	for _, rd := range rounds {
		if res, body := get(t, vcse, h.URL+"/fund/rounds/"+itoa(rd.ID)+"/proposals/new"); res.StatusCode != http.StatusOK {
			t.Errorf("proposal form of round %d: %d %s", rd.ID, res.StatusCode, body)
		}
	}

	log.mu.Lock()
	defer log.mu.Unlock()
	for _, e := range log.errors {
		t.Errorf("logged: %s", e)
	}
	pages, err := filepath.Glob("templates/pages/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		if !log.rendered[name] && renderedBy[name] == "" {
			t.Errorf("no page rendered template %s", name)
		}
	}
	var missed []string
	for _, p := range patterns {
		if !reached[p] {
			missed = append(missed, p)
		}
	}
	t.Logf("%d of %d GET routes reached; not reached by a link: %s", len(patterns)-len(missed), len(patterns), strings.Join(missed, ", "))
}
