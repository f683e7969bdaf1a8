// Package web is the hub's HTTP interface: server-rendered GOV.UK Frontend
// pages that work without JavaScript, and the JSON API under /api/v1.
// Handlers return errors; one adapter (serve) maps them to status pages.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

//go:embed templates static
var assets embed.FS

// MaxBodyBytes bounds ordinary form and JSON bodies; uploads set their own limit.
const MaxBodyBytes = 1 << 20

// MaxUploadBytes bounds file uploads (framework CSVs).
const MaxUploadBytes = 10 << 20

const sessionCookie = "svhub_session"

// Server holds what handlers need.
type Server struct {
	Store   *store.Store
	Auth    *auth.Service
	Log     *slog.Logger
	Version string
	BaseURL string
	Demo    bool
	// Sealer encrypts and opens bids (tenders.Sealer, from SVHUB_SEAL_KEY).
	Sealer *tenders.Sealer
	// Clock, when set, replaces time.Now (tests move it past deadlines).
	Clock func() time.Time
	// OCIDPrefix is the OCDS ocid prefix (default ocds-svhub).
	OCIDPrefix string
	// Discount is the rate that brings a multi-year contract's committed
	// social value to its present value (default proxies.GreenBookRate).
	Discount proxies.DiscountRate
	// Adjust is the deadweight, displacement and attribution taken off
	// monetised figures (zero value: none; pages say they are not adjusted).
	Adjust proxies.Adjustment
	// CompaniesHouse is set when a Companies House API key is configured:
	// the resolution page then offers the search (internal/app runs it).
	CompaniesHouse bool
	// procurement keeps what the procurement pages read under generation
	// numbers (tenders_cache.go).
	procurement procurementCache
	// contractPages keeps what contract pages show (contracts_cache.go).
	contractPages contractPageCache

	pages  map[string]*template.Template
	static http.Handler
	cache  pageCache
	dir    directoryCache // what the directory's pages are built from (organisations_cache.go)
	csp    string
	now    func() time.Time
	// bufs holds page buffers between requests (render writes a whole page
	// into one before sending it), so a page does not grow a new one.
	bufs sync.Pool
	// spendReports keeps built spend reports until their data changes.
	spendReports spendReportCache
	nav          siteNav
	ref          refCache
	// open keeps what the open data pages are built from (ocds.go).
	open openDataCache
	// hubs keeps what the /hub page lists (hub_cache.go).
	hubs hubPageCache
	// fundRounds keeps what fund round pages show (fund_cache.go).
	fundRounds fundRoundCache
	// resourceLists keeps /resources' search form and list by filter
	// (resources.go).
	resourceLists struct {
		mu sync.Mutex
		m  genMap[store.ResourceFilter, template.HTML]
	}
	// gens shares generation reads among requests arriving together
	// (freshread.go).
	gens generationReads
}

// New parses templates and prepares the server.
func New(s *Server) (*Server, error) {
	s.now = time.Now
	if s.Clock != nil {
		s.now = s.Clock
	}
	if s.Sealer == nil {
		return nil, fmt.Errorf("web server needs a bid sealer")
	}
	if s.Discount.Rate == nil {
		s.Discount = proxies.GreenBookRate()
	}
	s.csp = contentSecurityPolicy()
	s.pages = map[string]*template.Template{}
	names, err := fs.Glob(assets, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		// missingkey=error: a page that reads a key its handler did not set
		// fails (TestEveryPageRenders drives them all) instead of printing nothing.
		t, err := template.New("").Funcs(funcs).Option("missingkey=error").ParseFS(assets, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		s.pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/pages/"), ".html")] = t
	}
	if s.nav, err = newSiteNav(); err != nil {
		return nil, err
	}
	sub, _ := fs.Sub(assets, "static")
	s.static = http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return s, nil
}

func (s *Server) secure() bool { return strings.HasPrefix(s.BaseURL, "https://") }

// Handler returns the whole site with its middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	cop := http.NewCrossOriginProtection()
	var h http.Handler = mux
	h = s.withActor(h)
	h = cop.Handler(h)
	h = s.withLimits(h)
	h = s.withHeaders(h)
	h = s.withRecover(h)
	return h
}

type handler func(w http.ResponseWriter, r *http.Request) error

