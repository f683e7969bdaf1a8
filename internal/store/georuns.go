package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
)

// Job kinds of the geography: an uploaded postcode directory or IMD file
// imported in the background, and the re-placing of everything that holds
// a postcode, which every import queues.
const (
	GeoImportJob  = "geo.import"
	GeoReplaceJob = "geo.replace"
)

// Kinds of geography run.
const (
	GeoRunPostcodes = "postcodes" // an uploaded ONSPD or NSPL
	GeoRunIMD       = "imd"       // an uploaded Indices of Deprivation file
	GeoRunReplace   = "replace"   // re-placing every holder of a postcode
)

// GeoRun is one web import or re-placing run and how far it has got.
type GeoRun struct {
	ID         int64
	Kind       string
	File       string
	Path       string // the upload's temporary file, until the import has read it
	Release    string
	Status     string // queued | running | done | failed
	Detail     string
	Phase      string // of a re-placing run: sites, registers, ballots
	LastID     int64
	RowsDone   int64
	RowsTotal  int64
	Moved      int64 // holders whose place changed
	Errors     []string
	CreatedAt  time.Time
	FinishedAt time.Time // zero until it ends
}

// Finished reports whether the run has ended.
func (r GeoRun) Finished() bool { return r.Status == "done" || r.Status == "failed" }

// Percent is how far a run with a known total has got (0 without one).
func (r GeoRun) Percent() int {
	if r.RowsTotal <= 0 {
		return 0
	}
	return int(min(100, r.RowsDone*100/r.RowsTotal))
}

// CreateGeoImport records an uploaded postcode directory or IMD file (kept
// at path until its job reads it) and queues its import, audited.
func (s *Store) CreateGeoImport(ctx context.Context, actor auth.Actor, kind, file, path, release string) (int64, error) {
	if kind != GeoRunPostcodes && kind != GeoRunIMD {
		return 0, fmt.Errorf("geo import: kind %q", kind)
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = createGeoRun(ctx, tx, actor.ID(), kind, file, path, release, GeoImportJob); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "geo.upload", ObjectType: "geo_run", ObjectID: strconv.FormatInt(id, 10),
			Summary: audit.Summary(nil, map[string]any{"kind": kind, "file": file, "release": release})})
	})
	return id, err
}

// createGeoRun inserts a queued run and its job in tx.
func createGeoRun(ctx context.Context, tx *sql.Tx, userID int64, kind, file, path, release, job string) (int64, error) {
	var by any
	if userID != 0 {
		by = userID
	}
	now := time.Now().UTC()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO geo_runs (kind, file_name, file_path, release_name, status, detail, created_by, created_at) VALUES ($1, $2, $3, $4, 'queued', 'Waiting to start', $5, $6) RETURNING id`,
		kind, file, path, release, by, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("geo run: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, payload, status, run_after, created_at) VALUES ($1, $2, 'queued', $3, $3)`, job, strconv.FormatInt(id, 10), now); err != nil {
		return 0, fmt.Errorf("geo run: queue job: %w", err)
	}
	return id, nil
}

// queueReplace queues the re-placing of every holder of a postcode, in the
// import's transaction: an import that commits always re-places.
func queueReplace(ctx context.Context, tx *sql.Tx, release string) (int64, error) {
	return createGeoRun(ctx, tx, 0, GeoRunReplace, "", "", release, GeoReplaceJob)
}

// GeoRunByID reads a run. A run importing in this process reports the rows
// read so far, which on SQLite cannot be written while its import holds
// the database.
func (s *Store) GeoRunByID(ctx context.Context, id int64) (GeoRun, error) {
	var r GeoRun
	var errs string
	var finished sql.NullTime
	err := s.r.QueryRowContext(ctx, `SELECT id, kind, file_name, file_path, release_name, status, detail, phase, last_id, rows_done, rows_total, moved, errors, created_at, finished_at FROM geo_runs WHERE id = $1`, id).
		Scan(&r.ID, &r.Kind, &r.File, &r.Path, &r.Release, &r.Status, &r.Detail, &r.Phase, &r.LastID, &r.RowsDone, &r.RowsTotal, &r.Moved, &errs, &r.CreatedAt, &finished)
	if err != nil {
		return r, notFound(err, "geography run")
	}
	if finished.Valid {
		r.FinishedAt = finished.Time
	}
	if errs != "" {
		r.Errors = strings.Split(errs, "\n")
	}
	if n, ok := s.geoProgress.Load(id); ok && r.Status == "running" {
		r.RowsDone = n.(*atomic.Int64).Load()
	}
	return r, nil
}

