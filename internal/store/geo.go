package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/problem"
)

// GeoLoaded reports whether reference geography has been imported.
func (s *Store) GeoLoaded(ctx context.Context) (bool, error) {
	var n int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM geo_districts`).Scan(&n); err != nil {
		return false, fmt.Errorf("geo loaded: %w", wrapConn(err))
	}
	return n > 0, nil
}

// ShippedRelease names the shipped tables as a release.
const ShippedRelease = "Shipped Greater Manchester tables (ONS Postcode Directory via Trafford Data Lab)"

// ImportGeo replaces the reference geography in one transaction.
func (s *Store) ImportGeo(ctx context.Context, actor string, ref *geo.Reference, progress func(done, total int)) error {
	defer s.dropFallbackIndex()
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, t := range []string{"geo_postcodes", "geo_coverage", "geo_lsoas", "geo_wards", "geo_layers", "geo_districts"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
		for _, d := range ref.Districts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO geo_districts (code, name, lon, lat) VALUES ($1, $2, $3, $4)`, d.Code, d.Name, d.Lon, d.Lat); err != nil {
				return fmt.Errorf("district %s: %w", d.Code, err)
			}
		}
		for _, c := range geo.CoverageOf(ref) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO geo_coverage (district_code, complete, last_postcode) VALUES ($1, $2, $3)`, c.District.Code, c.Complete, c.Last); err != nil {
				return fmt.Errorf("coverage %s: %w", c.District.Code, err)
			}
		}
		for _, w := range ref.Wards {
			if _, err := tx.ExecContext(ctx, `INSERT INTO geo_wards (code, name, district_code) VALUES ($1, $2, $3)`, w.Code, w.Name, w.DistrictCode); err != nil {
				return fmt.Errorf("ward %s: %w", w.Code, err)
			}
		}
		for _, l := range ref.LSOAs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO geo_lsoas (code, name, ward_code, ward_name, district_code, imd_rank, imd_decile) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				l.Code, l.Name, l.WardCode, l.WardName, l.DistrictCode, l.IMDRank, l.IMDDecile); err != nil {
				return fmt.Errorf("lsoa %s: %w", l.Code, err)
			}
		}
		for name, js := range ref.Layers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO geo_layers (name, geojson) VALUES ($1, $2)`, name, string(js)); err != nil {
				return fmt.Errorf("layer %s: %w", name, err)
			}
		}
		total := len(ref.Postcodes)
		cols := []string{"postcode", "outward", "sector", "district_code", "ward_code", "lsoa_code", "lsoa_source", "lon", "lat"}
		if err := s.bulkInsert(ctx, tx, "geo_postcodes", cols, total, func(i int) []any {
			p := ref.Postcodes[i]
			if progress != nil && ((i+1)%1000 == 0 || i+1 == total) {
				progress(i+1, total)
			}
			return []any{p.Postcode, geo.Outward(p.Postcode), geo.Sector(p.Postcode), p.DistrictCode, p.WardCode, p.LSOACode, string(p.Source), p.Lon, p.Lat}
		}); err != nil {
			return err
		}
		if err := setRelease(ctx, tx, "shipped", ShippedRelease, "", total); err != nil {
			return err
		}
		if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{Actor: actor, Action: "geo.import", ObjectType: "geography", ObjectID: "gm",
			Summary: audit.Summary(nil, map[string]int{"districts": len(ref.Districts), "wards": len(ref.Wards), "lsoas": len(ref.LSOAs), "postcodes": total})})
	})
}

// setRelease records the release of one kind of reference data in force.
func setRelease(ctx context.Context, tx *sql.Tx, kind, name, file string, rows int) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM geo_releases WHERE kind = $1`, kind); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO geo_releases (kind, name, file, rows_loaded, imported_at) VALUES ($1, $2, $3, $4, $5)`, kind, name, file, rows, time.Now().UTC()); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

// GeoRelease is the reference data in force.
type GeoRelease struct {
	Postcodes  string // "ONSPD February 2025", or the shipped tables
	IMD        string // "IoD2019" unless an IMD file was imported
	ImportedAt time.Time
}

