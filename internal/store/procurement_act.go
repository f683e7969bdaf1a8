package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/tenders"
)

// The Procurement Act 2023 lifecycle: a tender's procedure fields, the
// notices each step publishes (in the same transaction as the step and its
// audit event), entering into a contract after the standstill, KPIs and
// their assessments, contract changes and termination.

func writeAct(ctx context.Context, tx *sql.Tx, id int64, t tenders.Tender) error {
	proc, typ := t.Procedure, t.ContractType
	if proc == "" {
		proc = tenders.DefaultProcedure
	}
	if typ == "" {
		typ = tenders.DefaultContractTy
	}
	planned := ""
	if t.PlannedNotice != nil {
		planned = t.PlannedNotice.Format(time.DateOnly)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tenders SET procedure_type = $1, contract_type = $2, direct_ground = $3, direct_reason = $4, planned_notice = $5, period_case = $6, period_reason = $7 WHERE id = $8`,
		proc, typ, t.DirectGround, t.DirectReason, planned, t.PeriodCase, t.PeriodReason, id); err != nil {
		return fmt.Errorf("tender procedure: %w", err)
	}
	return nil
}

// parseDate reads a stored YYYY-MM-DD ("" is nil).
func parseDate(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil
	}
	return &d
}

// insertNotice records a published notice in tx.
func insertNotice(ctx context.Context, tx *sql.Tx, actor auth.Actor, n tenders.Notice, now time.Time) (int64, error) {
	facts, err := json.Marshal(n.Facts)
	if err != nil {
		return 0, fmt.Errorf("notice: %w", err)
	}
	var contract any
	if n.ContractID != 0 {
		contract = n.ContractID
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO notices (kind, tender_id, contract_id, title, facts, published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		n.Kind, n.TenderID, contract, n.Title, string(facts), actorRef(actor), now.UTC()).Scan(&id); err != nil {
		return 0, fmt.Errorf("notice: %w", err)
	}
	return id, nil
}

// PublishTender publishes a draft tender with its tender notice (UK4);
// warning is the s.54 warning the buyer was given for a below-threshold
// tender with a short period ("" when none), kept with the tender.
func (s *Store) PublishTender(ctx context.Context, actor auth.Actor, id int64, warning string, facts []tenders.Fact, now time.Time) error {
	return s.moveTender(ctx, actor, id, tenders.Published, func(tx *sql.Tx, title string) error {
		if _, err := tx.ExecContext(ctx, `UPDATE tenders SET period_warning = $1 WHERE id = $2`, warning, id); err != nil {
			return fmt.Errorf("publish tender: %w", err)
		}
		_, err := insertNotice(ctx, tx, actor, tenders.Notice{Kind: tenders.NoticeTender, TenderID: id, Title: title, Facts: facts}, now)
		return err
	}, now)
}

const noticeCols = `id, kind, tender_id, COALESCE(contract_id, 0), title, facts, published_at`

func scanNotice(r interface{ Scan(...any) error }) (tenders.Notice, error) {
	var n tenders.Notice
	var facts string
	if err := r.Scan(&n.ID, &n.Kind, &n.TenderID, &n.ContractID, &n.Title, &facts, &n.PublishedAt); err != nil {
		return n, err
	}
	return n, json.Unmarshal([]byte(facts), &n.Facts)
}

// Notice loads one published notice.
func (s *Store) Notice(ctx context.Context, id int64) (tenders.Notice, error) {
	n, err := scanNotice(s.readRow(ctx, `SELECT `+noticeCols+` FROM notices WHERE id = $1`, id))
	return n, notFound(err, "notice")
}

// TenderNotices lists a tender's notices (its contract's too), oldest first.
func (s *Store) TenderNotices(ctx context.Context, tenderID int64) ([]tenders.Notice, error) {
	return query(ctx, s, "notices", func(r *sql.Rows) (tenders.Notice, error) { return scanNotice(r) },
		`SELECT `+noticeCols+` FROM notices WHERE tender_id = $1 ORDER BY published_at, id`, tenderID)
}

// AllNotices lists every notice, oldest first (for the OCDS export).
func (s *Store) AllNotices(ctx context.Context) ([]tenders.Notice, error) {
	return query(ctx, s, "notices", func(r *sql.Rows) (tenders.Notice, error) { return scanNotice(r) },
		`SELECT `+noticeCols+` FROM notices ORDER BY published_at, id`)
}

// lockContract reads the lifecycle state of a contract in tx and holds
// its row until tx ends (FOR UPDATE on PostgreSQL, whose default isolation
// would let two requests pass the same check; SQLite's single writer
// serialises), so a step cannot happen twice.
func (s *Store) lockContract(ctx context.Context, tx *sql.Tx, id int64) (contracts.Contract, error) {
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var c contracts.Contract
	err := tx.QueryRowContext(ctx, `SELECT id, tender_id, title, value_pence, start_date, end_date, standstill_end, entered_at, details_notice_at, terminated_at FROM contracts WHERE id = $1`+lock, id).
		Scan(&c.ID, &c.TenderID, &c.Title, &c.ValuePence, &c.Start, &c.End, &c.StandstillEnd, &c.EnteredAt, &c.DetailsNoticeAt, &c.TerminatedAt)
	return c, notFound(err, "contract")
}

// EnterContract records that the buyer entered into the contract. It is
// refused during the standstill (s.51): the server's clock decides, in the
// same transaction.
func (s *Store) EnterContract(ctx context.Context, actor auth.Actor, id int64, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockContract(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.EnteredAt != nil {
			return fmt.Errorf("the contract was already entered into on %s: %w", c.EnteredAt.In(tenders.London).Format("2 January 2006"), problem.ErrConflict)
		}
		if c.TerminatedAt != nil {
			return fmt.Errorf("the contract has been terminated: %w", problem.ErrConflict)
		}
		if c.StandstillEnd != "" {
			end, err := time.Parse(time.DateOnly, c.StandstillEnd)
			if err != nil {
				return fmt.Errorf("contract %d standstill end %q: %w", id, c.StandstillEnd, err)
			}
			if !tenders.StandstillOver(end, now) {
				return &StandstillError{End: end}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contracts SET entered_at = $1 WHERE id = $2`, now.UTC(), id); err != nil {
			return fmt.Errorf("enter contract: %w", err)
		}
		return s.record(ctx, tx, contractEvent(actor, "contract.enter", id, nil, map[string]any{"standstill_end": c.StandstillEnd}))
	})
}