// LatestGeoRuns lists the most recent runs, newest first.
func (s *Store) LatestGeoRuns(ctx context.Context, n int) ([]GeoRun, error) {
	ids, err := query(ctx, s, "geo runs", func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}, `SELECT id FROM geo_runs ORDER BY id DESC LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	out := make([]GeoRun, 0, len(ids))
	for _, id := range ids {
		r, err := s.GeoRunByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// GeoRunProgress registers the counter of rows read by a run importing in
// this process (GeoRunByID reports it); call done when the import ends.
func (s *Store) GeoRunProgress(id int64) (rows *atomic.Int64, done func()) {
	rows = new(atomic.Int64)
	s.geoProgress.Store(id, rows)
	return rows, func() { s.geoProgress.Delete(id) }
}

// SetGeoRun records a run's status and detail; finished runs get their
// end time, errors (one a line) are kept when given.
func (s *Store) SetGeoRun(ctx context.Context, id int64, status, detail string, rowsDone int64, errs []string) error {
	var finished any
	if status == "done" || status == "failed" {
		finished = time.Now().UTC()
	}
	_, err := s.w.ExecContext(ctx, `UPDATE geo_runs SET status = $1, detail = $2, rows_done = CASE WHEN $3 > 0 THEN $3 ELSE rows_done END, errors = CASE WHEN $4 = '' THEN errors ELSE $4 END, finished_at = $5, file_path = CASE WHEN $5 IS NULL THEN file_path ELSE '' END WHERE id = $6`,
		status, detail, rowsDone, strings.Join(errs, "\n"), finished, id)
	if err != nil {
		return fmt.Errorf("geo run %d: %w", id, wrapConn(err))
	}
	return nil
}

// replaceBatch is how many holders a re-placing run updates a transaction.
const replaceBatch = 200

// replacePhases are the holders of a postcode, in the order they are
// re-placed: organisation sites (which place organisations, suppliers
// matched to them, and their needs and offers), public register entries
// (suppliers matched to a register), and People's Priorities ballots.
var replacePhases = []string{"sites", "registers", "ballots"}

// Replace re-places every holder of a postcode with the data in force (a
// run queued by an import), batch by batch, recording the phase and the
// last row done so a run taken over by another node resumes where it was.
// A ballot whose district the voter stated keeps it, and so does one whose
// postcode the new data cannot place (the voter is not there to choose);
// published People's Weights are frozen and do not change.
func (s *Store) Replace(ctx context.Context, id int64) error {
	run, err := s.GeoRunByID(ctx, id)
	if err != nil {
		return err
	}
	if run.Finished() {
		return nil
	}
	phase, last := run.Phase, run.LastID
	if phase == "" {
		var total int64
		if err := s.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM sites) + (SELECT COUNT(*) FROM register_entries WHERE postcode <> '') + (SELECT COUNT(*) FROM ballots WHERE postcode <> '' AND place_confidence <> 'stated')`).Scan(&total); err != nil {
			return fmt.Errorf("re-place: %w", wrapConn(err))
		}
		if _, err := s.w.ExecContext(ctx, `UPDATE geo_runs SET status = 'running', detail = 'Re-placing organisation sites', phase = 'sites', last_id = 0, rows_done = 0, rows_total = $1, moved = 0 WHERE id = $2`, total, id); err != nil {
			return fmt.Errorf("re-place: %w", wrapConn(err))
		}
		phase, last = "sites", 0
	}
	places := map[string]geo.Place{}
	place := func(pc string) (geo.Place, error) {
		if p, ok := places[pc]; ok {
			return p, nil
		}
		p, err := s.ResolvePostcode(ctx, pc)
		if err == nil && len(places) < 100_000 {
			places[pc] = p
		}
		return p, err
	}
	for i := indexOf(replacePhases, phase); i < len(replacePhases); i++ {
		phase = replacePhases[i]
		for {
			n, err := s.replaceBatch(ctx, id, phase, i+1 < len(replacePhases), &last, place)
			if err != nil {
				return err
			}
			if n < replaceBatch {
				break
			}
		}
		last = 0
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var done, moved int64
		if err := tx.QueryRowContext(ctx, `SELECT rows_done, moved FROM geo_runs WHERE id = $1`, id).Scan(&done, &moved); err != nil {
			return fmt.Errorf("re-place: %w", err)
		}
		detail := fmt.Sprintf("Re-placed %d holders of a postcode with %s: %d moved", done, cmpOr(run.Release, "the data in force"), moved)
		if _, err := tx.ExecContext(ctx, `UPDATE geo_runs SET status = 'done', detail = $1, phase = 'done', finished_at = $2 WHERE id = $3`, detail, time.Now().UTC(), id); err != nil {
			return fmt.Errorf("re-place: %w", err)
		}
		if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{Actor: "geography re-placing job", Action: "geo.replace", ObjectType: "geo_run", ObjectID: strconv.FormatInt(id, 10),
			Summary: audit.Summary(nil, map[string]any{"release": run.Release, "holders": done, "moved": moved})})
	})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func indexOf(list []string, v string) int {
	for i, s := range list {
		if s == v {
			return i
		}
	}
	return len(list)
}

