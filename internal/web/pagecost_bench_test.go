package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/storetest"
)

// BenchmarkPageCost calls the whole handler chain (no network) for the
// pages bench/http.sh loads, on the demo data, and reports the process's
// CPU time per request (user + system, "cpu-ms/op"), which a loaded
// machine moves far less than wall time. Run it with one core, as the
// server's share of the two under wrk:
//
//	GOMAXPROCS=1 go test -run '^$' -bench PageCost -benchtime 2s ./internal/web
//
// Add -cpuprofile or -memprofile with -bench 'PageCost/anonymous/network$'
// to see where one page's time goes.
func BenchmarkPageCost(b *testing.B) {
	t := &testing.T{}
	h := newHubLogged(t, storetest.SQLite(b), slog.New(slog.NewTextHandler(io.Discard, nil)))
	handler := h.Config.Handler
	cookies := map[string]string{"anonymous": ""}
	for _, who := range []string{"resident", "buyer", "admin", "supplier"} {
		form := url.Values{"email": {who + "@example.org"}, "password": {pw}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			if c.Name == "svhub_session" {
				cookies[who] = c.Name + "=" + c.Value
			}
		}
		if cookies[who] == "" {
			b.Fatalf("sign in %s: %d", who, rec.Code)
		}
	}
	public := []string{"/", "/about", "/contracts", "/contracts/1", "/contracts?buyer=3", "/frameworks", "/frameworks/1",
		"/fund", "/fund/rounds/1", "/fund/rounds/2", "/hub", "/hub/needs.json", "/hub/needs/1", "/kitemarks.json", "/login",
		"/network", "/network.json", "/ocds.json", "/organisations", "/organisations/altrincham-care-services-ltd",
		"/organisations?district=E08000001", "/organisations?page=2", "/postcode", "/priorities", "/priorities/1", "/proxies", "/public-money",
		"/register", "/resources", "/resources/1", "/take-part", "/tenders", "/tenders/10", "/the-hub",
		"/spend", "/spend/suppliers?buyer=manchester-city-council", "/hub/needs/2",
		"/tenders/12", "/tenders.atom", "/contracts/2", "/contracts?supplier=17", "/frameworks/2"}
	signedIn := []string{"/", "/account", "/contracts", "/fund", "/hub", "/network", "/organisations", "/resources", "/tenders", "/tenders/10", "/tenders/12", "/admin"}
	run := func(who, path string) {
		uncached := path + "?bench=1"
		if strings.Contains(path, "?") {
			uncached = path + "&bench=1"
		}
		b.Run(who+path, func(b *testing.B) {
			b.ReportAllocs()
			start := cpu()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, uncached, nil)
				if cookies[who] != "" {
					req.Header.Set("Cookie", cookies[who])
				}
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s %s: %d", who, path, rec.Code)
				}
			}
			b.ReportMetric(float64(cpu()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
	for _, p := range public {
		run("anonymous", p)
	}
	for _, who := range []string{"resident", "buyer", "admin"} {
		for _, p := range signedIn {
			if p == "/admin" && who != "admin" {
				continue
			}
			run(who, p)
		}
	}
	// The contract page as each kind of reader: contract 1 is the demo
	// buyer's (its forms), contract 6 the demo supplier's (report and reply).
	for _, who := range []string{"resident", "buyer", "supplier", "admin"} {
		run(who, "/contracts/1")
	}
	run("supplier", "/contracts/6")
	run("buyer", "/contracts/6")
}

// cpu is the process's user and system CPU time so far.
func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
