package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
)

// ProxyImport is what importing an edition did.
type ProxyImport struct {
	SourceID int64
	Slug     string
	Created  bool // false: the same edition was already loaded, nothing changed
}

// ImportProxyEdition stores an edition of a proxy source and its values in
// one transaction, with an audit event. Importing an edition that is
// already stored with the same fingerprint changes nothing; an edition of
// the same name and edition with different values is refused (editions
// never change once loaded: give the new values a new edition).
func (s *Store) ImportProxyEdition(ctx context.Context, actor auth.Actor, ed proxies.Edition) (ProxyImport, error) {
	if err := ed.Source.Validate(); err != nil {
		return ProxyImport{}, err
	}
	src := ed.Source
	res := ProxyImport{Slug: proxies.MakeKey(src.Name, src.Edition)}
	fp := ed.Fingerprint()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var storedFP string
		err := tx.QueryRowContext(ctx, `SELECT id, fingerprint FROM proxy_sources WHERE slug = $1 OR (name = $2 AND edition = $3)`, res.Slug, src.Name, src.Edition).Scan(&res.SourceID, &storedFP)
		switch {
		case err == nil && storedFP == fp:
			return nil
		case err == nil:
			return fmt.Errorf("%s edition %s is already loaded with different values; editions never change once loaded, so import these as a new edition: %w", src.Name, src.Edition, problem.ErrConflict)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("find proxy source: %w", err)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO proxy_sources (slug, name, publisher, edition, licence, attribution, url, licensed_only, built_in, note, fingerprint, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			res.Slug, src.Name, src.Publisher, src.Edition, src.Licence, src.Attribution, src.URL, src.LicensedOnly, src.BuiltIn, src.Note, fp, time.Now().UTC()).Scan(&res.SourceID)
		if isUnique(err) {
			return fmt.Errorf("another source already has the address name %q: %w", res.Slug, problem.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("create proxy source: %w", err)
		}
		cols := []string{"source_id", "position", "code", "theme", "detail", "description", "unit", "pence", "price_year", "agency", "agency_detail", "kind"}
		err = s.bulkInsert(ctx, tx, "proxy_unit_costs", cols, len(ed.Values), func(i int) []any {
			v := ed.Values[i]
			return []any{res.SourceID, i + 1, v.Code, v.Theme, v.Detail, v.Description, v.Unit, v.Pence, v.PriceYear, v.Agency, v.AgencyDetail, v.Kind}
		})
		if isUnique(err) {
			return problem.Field("code", "a cost code appears twice in %s edition %s", src.Name, src.Edition)
		}
		if err != nil {
			return err
		}
		res.Created = true
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "proxies.import", ObjectType: "proxy_source", ObjectID: strconv.FormatInt(res.SourceID, 10),
			Summary: audit.Summary(nil, map[string]any{"name": src.Name, "edition": src.Edition, "values": len(ed.Values), "licensed_only": src.LicensedOnly, "fingerprint": fp})})
	})
	return res, err
}

const proxySourceCols = `s.id, s.slug, s.name, s.publisher, s.edition, s.licence, s.attribution, s.url, s.licensed_only, s.built_in, s.note, s.created_at,
	(SELECT COUNT(*) FROM proxy_unit_costs v WHERE v.source_id = s.id)`

func scanProxySource(row interface{ Scan(...any) error }) (proxies.Source, error) {
	var p proxies.Source
	err := row.Scan(&p.ID, &p.Key, &p.Name, &p.Publisher, &p.Edition, &p.Licence, &p.Attribution, &p.URL, &p.LicensedOnly, &p.BuiltIn, &p.Note, &p.CreatedAt, &p.Values)
	return p, err
}

// ProxySources lists every edition of every source, by name and then
// newest edition first; licensed-only sources only when asked for.
func (s *Store) ProxySources(ctx context.Context, withLicensed bool) ([]proxies.Source, error) {
	rows, err := s.read(ctx, `SELECT `+proxySourceCols+` FROM proxy_sources s WHERE s.licensed_only = FALSE OR $1 ORDER BY s.name, s.created_at DESC, s.id DESC`, withLicensed)
	return collect("list proxy sources", rows, err, func(r *sql.Rows) (proxies.Source, error) { return scanProxySource(r) })
}

