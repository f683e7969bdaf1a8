package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/demo"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
	"github.com/svhub/svhub/internal/web"
)

const pw = "test-password-123"

type hub struct {
	*httptest.Server
	store  *store.Store
	sealer *tenders.Sealer
	offset *atomic.Int64 // nanoseconds added to the server's clock
	srv    *web.Server
}

// advance moves the server's clock forward, past deadlines.
func (h *hub) advance(d time.Duration) { h.offset.Add(int64(d)) }

// now is the server's clock.
func (h *hub) now() time.Time { return time.Now().Add(time.Duration(h.offset.Load())) }

func newHub(t *testing.T) *hub {
	t.Helper()
	return newHubOn(t, storetest.SQLite(t))
}

// newHubOn serves the demo data set from s.
func newHubOn(t *testing.T, s *store.Store) *hub {
	t.Helper()
	return newHubLogged(t, s, slog.New(newRenderLog(t)))
}

// newHubLogged serves the demo data set from s, logging to log.
func newHubLogged(t *testing.T, s *store.Store, log *slog.Logger) *hub {
	t.Helper()
	ctx := context.Background()
	if err := app.EnsureGeo(ctx, s, log); err != nil {
		t.Fatal(err)
	}
	hasher := auth.NewHasher(0)
	key, _ := tenders.ParseKey(tenders.NewKey())
	sealer, _ := tenders.NewSealer(key)
	if _, err := demo.Seed(ctx, s, hasher, pw, sealer); err != nil {
		t.Fatal(err)
	}
	h := &hub{store: s, sealer: sealer, offset: &atomic.Int64{}}
	srv, err := web.New(&web.Server{Store: s, Log: log, Version: "test", BaseURL: "http://hub.test", Sealer: sealer, Clock: h.now,
		Auth: &auth.Service{Store: s, Hasher: hasher, Mailer: app.Mailer(app.Config{}, s, log), BaseURL: "http://hub.test"}})
	if err != nil {
		t.Fatal(err)
	}
	h.srv = srv
	h.Server = httptest.NewServer(srv.Handler())
	t.Cleanup(h.Server.Close)
	return h
}

