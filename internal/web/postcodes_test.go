package web_test

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/store"
)

func TestPostcodeLookupAPI(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	type place struct {
		Postcode     string
		Confidence   string
		Source       string
		DistrictCode *string `json:"district_code"`
		DistrictName *string `json:"district_name"`
		WardName     *string `json:"ward_name"`
		LSOA11       *string
		LSOA21       *string
		IMDDecile    *int    `json:"imd_decile"`
		IMDEdition   *string `json:"imd_edition"`
		Lat, Lon     *float64
		Candidates   []struct{ Code, Name string }
		Error        *struct {
			Status  int
			Message string
		}
	}
	lookup := func(pc string, want int) (place, string) {
		t.Helper()
		r, b := get(t, c, h.URL+"/api/v1/postcodes/"+pc)
		if r.StatusCode != want {
			t.Fatalf("%s: %d, want %d: %s", pc, r.StatusCode, want, b)
		}
		var p place
		if err := json.Unmarshal([]byte(b), &p); err != nil {
			t.Fatalf("%s: %v", pc, err)
		}
		// Every documented field is present, null when unknown.
		for _, k := range []string{"postcode", "district_code", "district_name", "ward_code", "ward_name", "lsoa11", "lsoa21", "imd_decile", "imd_edition", "lat", "lon", "confidence", "source"} {
			if want != 422 && !strings.Contains(b, `"`+k+`":`) {
				t.Errorf("%s: no %q in %s", pc, k, b)
			}
		}
		return p, b
	}
	p, _ := lookup("m154ab", 200)
	if p.Postcode != "M15 4AB" || p.Confidence != "exact" || p.DistrictName == nil || *p.DistrictName != "Trafford" || p.LSOA11 == nil || *p.LSOA11 != "E01006185" ||
		p.IMDDecile == nil || p.IMDEdition == nil || *p.IMDEdition != "IoD2019" || p.Lat == nil || p.Source != store.ShippedRelease || p.WardName == nil {
		t.Errorf("M15 4AB: %+v", p)
	}
	p, _ = lookup("BL1%209ZZ", 200)
	if p.Confidence != "outward" || p.DistrictName == nil || *p.DistrictName != "Bolton" || p.Lat != nil || p.LSOA11 != nil || p.IMDDecile != nil {
		t.Errorf("BL1 9ZZ: %+v", p)
	}
	p, b := lookup("M14%205RT", 404)
	if p.Confidence != "unknown" || p.Error == nil || !strings.Contains(p.Error.Message, "could be in") || !strings.Contains(b, `"Manchester"`) || p.DistrictCode != nil {
		t.Errorf("M14 5RT: %s", b)
	}
	p, b = lookup("BL3%201SX", 404)
	if strings.Contains(b, `"district_name": "Bury"`) || !strings.Contains(p.Error.Message, "Bolton") {
		t.Errorf("BL3 1SX: %s", b)
	}
	if _, b = lookup("SW1A%201AA", 404); !strings.Contains(b, "outside Greater Manchester") {
		t.Errorf("SW1A 1AA: %s", b)
	}
	if _, b = lookup("XX", 422); !strings.Contains(b, "not a postcode") {
		t.Errorf("XX: %s", b)
	}

	// The page shows the same fields and the release.
	_, page := get(t, c, h.URL+"/postcode?postcode=M15+4AB")
	for _, want := range []string{"Trafford", "E01006185", "English Indices of Deprivation 2019", "Data release", store.ShippedRelease} {
		if !strings.Contains(page, want) {
			t.Errorf("/postcode M15 4AB lacks %q", want)
		}
	}
	_, page = get(t, c, h.URL+"/postcode?postcode=M14+5RT")
	for _, want := range []string{"It could be in", "Manchester", "cannot say which district"} {
		if !strings.Contains(page, want) {
			t.Errorf("/postcode M14 5RT lacks %q", want)
		}
	}
}

// /about and /healthz say which postcode release and IMD edition are loaded.
func TestGeoReleaseShown(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	if _, b := get(t, c, h.URL+"/about"); !strings.Contains(b, store.ShippedRelease) || !strings.Contains(b, "Indices of Deprivation 2019") {
		t.Errorf("/about lacks the release")
	}
	_, b := get(t, c, h.URL+"/healthz")
	var health map[string]string
	if err := json.Unmarshal([]byte(b), &health); err != nil || health["postcodes"] != store.ShippedRelease || health["imd"] != "IoD2019" {
		t.Errorf("/healthz: %s", b)
	}
}

// With a directory loaded, a Leeds postcode is "outside GM: Leeds" in the
// API and on the page, and the release is the directory's.
func TestPostcodeLookupOutsideGM(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	rows := []geo.DirectoryRow{{Postcode: "LS1 1UR", LAD: "E08000035", Region: "E12000003", IMDDecile: 2, Lat: 53.799, Lon: -1.549, HasLatLon: true}}
	next := func() (geo.DirectoryRow, error) {
		if len(rows) == 0 {
			return geo.DirectoryRow{}, io.EOF
		}
		r := rows[0]
		rows = rows[1:]
		return r, nil
	}
	if _, err := h.store.ImportDirectory(context.Background(), "test", "ONSPD February 2025", "ONSPD_FEB_2025_UK.zip", map[string]string{"E08000035": "Leeds", "E12000003": "Yorkshire and The Humber"}, next, nil); err != nil {
		t.Fatal(err)
	}
	r, b := get(t, c, h.URL+"/api/v1/postcodes/LS1%201UR")
	if r.StatusCode != 200 || !strings.Contains(b, `"district_name": "Leeds"`) || !strings.Contains(b, `"in_greater_manchester": false`) || !strings.Contains(b, `"region": "Yorkshire and The Humber"`) || !strings.Contains(b, `"source": "ONSPD February 2025"`) {
		t.Errorf("LS1 1UR: %d %s", r.StatusCode, b)
	}
	_, page := get(t, c, h.URL+"/postcode?postcode=LS1+1UR")
	for _, want := range []string{"Outside Greater Manchester: Leeds", "ONSPD February 2025"} {
		if !strings.Contains(page, want) {
			t.Errorf("/postcode LS1 1UR lacks %q", want)
		}
	}
}
