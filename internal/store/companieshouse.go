package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
)

// CompaniesHouseJob is the background job that searches Companies House
// for a buyer's largest unmatched payees (payload: the buyer's id).
const CompaniesHouseJob = "companies-house-search"

// Companies House match states: placed automatically (the same name, or
// at least spend.AutoMatchThreshold alike, and active), proposed to a
// person, confirmed or rejected by one.
const (
	CHPlaced    = "placed"
	CHProposed  = "proposed"
	CHConfirmed = "confirmed"
	CHRejected  = "rejected"
)

// CompaniesHouseSearch returns the cached answer to a search for the
// normalised query key, if one was fetched at or after since.
func (s *Store) CompaniesHouseSearch(ctx context.Context, key string, since time.Time) ([]byte, bool, error) {
	var body string
	err := s.readRow(ctx, `SELECT body FROM companies_house_searches WHERE query_key = $1 AND fetched_at >= $2`, key, since.UTC()).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("companies house cache: %w", wrapConn(err))
	}
	return []byte(body), true, nil
}

// PutCompaniesHouseSearch keeps a search's answer for its normalised
// query key, replacing an older one.
func (s *Store) PutCompaniesHouseSearch(ctx context.Context, key, query string, body []byte, at time.Time) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO companies_house_searches (query_key, query, fetched_at, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT (query_key) DO UPDATE SET query = excluded.query, fetched_at = excluded.fetched_at, body = excluded.body`, key, query, at.UTC(), string(body))
	if err != nil {
		return fmt.Errorf("companies house cache: %w", wrapConn(err))
	}
	return nil
}

// CompaniesHouseSearched lists the payee keys a search already gave a
// match row (in any state), so a run does not ask about them again.
func (s *Store) CompaniesHouseSearched(ctx context.Context) (map[string]bool, error) {
	rows, err := s.read(ctx, `SELECT DISTINCT supplier_key FROM companies_house_matches`)
	keys, err := collect("companies house matches", rows, err, func(r *sql.Rows) (string, error) {
		var k string
		return k, r.Scan(&k)
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, nil
}

// CompaniesHouseFinding is what one search found for one payee.
type CompaniesHouseFinding struct {
	SupplierKey  string
	SupplierName string
	Choice       spend.CompanyChoice
}

// CompaniesHouseRun is one run of the search job for a buyer.
type CompaniesHouseRun struct {
	ID         int64
	BuyerID    int64
	BuyerName  string
	FinishedAt time.Time
	Outcome    string // done | stopped | failed
	Message    string
	Searched   int // asked of the API
	Cached     int // answered from the cache
	Placed     int
	Proposed   int
}

// CompaniesHouseMatch is a company a search found for a payee.
type CompaniesHouseMatch struct {
	ID           int64
	SupplierKey  string
	SupplierName string
	Company      spend.CompanyHit
	Score        float64
	State        string
	FoundAt      time.Time
	DecidedBy    string
	NetPence     int64 // filled in by the caller from the current spend
}

// RecordCompaniesHouseRun stores a run's findings and outcome in one
// transaction with its audit event: an automatic placement adds the
// company to the register (unless the register already holds it, with
// more than a search says: accounts category, SIC codes) so the payee is
// placed by its registered postcode, and a proposal waits on the
// resolution page. A payee that already has a placement keeps it. The
// spend reports' generation is bumped, so every report shows the change.
func (s *Store) RecordCompaniesHouseRun(ctx context.Context, actor auth.Actor, run CompaniesHouseRun, found []CompaniesHouseFinding) (CompaniesHouseRun, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		run.Placed, run.Proposed = 0, 0 // afresh on every attempt (tx may run this again)
		var placed []string
		for _, f := range found {
			state := CHProposed
			if f.Choice.Place {
				state = CHPlaced
			}
			h := f.Choice.Hit
			res, err := tx.ExecContext(ctx, `INSERT INTO companies_house_matches (supplier_key, supplier_name, company_number, company_name, company_status, company_type, postcode, created_on, score, state, found_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
				f.SupplierKey, f.SupplierName, h.Number, h.Name, h.Status, h.Type, h.Postcode, h.Created, f.Choice.Score, state, now)
			if err != nil {
				return fmt.Errorf("companies house match for %q: %w", f.SupplierName, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // already found (and perhaps decided) before
			}
			if state == CHProposed {
				run.Proposed++
				continue
			}
			added, err := s.addSearchedCompany(ctx, tx, h, now)
			if err != nil {
				return err
			}
			if added {
				if err := noteAddedEntry(ctx, tx, f.SupplierKey, h.Number, now); err != nil {
					return err
				}
			}
			run.Placed++
			placed = append(placed, f.SupplierName+" = "+h.Number)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO companies_house_runs (buyer_org_id, finished_at, outcome, message, searched, cached, placed, proposed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, run.BuyerID, now, run.Outcome, run.Message, run.Searched, run.Cached, run.Placed, run.Proposed).Scan(&run.ID)
		if err != nil {
			return fmt.Errorf("companies house run: %w", err)
		}
		run.FinishedAt = now
		if run.Placed > 0 {
			if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "companies_house.search", ObjectType: "companies_house_run", ObjectID: strconv.FormatInt(run.ID, 10),
			Summary: audit.Summary(nil, map[string]any{"buyer_org_id": run.BuyerID, "outcome": run.Outcome, "message": run.Message, "searched": run.Searched, "cached": run.Cached,
				"placed": placed, "proposed": run.Proposed})})
	})
	return run, err
}

