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
	"github.com/svhub/svhub/internal/framework"
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
	var res ProxyImport
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.insertProxyEdition(ctx, tx, actor, ed)
		return err
	})
	return res, err
}

// insertProxyEdition is ImportProxyEdition inside the caller's transaction.
func (s *Store) insertProxyEdition(ctx context.Context, tx *sql.Tx, actor auth.Actor, ed proxies.Edition) (ProxyImport, error) {
	src := ed.Source
	res := ProxyImport{Slug: proxies.MakeKey(src.Name, src.Edition)}
	fp := ed.Fingerprint()
	var storedFP string
	err := tx.QueryRowContext(ctx, `SELECT id, fingerprint FROM proxy_sources WHERE slug = $1 OR (name = $2 AND edition = $3)`, res.Slug, src.Name, src.Edition).Scan(&res.SourceID, &storedFP)
	switch {
	case err == nil && storedFP == fp:
		return res, nil
	case err == nil:
		return res, fmt.Errorf("%s edition %s is already loaded with different values; editions never change once loaded, so import these as a new edition: %w", src.Name, src.Edition, problem.ErrConflict)
	case !errors.Is(err, sql.ErrNoRows):
		return res, fmt.Errorf("find proxy source: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO proxy_sources (slug, name, publisher, edition, licence, attribution, url, licensed_only, built_in, note, fingerprint, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		res.Slug, src.Name, src.Publisher, src.Edition, src.Licence, src.Attribution, src.URL, src.LicensedOnly, src.BuiltIn, src.Note, fp, time.Now().UTC()).Scan(&res.SourceID)
	if isUnique(err) {
		return res, fmt.Errorf("another source already has the address name %q: %w", res.Slug, problem.ErrConflict)
	}
	if err != nil {
		return res, fmt.Errorf("create proxy source: %w", err)
	}
	cols := []string{"source_id", "position", "code", "theme", "detail", "description", "unit", "pence", "price_year", "agency", "agency_detail", "kind"}
	err = s.bulkInsert(ctx, tx, "proxy_unit_costs", cols, len(ed.Values), func(i int) []any {
		v := ed.Values[i]
		return []any{res.SourceID, i + 1, v.Code, v.Theme, v.Detail, v.Description, v.Unit, v.Pence, v.PriceYear, v.Agency, v.AgencyDetail, v.Kind}
	})
	if isUnique(err) {
		return res, problem.Field("code", "a cost code appears twice in %s edition %s", src.Name, src.Edition)
	}
	if err != nil {
		return res, err
	}
	res.Created = true
	return res, s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "proxies.import", ObjectType: "proxy_source", ObjectID: strconv.FormatInt(res.SourceID, 10),
		Summary: audit.Summary(nil, map[string]any{"name": src.Name, "edition": src.Edition, "values": len(ed.Values), "licensed_only": src.LicensedOnly, "fingerprint": fp})})
}

// resolveLink finds the unit cost a link names by source edition and
// code. A shipped edition that is not loaded yet is loaded first (in the
// same transaction), so the shipped framework's links always resolve.
func (s *Store) resolveLink(ctx context.Context, tx *sql.Tx, actor auth.Actor, l framework.ProxyLink) (int64, error) {
	if l.UnitCostID != 0 {
		return l.UnitCostID, nil
	}
	find := func() (int64, error) {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT v.id FROM proxy_unit_costs v JOIN proxy_sources s ON s.id = v.source_id WHERE s.slug = $1 AND v.code = $2`, l.SourceKey, l.Code).Scan(&id)
		return id, err
	}
	id, err := find()
	if !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	var loaded bool
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) > 0 FROM proxy_sources WHERE slug = $1`, l.SourceKey).Scan(&loaded); err != nil {
		return 0, fmt.Errorf("find proxy source: %w", err)
	}
	if !loaded {
		shipped, err := proxies.Shipped()
		if err != nil {
			return 0, err
		}
		for _, ed := range shipped {
			if proxies.MakeKey(ed.Source.Name, ed.Source.Edition) == l.SourceKey {
				if _, err := s.insertProxyEdition(ctx, tx, actor, ed); err != nil {
					return 0, err
				}
				loaded = true
				if id, err = find(); !errors.Is(err, sql.ErrNoRows) {
					return id, err
				}
			}
		}
	}
	if !loaded {
		return 0, problem.Field("source", "No proxy source %q is loaded; load it with 'svhub import proxies' first", l.SourceKey)
	}
	return 0, problem.Field("code", "%s has no unit cost with the code %q", l.SourceKey, l.Code)
}

