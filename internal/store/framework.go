package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/problem"
)

func fwEvent(actor auth.Actor, action string, id int64, before, after any) audit.Event {
	return audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action, ObjectType: "framework", ObjectID: strconv.FormatInt(id, 10), Summary: audit.Summary(before, after)}
}

// CreateFramework stores a whole edition (as a draft unless f.Status says published).
func (s *Store) CreateFramework(ctx context.Context, actor auth.Actor, f framework.Framework) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertFramework(ctx, tx, actor, f)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, fwEvent(actor, "framework.create", id, nil, map[string]any{"name": f.Name, "edition": f.Edition, "measures": f.MeasureCount()}))
	})
	return id, err
}

func (s *Store) insertFramework(ctx context.Context, tx *sql.Tx, actor auth.Actor, f framework.Framework) (int64, error) {
	now := time.Now().UTC()
	if f.Status == "" {
		f.Status = framework.Draft
	}
	var published any
	if f.Status == framework.Published {
		published = now
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO frameworks (name, publisher, edition, licence, source_url, status, published_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		f.Name, f.Publisher, f.Edition, f.Licence, f.SourceURL, f.Status, published, now).Scan(&id)
	if isUnique(err) {
		return 0, problem.Field("edition", "%s already has an edition called %q; choose another edition name", f.Name, f.Edition)
	}
	if err != nil {
		return 0, fmt.Errorf("create framework: %w", err)
	}
	for pi, p := range f.Priorities {
		var pid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO priorities (framework_id, code, position, title, description) VALUES ($1, $2, $3, $4, $5) RETURNING id`, id, p.Code, pi+1, p.Title, p.Description).Scan(&pid); err != nil {
			return 0, fmt.Errorf("create priority %s: %w", p.Code, err)
		}
		for _, o := range p.Outcomes {
			var oid int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO outcomes (priority_id, code, title) VALUES ($1, $2, $3) RETURNING id`, pid, o.Code, o.Title).Scan(&oid); err != nil {
				return 0, fmt.Errorf("create outcome %s: %w", o.Code, err)
			}
			for _, m := range o.Measures {
				var mid int64
				err := tx.QueryRowContext(ctx, `INSERT INTO measures (framework_id, outcome_id, code, wording, unit, guidance, record_only) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
					id, oid, m.Code, m.Wording, m.Unit, m.Guidance, m.RecordOnly).Scan(&mid)
				if isUnique(err) {
					return 0, problem.Field("code", "measure code %s is used twice", m.Code)
				}
				if err != nil {
					return 0, fmt.Errorf("create measure %s: %w", m.Code, err)
				}
				for _, pv := range m.Proxies {
					if _, err := tx.ExecContext(ctx, `INSERT INTO proxy_values (measure_id, pence_per_unit, price_year, source, licence, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
						mid, pv.PencePerUnit, pv.PriceYear, pv.Source, pv.Licence, pv.ValidFrom, pv.ValidTo); err != nil {
						return 0, fmt.Errorf("create proxy value for %s: %w", m.Code, err)
					}
				}
				for _, l := range m.Links {
					uid, err := s.resolveLink(ctx, tx, actor, l)
					if err != nil {
						return 0, fmt.Errorf("measure %s: %w", m.Code, err)
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO measure_proxy_links (measure_id, unit_cost_id, rationale) VALUES ($1, $2, $3)`, mid, uid, l.Rationale); err != nil {
						if isUnique(err) {
							return 0, problem.Field("code", "measure %s links to unit cost %s twice", m.Code, l.Code)
						}
						return 0, fmt.Errorf("link measure %s: %w", m.Code, err)
					}
				}
			}
		}
	}
	return id, nil
}

const frameworkCols = `id, name, publisher, edition, licence, source_url, status, published_at, created_at`

func scanFramework(row interface{ Scan(...any) error }) (framework.Framework, error) {
	var f framework.Framework
	var pub sql.NullTime
	err := row.Scan(&f.ID, &f.Name, &f.Publisher, &f.Edition, &f.Licence, &f.SourceURL, &f.Status, &pub, &f.CreatedAt)
	if pub.Valid {
		f.PublishedAt = &pub.Time
	}
	return f, err
}

// ListFrameworks lists editions, newest first within each framework.
func (s *Store) ListFrameworks(ctx context.Context) ([]framework.Framework, error) {
	rows, err := s.read(ctx, `SELECT `+frameworkCols+` FROM frameworks ORDER BY name, created_at DESC, id DESC`)
	return collect("list frameworks", rows, err, func(r *sql.Rows) (framework.Framework, error) { return scanFramework(r) })
}

// FrameworkPriorities are an edition's priorities in order, without their
// outcomes and measures.
func (s *Store) FrameworkPriorities(ctx context.Context, id int64) ([]framework.Priority, error) {
	return query(ctx, s, "framework priorities", func(r *sql.Rows) (framework.Priority, error) {
		var p framework.Priority
		return p, r.Scan(&p.ID, &p.Code, &p.Position, &p.Title, &p.Description)
	}, `SELECT id, code, position, title, description FROM priorities WHERE framework_id = $1 ORDER BY position`, id)
}

// Framework loads an edition with its whole tree.
func (s *Store) Framework(ctx context.Context, id int64) (framework.Framework, error) {
	f, err := scanFramework(s.readRow(ctx, `SELECT `+frameworkCols+` FROM frameworks WHERE id = $1`, id))
	if err != nil {
		return f, notFound(err, "framework")
	}
	rows, err := s.read(ctx, `SELECT p.id, p.code, p.position, p.title, p.description, o.id, o.code, o.title,
			m.id, m.code, m.wording, m.unit, m.guidance, m.record_only,
			v.id, v.pence_per_unit, v.price_year, v.source, v.licence, v.valid_from, v.valid_to
		FROM priorities p
		LEFT JOIN outcomes o ON o.priority_id = p.id
		LEFT JOIN measures m ON m.outcome_id = o.id
		LEFT JOIN proxy_values v ON v.measure_id = m.id
		WHERE p.framework_id = $1
		ORDER BY p.position, o.id, m.id, v.id`, id)
	if err != nil {
		return f, fmt.Errorf("framework tree: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p framework.Priority
		var oid, mid, vid sql.NullInt64
		var ocode, otitle, mcode, mword, munit, mguid, vsrc, vlic, vfrom, vto sql.NullString
		var mro sql.NullBool
		var vpence, vyear sql.NullInt64
		if err := rows.Scan(&p.ID, &p.Code, &p.Position, &p.Title, &p.Description, &oid, &ocode, &otitle,
			&mid, &mcode, &mword, &munit, &mguid, &mro, &vid, &vpence, &vyear, &vsrc, &vlic, &vfrom, &vto); err != nil {
			return f, fmt.Errorf("framework tree: %w", err)
		}
		if n := len(f.Priorities); n == 0 || f.Priorities[n-1].ID != p.ID {
			f.Priorities = append(f.Priorities, p)
		}
		pp := &f.Priorities[len(f.Priorities)-1]
		if !oid.Valid {
			continue
		}
		if n := len(pp.Outcomes); n == 0 || pp.Outcomes[n-1].ID != oid.Int64 {
			pp.Outcomes = append(pp.Outcomes, framework.Outcome{ID: oid.Int64, Code: ocode.String, Title: otitle.String})
		}
		po := &pp.Outcomes[len(pp.Outcomes)-1]
		if !mid.Valid {
			continue
		}
		if n := len(po.Measures); n == 0 || po.Measures[n-1].ID != mid.Int64 {
			po.Measures = append(po.Measures, framework.Measure{ID: mid.Int64, Code: mcode.String, Wording: mword.String, Unit: munit.String, Guidance: mguid.String, RecordOnly: mro.Bool})
		}
		if vid.Valid {
			pm := &po.Measures[len(po.Measures)-1]
			pm.Proxies = append(pm.Proxies, framework.ProxyValue{ID: vid.Int64, PencePerUnit: vpence.Int64, PriceYear: int(vyear.Int64), Source: vsrc.String, Licence: vlic.String, ValidFrom: vfrom.String, ValidTo: vto.String})
		}
	}
	if err := rows.Err(); err != nil {
		return f, err
	}
	links, err := s.frameworkLinks(ctx, id)
	if err != nil {
		return f, err
	}
	for pi := range f.Priorities {
		for oi := range f.Priorities[pi].Outcomes {
			ms := f.Priorities[pi].Outcomes[oi].Measures
			for mi := range ms {
				ms[mi].Links = links[ms[mi].ID]
			}
		}
	}
	return f, nil
}

// draftStatus fails unless the edition exists and is still a draft.
func draftStatus(ctx context.Context, tx *sql.Tx, id int64) error {
	var status string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM frameworks WHERE id = $1`, id).Scan(&status); err != nil {
		return notFound(err, "framework")
	}
	if status != framework.Draft {
		return fmt.Errorf("edition is published and cannot change; create a new draft edition: %w", problem.ErrConflict)
	}
	return nil
}

// UpdateMeasure edits a measure of a draft edition.
func (s *Store) UpdateMeasure(ctx context.Context, actor auth.Actor, frameworkID int64, m framework.Measure) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := draftStatus(ctx, tx, frameworkID); err != nil {
			return err
		}
		var before framework.Measure
		err := tx.QueryRowContext(ctx, `SELECT code, wording, unit, guidance, record_only FROM measures WHERE id = $1 AND framework_id = $2`, m.ID, frameworkID).
			Scan(&before.Code, &before.Wording, &before.Unit, &before.Guidance, &before.RecordOnly)
		if err != nil {
			return notFound(err, "measure")
		}
		_, err = tx.ExecContext(ctx, `UPDATE measures SET code = $1, wording = $2, unit = $3, guidance = $4, record_only = $5 WHERE id = $6 AND framework_id = $7`,
			m.Code, m.Wording, m.Unit, m.Guidance, m.RecordOnly, m.ID, frameworkID)
		if isUnique(err) {
			return problem.Field("code", "Another measure in this edition already has code %s", m.Code)
		}
		if err != nil {
			return fmt.Errorf("update measure: %w", err)
		}
		return s.record(ctx, tx, fwEvent(actor, "framework.measure.update", frameworkID,
			map[string]any{"code": before.Code, "wording": before.Wording, "unit": before.Unit, "record_only": before.RecordOnly},
			map[string]any{"code": m.Code, "wording": m.Wording, "unit": m.Unit, "record_only": m.RecordOnly}))
	})
}

