package geo

import (
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
)

// Shipped is the reference geography compiled into the binary (see
// refdata/README.md for sources and the attribution every use must keep).
//
//go:embed refdata
var shipped embed.FS

// ShippedFS returns the shipped reference files, laid out as geo/ and imd/.
func ShippedFS() fs.FS {
	sub, err := fs.Sub(shipped, "refdata")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}

// Attribution must accompany any display of the geography.
const Attribution = "Contains OS data © Crown copyright and database right; Contains Royal Mail data © Royal Mail copyright and database right; Source: Office for National Statistics licensed under the Open Government Licence v3.0. IMD 2019: MHCLG, Open Government Licence v3.0."

// File names inside a reference directory.
const (
	// IMD2019 names the English Indices of Deprivation 2019 (on LSOA 2011).
	IMD2019 = "IoD2019"
	// IMD2025 names the English Indices of Deprivation 2025 (on LSOA 2021).
	IMD2025 = "IoD2025"

	fileDistricts = "geo/gm_local_authority_super_generalised.geojson"
	fileWards     = "geo/gm_ward_super_generalised.geojson"
	fileLSOAs     = "geo/gm_lsoa11_super_generalised.geojson"
	fileGM        = "geo/gm_combined_authority_generalised.geojson"
	fileLookup    = "geo/gm_lsoa11_to_ward_lad_lookup.csv"
	fileTrafford  = "geo/trafford_postcodes_lsoa11.csv"
	fileSample    = "geo/gm_postcodes_sample_1000_per_lad.csv"
	fileIMD       = "imd/gm_imd2019_lsoa.csv"
)

// District is a local authority district.
type District struct {
	Code, Name string
	Lon, Lat   float64
}

// Ward is an electoral ward (2023 boundaries).
type Ward struct {
	Code, Name, DistrictCode string
}

// LSOA is a 2011 Lower Layer Super Output Area with its IMD 2019 position
// and the (2017) ward it was published with.
type LSOA struct {
	Code, Name, WardCode, WardName, DistrictCode string
	IMDRank, IMDDecile                           int
}

// PostcodeRecord places one postcode.
type PostcodeRecord struct {
	Postcode, DistrictCode, WardCode, LSOACode string
	Source                                     Confidence // Exact or Located
	Lon, Lat                                   float64
}

// Reference is a complete, consistent set of reference geography.
type Reference struct {
	Districts []District
	Wards     []Ward
	LSOAs     []LSOA
	Postcodes []PostcodeRecord
	Layers    map[string][]byte // "gm", "districts", "wards", "lsoas": GeoJSON
	// Complete names the districts whose every postcode is listed (the
	// Trafford file); the others are a sorted sample (see Coverage).
	Complete map[string]bool
}