// GeoRelease reports which postcode directory and IMD edition are loaded.
func (s *Store) GeoRelease(ctx context.Context) (GeoRelease, error) {
	r := GeoRelease{IMD: geo.IMD2019}
	rows, err := s.read(ctx, `SELECT kind, name, imported_at FROM geo_releases`)
	if err != nil {
		return r, fmt.Errorf("geo release: %w", wrapConn(err))
	}
	defer rows.Close()
	var shipped string
	var shippedAt time.Time
	for rows.Next() {
		var kind, name string
		var at time.Time
		if err := rows.Scan(&kind, &name, &at); err != nil {
			return r, fmt.Errorf("geo release: %w", err)
		}
		switch kind {
		case "postcodes":
			r.Postcodes, r.ImportedAt = name, at
		case "shipped":
			shipped, shippedAt = name, at
		case "imd":
			r.IMD = name
		}
	}
	if r.Postcodes == "" {
		// A database loaded before releases were recorded holds the shipped tables.
		r.Postcodes, r.ImportedAt = cmp.Or(shipped, ShippedRelease), shippedAt
	}
	return r, rows.Err()
}

// ResolvePostcode places a normalised postcode: from the imported postcode
// directory when one is loaded, else the shipped tables, else by the
// fallback (see geo.Fallback), which names a district only when the tables
// show no other district could hold the postcode.
func (s *Store) ResolvePostcode(ctx context.Context, postcode string) (geo.Place, error) {
	// The directory first, in one query with its release (the common case
	// once a directory is loaded).
	p, ok, err := s.directoryPlace(ctx, postcode)
	if err != nil || ok {
		return p, err
	}
	idx, err := s.fallbackIndexFor(ctx)
	if err != nil {
		return geo.Place{}, err
	}
	rel := idx.release
	p = geo.Place{Postcode: postcode, Confidence: geo.Unknown}
	var source string
	// Wards are the current (2023) boundaries: from the postcode directory
	// where it gives one, else the ward containing the postcode's centre.
	err = s.readRow(ctx, `SELECT pc.district_code, d.name, pc.ward_code, COALESCE(w.name, ''), pc.lsoa_code, pc.lsoa_source, pc.lon, pc.lat,
			COALESCE(l.imd_decile, 0)
		FROM geo_postcodes pc JOIN geo_districts d ON d.code = pc.district_code
		LEFT JOIN geo_wards w ON w.code = pc.ward_code
		LEFT JOIN geo_lsoas l ON l.code = pc.lsoa_code
		WHERE pc.postcode = $1`, postcode).Scan(&p.DistrictCode, &p.DistrictName, &p.WardCode, &p.WardName, &p.LSOACode, &source, &p.Lon, &p.Lat, &p.IMDDecile)
	if err == nil {
		p.Confidence = geo.Confidence(source)
		p.Source = rel.Postcodes
		if p.IMDDecile > 0 {
			p.IMDEdition = geo.IMD2019 // the shipped table's LSOAs are 2011 ones
		}
		return p, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("resolve postcode: %w", wrapConn(err))
	}
	// Not in the tables: the fallback, from the index in memory (the same
	// answer as FallbackPlace, whose exclusion of the postcode itself
	// changes nothing for a postcode the tables do not hold).
	p = idx.place(postcode)
	p.Source = rel.Postcodes
	return p, nil
}