// ProxySource finds an edition by its address name.
func (s *Store) ProxySource(ctx context.Context, slug string) (proxies.Source, error) {
	p, err := scanProxySource(s.readRow(ctx, `SELECT `+proxySourceCols+` FROM proxy_sources s WHERE s.slug = $1`, slug))
	return p, notFound(err, "proxy source")
}

// ProxyValues lists an edition's values in the order it was published.
func (s *Store) ProxyValues(ctx context.Context, sourceID int64) ([]proxies.Value, error) {
	return query(ctx, s, "list proxy values", func(r *sql.Rows) (proxies.Value, error) {
		var v proxies.Value
		err := r.Scan(&v.ID, &v.SourceID, &v.Code, &v.Theme, &v.Detail, &v.Description, &v.Unit, &v.Pence, &v.PriceYear, &v.Agency, &v.AgencyDetail, &v.Kind)
		return v, err
	}, `SELECT id, source_id, code, theme, detail, description, unit, pence, price_year, agency, agency_detail, kind FROM proxy_unit_costs WHERE source_id = $1 ORDER BY position`, sourceID)
}

// ImportPriceIndex stores a price index and its years with an audit
// event; the same index (name, release date and values) again changes
// nothing, and another with the same name and date is refused.
func (s *Store) ImportPriceIndex(ctx context.Context, actor auth.Actor, ix proxies.Index) (id int64, created bool, err error) {
	if err := ix.Validate(); err != nil {
		return 0, false, err
	}
	fp := ix.Fingerprint()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var storedFP string
		err := tx.QueryRowContext(ctx, `SELECT id, fingerprint FROM price_indexes WHERE name = $1 AND published = $2`, ix.Name, ix.Published).Scan(&id, &storedFP)
		switch {
		case err == nil && storedFP == fp:
			return nil
		case err == nil:
			return fmt.Errorf("%s published %s is already loaded with different values; a revised series needs its own release date: %w", ix.Name, ix.Published, problem.ErrConflict)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("find price index: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO price_indexes (name, source, published, fingerprint, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			ix.Name, ix.Source, ix.Published, fp, time.Now().UTC()).Scan(&id); err != nil {
			return fmt.Errorf("create price index: %w", err)
		}
		years := ix.SortedYears()
		if err := s.bulkInsert(ctx, tx, "price_index_years", []string{"index_id", "price_year", "value"}, len(years), func(i int) []any {
			return []any{id, years[i], ix.Years[years[i]].RatString()}
		}); err != nil {
			return err
		}
		created = true
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "proxies.index.import", ObjectType: "price_index", ObjectID: strconv.FormatInt(id, 10),
			Summary: audit.Summary(nil, map[string]any{"name": ix.Name, "source": ix.Source, "published": ix.Published, "years": len(years)})})
	})
	return id, created, err
}

// PriceIndexes lists the loaded indexes with their years, newest release first.
func (s *Store) PriceIndexes(ctx context.Context) ([]proxies.Index, error) {
	list, err := query(ctx, s, "list price indexes", func(r *sql.Rows) (proxies.Index, error) {
		ix := proxies.Index{Years: map[string]*big.Rat{}}
		err := r.Scan(&ix.ID, &ix.Name, &ix.Source, &ix.Published, &ix.CreatedAt)
		return ix, err
	}, `SELECT id, name, source, published, created_at FROM price_indexes ORDER BY published DESC, id DESC`)
	if err != nil || len(list) == 0 {
		return list, err
	}
	at := map[int64]int{}
	for i, ix := range list {
		at[ix.ID] = i
	}
	type year struct {
		id          int64
		year, value string
	}
	ys, err := query(ctx, s, "price index years", func(r *sql.Rows) (year, error) {
		var y year
		err := r.Scan(&y.id, &y.year, &y.value)
		return y, err
	}, `SELECT index_id, price_year, value FROM price_index_years`)
	if err != nil {
		return nil, err
	}
	for _, y := range ys {
		v, ok := new(big.Rat).SetString(y.value)
		if !ok {
			return nil, fmt.Errorf("price index %d, %s: stored value %q is not a number", y.id, y.year, y.value)
		}
		list[at[y.id]].Years[y.year] = v
	}
	return list, nil
}
