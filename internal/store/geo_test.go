package store_test

import (
	"slices"
	"testing"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// With only the shipped tables, the fallback for every shipped postcode,
// computed without that postcode, never names a district its own entry
// contradicts; on both engines.
func TestGeoFallbackNeverContradictsShipped(t *testing.T) {
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		named := 0
		for _, rec := range ref.Postcodes {
			p, err := s.FallbackPlace(ctx, rec.Postcode)
			if err != nil {
				t.Fatal(err)
			}
			if p.DistrictCode != "" && p.DistrictCode != rec.DistrictCode {
				t.Errorf("%s is in %s but the fallback without it says %s (%s)", rec.Postcode, rec.DistrictCode, p.DistrictCode, p.Confidence)
			}
			if p.DistrictCode != "" {
				named++
			}
		}
		if named == 0 {
			t.Error("the fallback never names a district") // the check above would be vacuous
		}
		has := func(p geo.Place, name string) bool {
			return slices.ContainsFunc(p.Candidates, func(d geo.District) bool { return d.Name == name })
		}
		// BL3 1SX is in Darcy Lever, Bolton; the only shipped BL3 postcode
		// is Bury's, so the old fallback said "Bury".
		p, err := s.ResolvePostcode(ctx, "BL3 1SX")
		if err != nil || p.Confidence != geo.Unknown || p.DistrictCode != "" || !has(p, "Bolton") {
			t.Errorf("BL3 1SX: %v %+v", err, p)
		}
		// M14 5RT (Fallowfield) is not in the tables but may be in GM.
		p, err = s.ResolvePostcode(ctx, "M14 5RT")
		if err != nil || p.Confidence != geo.Unknown || !p.MaybeGM() || !has(p, "Manchester") {
			t.Errorf("M14 5RT: %v %+v", err, p)
		}
		if p.Source != store.ShippedRelease {
			t.Errorf("source %q", p.Source)
		}
		rel, err := s.GeoRelease(ctx)
		if err != nil || rel.Postcodes != store.ShippedRelease || rel.IMD != geo.IMD2019 {
			t.Errorf("release %+v %v", rel, err)
		}
	})
}