// directoryPlace looks a postcode up in the imported directory.
func (s *Store) directoryPlace(ctx context.Context, postcode string) (geo.Place, bool, error) {
	p := geo.Place{Postcode: postcode, Confidence: geo.Exact}
	var inGM bool
	var ladName, region string
	var lat, lon sql.NullFloat64
	err := s.readRow(ctx, `SELECT dir.lad_code, COALESCE(d.name, n.name, dir.lad_code), d.code IS NOT NULL, dir.ward_code, COALESCE(w.name, wn.name, CASE WHEN l.ward_code = dir.ward_code THEN l.ward_name END, ''),
			dir.lsoa11, dir.lsoa21, COALESCE(rn.name, dir.region_code), CASE WHEN (SELECT name FROM geo_releases WHERE kind = 'imd') = 'IoD2025' THEN dir.imd_decile ELSE COALESCE(l.imd_decile, dir.imd_decile) END, dir.lat, dir.lon, dir.terminated,
			COALESCE((SELECT name FROM geo_releases WHERE kind = 'postcodes'), ''), COALESCE((SELECT name FROM geo_releases WHERE kind = 'imd'), '')
		FROM geo_directory dir
		LEFT JOIN geo_districts d ON d.code = dir.lad_code
		LEFT JOIN geo_names n ON n.code = dir.lad_code
		LEFT JOIN geo_wards w ON w.code = dir.ward_code
		LEFT JOIN geo_names wn ON wn.code = dir.ward_code
		LEFT JOIN geo_names rn ON rn.code = dir.region_code
		LEFT JOIN geo_lsoas l ON l.code = dir.lsoa11
		WHERE dir.postcode = $1`, postcode).Scan(&p.DistrictCode, &ladName, &inGM, &p.WardCode, &p.WardName, &p.LSOACode, &p.LSOA21, &region, &p.IMDDecile, &lat, &lon, &p.Terminated, &p.Source, &p.IMDEdition)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("resolve postcode: %w", wrapConn(err))
	}
	p.Lat, p.Lon = lat.Float64, lon.Float64
	if p.IMDDecile == 0 {
		p.IMDEdition = ""
	} else if p.IMDEdition == "" {
		p.IMDEdition = geo.IMD2019
	}
	if !inGM {
		p.Elsewhere = &geo.LocalAuthority{Code: p.DistrictCode, Name: ladName, Region: region}
		p.DistrictCode, p.WardCode, p.WardName = "", "", ""
		return p, true, nil
	}
	p.DistrictName = ladName
	return p, true, nil
}