// replaceBatch re-places the next batch of one phase's holders after *last
// and records the progress in the same transaction. It returns how many
// holders it read.
func (s *Store) replaceBatch(ctx context.Context, run int64, phase string, more bool, last *int64, place func(string) (geo.Place, error)) (int, error) {
	type holder struct {
		id                   int64
		postcode             string
		district, ward, lsoa string
		decile               int
		confidence           string
	}
	var q string
	switch phase {
	case "sites":
		q = `SELECT id, postcode, district_code, ward_code, lsoa_code, 0, '' FROM sites WHERE id > $1 ORDER BY id LIMIT $2`
	case "registers":
		q = `SELECT id, postcode, district_code, '', '', imd_decile, '' FROM register_entries WHERE id > $1 AND postcode <> '' ORDER BY id LIMIT $2`
	case "ballots":
		q = `SELECT id, postcode, district_code, ward_code, '', imd_decile, place_confidence FROM ballots WHERE id > $1 AND postcode <> '' AND place_confidence <> 'stated' ORDER BY id LIMIT $2`
	}
	hs, err := query(ctx, s, "re-place "+phase, func(r *sql.Rows) (holder, error) {
		var h holder
		return h, r.Scan(&h.id, &h.postcode, &h.district, &h.ward, &h.lsoa, &h.decile, &h.confidence)
	}, q, *last, replaceBatch)
	if err != nil {
		return 0, err
	}
	type update struct {
		q    string
		args []any
	}
	var updates []update
	for _, h := range hs {
		pc, err := geo.NormalisePostcode(h.postcode)
		if err != nil {
			continue // a postcode that was never placed stays as it is
		}
		p, err := place(pc)
		if err != nil {
			return 0, err
		}
		switch phase {
		case "sites":
			if p.DistrictCode != h.district || p.WardCode != h.ward || p.LSOACode != h.lsoa {
				updates = append(updates, update{`UPDATE sites SET district_code = $1, ward_code = $2, lsoa_code = $3 WHERE id = $4`, []any{p.DistrictCode, p.WardCode, p.LSOACode, h.id}})
			}
		case "registers":
			district := p.DistrictCode
			if district == "" && (p.Elsewhere != nil || geo.OutsideGM(pc)) {
				district = outsideGM
			}
			if district != h.district || p.IMDDecile != h.decile {
				updates = append(updates, update{`UPDATE register_entries SET district_code = $1, imd_decile = $2 WHERE id = $3`, []any{district, p.IMDDecile, h.id}})
			}
		case "ballots":
			if !p.InGM() {
				continue // the voter is not here to choose their district: the ballot keeps the one it had
			}
			if p.DistrictCode != h.district || p.WardCode != h.ward || p.IMDDecile != h.decile || string(p.Confidence) != h.confidence {
				updates = append(updates, update{`UPDATE ballots SET district_code = $1, ward_code = $2, imd_decile = $3, place_confidence = $4 WHERE id = $5`, []any{p.DistrictCode, p.WardCode, p.IMDDecile, string(p.Confidence), h.id}})
			}
		}
	}
	next := *last
	if len(hs) > 0 {
		next = hs[len(hs)-1].id
	}
	nextPhase, detail := phase, "Re-placing "+map[string]string{"sites": "organisation sites", "registers": "public register entries", "ballots": "People's Priorities ballots"}[phase]
	if len(hs) < replaceBatch && more {
		nextPhase, next = replacePhases[indexOf(replacePhases, phase)+1], 0
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, u := range updates {
			if _, err := tx.ExecContext(ctx, u.q, u.args...); err != nil {
				return fmt.Errorf("re-place %s: %w", phase, err)
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE geo_runs SET phase = $1, last_id = $2, rows_done = rows_done + $3, moved = moved + $4, detail = $5 WHERE id = $6`,
			nextPhase, next, len(hs), len(updates), detail, run)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("re-place %s: %w", phase, err)
	}
	*last = next
	return len(hs), nil
}

// DeprivationEditions names the IMD edition behind each kind of decile.
type DeprivationEditions struct {
	// Areas: deciles by 2011 LSOA (organisation sites and the suppliers
	// they place, needs and offers), from the GM LSOA table, which only an
	// IoD2019 file changes.
	Areas string
	// Postcodes: deciles by postcode (lookups, ballots, register entries):
	// the edition in force once a postcode directory is loaded, else the
	// shipped IoD2019.
	Postcodes string
}

// DeprivationEditions reports which IMD edition each kind of decile uses.
func (s *Store) DeprivationEditions(ctx context.Context) (DeprivationEditions, error) {
	e := DeprivationEditions{Areas: geo.IMD2019, Postcodes: geo.IMD2019}
	rel, err := s.GeoRelease(ctx)
	if err != nil {
		return e, err
	}
	var n int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM geo_directory LIMIT 1) x`).Scan(&n); err != nil {
		return e, fmt.Errorf("deprivation editions: %w", wrapConn(err))
	}
	if n > 0 {
		e.Postcodes = rel.IMD
	}
	return e, nil
}
