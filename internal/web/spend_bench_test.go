package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
	"github.com/svhub/svhub/internal/web"
)

// BenchmarkSpendPageExisting serves the /spend page and /spend/report.json
// for one buyer-year, whole requests through the handler chain (no
// network), on a database built beforehand (bench/spend5m.sh imports the
// 5,000,000-payment file): set SVHUB_BENCH_DB to it and SVHUB_BENCH_BUYER
// to the buyer's slug. It reports the p99 and the process CPU time per
// request beside the mean, the profiling harness for the wrk figures.
func BenchmarkSpendPageExisting(b *testing.B) {
	dsn := os.Getenv("SVHUB_BENCH_DB")
	if dsn == "" {
		b.Skip("SVHUB_BENCH_DB not set")
	}
	s, err := store.Open(context.Background(), dsn, false)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	key, _ := tenders.ParseKey(tenders.NewKey())
	sealer, _ := tenders.NewSealer(key)
	srv, err := web.New(&web.Server{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "bench", BaseURL: "http://hub.test", Sealer: sealer})
	if err != nil {
		b.Fatal(err)
	}
	handler := srv.Handler()
	q := "?buyer=" + os.Getenv("SVHUB_BENCH_BUYER") + "&from=2024-04-01&to=2025-03-31"
	for _, path := range []string{"/spend" + q, "/spend/report.json" + q} {
		b.Run(path[:len(path)-len(q)], func(b *testing.B) {
			var took []time.Duration
			cpu0 := cpuTime()
			for b.Loop() {
				start := time.Now()
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String()[:min(500, rec.Body.Len())])
				}
				took = append(took, time.Since(start))
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(len(took)), "cpu-ms/op")
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