func (s *Server) routes(mux *http.ServeMux) {
	h := s.serve
	mux.HandleFunc("GET /static/", s.serveStatic)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /{$}", h(s.publicCached(s.home)))
	mux.Handle("GET /about", h(s.publicCached(s.about)))
	mux.Handle("GET /accessibility", h(s.publicCached(s.accessibility)))

	mux.Handle("GET /login", h(s.loginForm))
	mux.Handle("POST /login", h(s.login))
	mux.Handle("POST /logout", h(s.logout))
	mux.Handle("GET /register", h(s.registerForm))
	mux.Handle("POST /register", h(s.register))
	mux.Handle("GET /verify", h(s.verifyForm))
	mux.Handle("POST /verify", h(s.verify))
	mux.Handle("GET /forgot", h(s.forgotForm))
	mux.Handle("POST /forgot", h(s.forgot))
	mux.Handle("GET /reset", h(s.resetForm))
	mux.Handle("POST /reset", h(s.reset))
	mux.Handle("GET /account", h(s.account))
	mux.Handle("POST /account/tokens", h(s.createToken))
	mux.Handle("POST /account/tokens/{id}/revoke", h(s.revokeToken))

	mux.Handle("GET /organisations", h(s.directory))
	mux.Handle("GET /organisations/new", h(s.newOrgForm))
	mux.Handle("POST /organisations", h(s.createOrg))
	mux.Handle("GET /organisations/{slug}", h(s.orgPage))
	mux.Handle("GET /organisations/{slug}/edit", h(s.editOrgForm))
	mux.Handle("POST /organisations/{slug}/edit", h(s.editOrg))
	mux.Handle("POST /organisations/{slug}/sites", h(s.addSite))
	mux.Handle("POST /organisations/{slug}/sites/{id}/delete", h(s.deletePart(s.Store.DeleteSite, "Site removed", "#sites")))
	mux.Handle("POST /organisations/{slug}/accreditations", h(s.addAccreditation))
	mux.Handle("POST /organisations/{slug}/accreditations/{id}/delete", h(s.deletePart(s.Store.DeleteAccreditation, "Accreditation removed", "#accreditations")))
	mux.Handle("GET /organisations/{slug}/accreditations/{id}/verify", h(s.verifyAccreditationForm))
	mux.Handle("POST /organisations/{slug}/accreditations/{id}/verify", h(s.verifyAccreditation))
	mux.Handle("POST /organisations/{slug}/accreditations/{id}/reject", h(s.rejectAccreditation))
	mux.Handle("POST /organisations/{slug}/accrediting-body", h(s.designateAccreditingBody))
	mux.Handle("POST /organisations/{slug}/accrediting-body/remove", h(s.removeAccreditingBody))
	mux.Handle("GET /accreditations/checks", h(s.accreditationChecks))
	mux.Handle("GET /organisations/{slug}/accreditations/{id}/document", h(s.accreditationDocument))
	mux.Handle("GET /tenders/{id}/gates", h(s.gateChecksPage))
	mux.Handle("POST /tenders/{id}/gates/override", h(s.overrideGate))
	mux.Handle("POST /contracts/{id}/lines/{line}/reply", h(s.replyToLine))
	mux.Handle("GET /contracts/{id}/files/{file}", h(s.evidenceFile))
	mux.Handle("POST /account/notifications", h(s.notificationSettings))
	mux.Handle("GET /organisations/{slug}/members", h(s.members))
	mux.Handle("POST /organisations/{slug}/invitations", h(s.invite))
	mux.Handle("POST /organisations/{slug}/members/remove", h(s.removeMember))
	mux.Handle("POST /organisations/{slug}/verify", h(s.verifyOrg))
	mux.Handle("GET /invitations/{token}", h(s.invitation))
	mux.Handle("POST /invitations/{token}", h(s.acceptInvitation))

	mux.Handle("GET /frameworks", h(s.frameworks))
	mux.Handle("GET /frameworks/{id}", h(s.frameworkPage))
	mux.Handle("GET /frameworks/{id}/csv", h(s.frameworkCSV))
	mux.Handle("GET /proxies", h(s.publicCached(s.proxySources)))
	mux.Handle("GET /proxies/explained", h(s.publicCached(s.proxiesExplained)))
	mux.Handle("GET /proxies/{source}", h(s.publicCached(s.proxySource)))
	mux.Handle("GET /proxies/{source}/csv", h(s.proxySourceCSV))
	mux.Handle("GET /postcode", h(s.postcodeLookup))
	mux.Handle("GET /geo/{layer}", h(s.geoLayer))

	mux.Handle("GET /admin", h(s.adminHome))
	mux.Handle("GET /admin/users", h(s.adminUsers))
	mux.Handle("POST /admin/users/{id}/admin", h(s.adminSetAdmin))
	mux.Handle("GET /admin/outbox", h(s.adminOutbox))
	mux.Handle("GET /admin/geography", h(s.geographyPage))
	mux.Handle("POST /admin/geography/upload", h(s.uploadGeography))
	mux.Handle("GET /admin/geography/runs/{id}", h(s.geographyRun))
	mux.Handle("GET /admin/audit", h(s.adminAudit))
	mux.Handle("GET /admin/frameworks/import", h(s.importFrameworkForm))
	mux.Handle("POST /admin/frameworks/import", h(s.importFramework))
	mux.Handle("POST /admin/frameworks/{id}/publish", h(s.publishFramework))
	mux.Handle("GET /admin/frameworks/{id}/edit", h(s.editFrameworkForm))
	mux.Handle("POST /admin/frameworks/{id}/edit", h(s.editFramework))
	mux.Handle("POST /admin/frameworks/{id}/editions", h(s.newEdition))
	mux.Handle("GET /admin/frameworks/{id}/measures/{mid}", h(s.editMeasureForm))
	mux.Handle("POST /admin/frameworks/{id}/measures/{mid}", h(s.editMeasure))
	mux.Handle("POST /admin/frameworks/{id}/measures/{mid}/links", h(s.linkMeasure))
	mux.Handle("POST /admin/frameworks/{id}/measures/{mid}/links/{uid}/delete", h(s.unlinkMeasure))

	s.priorityRoutes(mux)
	s.fundRoutes(mux)
	s.spendRoutes(mux)
	s.tenderRoutes(mux)
	s.contractRoutes(mux)
	s.procurementAPIRoutes(mux)
	s.hubRoutes(mux)
	s.resourceRoutes(mux)
	s.pledgeRoutes(mux)
	s.networkRoutes(mux)
	s.apiRoutes(mux)
	s.sectionRoutes(mux)
	mux.Handle("/", h(func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("no page at %s: %w", r.URL.Path, problem.ErrNotFound)
	}))
}

