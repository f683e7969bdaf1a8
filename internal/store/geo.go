package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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

// ImportGeo replaces the reference geography in one transaction.
func (s *Store) ImportGeo(ctx context.Context, actor string, ref *geo.Reference, progress func(done, total int)) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, t := range []string{"geo_postcodes", "geo_lsoas", "geo_wards", "geo_layers", "geo_districts"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return fmt.Errorf("clear %s: %w", t, err)
			}
		}
		for _, d := range ref.Districts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO geo_districts (code, name, lon, lat) VALUES ($1, $2, $3, $4)`, d.Code, d.Name, d.Lon, d.Lat); err != nil {
				return fmt.Errorf("district %s: %w", d.Code, err)
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
		cols := []string{"postcode", "outward", "district_code", "ward_code", "lsoa_code", "lsoa_source", "lon", "lat"}
		if err := s.bulkInsert(ctx, tx, "geo_postcodes", cols, total, func(i int) []any {
			p := ref.Postcodes[i]
			if progress != nil && ((i+1)%1000 == 0 || i+1 == total) {
				progress(i+1, total)
			}
			return []any{p.Postcode, geo.Outward(p.Postcode), p.DistrictCode, p.WardCode, p.LSOACode, string(p.Source), p.Lon, p.Lat}
		}); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{Actor: actor, Action: "geo.import", ObjectType: "geography", ObjectID: "gm",
			Summary: audit.Summary(nil, map[string]int{"districts": len(ref.Districts), "wards": len(ref.Wards), "lsoas": len(ref.LSOAs), "postcodes": total})})
	})
}

// ResolvePostcode places a normalised postcode. Unknown full postcodes fall
// back to their outward code when it lies wholly in one district.
func (s *Store) ResolvePostcode(ctx context.Context, postcode string) (geo.Place, error) {
	p := geo.Place{Postcode: postcode, Confidence: geo.Unknown}
	var source string
	// Wards are the current (2023) boundaries: from the postcode directory
	// where it gives one, else the ward containing the postcode's centre.
	err := s.readRow(ctx, `SELECT pc.district_code, d.name, pc.ward_code, COALESCE(w.name, ''), pc.lsoa_code, pc.lsoa_source, pc.lon, pc.lat,
			COALESCE(l.imd_decile, 0)
		FROM geo_postcodes pc JOIN geo_districts d ON d.code = pc.district_code
		LEFT JOIN geo_wards w ON w.code = pc.ward_code
		LEFT JOIN geo_lsoas l ON l.code = pc.lsoa_code
		WHERE pc.postcode = $1`, postcode).Scan(&p.DistrictCode, &p.DistrictName, &p.WardCode, &p.WardName, &p.LSOACode, &source, &p.Lon, &p.Lat, &p.IMDDecile)
	if err == nil {
		p.Confidence = geo.Confidence(source)
		return p, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("resolve postcode: %w", wrapConn(err))
	}
	rows, err := s.read(ctx, `SELECT DISTINCT pc.district_code, d.name FROM geo_postcodes pc JOIN geo_districts d ON d.code = pc.district_code WHERE pc.outward = $1`, geo.Outward(postcode))
	if err != nil {
		return p, fmt.Errorf("resolve outward code: %w", wrapConn(err))
	}
	defer rows.Close()
	var codes, names []string
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return p, err
		}
		codes, names = append(codes, c), append(names, n)
	}
	if len(codes) == 1 {
		p.Confidence, p.DistrictCode, p.DistrictName = geo.DistrictOnly, codes[0], names[0]
	}
	return p, rows.Err()
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