// SetMeasureLink links a draft edition's measure to a unit cost (or
// changes the rationale of an existing link), with an audit event.
func (s *Store) SetMeasureLink(ctx context.Context, actor auth.Actor, frameworkID, measureID int64, l framework.ProxyLink) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := draftStatus(ctx, tx, frameworkID); err != nil {
			return err
		}
		var code string
		if err := tx.QueryRowContext(ctx, `SELECT code FROM measures WHERE id = $1 AND framework_id = $2`, measureID, frameworkID).Scan(&code); err != nil {
			return notFound(err, "measure")
		}
		uid, err := s.resolveLink(ctx, tx, actor, l)
		if err != nil {
			return err
		}
		var before sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT rationale FROM measure_proxy_links WHERE measure_id = $1 AND unit_cost_id = $2`, measureID, uid).Scan(&before); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find link: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO measure_proxy_links (measure_id, unit_cost_id, rationale) VALUES ($1, $2, $3)
			ON CONFLICT (measure_id, unit_cost_id) DO UPDATE SET rationale = excluded.rationale`, measureID, uid, l.Rationale); err != nil {
			return fmt.Errorf("link measure: %w", err)
		}
		var was any
		if before.Valid {
			was = map[string]any{"measure": code, "unit_cost_id": uid, "rationale": before.String}
		}
		return s.record(ctx, tx, fwEvent(actor, "framework.measure.link", frameworkID, was, map[string]any{"measure": code, "unit_cost_id": uid, "source": l.SourceKey, "code": l.Code, "rationale": l.Rationale}))
	})
}