// serve adapts a handler that returns an error into an http.Handler.
func (s *Server) serve(fn handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// status maps an error to an HTTP status and a message safe to show.
func status(err error) (int, string) {
	var inv *problem.Invalid
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &inv):
		return http.StatusUnprocessableEntity, inv.Error()
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("The request is too large: the limit is %d bytes", mbe.Limit)
	case errors.Is(err, problem.ErrNotFound):
		return http.StatusNotFound, "Page not found"
	case errors.Is(err, problem.ErrUnauthorised):
		return http.StatusUnauthorized, "You need to sign in to do that"
	case errors.Is(err, problem.ErrForbidden):
		return http.StatusForbidden, "You do not have permission to do that"
	case errors.Is(err, problem.ErrConflict):
		return http.StatusConflict, "That cannot be done in the current state"
	case errors.Is(err, problem.ErrTooMany):
		return http.StatusTooManyRequests, "Too many attempts; wait 15 minutes and try again"
	case errors.Is(err, problem.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "Sorry, the service is unavailable"
	}
	return http.StatusInternalServerError, "Sorry, there is a problem with the service"
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := status(err)
	if code >= 500 {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", code, "err", err)
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.apiError(w, code, msg, err)
		return
	}
	if code == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	// Conflicts carry a human reason in the wrapped message.
	detail := ""
	if code == http.StatusConflict || code == http.StatusRequestEntityTooLarge {
		detail = err.Error()
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, code, "error", &page{Title: msg, Data: map[string]any{"Status": code, "Message": msg, "Detail": detail}})
}

// render executes a page template; rendering into a buffer first means a
// template error gives a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, p *page) {
	t, ok := s.pages[name]
	if !ok {
		http.Error(w, "missing template "+name, http.StatusInternalServerError)
		return
	}
	p.Actor = actorFrom(r)
	p.Path = r.URL.Path
	p.Nav = s.nav.forPath(p.Path)
	p.Demo = s.Demo
	p.Version = s.Version
	if p.Flash == "" {
		p.Flash = takeFlash(w, r)
	}
	b, _ := s.bufs.Get().(*bytes.Buffer)
	if b == nil {
		b = new(bytes.Buffer)
	}
	defer s.putBuffer(b)
	if err := t.ExecuteTemplate(b, "layout", p); err != nil {
		s.Log.Error("render", "template", name, "err", err)
		http.Error(w, "Sorry, there is a problem with the service", http.StatusInternalServerError)
		return
	}
	if s.Log.Enabled(r.Context(), slog.LevelDebug) {
		s.Log.Debug("render", "template", name, "path", r.URL.Path)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}

// renderPart executes one named template (part) of a page's template set
// with data, into HTML the caller keeps or sets into a page's data.
func (s *Server) renderPart(set, part string, data any) (template.HTML, error) {
	t, ok := s.pages[set]
	if !ok {
		return "", fmt.Errorf("missing template %s", set)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, part, data); err != nil {
		return "", fmt.Errorf("page %s, part %s: %w", set, part, err)
	}
	return template.HTML(b.String()), nil // html/template wrote and escaped it
}

// putBuffer returns a page buffer to the pool; one grown past 1 MiB by an
// unusually large page is dropped so the pool does not hold it.
func (s *Server) putBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	s.bufs.Put(b)
}

