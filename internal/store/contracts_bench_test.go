package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// BenchmarkDeliveryDashboard times the GM-wide delivery dashboard (contract
// count and value, then committed and verified by priority, district and
// measure) over 5,000 contracts, 20,000 commitments and 100,000 delivery
// lines, on both engines, reporting the p99 of the iterations.
func BenchmarkDeliveryDashboard(b *testing.B) {
	storetest.EachBench(b, func(b *testing.B, open func(testing.TB) *store.Store) {
		s := open(b)
		admin := mkUser(b, s, "bench@example.org", true)
		f := framework.GM2020()
		f.Status = framework.Published
		fid, err := s.CreateFramework(ctx, admin, f)
		if err != nil {
			b.Fatal(err)
		}
		full, _ := s.Framework(ctx, fid)
		var measures []int64
		for _, p := range full.Priorities {
			for _, o := range p.Outcomes {
				for _, m := range o.Measures {
					measures = append(measures, m.ID)
				}
			}
		}
		var buyers, suppliers []int64
		for i := range 10 {
			o, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: fmt.Sprintf("Council %d", i)}, 0)
			if err != nil {
				b.Fatal(err)
			}
			buyers = append(buyers, o.ID)
		}
		for i := range 200 {
			o, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: fmt.Sprintf("Supplier %d", i)}, 0)
			if err != nil {
				b.Fatal(err)
			}
			suppliers = append(suppliers, o.ID)
		}
		districts := []string{"", "E08000001", "E08000002", "E08000003", "E08000004", "E08000005", "E08000006", "E08000007", "E08000008", "E08000009", "E08000010"}
		start := time.Now()
		if err := store.SeedDeliveryForBench(ctx, s, buyers, suppliers, fid, measures, districts, 5000, 100000); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded 5,000 contracts and 100,000 lines in %s", time.Since(start).Round(time.Millisecond))
		var took []time.Duration
		for b.Loop() {
			t0 := time.Now()
			d, err := s.Dashboard(ctx, store.DashFilter{})
			if err != nil {
				b.Fatal(err)
			}
			if d.Contracts != 5000 || len(d.ByPriority) == 0 {
				b.Fatalf("dashboard: %d contracts", d.Contracts)
			}
			took = append(took, time.Since(t0))
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	})
}