// UpdateFrameworkMeta edits a draft edition's descriptive fields.
func (s *Store) UpdateFrameworkMeta(ctx context.Context, actor auth.Actor, f framework.Framework) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := draftStatus(ctx, tx, f.ID); err != nil {
			return err
		}
		before, err := scanFramework(tx.QueryRowContext(ctx, `SELECT `+frameworkCols+` FROM frameworks WHERE id = $1`, f.ID))
		if err != nil {
			return notFound(err, "framework")
		}
		_, err = tx.ExecContext(ctx, `UPDATE frameworks SET name = $1, publisher = $2, edition = $3, licence = $4, source_url = $5 WHERE id = $6`, f.Name, f.Publisher, f.Edition, f.Licence, f.SourceURL, f.ID)
		if isUnique(err) {
			return problem.Field("edition", "%s already has an edition called %q", f.Name, f.Edition)
		}
		if err != nil {
			return fmt.Errorf("update framework: %w", err)
		}
		return s.record(ctx, tx, fwEvent(actor, "framework.update", f.ID, map[string]string{"name": before.Name, "edition": before.Edition, "licence": before.Licence},
			map[string]string{"name": f.Name, "edition": f.Edition, "licence": f.Licence}))
	})
}

// UpdatePriorityText edits a draft edition's priority or outcome wording.
func (s *Store) UpdatePriorityText(ctx context.Context, actor auth.Actor, frameworkID, priorityID int64, title, description string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := draftStatus(ctx, tx, frameworkID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE priorities SET title = $1, description = $2 WHERE id = $3 AND framework_id = $4`, title, description, priorityID, frameworkID)
		if err != nil {
			return fmt.Errorf("update priority: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("priority %d: %w", priorityID, problem.ErrNotFound)
		}
		return s.record(ctx, tx, fwEvent(actor, "framework.priority.update", frameworkID, nil, map[string]any{"priority_id": priorityID, "title": title}))
	})
}

// PublishFramework freezes a draft edition.
func (s *Store) PublishFramework(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := draftStatus(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE frameworks SET status = $1, published_at = $2 WHERE id = $3`, framework.Published, time.Now().UTC(), id); err != nil {
			return fmt.Errorf("publish framework: %w", err)
		}
		return s.record(ctx, tx, fwEvent(actor, "framework.publish", id, map[string]string{"status": framework.Draft}, map[string]string{"status": framework.Published}))
	})
}

// DeleteDraftFramework removes a draft edition.
func (s *Store) DeleteDraftFramework(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := draftStatus(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM frameworks WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete draft framework: %w", err)
		}
		return s.record(ctx, tx, fwEvent(actor, "framework.delete_draft", id, nil, nil))
	})
}

// NewDraftEdition copies an edition into a new draft with another edition name.
func (s *Store) NewDraftEdition(ctx context.Context, actor auth.Actor, fromID int64, edition string) (int64, error) {
	f, err := s.Framework(ctx, fromID)
	if err != nil {
		return 0, err
	}
	f.Edition, f.Status = edition, framework.Draft
	if err := f.ValidateMeta(); err != nil {
		return 0, err
	}
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = s.insertFramework(ctx, tx, actor, f); err != nil {
			return err
		}
		return s.record(ctx, tx, fwEvent(actor, "framework.new_edition", id, map[string]any{"from": fromID}, map[string]any{"edition": edition}))
	})
	return id, err
}