// page is what every template receives.
type page struct {
	Title   string
	Actor   auth.Actor
	Path    string
	Demo    bool
	Version string
	Errors  *problem.Invalid
	Form    url.Values
	Flash   string
	Data    map[string]any
	Nav     template.HTML // the service navigation (render sets it)
}

// invalid re-renders a form with the user's values and the field errors, or
// returns err unchanged when it is not a validation failure.
func (s *Server) invalid(w http.ResponseWriter, r *http.Request, err error, name string, p *page) error {
	var inv *problem.Invalid
	if !errors.As(err, &inv) {
		return err
	}
	p.Errors = inv
	if p.Form == nil {
		p.Form = r.PostForm
	}
	if p.Title != "" {
		p.Title = "Error: " + p.Title
	}
	s.render(w, r, http.StatusUnprocessableEntity, name, p)
	return nil
}

type actorKey struct{}

func actorFrom(r *http.Request) auth.Actor {
	a, _ := r.Context().Value(actorKey{}).(auth.Actor)
	return a
}

// withActor loads the signed-in actor from the session cookie or, for the
// API, a bearer token.
func (s *Server) withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := auth.Anonymous
		var err error
		if strings.HasPrefix(r.URL.Path, "/api/") {
			if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
				actor, err = s.Store.APITokenActor(r.Context(), auth.HashToken(strings.TrimSpace(tok)))
			}
		} else if c, cerr := r.Cookie(sessionCookie); cerr == nil && c.Value != "" && !strings.HasPrefix(r.URL.Path, "/static/") {
			actor, err = s.Store.SessionActor(r.Context(), auth.HashToken(c.Value), s.now())
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, actor)))
	})
}

func (s *Server) withLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(MaxBodyBytes)
		switch {
		case r.URL.Path == "/spend/upload":
			limit = MaxSpendUploadBytes
		case r.URL.Path == "/spend/creditors":
			limit = MaxCreditorUploadBytes
		case r.URL.Path == "/admin/geography/upload":
			limit = MaxGeoUploadBytes
		case strings.HasPrefix(r.URL.Path, "/contracts/") && (strings.HasSuffix(r.URL.Path, "/reply") || strings.HasSuffix(r.URL.Path, "/report")),
			strings.HasPrefix(r.URL.Path, "/organisations/") && strings.HasSuffix(r.URL.Path, "/verify"): // an accreditation's certificate
			limit = MaxReplyBodyBytes
		case r.URL.Path == "/admin/frameworks/import" || strings.HasSuffix(r.URL.Path, "/upload") || strings.HasSuffix(r.URL.Path, "/bid"):
			limit = MaxUploadBytes
		}
		next.ServeHTTP(limitBody(w, r, limit), r)
	})
}

// plotStyle is the one <style> element Observable Plot inserts into each
// chart (for the class name our charts use); the CSP allows exactly this
// text by its hash rather than allowing inline styles in general.
const plotStyle = ":where(.svhub-plot) {\n  --plot-background: white;\n  display: block;\n  height: auto;\n  height: intrinsic;\n  max-width: 100%;\n}\n:where(.svhub-plot text),\n:where(.svhub-plot tspan) {\n  white-space: pre;\n}"

func contentSecurityPolicy() string {
	sum := sha256.Sum256([]byte(plotStyle))
	return "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

func (s *Server) withHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", s.csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.secure() {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	// Vendored files change only with a release; a day's caching is safe.
	w.Header().Set("Cache-Control", "public, max-age=86400")
	s.static.ServeHTTP(w, r)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	body := map[string]string{"status": "ok", "db": string(s.Store.Dialect()), "version": s.Version}
	code := http.StatusOK
	if err := s.Store.Ping(ctx); err != nil {
		body["status"], code = "unavailable", http.StatusServiceUnavailable
		s.Log.Warn("health check failed", "err", err)
	} else if rel, err := s.Store.GeoRelease(ctx); err == nil {
		body["postcodes"], body["imd"] = rel.Postcodes, rel.IMD
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, code, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// clientIP is the address used for sign-in throttling.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// requireUser fails unless someone is signed in.
func requireUser(r *http.Request) (auth.Actor, error) {
	a := actorFrom(r)
	if !a.SignedIn() {
		return a, problem.ErrUnauthorised
	}
	return a, nil
}

// require fails unless the actor may do action to target.
func require(r *http.Request, action auth.Action, t auth.Target) (auth.Actor, error) {
	a := actorFrom(r)
	if auth.Can(a, action, t) {
		return a, nil
	}
	if !a.SignedIn() {
		return a, problem.ErrUnauthorised
	}
	return a, fmt.Errorf("%s: %w", action, problem.ErrForbidden)
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%s %q: %w", name, r.PathValue(name), problem.ErrNotFound)
	}
	return id, nil
}

func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
