package store_test

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/shareddata"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// BenchmarkSpendReportTrafford times the CLES report as the web page and
// CLI build it (sum by payee in SQL, then resolve and classify in Go) over
// Trafford's 210,068 payments for 2024-25, for the buyer and for all
// buyers. It reports the p99 of the iterations beside the mean.
func BenchmarkSpendReportTrafford(b *testing.B) {
	raw, err := os.ReadFile(shareddata.Path(b, "spend/trafford/trafford-supplier-spend-2024-25.zip"))
	if err != nil {
		b.Fatal(err)
	}
	res, err := spend.ReadFile("trafford-supplier-spend-2024-25.zip", raw, nil, "")
	if err != nil {
		b.Fatal(err)
	}
	storetest.EachBench(b, func(b *testing.B, open func(testing.TB) *store.Store) {
		s, admin, buyer := benchBuyer(b, open)
		if _, err := s.ImportSpend(ctx, admin, buyer, res, "bench"); err != nil {
			b.Fatal(err)
		}
		benchReports(b, s, buyer)
	})
}

// benchBuyer opens an empty store with an administrator and a buyer.
func benchBuyer(b *testing.B, open func(testing.TB) *store.Store) (*store.Store, auth.Actor, int64) {
	s := open(b)
	admin := mkUser(b, s, "bench@example.org", true)
	buyer, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Trafford Council"}, 0)
	if err != nil {
		b.Fatal(err)
	}
	return s, admin, buyer.ID
}

// benchImport times one import per iteration into an empty store of each
// engine and reports rows read per second.
func benchImport(b *testing.B, run func(s *store.Store, admin auth.Actor, buyer int64) (store.SpendRun, error)) {
	storetest.EachBench(b, func(b *testing.B, open func(testing.TB) *store.Store) {
		for b.Loop() {
			b.StopTimer()
			s, admin, buyer := benchBuyer(b, open)
			b.StartTimer()
			start := time.Now()
			r, err := run(s, admin, buyer)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(r.RowsRead)/time.Since(start).Seconds(), "rows/s")
		}
	})
}

// BenchmarkImportTrafford imports Trafford's 210,068 payments for 2024-25
// into an empty buyer (parse excluded) and reports rows per second.
func BenchmarkImportTrafford(b *testing.B) {
	raw, err := os.ReadFile(shareddata.Path(b, "spend/trafford/trafford-supplier-spend-2024-25.zip"))
	if err != nil {
		b.Fatal(err)
	}
	res, err := spend.ReadFile("trafford-supplier-spend-2024-25.zip", raw, nil, "")
	if err != nil {
		b.Fatal(err)
	}
	benchImport(b, func(s *store.Store, admin auth.Actor, buyer int64) (store.SpendRun, error) {
		run, err := s.ImportSpend(ctx, admin, buyer, res, "bench")
		if err == nil && run.RowsImported != len(res.Payments) {
			err = fmt.Errorf("imported %d of %d", run.RowsImported, len(res.Payments))
		}
		return run, err
	})
}

// BenchmarkSpendReportExisting times the CLES report on a database built
// beforehand (bench/spend5m.sh imports the 5,000,000-row file): set
// SVHUB_BENCH_DB to it and SVHUB_BENCH_BUYER to the buyer's name.
func BenchmarkSpendReportExisting(b *testing.B) {
	dsn := os.Getenv("SVHUB_BENCH_DB")
	if dsn == "" {
		b.Skip("SVHUB_BENCH_DB not set")
	}
	s, err := store.Open(ctx, dsn, false)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	all, _, err := s.ListOrganisations(ctx, orgs.Filter{Limit: 1000})
	if err != nil {
		b.Fatal(err)
	}
	var buyer int64
	for _, o := range all {
		if o.LegalName == os.Getenv("SVHUB_BENCH_BUYER") {
			buyer = o.ID
		}
	}
	if buyer == 0 {
		b.Fatalf("no buyer %q", os.Getenv("SVHUB_BENCH_BUYER"))
	}
	benchReports(b, s, buyer)
}

// benchReports times the CLES report as the web page and CLI build it (sum
// by payee in SQL, then resolve and classify in Go) for the 2024-25
// financial year, for one buyer and for all buyers, with the p99 beside
// the mean.
func benchReports(b *testing.B, s *store.Store, buyer int64) {
	gm := map[string]bool{"E08000009": true}
	for _, scope := range []struct {
		name   string
		buyers []int64
	}{{"buyer-year", []int64{buyer}}, {"all-gm", nil}} {
		b.Run(scope.name, func(b *testing.B) {
			f := store.SpendFilter{BuyerIDs: scope.buyers, From: "2024-04-01", To: "2025-03-31"}
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				rows, err := s.SpendBySupplier(ctx, f)
				if err != nil {
					b.Fatal(err)
				}
				cands, err := s.SupplierCandidates(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if rep := spend.BuildReport(rows, cands, "E08000009", gm, 300); rep.Payments == 0 {
					b.Fatal("empty report")
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkImportFile imports the file named by SVHUB_BENCH_FILE end to end
// (streamed parse, de-duplication, payments, rejects, rollups) into an
// empty buyer on each engine, and reports rows per second. It is the
// profiling harness for bench/spend5m.sh's CLI runs.
func BenchmarkImportFile(b *testing.B) {
	path := os.Getenv("SVHUB_BENCH_FILE")
	if path == "" {
		b.Skip("SVHUB_BENCH_FILE not set")
	}
	benchImport(b, func(s *store.Store, admin auth.Actor, buyer int64) (store.SpendRun, error) {
		return s.ImportSpendStream(ctx, admin, buyer, path, "bench", func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error) {
			return spend.StreamFile(path, nil, "", each)
		})
	})
}
