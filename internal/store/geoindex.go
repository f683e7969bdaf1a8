package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/geo"
)

// fallbackRecheck is how often a process checks that its fallback index is
// still for the data in force (an import in another process changes it; an
// import in this one drops the index at once).
const fallbackRecheck = time.Second

// fallbackIndex is what the postcode fallback reads, held in memory so an
// unknown postcode is placed without querying the tables around it: the
// districts (local authorities, once a directory is loaded) of the known
// postcodes in each sector and outward code, every district's coverage and
// the names of authorities outside GM. It is built once for each release
// (one pass over the sectors) and is a few hundred kilobytes even for a
// whole-UK directory (about 11,000 sectors).
type fallbackIndex struct {
	release  GeoRelease
	checked  time.Time
	coverage []geo.Coverage
	gm       map[string]bool
	names    map[string]string   // outside-GM authorities' names
	sectors  map[string][]string // sector → district codes, sorted
	outwards map[string][]string // outward code → district codes, sorted
}

// sameRelease reports whether two releases are the same data.
func sameRelease(a, b GeoRelease) bool {
	return a.Postcodes == b.Postcodes && a.IMD == b.IMD && a.ImportedAt.Equal(b.ImportedAt)
}

// dropFallbackIndex forgets the index after an import in this process.
func (s *Store) dropFallbackIndex() { s.fallback.Store(nil) }

// fallbackIndexFor returns the index for the data in force, building it
// when there is none or the release has changed.
func (s *Store) fallbackIndexFor(ctx context.Context) (*fallbackIndex, error) {
	idx := s.fallback.Load()
	if idx != nil && time.Since(idx.checked) < fallbackRecheck {
		return idx, nil
	}
	rel, err := s.GeoRelease(ctx)
	if err != nil {
		return nil, err
	}
	if idx != nil && sameRelease(idx.release, rel) {
		fresh := *idx
		fresh.checked = time.Now()
		s.fallback.Store(&fresh)
		return &fresh, nil
	}
	s.fallbackMu.Lock()
	defer s.fallbackMu.Unlock()
	if idx := s.fallback.Load(); idx != nil && sameRelease(idx.release, rel) {
		return idx, nil
	}
	idx, err = s.buildFallbackIndex(ctx, rel)
	if err != nil {
		return nil, err
	}
	s.fallback.Store(idx)
	return idx, nil
}

func (s *Store) buildFallbackIndex(ctx context.Context, rel GeoRelease) (*fallbackIndex, error) {
	idx := &fallbackIndex{release: rel, checked: time.Now(), gm: map[string]bool{}, names: map[string]string{}, sectors: map[string][]string{}, outwards: map[string][]string{}}
	rows, err := s.read(ctx, `SELECT d.code, d.name, COALESCE(c.complete, FALSE), COALESCE(c.last_postcode, '') FROM geo_districts d LEFT JOIN geo_coverage c ON c.district_code = d.code`)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", wrapConn(err))
	}
	defer rows.Close()
	for rows.Next() {
		var c geo.Coverage
		if err := rows.Scan(&c.District.Code, &c.District.Name, &c.Complete, &c.Last); err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
		idx.coverage = append(idx.coverage, c)
		idx.gm[c.District.Code] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	var dirRows int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM geo_directory LIMIT 1) x`).Scan(&dirRows); err != nil {
		return nil, fmt.Errorf("directory: %w", wrapConn(err))
	}
	q := `SELECT DISTINCT sector, district_code FROM geo_postcodes`
	if dirRows > 0 {
		// A full directory holds every postcode of every district.
		q = `SELECT DISTINCT sector, lad_code FROM geo_directory`
		for i := range idx.coverage {
			idx.coverage[i].Complete = true
		}
		names, err := query(ctx, s, "names", func(r *sql.Rows) ([2]string, error) {
			var n [2]string
			return n, r.Scan(&n[0], &n[1])
		}, `SELECT code, name FROM geo_names`)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			idx.names[n[0]] = n[1]
		}
	}
	pairs, err := query(ctx, s, "sectors", func(r *sql.Rows) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	}, q)
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		add := func(m map[string][]string, k string) {
			if !slices.Contains(m[k], p[1]) {
				m[k] = append(m[k], p[1])
			}
		}
		add(idx.sectors, p[0])
		if out, _, ok := strings.Cut(p[0], " "); ok {
			add(idx.outwards, out)
		}
	}
	return idx, nil
}

// place is FallbackPlace for a postcode the tables do not hold, from memory.
func (idx *fallbackIndex) place(postcode string) geo.Place {
	ev := geo.Evidence{Coverage: idx.coverage, Sector: idx.sectors[geo.Sector(postcode)]}
	if len(ev.Sector) == 0 {
		ev.Outward = idx.outwards[geo.Outward(postcode)]
	}
	known := idx.gm
	for _, code := range append(slices.Clip(ev.Sector), ev.Outward...) {
		if !known[code] {
			if len(ev.Coverage) == len(idx.coverage) {
				ev.Coverage = slices.Clone(idx.coverage)
				known = map[string]bool{}
				for k := range idx.gm {
					known[k] = true
				}
			}
			known[code] = true
			name := idx.names[code]
			if name == "" {
				name = code
			}
			ev.Coverage = append(ev.Coverage, geo.Coverage{District: geo.District{Code: code, Name: name}, Complete: true})
		}
	}
	return markOutsideGM(geo.Fallback(postcode, ev), idx.gm)
}