// node is another server on h's database with caches of its own (a second
// node of a deployment), keeping nothing yet, on clock.
func (h *hub) node(t *testing.T, clock func() time.Time) *web.Server {
	t.Helper()
	srv, err := web.New(&web.Server{Store: h.store, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test", BaseURL: "http://hub.test", Sealer: h.sealer, Clock: clock,
		Auth: &auth.Service{Store: h.store, Hasher: auth.NewHasher(0), BaseURL: "http://hub.test"}})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// nodeServer serves h.node(t, clock) over HTTP until the test ends.
func (h *hub) nodeServer(t *testing.T, clock func() time.Time) *httptest.Server {
	t.Helper()
	n := httptest.NewServer(h.node(t, clock).Handler())
	t.Cleanup(n.Close)
	return n
}

// sameAsFreshNode fails the test unless each path, asked twice by each
// reader of the servers at each URL in nodes (the second answer from what
// the node kept), is 200 and byte for byte what a node that has kept
// nothing serves that reader's session.
func (h *hub) sameAsFreshNode(t *testing.T, step string, readers map[string]*http.Client, nodes, paths []string) {
	t.Helper()
	u, _ := url.Parse(h.URL)
	for who, c := range readers {
		empty := h.node(t, h.now)
		for _, p := range paths {
			req := httptest.NewRequest(http.MethodGet, p, nil)
			for _, k := range c.Jar.Cookies(u) {
				req.AddCookie(k)
			}
			rec := httptest.NewRecorder()
			empty.Handler().ServeHTTP(rec, req)
			for _, node := range nodes {
				for range 2 {
					res, body := get(t, c, node+p)
					if res.StatusCode != http.StatusOK || body != rec.Body.String() {
						t.Fatalf("%s: %s%s as %s (%d) differs from a node that kept nothing", step, node, p, who, res.StatusCode)
					}
				}
			}
		}
	}
}

// client is a browser-like client that does not follow redirects.
func (h *hub) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (h *hub) signedIn(t *testing.T, email string) *http.Client {
	t.Helper()
	c := h.client(t)
	res := post(t, c, h.URL+"/login", url.Values{"email": {email}, "password": {pw}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", email, res.StatusCode)
	}
	return c
}

func post(t *testing.T, c *http.Client, u string, form url.Values) *http.Response {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

// TestAuthorisationMatrix checks, for every protected action, which actors
// the server lets through. 303 = done and redirected; 200 = page shown;
// 401/403/404 = refused; "login" = a GET redirected to sign in.
func TestAuthorisationMatrix(t *testing.T) {
	h := newHub(t)
	actors := []string{"anonymous", "resident", "supplier", "business-admin", "vcse-admin", "buyer", "admin"}
	clients := map[string]*http.Client{"anonymous": h.client(t)}
	for _, a := range actors[1:] {
		clients[a] = h.signedIn(t, a+"@example.org")
	}
	const org = "/organisations/irwell-valley-joinery-ltd"
	draft, err := h.store.NewDraftEdition(context.Background(), auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}, 1, "draft-for-test")
	if err != nil {
		t.Fatal(err)
	}
	draftPath := "/frameworks/" + itoa(draft)
	profile := url.Values{"legal_name": {"Irwell Valley Joinery Ltd"}, "kind": {"business"}, "size": {"small"}}
	type want map[string]string // actor → expected outcome
	rows := []struct {
		method, path string
		form         url.Values
		want         want
	}{
		{"GET", "/admin", nil, want{"anonymous": "login", "resident": "403", "supplier": "403", "business-admin": "403", "vcse-admin": "403", "buyer": "403", "admin": "200"}},
		{"GET", "/admin/audit", nil, want{"anonymous": "login", "resident": "403", "buyer": "403", "admin": "200"}},
		{"GET", "/admin/outbox", nil, want{"anonymous": "login", "resident": "403", "business-admin": "403", "admin": "200"}},
		{"GET", "/admin/users", nil, want{"anonymous": "login", "vcse-admin": "403", "admin": "200"}},
		{"POST", "/admin/users/1/admin", url.Values{"admin": {"1"}}, want{"anonymous": "401", "resident": "403", "business-admin": "403", "admin": "303"}},
		{"GET", "/admin/frameworks/import", nil, want{"anonymous": "login", "resident": "403", "admin": "200"}},
		{"POST", "/admin/frameworks/1/publish", nil, want{"anonymous": "401", "buyer": "403", "admin": "409"}},
		{"POST", "/admin/frameworks/1/editions", url.Values{"edition": {"x"}}, want{"anonymous": "401", "resident": "403", "business-admin": "403"}},
		{"GET", draftPath, nil, want{"anonymous": "404", "resident": "404", "buyer": "404", "admin": "200"}},
		{"GET", draftPath + "/csv", nil, want{"anonymous": "404", "admin": "200"}},
		{"GET", "/frameworks/1", nil, want{"anonymous": "200", "resident": "200"}},
		{"GET", "/organisations/new", nil, want{"anonymous": "login", "resident": "200"}},
		{"GET", org + "/edit", nil, want{"anonymous": "login", "resident": "403", "supplier": "403", "business-admin": "200", "vcse-admin": "403", "buyer": "403", "admin": "200"}},
		{"POST", org + "/edit", profile, want{"anonymous": "401", "resident": "403", "supplier": "403", "business-admin": "303", "vcse-admin": "403", "buyer": "403", "admin": "303"}},
		{"GET", org + "/members", nil, want{"anonymous": "login", "resident": "403", "supplier": "200", "business-admin": "200", "vcse-admin": "403", "buyer": "403", "admin": "200"}},
		{"POST", org + "/invitations", url.Values{"email": {"x@example.org"}, "role": {"supplier_rep"}}, want{"anonymous": "401", "resident": "403", "supplier": "403", "business-admin": "303", "vcse-admin": "403", "admin": "303"}},
		{"POST", org + "/sites", url.Values{"site_kind": {"branch"}, "site_postcode": {"M15 4AB"}}, want{"anonymous": "401", "supplier": "403", "vcse-admin": "403", "business-admin": "303"}},
		{"POST", org + "/accreditations", url.Values{"acc_kind": {"real_living_wage"}}, want{"anonymous": "401", "supplier": "403", "buyer": "403", "business-admin": "303"}},
		{"POST", org + "/verify", url.Values{"verified": {"1"}}, want{"anonymous": "401", "resident": "403", "business-admin": "403", "buyer": "403", "admin": "303"}},
		{"POST", org + "/members/remove", url.Values{"user_id": {"1"}, "role": {"org_admin"}}, want{"anonymous": "401", "supplier": "403", "vcse-admin": "403"}},
		{"POST", "/organisations", url.Values{"legal_name": {"Sneaky Council"}, "kind": {"public_body"}, "postcode": {"M1 1AE"}}, want{"anonymous": "401", "resident": "422", "business-admin": "422"}},
		{"POST", "/account/tokens", url.Values{"name": {"script"}}, want{"anonymous": "401", "resident": "200"}},
		{"GET", "/account", nil, want{"anonymous": "login", "resident": "200"}},
		// Procurement (demo tenders: 1 draft, 2 open, 3 closed, 4 evaluated; contract 1).
		{"GET", "/tenders/new", nil, want{"anonymous": "login", "resident": "403", "supplier": "403", "buyer": "200", "admin": "403"}},
		{"GET", "/tenders/1", nil, want{"anonymous": "404", "supplier": "404", "buyer": "200", "admin": "404"}},
		{"GET", "/tenders/2/bids", nil, want{"anonymous": "login", "resident": "403", "supplier": "403", "buyer": "403", "admin": "403"}},
		{"GET", "/tenders/3/bids", nil, want{"anonymous": "login", "resident": "403", "supplier": "403", "buyer": "200", "admin": "403"}},
		{"GET", "/tenders/3/marking", nil, want{"anonymous": "login", "buyer": "403", "admin": "403"}},
		{"GET", "/tenders/4/evaluation.json", nil, want{"anonymous": "login", "resident": "403", "supplier": "403", "buyer": "200", "admin": "403"}},
		{"POST", "/tenders/2/state", url.Values{"to": {"cancelled"}}, want{"anonymous": "401", "resident": "403", "supplier": "403", "admin": "403"}},
		{"POST", "/tenders/3/upload", nil, want{"anonymous": "401", "supplier": "403", "buyer": "403"}},
		{"POST", "/tenders/2/bid", url.Values{"org": {"1"}}, want{"anonymous": "401", "resident": "403", "buyer": "403"}},
		{"GET", "/contracts/1/report", nil, want{"anonymous": "login", "supplier": "403", "buyer": "403", "admin": "403"}},
		{"POST", "/contracts/1/lines/1", url.Values{"decision": {"verified"}}, want{"anonymous": "401", "resident": "403", "supplier": "403", "admin": "403"}},
	}
	for _, row := range rows {
		for actor, expect := range row.want {
			var res *http.Response
			if row.method == "GET" {
				res, _ = get(t, clients[actor], h.URL+row.path)
			} else {
				res = post(t, clients[actor], h.URL+row.path, row.form)
			}
			got := itoa(int64(res.StatusCode))
			if res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
				got = "login"
			}
			if got != expect {
				t.Errorf("%s %s as %s: got %s, want %s", row.method, row.path, actor, got, expect)
			}
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSecurityHeadersAndCrossOrigin(t *testing.T) {
	h := newHub(t)
	res, _ := get(t, h.client(t), h.URL+"/")
	for k, v := range map[string]string{"Content-Security-Policy": "script-src 'self'", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "strict-origin"} {
		if !strings.Contains(res.Header.Get(k), v) {
			t.Errorf("%s = %q, want it to contain %q", k, res.Header.Get(k), v)
		}
	}
	// A cross-site form post is refused before it reaches a handler.
	req, _ := http.NewRequest("POST", h.URL+"/login", strings.NewReader("email=a%40b.c&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", r2.StatusCode)
	}
	// Session cookies are HttpOnly and SameSite=Lax.
	c := h.client(t)
	lr, _ := c.PostForm(h.URL+"/login", url.Values{"email": {"resident@example.org"}, "password": {pw}})
	lr.Body.Close()
	ck := lr.Header.Get("Set-Cookie")
	if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
		t.Fatalf("session cookie %q", ck)
	}
}

func TestBadInput(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	// Registration errors name each field and keep what was typed, never passwords.
	res, err := c.PostForm(h.URL+"/register", url.Values{"name": {"Ann"}, "email": {"not-an-email"}, "password": {"password123"}, "confirm": {"password123"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 422 || !strings.Contains(string(body), "Enter an email address in the correct format") || !strings.Contains(string(body), "too common") || !strings.Contains(string(body), `value="Ann"`) || strings.Contains(string(body), "password123") {
		t.Fatalf("register errors: %d\n%s", res.StatusCode, body)
	}
	// Duplicate email.
	res, _ = c.PostForm(h.URL+"/register", url.Values{"name": {"Ann"}, "email": {"resident@example.org"}, "password": {"a long enough passphrase"}, "confirm": {"a long enough passphrase"}})
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 422 || !strings.Contains(string(body), "already exists") {
		t.Fatalf("duplicate: %d", res.StatusCode)
	}
	// Unknown and reused tokens.
	res = post(t, c, h.URL+"/verify", url.Values{"token": {"nonsense"}})
	if res.StatusCode != 422 {
		t.Fatalf("bad verify token: %d", res.StatusCode)
	}
	res = post(t, c, h.URL+"/reset", url.Values{"token": {"nonsense"}, "password": {"a long enough passphrase"}, "confirm": {"a long enough passphrase"}})
	if res.StatusCode != 422 {
		t.Fatalf("bad reset token: %d", res.StatusCode)
	}
	if r, _ := get(t, c, h.URL+"/invitations/nonsense"); r.StatusCode != 404 {
		t.Fatalf("bad invitation: %d", r.StatusCode)
	}
	// Malformed postcode.
	if r, b := get(t, c, h.URL+"/postcode?postcode=XX"); r.StatusCode != 422 || !strings.Contains(b, "not a postcode") {
		t.Fatalf("postcode: %d", r.StatusCode)
	}
	// Oversized body.
	big := strings.Repeat("a", 2<<20)
	res = post(t, c, h.URL+"/login", url.Values{"email": {big}})
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", res.StatusCode)
	}
	// Unknown routes.
	if r, _ := get(t, c, h.URL+"/nothing/here"); r.StatusCode != 404 {
		t.Fatalf("unknown route: %d", r.StatusCode)
	}
	// A GET never changes state: logout by GET is not a route.
	if r, _ := get(t, c, h.URL+"/logout"); r.StatusCode != 405 && r.StatusCode != 404 {
		t.Fatalf("GET /logout: %d", r.StatusCode)
	}
}

func TestLoginThrottle(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	for i := 0; i < auth.MaxAccountFailures; i++ {
		if r := post(t, c, h.URL+"/login", url.Values{"email": {"resident@example.org"}, "password": {"wrong password"}}); r.StatusCode != 422 {
			t.Fatalf("attempt %d: %d", i, r.StatusCode)
		}
	}
	// Even the right password is refused while the account is throttled.
	res, err := c.PostForm(h.URL+"/login", url.Values{"email": {"resident@example.org"}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 422 || !strings.Contains(string(b), "Too many failed attempts") {
		t.Fatalf("throttle: %d", res.StatusCode)
	}
	// Another account is unaffected.
	h.signedIn(t, "buyer@example.org")
}

func TestPasswordResetFlow(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	old := h.signedIn(t, "resident@example.org")
	post(t, c, h.URL+"/forgot", url.Values{"email": {"resident@example.org"}})
	msgs, err := h.store.ListOutbox(context.Background(), "resident@example.org", 1)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("outbox: %v %d", err, len(msgs))
	}
	token := regexp.MustCompile(`/reset\?token=(\S+)`).FindStringSubmatch(msgs[0].Body)[1]
	if r := post(t, c, h.URL+"/reset", url.Values{"token": {token}, "password": {"brand new passphrase"}, "confirm": {"brand new passphrase"}}); r.StatusCode != 303 {
		t.Fatalf("reset: %d", r.StatusCode)
	}
	if r := post(t, c, h.URL+"/reset", url.Values{"token": {token}, "password": {"another passphrase!"}, "confirm": {"another passphrase!"}}); r.StatusCode != 422 {
		t.Fatalf("reset token reused: %d", r.StatusCode)
	}
	// The old session was signed out everywhere.
	if r, _ := get(t, old, h.URL+"/account"); r.StatusCode != 303 {
		t.Fatalf("old session still works: %d", r.StatusCode)
	}
	if r := post(t, c, h.URL+"/login", url.Values{"email": {"resident@example.org"}, "password": {"brand new passphrase"}}); r.StatusCode != 303 {
		t.Fatalf("sign in with new password: %d", r.StatusCode)
	}
}

func TestAPI(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	res, body := get(t, c, h.URL+"/api/v1/organisations?kind=vcse&per_page=5&page=2")
	var list struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
		Page  int              `json:"page"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || res.StatusCode != 200 || len(list.Items) != 5 || list.Total < 20 || list.Page != 2 {
		t.Fatalf("list: %d %v %s", res.StatusCode, err, body)
	}
	res, body = get(t, c, h.URL+"/api/v1/organisations?per_page=1000")
	var envelope struct {
		Error struct {
			Status int                      `json:"status"`
			Fields []struct{ Field string } `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &envelope); err != nil || res.StatusCode != 422 || envelope.Error.Fields[0].Field != "per_page" {
		t.Fatalf("bad paging: %d %s", res.StatusCode, body)
	}
	if res, body = get(t, c, h.URL+"/api/v1/nope"); res.StatusCode != 404 || !strings.Contains(body, `"code": "not_found"`) {
		t.Fatalf("unknown endpoint: %d %s", res.StatusCode, body)
	}
	if res, _ = get(t, c, h.URL+"/api/v1/me"); res.StatusCode != 401 {
		t.Fatalf("me without token: %d", res.StatusCode)
	}
	// A personal token, shown once, authenticates API calls.
	user := h.signedIn(t, "supplier@example.org")
	r, err := user.PostForm(h.URL+"/account/tokens", url.Values{"name": {"my script"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(r.Body)
	r.Body.Close()
	tok := regexp.MustCompile(`id="new-token">([^<]+)<`).FindStringSubmatch(string(page))[1]
	req, _ := http.NewRequest("GET", h.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	mr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := io.ReadAll(mr.Body)
	mr.Body.Close()
	if mr.StatusCode != 200 || !strings.Contains(string(mb), "supplier@example.org") || !strings.Contains(string(mb), "supplier_rep") {
		t.Fatalf("me with token: %d %s", mr.StatusCode, mb)
	}
	// The OpenAPI document is valid JSON and lists the endpoints that exist.
	_, doc := get(t, c, h.URL+"/api/v1/openapi.json")
	var oa struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(doc), &oa); err != nil || oa.OpenAPI != "3.1.0" {
		t.Fatalf("openapi: %v", err)
	}
	for _, p := range []string{"/organisations", "/organisations/{slug}", "/frameworks", "/frameworks/{id}", "/postcodes/{postcode}", "/me"} {
		if _, ok := oa.Paths[p]; !ok {
			t.Errorf("openapi lacks %s", p)
		}
		res, _ := get(t, c, h.URL+"/api/v1"+strings.NewReplacer("{slug}", "bolton-council", "{id}", "1", "{postcode}", "BL1%201AA").Replace(p))
		if p != "/me" && res.StatusCode != 200 {
			t.Errorf("GET %s: %d", p, res.StatusCode)
		}
	}
}

func TestDatabaseOutage(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	if r, _ := get(t, c, h.URL+"/healthz"); r.StatusCode != 200 {
		t.Fatalf("healthz: %d", r.StatusCode)
	}
	h.store.Close()
	r, body := get(t, c, h.URL+"/healthz")
	if r.StatusCode != 503 || !strings.Contains(body, "unavailable") {
		t.Fatalf("healthz with the database closed: %d %s", r.StatusCode, body)
	}
	r, body = get(t, c, h.URL+"/organisations")
	if r.StatusCode != 503 || strings.Contains(body, "goroutine") || !strings.Contains(body, "Sorry, the service is unavailable") {
		t.Fatalf("page with the database closed: %d", r.StatusCode)
	}
}

func TestPublicPageCacheIsAnonymousOnly(t *testing.T) {
	h := newHub(t)
	anon := h.client(t)
	_, first := get(t, anon, h.URL+"/")
	_, second := get(t, anon, h.URL+"/")
	if first != second || !strings.Contains(first, "Sign in") {
		t.Fatal("anonymous home pages differ")
	}
	// A signed-in visitor never gets the anonymous copy.
	_, mine := get(t, h.signedIn(t, "resident@example.org"), h.URL+"/")
	if !strings.Contains(mine, "Rae Resident") || strings.Contains(mine, ">Sign in<") {
		t.Fatal("signed-in visitor was served the cached anonymous page")
	}
	// A flash message is shown, not swallowed by the cache.
	c := h.signedIn(t, "resident@example.org")
	post(t, c, h.URL+"/logout", nil)
	_, after := get(t, c, h.URL+"/")
	if !strings.Contains(after, "You have signed out") {
		t.Fatal("flash lost on a cached page")
	}
}

func TestDeleteSiteAndAccreditation(t *testing.T) {
	h := newHub(t)
	o, err := h.store.OrganisationBySlug(context.Background(), "irwell-valley-joinery-ltd")
	if err != nil || len(o.Sites) == 0 || len(o.Accreditations) == 0 {
		t.Fatalf("demo org: %v %+v", err, o)
	}
	site := fmt.Sprintf("%s/organisations/%s/sites/%d/delete", h.URL, o.Slug, o.Sites[0].ID)
	acc := fmt.Sprintf("%s/organisations/%s/accreditations/%d/delete", h.URL, o.Slug, o.Accreditations[0].ID)
	supplier := h.signedIn(t, "supplier@example.org")
	if post(t, supplier, site, nil).StatusCode != 403 || post(t, supplier, acc, nil).StatusCode != 403 {
		t.Fatal("a supplier representative deleted part of the profile")
	}
	owner := h.signedIn(t, "business-admin@example.org")
	if post(t, owner, site, nil).StatusCode != 303 || post(t, owner, acc, nil).StatusCode != 303 {
		t.Fatal("the organisation admin could not delete")
	}
	if post(t, owner, site, nil).StatusCode != 404 {
		t.Fatal("deleting twice should be not found")
	}
	after, _ := h.store.OrganisationBySlug(context.Background(), o.Slug)
	if len(after.Sites) != len(o.Sites)-1 || len(after.Accreditations) != len(o.Accreditations)-1 {
		t.Fatalf("not deleted: %d sites, %d accreditations", len(after.Sites), len(after.Accreditations))
	}
	// Another organisation's site id cannot be deleted through this one.
	other, _ := h.store.OrganisationBySlug(context.Background(), "bolton-council")
	if res := post(t, owner, fmt.Sprintf("%s/organisations/%s/sites/%d/delete", h.URL, o.Slug, other.Sites[0].ID), nil); res.StatusCode != 404 {
		t.Fatalf("deleted another organisation's site: %d", res.StatusCode)
	}
}

func TestEditDraftFramework(t *testing.T) {
	h := newHub(t)
	admin := h.signedIn(t, "admin@example.org")
	id, err := h.store.NewDraftEdition(context.Background(), adminActor(t, h.store), 1, "2027")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := h.store.Framework(context.Background(), id)
	form := url.Values{"name": {f.Name}, "publisher": {f.Publisher}, "edition": {"2027-b"}, "licence": {f.Licence}, "source_url": {""}}
	for _, p := range f.Priorities {
		form.Set(fmt.Sprintf("title-%d", p.ID), p.Title)
	}
	form.Set(fmt.Sprintf("title-%d", f.Priorities[0].ID), "")
	u := fmt.Sprintf("%s/admin/frameworks/%d/edit", h.URL, id)
	if res := post(t, admin, u, form); res.StatusCode != 422 {
		t.Fatalf("empty priority title: %d", res.StatusCode)
	}
	form.Set(fmt.Sprintf("title-%d", f.Priorities[0].ID), "Good jobs")
	if res := post(t, admin, u, form); res.StatusCode != 303 {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	g, _ := h.store.Framework(context.Background(), id)
	if g.Edition != "2027-b" || g.Priorities[0].Title != "Good jobs" {
		t.Fatalf("not saved: %s %s", g.Edition, g.Priorities[0].Title)
	}
	if res := post(t, admin, fmt.Sprintf("%s/admin/frameworks/1/edit", h.URL), form); res.StatusCode != 409 {
		t.Fatalf("edited a published edition: %d", res.StatusCode)
	}
	if res := post(t, h.signedIn(t, "buyer@example.org"), u, form); res.StatusCode != 403 {
		t.Fatalf("a buyer edited a framework: %d", res.StatusCode)
	}
}
