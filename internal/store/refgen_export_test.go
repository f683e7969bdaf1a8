package store

import "context"

// AreaFactsForTest are a code's facts as ListNeeds and ListOffers now give
// them (from the kept table, areas).
func (s *Store) AreaFactsForTest(ctx context.Context, code string) (name, district string, decile int, err error) {
	m, err := s.areas(ctx)
	f := m[code]
	return f.name, f.district, f.decile, err
}

// AreaFactsBySQLForTest are the same facts by the per-row subqueries the
// need and offer reads used before (the reference).
func (s *Store) AreaFactsBySQLForTest(ctx context.Context, code string) (name, district string, decile int, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT COALESCE((SELECT d.name FROM geo_districts d WHERE d.code = $1), (SELECT w.name FROM geo_wards w WHERE w.code = $1), ''),
COALESCE((SELECT d.code FROM geo_districts d WHERE d.code = $1), (SELECT w.district_code FROM geo_wards w WHERE w.code = $1), ''),
COALESCE((SELECT CAST(ROUND(AVG(l.imd_decile)) AS INTEGER) FROM geo_lsoas l WHERE l.ward_code = $1),
  (SELECT CAST(ROUND(AVG(l.imd_decile)) AS INTEGER) FROM geo_lsoas l WHERE l.district_code = COALESCE((SELECT w.district_code FROM geo_wards w WHERE w.code = $1), $1)), 0)`, code).Scan(&name, &district, &decile)
	return name, district, decile, err
}

// SetDistrictDecilesForTest sets the IMD decile of every LSOA of a
// district, and says how many it changed.
func (s *Store) SetDistrictDecilesForTest(ctx context.Context, district string, decile int) (int64, error) {
	res, err := s.w.ExecContext(ctx, `UPDATE geo_lsoas SET imd_decile = $1 WHERE district_code = $2`, decile, district)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