// RemoveMeasureLink removes a draft edition's link, with an audit event.
func (s *Store) RemoveMeasureLink(ctx context.Context, actor auth.Actor, frameworkID, measureID, unitCostID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := draftStatus(ctx, tx, frameworkID); err != nil {
			return err
		}
		var rationale string
		err := tx.QueryRowContext(ctx, `SELECT l.rationale FROM measure_proxy_links l JOIN measures m ON m.id = l.measure_id WHERE l.measure_id = $1 AND l.unit_cost_id = $2 AND m.framework_id = $3`,
			measureID, unitCostID, frameworkID).Scan(&rationale)
		if err != nil {
			return notFound(err, "link")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM measure_proxy_links WHERE measure_id = $1 AND unit_cost_id = $2`, measureID, unitCostID); err != nil {
			return fmt.Errorf("remove link: %w", err)
		}
		return s.record(ctx, tx, fwEvent(actor, "framework.measure.unlink", frameworkID, map[string]any{"measure_id": measureID, "unit_cost_id": unitCostID, "rationale": rationale}, nil))
	})
}

// frameworkLinks reads the links of every measure of an edition, by measure.
func (s *Store) frameworkLinks(ctx context.Context, frameworkID int64) (map[int64][]framework.ProxyLink, error) {
	return s.measureLinks(ctx, `m.framework_id = $1`, frameworkID)
}

// tenderLinks reads the links of a tender's measures, by measure.
func (s *Store) tenderLinks(ctx context.Context, tenderID int64) (map[int64][]framework.ProxyLink, error) {
	return s.measureLinks(ctx, `m.id IN (SELECT tm.measure_id FROM tender_measures tm WHERE tm.tender_id = $1)`, tenderID)
}

// measureLinks reads the links of the measures matching where, by measure.
func (s *Store) measureLinks(ctx context.Context, where string, args ...any) (map[int64][]framework.ProxyLink, error) {
	type row struct {
		measure int64
		link    framework.ProxyLink
	}
	rows, err := query(ctx, s, "framework links", func(r *sql.Rows) (row, error) {
		var x row
		l := &x.link
		v, src := &l.Value, &l.Source
		err := r.Scan(&x.measure, &l.UnitCostID, &l.Rationale,
			&v.ID, &v.SourceID, &v.Code, &v.Theme, &v.Detail, &v.Description, &v.Unit, &v.Pence, &v.PriceYear, &v.Agency, &v.AgencyDetail, &v.Kind,
			&src.Key, &src.Name, &src.Publisher, &src.Edition, &src.Licence, &src.Attribution, &src.URL, &src.LicensedOnly)
		src.ID = v.SourceID
		l.SourceKey, l.Code = src.Key, v.Code
		return x, err
	}, `SELECT l.measure_id, l.unit_cost_id, l.rationale,
			v.id, v.source_id, v.code, v.theme, v.detail, v.description, v.unit, v.pence, v.price_year, v.agency, v.agency_detail, v.kind,
			s.slug, s.name, s.publisher, s.edition, s.licence, s.attribution, s.url, s.licensed_only
		FROM measure_proxy_links l
		JOIN measures m ON m.id = l.measure_id
		JOIN proxy_unit_costs v ON v.id = l.unit_cost_id
		JOIN proxy_sources s ON s.id = v.source_id
		WHERE `+where+`
		ORDER BY l.measure_id, s.name, v.position`, args...)
	if err != nil {
		return nil, err
	}
	out := map[int64][]framework.ProxyLink{}
	for _, x := range rows {
		out[x.measure] = append(out[x.measure], x.link)
	}
	return out, nil
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
		created = false // afresh on every attempt (tx may run this again)
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

// ContractUnitValues is the unit value of each measure a contract's
// commitments count (framework.Measure.UnitValue), by measure; measures
// without one are left out.
func (s *Store) ContractUnitValues(ctx context.Context, contractID int64) (map[int64]framework.UnitValue, error) {
	return s.unitValues(ctx, `m.id IN (SELECT c.measure_id FROM commitments c WHERE c.contract_id = $1)`, contractID)
}

// MeasureTotal is what commitments in a dashboard's scope promise and
// have had verified for one measure.
type MeasureTotal struct {
	MeasureID                     int64
	Code, Wording, Unit           string
	CommittedMilli, VerifiedMilli int64
}

// DashboardMoney sums the commitments in a dashboard's scope by measure,
// with each measure's unit value, for totals in pounds.
func (s *Store) DashboardMoney(ctx context.Context, f DashFilter) ([]MeasureTotal, map[int64]framework.UnitValue, error) {
	scope := `SELECT c.measure_id FROM commitments c JOIN contracts ct ON ct.id = c.contract_id WHERE ($1 = 0 OR ct.id = $1) AND ($2 = 0 OR ct.buyer_org_id = $2) AND ($3 = 0 OR ct.supplier_org_id = $3)`
	totals, err := query(ctx, s, "dashboard money", func(r *sql.Rows) (MeasureTotal, error) {
		var t MeasureTotal
		return t, r.Scan(&t.MeasureID, &t.Code, &t.Wording, &t.Unit, &t.CommittedMilli, &t.VerifiedMilli)
	}, `SELECT m.id, m.code, m.wording, m.unit, g.committed, g.verified
FROM (SELECT c.measure_id, CAST(SUM(c.quantity_milli) AS BIGINT) AS committed, CAST(SUM(c.verified_milli) AS BIGINT) AS verified
  FROM commitments c JOIN contracts ct ON ct.id = c.contract_id WHERE ($1 = 0 OR ct.id = $1) AND ($2 = 0 OR ct.buyer_org_id = $2) AND ($3 = 0 OR ct.supplier_org_id = $3)
  GROUP BY c.measure_id) g
JOIN measures m ON m.id = g.measure_id ORDER BY m.code, m.id`, f.ContractID, f.BuyerOrgID, f.SupplierOrgID)
	if err != nil {
		return nil, nil, err
	}
	values, err := s.unitValues(ctx, `m.id IN (`+scope+`)`, f.ContractID, f.BuyerOrgID, f.SupplierOrgID)
	return totals, values, err
}

// DatedCommitment is one commitment in a dashboard's scope with its
// contract's start and its due date, so its committed value can be
// discounted to its contract's start.
type DatedCommitment struct {
	MeasureID      int64
	CommittedMilli int64
	Start, Due     string
}

// DashboardCommitments lists the commitments in a dashboard's scope with
// their contracts' start dates, in contract and commitment order.
func (s *Store) DashboardCommitments(ctx context.Context, f DashFilter) ([]DatedCommitment, error) {
	return query(ctx, s, "dashboard commitments", func(r *sql.Rows) (DatedCommitment, error) {
		var d DatedCommitment
		return d, r.Scan(&d.MeasureID, &d.CommittedMilli, &d.Start, &d.Due)
	}, `SELECT c.measure_id, c.quantity_milli, ct.start_date, c.due_date FROM commitments c JOIN contracts ct ON ct.id = c.contract_id
WHERE ($1 = 0 OR ct.id = $1) AND ($2 = 0 OR ct.buyer_org_id = $2) AND ($3 = 0 OR ct.supplier_org_id = $3) ORDER BY ct.id, c.id`, f.ContractID, f.BuyerOrgID, f.SupplierOrgID)
}

// unitValues is the unit value of each measure matching where, by measure.
func (s *Store) unitValues(ctx context.Context, where string, args ...any) (map[int64]framework.UnitValue, error) {
	links, err := s.measureLinks(ctx, where, args...)
	if err != nil {
		return nil, err
	}
	type pv struct {
		measure int64
		v       framework.ProxyValue
	}
	pvs, err := query(ctx, s, "measure proxy values", func(r *sql.Rows) (pv, error) {
		var x pv
		return x, r.Scan(&x.measure, &x.v.PencePerUnit, &x.v.PriceYear, &x.v.Source)
	}, `SELECT m.id, v.pence_per_unit, v.price_year, v.source FROM proxy_values v JOIN measures m ON m.id = v.measure_id WHERE `+where+` ORDER BY v.id`, args...)
	if err != nil {
		return nil, err
	}
	ms := map[int64]*framework.Measure{}
	get := func(id int64) *framework.Measure {
		if ms[id] == nil {
			ms[id] = &framework.Measure{ID: id}
		}
		return ms[id]
	}
	for id, ls := range links {
		get(id).Links = ls
	}
	for _, x := range pvs {
		m := get(x.measure)
		m.Proxies = append(m.Proxies, x.v)
	}
	out := map[int64]framework.UnitValue{}
	for id, m := range ms {
		if uv, ok := m.UnitValue(); ok {
			out[id] = uv
		}
	}
	return out, nil
}
