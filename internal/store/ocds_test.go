package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/demo"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// TestOCDSInputDelivery: on both engines, the OCDS input of the demo names
// every bidder of each awarded tender (some of the demo's awarded tenders had
// more than one bid) and none of a tender that is not awarded, and carries the
// resident's concern on its contract, and its first contract's three KPIs
// with their assessments.
func TestOCDSInputDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ref, err := geo.Load(geo.ShippedFS())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		key, _ := tenders.ParseKey(tenders.NewKey())
		sealer, _ := tenders.NewSealer(key)
		if _, err := demo.Seed(ctx, s, auth.NewHasher(0), "ocds-test-password", sealer); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		in, err := s.OCDSInput(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		awarded, several := 0, 0
		for _, tn := range in.Tenders {
			got := in.Tenderers[tn.ID]
			if _, ok := in.Awards[tn.ID]; !ok {
				if len(got) != 0 {
					t.Errorf("tender %d (%s) is not awarded but has tenderers %v", tn.ID, tn.Status, got)
				}
				continue
			}
			awarded++
			if len(got) > 1 {
				several++
			}
			if len(got) != tn.BidCount || !slices.IsSorted(got) {
				t.Errorf("awarded tender %d: tenderers %v, %d bids", tn.ID, got, tn.BidCount)
			}
			if !slices.Contains(got, in.Awards[tn.ID].SupplierID) {
				t.Errorf("awarded tender %d: winner %d not among tenderers %v", tn.ID, in.Awards[tn.ID].SupplierID, got)
			}
			for _, id := range got {
				if _, ok := in.Orgs[id]; !ok {
					t.Errorf("tenderer %d not loaded", id)
				}
			}
		}
		concerns := 0
		for _, cs := range in.Concerns {
			concerns += len(cs)
			for _, c := range cs {
				if c.Body == "" || c.LineID == 0 {
					t.Errorf("concern %+v", c)
				}
			}
		}
		kpis := 0
		for _, ks := range in.KPIs {
			for _, k := range ks {
				kpis++
				if len(k.Assessments) != 1 || k.Assessments[0].Rating == "" {
					t.Errorf("KPI %+v", k)
				}
			}
		}
		if kpis != 3 {
			t.Errorf("%d KPIs, want the demo's 3", kpis)
		}
		if awarded == 0 || several == 0 || concerns != 1 {
			t.Fatalf("%d awarded tenders (%d with several bidders), %d concerns", awarded, several, concerns)
		}
	})
}
