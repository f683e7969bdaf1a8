package store

import (
	"context"
	"database/sql"
	"fmt"
)

// RefPriorities is the reference data with a generation number (migration
// 53): frameworks, their priorities and the People's Priorities rounds.
const RefPriorities = "priorities"

// ReferenceGeneration is a number that triggers raise in the transaction
// of every write to the tables behind a kind of reference data, so a copy
// kept by any node is current exactly while the number is unchanged. Read
// it before the data it guards: a write in between then shows as a newer
// number on the next request, never as stale data under the old one.
func (s *Store) ReferenceGeneration(ctx context.Context, kind string) (int64, error) {
	var g int64
	if err := s.readRow(ctx, `SELECT generation FROM reference_generation WHERE name = $1`, kind).Scan(&g); err != nil {
		return 0, fmt.Errorf("reference generation %s: %w", kind, wrapConn(err))
	}
	return g, nil
}

// RefGeography is the reference geography's generation: districts, wards
// and LSOAs.
const RefGeography = "geography"

// areaFact names a district or ward code, gives its district, and the mean
// IMD 2019 decile of its LSOAs (the ward's when the 2011 LSOA table knows
// the ward, else its district's).
type areaFact struct {
	name, district string
	decile         int
}

// areaFacts are every district's and ward's facts, read under generation gen.
type areaFacts struct {
	gen int64
	m   map[string]areaFact
}

// areas returns the facts of every district and ward, kept between calls
// while the geography's generation is unchanged. An unknown code (or none)
// has no entry: no name, no district, decile 0.
func (s *Store) areas(ctx context.Context) (map[string]areaFact, error) {
	g, err := s.ReferenceGeneration(ctx, RefGeography)
	if err != nil {
		return nil, err
	}
	if a := s.areaCache.Load(); a != nil && a.gen == g {
		return a.m, nil
	}
	const avg = `(SELECT CAST(ROUND(AVG(l.imd_decile)) AS INTEGER) FROM geo_lsoas l WHERE l.%s = %s)`
	rows, err := s.read(ctx, `SELECT w.code, w.name, w.district_code, COALESCE(`+fmt.Sprintf(avg, "ward_code", "w.code")+`, `+fmt.Sprintf(avg, "district_code", "w.district_code")+`, 0) FROM geo_wards w
UNION ALL SELECT d.code, d.name, d.code, COALESCE(`+fmt.Sprintf(avg, "ward_code", "d.code")+`, `+fmt.Sprintf(avg, "district_code", "d.code")+`, 0) FROM geo_districts d`)
	facts, err := collect("area facts", rows, err, func(r *sql.Rows) (struct {
		code string
		f    areaFact
	}, error) {
		var v struct {
			code string
			f    areaFact
		}
		return v, r.Scan(&v.code, &v.f.name, &v.f.district, &v.f.decile)
	})
	if err != nil {
		return nil, err
	}
	m := make(map[string]areaFact, len(facts))
	for _, v := range facts { // wards first, so a district's own row wins
		m[v.code] = v.f
	}
	if cur := s.areaCache.Load(); cur == nil || cur.gen <= g {
		s.areaCache.Store(&areaFacts{gen: g, m: m})
	}
	return m, nil
}