// StandstillError refuses entering into a contract during the standstill.
type StandstillError struct{ End time.Time }

func (e *StandstillError) Error() string {
	return fmt.Sprintf("The contract cannot be entered into during the standstill period (Procurement Act 2023, section 51): it ends on %s, so the contract can be entered into from %s",
		e.End.Format("Monday 2 January 2006"), e.End.AddDate(0, 0, 1).Format("Monday 2 January 2006"))
}

// Unwrap makes the refusal a conflict for the error pages.
func (e *StandstillError) Unwrap() error { return problem.ErrConflict }

// KPIs lists a contract's key performance indicators with their
// assessments, newest assessment first.
func (s *Store) KPIs(ctx context.Context, contractID int64) ([]contracts.KPI, error) {
	kpis, err := query(ctx, s, "kpis", func(r *sql.Rows) (contracts.KPI, error) {
		var k contracts.KPI
		return k, r.Scan(&k.ID, &k.ContractID, &k.Name, &k.Target, &k.Measure)
	}, `SELECT id, contract_id, name, target, measure FROM contract_kpis WHERE contract_id = $1 ORDER BY position, id`, contractID)
	if err != nil || len(kpis) == 0 {
		return kpis, err
	}
	as, err := query(ctx, s, "kpi assessments", func(r *sql.Rows) (contracts.Assessment, error) {
		var a contracts.Assessment
		return a, r.Scan(&a.ID, &a.KPIID, &a.PeriodEnd, &a.Rating, &a.Note, &a.AssessedAt)
	}, `SELECT a.id, a.kpi_id, a.period_end, a.rating, a.note, a.assessed_at FROM kpi_assessments a JOIN contract_kpis k ON k.id = a.kpi_id
WHERE k.contract_id = $1 ORDER BY a.assessed_at DESC, a.id DESC`, contractID)
	if err != nil {
		return nil, err
	}
	for i := range kpis {
		for _, a := range as {
			if a.KPIID == kpis[i].ID {
				kpis[i].Assessments = append(kpis[i].Assessments, a)
			}
		}
	}
	return kpis, nil
}

// SetKPIs replaces a contract's KPIs. Once the contract details notice has
// published them they are fixed (a change needs a contract change notice).
func (s *Store) SetKPIs(ctx context.Context, actor auth.Actor, contractID int64, kpis []contracts.KPI, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockContract(ctx, tx, contractID)
		if err != nil {
			return err
		}
		if c.DetailsNoticeAt != nil {
			return fmt.Errorf("the KPIs were published in the contract details notice and cannot be replaced: %w", problem.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM contract_kpis WHERE contract_id = $1`, contractID); err != nil {
			return fmt.Errorf("kpis: %w", err)
		}
		for i, k := range kpis {
			if _, err := tx.ExecContext(ctx, `INSERT INTO contract_kpis (contract_id, position, name, target, measure, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				contractID, i, k.Name, k.Target, k.Measure, now.UTC()); err != nil {
				return fmt.Errorf("kpis: %w", err)
			}
		}
		return s.record(ctx, tx, contractEvent(actor, "contract.kpis", contractID, nil, map[string]any{"kpis": len(kpis)}))
	})
}