// addSearchedCompany adds a company found by search to the register,
// placed by its registered postcode like a register import places it. An
// entry the register already holds is left as it is. Nothing says its
// size (the search gives no accounts category), so it counts as SME
// unknown.
func (s *Store) addSearchedCompany(ctx context.Context, tx *sql.Tx, h spend.CompanyHit, now time.Time) (bool, error) {
	district, decile := "", 0
	pc, err := geo.NormalisePostcode(h.Postcode)
	switch {
	case err != nil:
		pc = ""
	case geo.OutsideGM(pc):
		district = outsideGM
	default:
		p, err := s.ResolvePostcode(ctx, pc)
		if err != nil {
			return false, err
		}
		district, decile = p.DistrictCode, p.IMDDecile
		if district == "" && p.Elsewhere != nil {
			district = outsideGM
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO register_entries (source, number, company_number, name, postcode, district_code, imd_decile, category, status, sic, updated_at, name_key, previous_names, size)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11, '', '') ON CONFLICT (source, number) DO NOTHING`,
		spend.CompaniesHouse, h.Number, h.Number, h.Name, pc, district, decile, spend.CompanyCategory(h), spend.CompanyStatusLabel(h.Status), now, spend.NormaliseSupplier(h.Name))
	if err != nil {
		return false, fmt.Errorf("register entry for company %s: %w", h.Number, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// noteAddedEntry records on a match that it added its company's register
// entry at now.
func noteAddedEntry(ctx context.Context, tx *sql.Tx, key, number string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE companies_house_matches SET entry_added_at = $1 WHERE supplier_key = $2 AND company_number = $3`, now, key, number); err != nil {
		return fmt.Errorf("companies house match: %w", err)
	}
	return nil
}

// CompaniesHouseMatches lists the matches in the given states, oldest
// first.
func (s *Store) CompaniesHouseMatches(ctx context.Context, states ...string) ([]CompaniesHouseMatch, error) {
	var args []any
	in := addParams(&args, states)
	rows, err := s.read(ctx, `SELECT m.id, m.supplier_key, m.supplier_name, m.company_number, m.company_name, m.company_status, m.company_type, m.postcode, m.created_on, m.score, m.state, m.found_at, COALESCE(u.name, '')
		FROM companies_house_matches m LEFT JOIN users u ON u.id = m.decided_by WHERE m.state IN (`+in+`) ORDER BY m.id`, args...)
	return collect("companies house matches", rows, err, func(r *sql.Rows) (CompaniesHouseMatch, error) {
		var m CompaniesHouseMatch
		h := &m.Company
		err := r.Scan(&m.ID, &m.SupplierKey, &m.SupplierName, &h.Number, &h.Name, &h.Status, &h.Type, &h.Postcode, &h.Created, &m.Score, &m.State, &m.FoundAt, &m.DecidedBy)
		return m, err
	})
}