type featureCollection struct {
	Features []struct {
		Properties map[string]any  `json:"properties"`
		Geometry   json.RawMessage `json:"geometry"`
	} `json:"features"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// polygon is a list of rings (outer first) of [lon, lat] points.
type polygon [][][2]float64

type shape struct {
	code  string
	polys []polygon
	box   [4]float64 // minLon, minLat, maxLon, maxLat
}

func (s *shape) contains(lon, lat float64) bool {
	if lon < s.box[0] || lon > s.box[2] || lat < s.box[1] || lat > s.box[3] {
		return false
	}
	for _, p := range s.polys {
		if len(p) == 0 || !inRing(p[0], lon, lat) {
			continue
		}
		inHole := false
		for _, hole := range p[1:] {
			if inRing(hole, lon, lat) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}

// inRing is the even-odd ray-casting test.
func inRing(ring [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		xi, yi, xj, yj := ring[i][0], ring[i][1], ring[j][0], ring[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

func parseShape(code string, raw json.RawMessage) (shape, error) {
	var g geometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return shape{}, err
	}
	s := shape{code: code, box: [4]float64{180, 90, -180, -90}}
	switch g.Type {
	case "Polygon":
		var p polygon
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return shape{}, err
		}
		s.polys = []polygon{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &s.polys); err != nil {
			return shape{}, err
		}
	default:
		return shape{}, fmt.Errorf("unsupported geometry %q", g.Type)
	}
	for _, p := range s.polys {
		for _, pt := range p[0] {
			s.box[0], s.box[1] = min(s.box[0], pt[0]), min(s.box[1], pt[1])
			s.box[2], s.box[3] = max(s.box[2], pt[0]), max(s.box[3], pt[1])
		}
	}
	return s, nil
}

func readAll(fsys fs.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}

func readFeatures(fsys fs.FS, name string) ([]byte, featureCollection, error) {
	b, err := readAll(fsys, name)
	if err != nil {
		return nil, featureCollection{}, err
	}
	var fc featureCollection
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fc, fmt.Errorf("%s: not GeoJSON: %w", name, err)
	}
	if len(fc.Features) == 0 {
		return nil, fc, fmt.Errorf("%s: no features", name)
	}
	return b, fc, nil
}

func prop(p map[string]any, key string) string {
	switch v := p[key].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// readCSV calls row for each record with a header lookup, naming the file
// and line of any problem.
func readCSV(fsys fs.FS, name string, need []string, row func(get func(string) string, line int) error) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: reading header: %w", name, err)
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[h] = i
	}
	for _, n := range need {
		if _, ok := idx[n]; !ok {
			return fmt.Errorf("%s: missing column %q", name, n)
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		get := func(k string) string { return rec[idx[k]] }
		if err := row(get, line); err != nil {
			return fmt.Errorf("%s line %d: %w", name, line, err)
		}
	}
}

// lonLat reads a row's lon and lat columns.
func lonLat(get func(string) string) (lon, lat float64, err error) {
	if lon, err = strconv.ParseFloat(get("lon"), 64); err != nil {
		return 0, 0, fmt.Errorf("lon %q is not a number", get("lon"))
	}
	if lat, err = strconv.ParseFloat(get("lat"), 64); err != nil {
		return 0, 0, fmt.Errorf("lat %q is not a number", get("lat"))
	}
	return lon, lat, nil
}

// Load reads and cross-checks a reference directory (the shipped copy, or a
// directory laid out like it). Postcodes without an LSOA in the source are
// placed by point-in-polygon on the LSOA and ward boundaries.
func Load(fsys fs.FS) (*Reference, error) {
	ref := &Reference{Layers: map[string][]byte{}, Complete: map[string]bool{}}
	var err error
	var fc featureCollection
	if ref.Layers["districts"], fc, err = readFeatures(fsys, fileDistricts); err != nil {
		return nil, err
	}
	districts := map[string]bool{}
	for _, f := range fc.Features {
		d := District{Code: prop(f.Properties, "area_code"), Name: prop(f.Properties, "area_name")}
		d.Lon, _ = strconv.ParseFloat(prop(f.Properties, "lon"), 64)
		d.Lat, _ = strconv.ParseFloat(prop(f.Properties, "lat"), 64)
		districts[d.Code] = true
		ref.Districts = append(ref.Districts, d)
	}
	if ref.Layers["wards"], fc, err = readFeatures(fsys, fileWards); err != nil {
		return nil, err
	}
	var wardShapes []shape
	wardKnown := map[string]bool{}
	for _, f := range fc.Features {
		w := Ward{Code: prop(f.Properties, "area_code"), Name: prop(f.Properties, "area_name"), DistrictCode: prop(f.Properties, "local_authority_area_code")}
		if !districts[w.DistrictCode] {
			return nil, fmt.Errorf("%s: ward %s names unknown district %q", fileWards, w.Code, w.DistrictCode)
		}
		s, err := parseShape(w.Code, f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("%s: ward %s: %w", fileWards, w.Code, err)
		}
		wardShapes = append(wardShapes, s)
		wardKnown[w.Code] = true
		ref.Wards = append(ref.Wards, w)
	}
	if ref.Layers["lsoas"], fc, err = readFeatures(fsys, fileLSOAs); err != nil {
		return nil, err
	}
	var lsoaShapes []shape
	for _, f := range fc.Features {
		s, err := parseShape(prop(f.Properties, "area_code"), f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fileLSOAs, err)
		}
		lsoaShapes = append(lsoaShapes, s)
	}
	if ref.Layers["gm"], _, err = readFeatures(fsys, fileGM); err != nil {
		return nil, err
	}

	wardOf := map[string][2]string{}
	if err := readCSV(fsys, fileLookup, []string{"lsoa11cd", "wd17cd", "wd17nm"}, func(get func(string) string, _ int) error {
		wardOf[get("lsoa11cd")] = [2]string{get("wd17cd"), get("wd17nm")}
		return nil
	}); err != nil {
		return nil, err
	}
	lsoaKnown := map[string]bool{}
	if err := readCSV(fsys, fileIMD, []string{"lsoa11cd", "lsoa11nm", "lad19cd", "imd_rank", "imd_decile"}, func(get func(string) string, _ int) error {
		l := LSOA{Code: get("lsoa11cd"), Name: get("lsoa11nm"), DistrictCode: get("lad19cd")}
		l.WardCode, l.WardName = wardOf[l.Code][0], wardOf[l.Code][1]
		var err error
		if l.IMDRank, err = strconv.Atoi(get("imd_rank")); err != nil {
			return fmt.Errorf("imd_rank %q is not a whole number", get("imd_rank"))
		}
		if l.IMDDecile, err = strconv.Atoi(get("imd_decile")); err != nil || l.IMDDecile < 1 || l.IMDDecile > 10 {
			return fmt.Errorf("imd_decile %q must be 1 to 10", get("imd_decile"))
		}
		if !districts[l.DistrictCode] {
			return fmt.Errorf("unknown district %q", l.DistrictCode)
		}
		lsoaKnown[l.Code] = true
		ref.LSOAs = append(ref.LSOAs, l)
		return nil
	}); err != nil {
		return nil, err
	}

	locate := func(shapes []shape, lon, lat float64) string {
		for i := range shapes {
			if shapes[i].contains(lon, lat) {
				return shapes[i].code
			}
		}
		return ""
	}
	seen := map[string]bool{}
	add := func(pc PostcodeRecord) error {
		n, err := NormalisePostcode(pc.Postcode)
		if err != nil {
			return err
		}
		if seen[n] {
			return nil
		}
		seen[n] = true
		pc.Postcode = n
		if !districts[pc.DistrictCode] {
			return fmt.Errorf("postcode %s: unknown district %q", n, pc.DistrictCode)
		}
		// The postcode files may carry wards from before the 2023 boundary
		// review; those are re-placed in the current boundaries.
		if !wardKnown[pc.WardCode] {
			pc.WardCode = locate(wardShapes, pc.Lon, pc.Lat)
		}
		if pc.LSOACode == "" {
			pc.LSOACode = locate(lsoaShapes, pc.Lon, pc.Lat)
			pc.Source = Located
		} else if !lsoaKnown[pc.LSOACode] {
			return fmt.Errorf("postcode %s: unknown LSOA %q", n, pc.LSOACode)
		}
		ref.Postcodes = append(ref.Postcodes, pc)
		return nil
	}
	if err := readCSV(fsys, fileTrafford, []string{"postcode", "ward_code", "lsoa_code", "la_code", "lon", "lat"}, func(get func(string) string, _ int) error {
		lon, lat, err := lonLat(get)
		if err != nil {
			return err
		}
		ref.Complete[get("la_code")] = true
		return add(PostcodeRecord{Postcode: get("postcode"), DistrictCode: get("la_code"), WardCode: get("ward_code"), LSOACode: get("lsoa_code"), Source: Exact, Lon: lon, Lat: lat})
	}); err != nil {
		return nil, err
	}
	if err := readCSV(fsys, fileSample, []string{"postcode", "area_code", "lon", "lat"}, func(get func(string) string, _ int) error {
		lon, lat, err := lonLat(get)
		if err != nil {
			return err
		}
		return add(PostcodeRecord{Postcode: get("postcode"), DistrictCode: get("area_code"), Lon: lon, Lat: lat})
	}); err != nil {
		return nil, err
	}
	return ref, nil
}