// PublishDetailsNotice publishes the contract details notice (UK7, s.53)
// with the KPIs; a contract over £5 million needs at least three (s.52).
func (s *Store) PublishDetailsNotice(ctx context.Context, actor auth.Actor, contractID int64, facts []tenders.Fact, now time.Time) (int64, error) {
	var nid int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockContract(ctx, tx, contractID)
		if err != nil {
			return err
		}
		if c.DetailsNoticeAt != nil {
			return fmt.Errorf("the contract details notice has already been published: %w", problem.ErrConflict)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM contract_kpis WHERE contract_id = $1`, contractID).Scan(&n); err != nil {
			return fmt.Errorf("details notice: %w", err)
		}
		if err := contracts.CheckDetailsNotice(c, n); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contracts SET details_notice_at = $1 WHERE id = $2`, now.UTC(), contractID); err != nil {
			return fmt.Errorf("details notice: %w", err)
		}
		if nid, err = insertNotice(ctx, tx, actor, tenders.Notice{Kind: tenders.NoticeDetails, TenderID: c.TenderID, ContractID: contractID, Title: c.Title, Facts: facts}, now); err != nil {
			return err
		}
		return s.record(ctx, tx, contractEvent(actor, "contract.notice.details", contractID, nil, map[string]any{"notice": nid, "kpis": n}))
	})
	return nid, err
}

// RecordAssessments records an assessment of each KPI and publishes them in
// a contract performance notice (UK9, s.71), in one transaction.
func (s *Store) RecordAssessments(ctx context.Context, actor auth.Actor, contractID int64, as []contracts.Assessment, facts []tenders.Fact, now time.Time) (int64, error) {
	var nid int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockContract(ctx, tx, contractID)
		if err != nil {
			return err
		}
		if c.EnteredAt == nil {
			return fmt.Errorf("performance can be assessed once the contract has been entered into: %w", problem.ErrConflict)
		}
		if nid, err = insertNotice(ctx, tx, actor, tenders.Notice{Kind: tenders.NoticePerformance, TenderID: c.TenderID, ContractID: contractID, Title: c.Title, Facts: facts}, now); err != nil {
			return err
		}
		for _, a := range as {
			var owner int64
			if err := tx.QueryRowContext(ctx, `SELECT contract_id FROM contract_kpis WHERE id = $1`, a.KPIID).Scan(&owner); err != nil || owner != contractID {
				return fmt.Errorf("KPI %d is not part of contract %d: %w", a.KPIID, contractID, problem.ErrForbidden)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO kpi_assessments (kpi_id, period_end, rating, note, notice_id, assessed_by, assessed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				a.KPIID, a.PeriodEnd, a.Rating, a.Note, nid, actorRef(actor), now.UTC()); err != nil {
				return fmt.Errorf("kpi assessment: %w", err)
			}
		}
		return s.record(ctx, tx, contractEvent(actor, "contract.kpi.assess", contractID, nil, map[string]any{"notice": nid, "assessments": len(as)}))
	})
	return nid, err
}

// ChangeContract records a change to a contract and its contract change
// notice (UK10, s.75); newValue is the changed value in pence (0 leaves it).
func (s *Store) ChangeContract(ctx context.Context, actor auth.Actor, contractID int64, newValue int64, facts []tenders.Fact, now time.Time) (int64, error) {
	var nid int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockContract(ctx, tx, contractID)
		if err != nil {
			return err
		}
		if c.EnteredAt == nil || c.TerminatedAt != nil {
			return fmt.Errorf("only a contract that has been entered into and not terminated can be changed: %w", problem.ErrConflict)
		}
		if newValue > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE contracts SET value_pence = $1 WHERE id = $2`, newValue, contractID); err != nil {
				return fmt.Errorf("change contract: %w", err)
			}
		}
		if nid, err = insertNotice(ctx, tx, actor, tenders.Notice{Kind: tenders.NoticeChange, TenderID: c.TenderID, ContractID: contractID, Title: c.Title, Facts: facts}, now); err != nil {
			return err
		}
		after := c.ValuePence
		if newValue > 0 {
			after = newValue
		}
		return s.record(ctx, tx, contractEvent(actor, "contract.change", contractID, map[string]int64{"value_pence": c.ValuePence}, map[string]any{"notice": nid, "value_pence": after}))
	})
	return nid, err
}

// TerminateContract ends a contract and publishes its contract termination
// notice (UK11, s.80).
func (s *Store) TerminateContract(ctx context.Context, actor auth.Actor, contractID int64, reason string, facts []tenders.Fact, now time.Time) (int64, error) {
	var nid int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c, err := s.lockContract(ctx, tx, contractID)
		if err != nil {
			return err
		}
		if c.EnteredAt == nil || c.TerminatedAt != nil {
			return fmt.Errorf("only a contract that has been entered into and not already terminated can be terminated: %w", problem.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE contracts SET terminated_at = $1, terminated_reason = $2 WHERE id = $3`, now.UTC(), reason, contractID); err != nil {
			return fmt.Errorf("terminate contract: %w", err)
		}
		if nid, err = insertNotice(ctx, tx, actor, tenders.Notice{Kind: tenders.NoticeTermination, TenderID: c.TenderID, ContractID: contractID, Title: c.Title, Facts: facts}, now); err != nil {
			return err
		}
		return s.record(ctx, tx, contractEvent(actor, "contract.terminate", contractID, nil, map[string]any{"notice": nid, "reason": reason}))
	})
	return nid, err
}