// FallbackPlace places a postcode from the other postcodes in its sector
// and outward code, ignoring any entry for the postcode itself (so tests
// can check the fallback against every known postcode).
func (s *Store) FallbackPlace(ctx context.Context, postcode string) (geo.Place, error) {
	var ev geo.Evidence
	rows, err := s.read(ctx, `SELECT d.code, d.name, COALESCE(c.complete, FALSE), COALESCE(c.last_postcode, '') FROM geo_districts d LEFT JOIN geo_coverage c ON c.district_code = d.code`)
	if err != nil {
		return geo.Place{}, fmt.Errorf("coverage: %w", wrapConn(err))
	}
	defer rows.Close()
	for rows.Next() {
		var c geo.Coverage
		if err := rows.Scan(&c.District.Code, &c.District.Name, &c.Complete, &c.Last); err != nil {
			return geo.Place{}, fmt.Errorf("coverage: %w", err)
		}
		ev.Coverage = append(ev.Coverage, c)
	}
	if err := rows.Err(); err != nil {
		return geo.Place{}, fmt.Errorf("coverage: %w", err)
	}
	var dirRows int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM geo_directory LIMIT 1) x`).Scan(&dirRows); err != nil {
		return geo.Place{}, fmt.Errorf("directory: %w", wrapConn(err))
	}
	table := "geo_postcodes"
	codeCol := "district_code"
	if dirRows > 0 {
		// A full directory holds every postcode of every district.
		table, codeCol = "geo_directory", "lad_code"
		for i := range ev.Coverage {
			ev.Coverage[i].Complete = true
		}
	}
	// The sectors of an outward code are its outward code, a space and a
	// digit: listing them keeps the query on the sector index.
	sectors := func(prefix string, n int) []any {
		args := []any{postcode}
		for i := range n {
			args = append(args, fmt.Sprintf("%s%d", prefix, i))
		}
		return args
	}
	districts := func(args []any) ([]string, error) {
		in := make([]string, len(args)-1)
		for i := range in {
			in[i] = fmt.Sprintf("$%d", i+2)
		}
		return query(ctx, s, "fallback", func(r *sql.Rows) (string, error) {
			var c string
			return c, r.Scan(&c)
		}, `SELECT DISTINCT `+codeCol+` FROM `+table+` WHERE postcode <> $1 AND sector IN (`+strings.Join(in, ", ")+`)`, args...)
	}
	if ev.Sector, err = districts([]any{postcode, geo.Sector(postcode)}); err != nil {
		return geo.Place{}, err
	}
	if len(ev.Sector) == 0 {
		if ev.Outward, err = districts(sectors(geo.Outward(postcode)+" ", 10)); err != nil {
			return geo.Place{}, err
		}
	}
	// Authorities outside GM named by the directory are complete too.
	gm, known := map[string]bool{}, map[string]bool{}
	for _, c := range ev.Coverage {
		gm[c.District.Code], known[c.District.Code] = true, true
	}
	for _, code := range append(ev.Sector, ev.Outward...) {
		if !known[code] {
			known[code] = true
			d := geo.District{Code: code, Name: code}
			_ = s.readRow(ctx, `SELECT name FROM geo_names WHERE code = $1`, code).Scan(&d.Name)
			ev.Coverage = append(ev.Coverage, geo.Coverage{District: d, Complete: true})
		}
	}
	p := geo.Fallback(postcode, ev)
	return markOutsideGM(p, gm), nil
}

// markOutsideGM turns a fallback answer naming only authorities outside GM
// into one that says so: a district is always a GM district, and the
// candidates are GM districts (an unknown postcode whose sector lies
// wholly outside GM is elsewhere, not possibly in GM).
func markOutsideGM(p geo.Place, gm map[string]bool) geo.Place {
	if p.DistrictCode != "" && !gm[p.DistrictCode] {
		p.Elsewhere = &geo.LocalAuthority{Code: p.DistrictCode, Name: p.DistrictName}
		p.DistrictCode, p.DistrictName = "", ""
		return p
	}
	var inGM, elsewhere []geo.District
	for _, d := range p.Candidates {
		if gm[d.Code] {
			inGM = append(inGM, d)
		} else {
			elsewhere = append(elsewhere, d)
		}
	}
	if len(inGM) == 0 && len(elsewhere) > 0 {
		names := make([]string, len(elsewhere))
		for i, d := range elsewhere {
			names[i] = d.Name
		}
		p.Elsewhere = &geo.LocalAuthority{Name: strings.Join(names, " or ")}
	}
	p.Candidates = inGM
	return p
}

// GeoLayer returns a stored GeoJSON layer.
func (s *Store) GeoLayer(ctx context.Context, name string) ([]byte, error) {
	var js string
	err := s.readRow(ctx, `SELECT geojson FROM geo_layers WHERE name = $1`, name).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("layer %s: %w", name, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("layer %s: %w", name, wrapConn(err))
	}
	return []byte(js), nil
}

// Districts lists the districts by name.
func (s *Store) Districts(ctx context.Context) ([]geo.District, error) {
	rows, err := s.read(ctx, `SELECT code, name, lon, lat FROM geo_districts ORDER BY name`)
	return collect("districts", rows, err, func(r *sql.Rows) (geo.District, error) {
		var d geo.District
		err := r.Scan(&d.Code, &d.Name, &d.Lon, &d.Lat)
		return d, err
	})
}

// SamplePostcodes returns up to n known postcodes of a district (demo data).
func (s *Store) SamplePostcodes(ctx context.Context, district string, n int) ([]string, error) {
	rows, err := s.read(ctx, `SELECT postcode FROM geo_postcodes WHERE district_code = $1 AND lsoa_code <> '' ORDER BY postcode LIMIT $2`, district, n)
	return collect("sample postcodes", rows, err, func(r *sql.Rows) (string, error) {
		var p string
		err := r.Scan(&p)
		return p, err
	})
}

// WardsOf lists the wards of the given districts by name.
func (s *Store) WardsOf(ctx context.Context, districts []string) ([]geo.Ward, error) {
	all, err := query(ctx, s, "wards", func(r *sql.Rows) (geo.Ward, error) {
		var w geo.Ward
		return w, r.Scan(&w.Code, &w.Name, &w.DistrictCode)
	}, `SELECT code, name, district_code FROM geo_wards ORDER BY name, code`)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, d := range districts {
		want[d] = true
	}
	out := all[:0]
	for _, w := range all {
		if want[w.DistrictCode] {
			out = append(out, w)
		}
	}
	return out, nil
}

// BallotPlace reads where a ballot was placed: its district, ward and how
// the district was known.
func (s *Store) BallotPlace(ctx context.Context, roundID int64, voterKey string) (district, ward, confidence string, err error) {
	err = s.readRow(ctx, `SELECT district_code, ward_code, place_confidence FROM ballots WHERE round_id = $1 AND voter_key = $2`, roundID, voterKey).Scan(&district, &ward, &confidence)
	return district, ward, confidence, notFound(err, "ballot")
}