// DecideCompaniesHouseMatch records a person's decision on a match:
// confirmed (a proposal; the company joins the register and places the
// payee) or rejected (a proposal, or a placement undone: the payee is no
// longer placed by it). Audited in the same transaction; the spend
// reports' generation is bumped.
func (s *Store) DecideCompaniesHouseMatch(ctx context.Context, actor auth.Actor, id int64, decision string) (CompaniesHouseMatch, error) {
	var m CompaniesHouseMatch
	if decision != CHConfirmed && decision != CHRejected {
		return m, fmt.Errorf("decide companies house match: %w", problem.Field("decision", "Choose same company or not the same"))
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		h := &m.Company
		err := tx.QueryRowContext(ctx, `SELECT id, supplier_key, supplier_name, company_number, company_name, company_status, company_type, postcode, created_on, score, state FROM companies_house_matches WHERE id = $1`, id).
			Scan(&m.ID, &m.SupplierKey, &m.SupplierName, &h.Number, &h.Name, &h.Status, &h.Type, &h.Postcode, &h.Created, &m.Score, &m.State)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("companies house match %d: %w", id, problem.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("companies house match %d: %w", id, err)
		}
		if m.State == decision || (decision == CHConfirmed && m.State != CHProposed) {
			return fmt.Errorf("companies house match %d is already %s: %w", id, m.State, problem.ErrConflict)
		}
		if decision == CHConfirmed {
			// One confirmation per payee, whichever queue it came from.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM supplier_links WHERE supplier_key = $1 AND decision = 'confirmed') + (SELECT COUNT(*) FROM register_links WHERE supplier_key = $1 AND decision = 'confirmed')`, m.SupplierKey).Scan(&n); err != nil {
				return fmt.Errorf("companies house match %d: %w", id, err)
			}
			if n > 0 {
				return fmt.Errorf("decide companies house match: %w: a person already confirmed this payee as another organisation; undo that first", problem.ErrConflict)
			}
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		var by any
		if actor.ID() != 0 {
			by = actor.ID()
		}
		before := m.State
		_, err = tx.ExecContext(ctx, `UPDATE companies_house_matches SET state = $1, decided_by = $2, decided_at = $3 WHERE id = $4`, decision, by, now, id)
		if isUnique(err) {
			return fmt.Errorf("decide companies house match: %w: this payee is already placed by another company; undo that first", problem.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("decide companies house match %d: %w", id, err)
		}
		m.State = decision
		if decision == CHConfirmed {
			added, err := s.addSearchedCompany(ctx, tx, *h, now)
			if err != nil {
				return err
			}
			if added {
				if err := noteAddedEntry(ctx, tx, m.SupplierKey, h.Number, now); err != nil {
					return err
				}
			}
		}
		if decision == CHRejected && before != CHProposed {
			// A placement undone: the register entry the search added goes
			// too (its name would still match the payee), unless a register
			// import has refreshed it since or another payee is placed by it.
			if _, err := tx.ExecContext(ctx, `DELETE FROM register_entries WHERE source = $1 AND number = $2
				AND updated_at = (SELECT entry_added_at FROM companies_house_matches WHERE id = $3)
				AND NOT EXISTS (SELECT 1 FROM companies_house_matches WHERE company_number = $2 AND state IN ($4, $5) AND id <> $3)`,
				spend.CompaniesHouse, h.Number, id, CHPlaced, CHConfirmed); err != nil {
				return fmt.Errorf("companies house match %d: remove the register entry it added: %w", id, err)
			}
		}
		if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "companies_house." + decision, ObjectType: "companies_house_match", ObjectID: strconv.FormatInt(id, 10),
			Summary: audit.Summary(map[string]any{"state": before}, map[string]any{"state": decision, "supplier_key": m.SupplierKey, "company_number": h.Number, "score": m.Score})})
	})
	return m, err
}

// CompaniesHouseRuns lists the latest runs of the search job, newest
// first.
func (s *Store) CompaniesHouseRuns(ctx context.Context, limit int) ([]CompaniesHouseRun, error) {
	rows, err := s.read(ctx, `SELECT r.id, r.buyer_org_id, o.legal_name, r.finished_at, r.outcome, r.message, r.searched, r.cached, r.placed, r.proposed
		FROM companies_house_runs r JOIN organisations o ON o.id = r.buyer_org_id ORDER BY r.finished_at DESC, r.id DESC LIMIT $1`, limit)
	return collect("companies house runs", rows, err, func(r *sql.Rows) (CompaniesHouseRun, error) {
		var x CompaniesHouseRun
		err := r.Scan(&x.ID, &x.BuyerID, &x.BuyerName, &x.FinishedAt, &x.Outcome, &x.Message, &x.Searched, &x.Cached, &x.Placed, &x.Proposed)
		return x, err
	})
}

// companiesHouseLinked adds to the register organisations loaded for a
// report the companies a Companies House search placed or a person
// confirmed, each with the payee keys it holds as Confirmed (a confirmed
// company's name differs from the payee's, so the name lookup alone
// would not find it).
func (s *Store) companiesHouseLinked(ctx context.Context, regs []spend.Org) ([]spend.Org, error) {
	rows, err := s.read(ctx, `SELECT m.supplier_key, e.id FROM companies_house_matches m JOIN register_entries e ON e.source = $1 AND e.number = m.company_number
		WHERE m.state IN ($2, $3) ORDER BY m.id`, spend.CompaniesHouse, CHPlaced, CHConfirmed)
	type link struct {
		key string
		id  int64
	}
	links, err := collect("companies house placements", rows, err, func(r *sql.Rows) (link, error) {
		var l link
		return l, r.Scan(&l.key, &l.id)
	})
	if err != nil || len(links) == 0 {
		return regs, err
	}
	at := map[int64]int{}
	for i, o := range regs {
		at[o.ID] = i
	}
	var missing []int64
	for _, l := range links {
		if _, ok := at[-l.id]; !ok && !slices.Contains(missing, l.id) {
			missing = append(missing, l.id)
		}
	}
	for i := 0; i < len(missing); i += 500 {
		var args []any
		in := addParams(&args, missing[i:min(i+500, len(missing))])
		rows, err := s.read(ctx, `SELECT id, source, number, company_number, name, postcode, district_code, imd_decile, category, sic, previous_names, size FROM register_entries WHERE id IN (`+in+`)`, args...)
		orgs, err := collect("register entries", rows, err, scanRegisterOrg)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			at[o.ID] = len(regs)
			regs = append(regs, o)
		}
	}
	for _, l := range links {
		if i, ok := at[-l.id]; ok {
			regs[i].Confirmed = append(regs[i].Confirmed, l.key)
		}
	}
	sortByIDDesc(regs)
	return regs, nil
}
