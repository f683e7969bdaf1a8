package store_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// The fallback from the in-memory index (what ResolvePostcode uses for a
// postcode the tables do not hold) gives the same answer as FallbackPlace
// from the tables, with the shipped tables and with a directory loaded,
// for unknown postcodes in every shipped sector and in sectors with none.
func TestFallbackIndexMatchesTables(t *testing.T) {
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		sectors := map[string]bool{}
		var unknown []string
		for _, p := range ref.Postcodes {
			sec := geo.Sector(p.Postcode)
			if !sectors[sec] {
				sectors[sec] = true
				unknown = append(unknown, sec+"ZZ", geo.Outward(p.Postcode)+" 9YY")
			}
		}
		unknown = append(unknown, "M14 5RT", "BL3 1SX", "LS1 0ZZ", "WA1 1ZZ", "M99 9ZZ")
		compare := func(stage string) {
			t.Helper()
			n := 0
			for _, pc := range unknown {
				got, err := s.ResolvePostcode(ctx, pc)
				if err != nil {
					t.Fatal(err)
				}
				if got.Confidence == geo.Exact || got.Confidence == geo.Located {
					continue // in the tables after all
				}
				want, err := s.FallbackPlace(ctx, pc)
				if err != nil {
					t.Fatal(err)
				}
				want.Source = got.Source
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: %s from the index %+v, from the tables %+v", stage, pc, got, want)
				}
				n++
			}
			if n < 100 {
				t.Fatalf("%s: only %d unknown postcodes compared", stage, n)
			}
			t.Logf("%s: %d unknown postcodes placed alike", stage, n)
		}
		compare("shipped tables")
		// A directory: every shipped postcode in its district, and Leeds.
		var rows []geo.DirectoryRow
		for i, p := range ref.Postcodes {
			if i%3 == 0 {
				rows = append(rows, geo.DirectoryRow{Postcode: p.Postcode, LAD: p.DistrictCode, Region: "E12000002"})
			}
		}
		for i := range 400 {
			rows = append(rows, geo.DirectoryRow{Postcode: fmt.Sprintf("LS1 %d%c%c", i/40, 'A'+rune(i/20%2), 'A'+rune(i%20)), LAD: "E08000035", Region: "E12000003"})
		}
		if _, err := s.ImportDirectory(ctx, "test", "ONSPD Test", "t.csv", map[string]string{"E08000035": "Leeds"}, directoryRows(rows...), nil); err != nil {
			t.Fatal(err)
		}
		compare("directory")
	})
}
