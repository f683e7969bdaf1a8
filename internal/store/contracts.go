package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/ocds"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/tenders"
)

func contractEvent(actor auth.Actor, action string, id int64, before, after any) audit.Event {
	return audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action, ObjectType: "contract", ObjectID: strconv.FormatInt(id, 10), Summary: audit.Summary(before, after)}
}

// Award is the recorded decision with its frozen evaluation.
type Award struct {
	TenderID      int64
	SupplierID    int64
	SupplierName  string
	SupplierSlug  string
	ValuePence    int64
	Evaluation    string // JSON: tenders.Evaluation with Results
	Rationale     string
	StandstillEnd string
	DecidedAt     time.Time
	ContractID    int64
	// NoticeFacts are what the contract award notice (UK6, s.50) publishes;
	// AwardTender records the notice in the same transaction.
	NoticeFacts []tenders.Fact
}

// AwardTender records the award, freezes the evaluation, and creates the
// contract with the winning bid's commitments as targets — one transaction.
func (s *Store) AwardTender(ctx context.Context, actor auth.Actor, a Award, c contracts.Contract, cs []contracts.Commitment, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM tenders WHERE id = $1`, a.TenderID).Scan(&status); err != nil {
			return notFound(err, "award")
		}
		if status != tenders.Evaluated {
			return fmt.Errorf("only an evaluated tender can be awarded; this one is %s: %w", status, problem.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO awards (tender_id, supplier_org_id, value_pence, evaluation, rationale, standstill_end, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			a.TenderID, a.SupplierID, a.ValuePence, a.Evaluation, a.Rationale, a.StandstillEnd, actorRef(actor), now.UTC()); err != nil {
			return fmt.Errorf("award: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO contracts (tender_id, buyer_org_id, supplier_org_id, title, value_pence, start_date, end_date, created_at, standstill_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			a.TenderID, c.BuyerOrgID, a.SupplierID, c.Title, a.ValuePence, c.Start, c.End, now.UTC(), a.StandstillEnd).Scan(&id); err != nil {
			return fmt.Errorf("award: %w", err)
		}
		if _, err := insertNotice(ctx, tx, actor, tenders.Notice{Kind: tenders.NoticeAward, TenderID: a.TenderID, ContractID: id, Title: c.Title, Facts: a.NoticeFacts}, now); err != nil {
			return err
		}
		for _, m := range cs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO commitments (contract_id, measure_id, quantity_milli, due_date, area_code, plan) VALUES ($1, $2, $3, $4, $5, $6)`,
				id, m.MeasureID, m.QuantityMilli, m.Due, m.AreaCode, m.Plan); err != nil {
				return fmt.Errorf("award commitments: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tenders SET status = $1 WHERE id = $2`, tenders.Awarded, a.TenderID); err != nil {
			return fmt.Errorf("award: %w", err)
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.award", a.TenderID, map[string]string{"status": status},
			map[string]any{"status": tenders.Awarded, "supplier": a.SupplierID, "value_pence": a.ValuePence, "contract": id, "standstill_end": a.StandstillEnd, "commitments": len(cs)}))
	})
	return id, err
}

// AwardOf returns a tender's award.
func (s *Store) AwardOf(ctx context.Context, tenderID int64) (Award, error) {
	var a Award
	err := s.readRow(ctx, `SELECT a.tender_id, a.supplier_org_id, o.legal_name, o.slug, a.value_pence, a.evaluation, a.rationale, a.standstill_end, a.decided_at, c.id
FROM awards a JOIN organisations o ON o.id = a.supplier_org_id JOIN contracts c ON c.tender_id = a.tender_id WHERE a.tender_id = $1`, tenderID).
		Scan(&a.TenderID, &a.SupplierID, &a.SupplierName, &a.SupplierSlug, &a.ValuePence, &a.Evaluation, &a.Rationale, &a.StandstillEnd, &a.DecidedAt, &a.ContractID)
	return a, notFound(err, "award")
}

const contractCols = `c.id, c.tender_id, c.buyer_org_id, b.legal_name, b.slug, c.supplier_org_id, s.legal_name, s.slug, c.title, c.value_pence, c.start_date, c.end_date, c.created_at,
c.standstill_end, c.entered_at, c.details_notice_at, c.terminated_at, c.terminated_reason`

func scanContract(r interface{ Scan(...any) error }) (contracts.Contract, error) {
	var c contracts.Contract
	return c, r.Scan(&c.ID, &c.TenderID, &c.BuyerOrgID, &c.BuyerName, &c.BuyerSlug, &c.SupplierID, &c.SupplierName, &c.SupplierSlug, &c.Title, &c.ValuePence, &c.Start, &c.End, &c.CreatedAt,
		&c.StandstillEnd, &c.EnteredAt, &c.DetailsNoticeAt, &c.TerminatedAt, &c.TerminatedReason)
}

// Contract loads one contract.
func (s *Store) Contract(ctx context.Context, id int64) (contracts.Contract, error) {
	c, err := scanContract(s.readRow(ctx, `SELECT `+contractCols+` FROM contracts c JOIN organisations b ON b.id = c.buyer_org_id JOIN organisations s ON s.id = c.supplier_org_id WHERE c.id = $1`, id))
	return c, notFound(err, "contract")
}

// ContractFilter narrows the contract list (0 = any).
type ContractFilter struct {
	BuyerOrgID    int64
	SupplierOrgID int64
}

// ListContracts lists contracts, newest first.
func (s *Store) ListContracts(ctx context.Context, f ContractFilter) ([]contracts.Contract, error) {
	return query(ctx, s, "contracts", func(r *sql.Rows) (contracts.Contract, error) { return scanContract(r) },
		`SELECT `+contractCols+` FROM contracts c JOIN organisations b ON b.id = c.buyer_org_id JOIN organisations s ON s.id = c.supplier_org_id
WHERE ($1 = 0 OR c.buyer_org_id = $1) AND ($2 = 0 OR c.supplier_org_id = $2) ORDER BY c.start_date DESC, c.id DESC`, f.BuyerOrgID, f.SupplierOrgID)
}

// Commitments lists a contract's targets with claimed and verified totals.
func (s *Store) Commitments(ctx context.Context, contractID int64) ([]contracts.Commitment, error) {
	return s.commitmentsWhere(ctx, `c.contract_id = $1`, contractID)
}

// commitmentsWhere reads the commitments that match where, by contract
// then commitment.
func (s *Store) commitmentsWhere(ctx context.Context, where string, args ...any) ([]contracts.Commitment, error) {
	return query(ctx, s, "commitments", func(r *sql.Rows) (contracts.Commitment, error) {
		var c contracts.Commitment
		return c, r.Scan(&c.ID, &c.ContractID, &c.MeasureID, &c.MeasureCode, &c.Wording, &c.Unit, &c.PriorityCode, &c.PriorityTitle, &c.QuantityMilli, &c.Due, &c.AreaCode, &c.AreaName, &c.Plan, &c.ClaimedMilli, &c.VerifiedMilli)
	}, `SELECT c.id, c.contract_id, m.id, m.code, m.wording, m.unit, p.code, p.title, c.quantity_milli, c.due_date, c.area_code,
COALESCE((SELECT d.name FROM geo_districts d WHERE d.code = c.area_code), (SELECT w.name FROM geo_wards w WHERE w.code = c.area_code), ''), c.plan,
c.claimed_milli, c.verified_milli
FROM commitments c JOIN measures m ON m.id = c.measure_id JOIN outcomes oc ON oc.id = m.outcome_id JOIN priorities p ON p.id = oc.priority_id
WHERE `+where+` ORDER BY c.contract_id, c.id`, args...)
}

// ReportFilesNote is the text of the thread entry that holds the evidence
// files sent with a delivery report.
const ReportFilesNote = "Evidence files sent with the delivery report"

// SubmitReport stores a supplier's delivery report and its evidence files. Every line must be for
// one of this contract's commitments.
func (s *Store) SubmitReport(ctx context.Context, actor auth.Actor, r contracts.Report, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO delivery_reports (contract_id, period_start, period_end, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			r.ContractID, r.PeriodStart, r.PeriodEnd, actorRef(actor), now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("submit report: %w", err)
		}
		if len(r.Files) > contracts.MaxEvidenceFiles {
			return problem.Field("files", "Attach at most %d files", contracts.MaxEvidenceFiles)
		}
		var firstLine int64
		var names []string
		for _, l := range r.Lines {
			var owner int64
			if err := tx.QueryRowContext(ctx, `SELECT contract_id FROM commitments WHERE id = $1`, l.CommitmentID).Scan(&owner); err != nil || owner != r.ContractID {
				return fmt.Errorf("line for commitment %d is not part of contract %d: %w", l.CommitmentID, r.ContractID, problem.ErrForbidden)
			}
			var lineID int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO delivery_lines (report_id, commitment_id, quantity_milli, area_code, evidence, attributable, additional, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				id, l.CommitmentID, l.QuantityMilli, l.AreaCode, l.Evidence, l.Attributable, l.Additional, contracts.Submitted).Scan(&lineID); err != nil {
				return fmt.Errorf("submit report: %w", err)
			}
			if firstLine == 0 {
				firstLine = lineID
			}
			if _, err := tx.ExecContext(ctx, `UPDATE commitments SET claimed_milli = claimed_milli + $1 WHERE id = $2`, l.QuantityMilli, l.CommitmentID); err != nil {
				return fmt.Errorf("submit report: %w", err)
			}
		}
		if len(r.Files) > 0 && firstLine != 0 {
			// The report's files reuse the reply thread's storage: one
			// entry on the first line, downloadable like a reply's files.
			var replyID int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO delivery_replies (line_id, author, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id`, firstLine, r.Author, ReportFilesNote, now.UTC()).Scan(&replyID); err != nil {
				return fmt.Errorf("report evidence files: %w", err)
			}
			for _, f := range r.Files {
				if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_files (reply_id, name, content_type, size, sha256, content) VALUES ($1, $2, $3, $4, $5, $6)`, replyID, f.Name, f.Type, f.Size, f.SHA256, f.Content); err != nil {
					return fmt.Errorf("report evidence file: %w", err)
				}
				names = append(names, f.Name+" "+f.SHA256)
			}
		}
		return s.record(ctx, tx, contractEvent(actor, "delivery.report", r.ContractID, nil, map[string]any{"report": id, "period": r.PeriodStart + "/" + r.PeriodEnd, "lines": len(r.Lines), "files": names}))
	})
	return id, err
}

// DeliveryLines lists a contract's claimed lines, newest period first,
// with residents' concerns.
func (s *Store) DeliveryLines(ctx context.Context, contractID int64) ([]contracts.Line, error) {
	lines, err := query(ctx, s, "delivery lines", func(r *sql.Rows) (contracts.Line, error) {
		var l contracts.Line
		return l, r.Scan(&l.ID, &l.ReportID, &l.CommitmentID, &l.MeasureCode, &l.Wording, &l.Unit, &l.QuantityMilli, &l.AreaCode, &l.AreaName, &l.Evidence, &l.Attributable, &l.Additional,
			&l.Status, &l.BuyerNote, &l.PeriodStart, &l.PeriodEnd, &l.DecidedAt)
	}, `SELECT l.id, l.report_id, l.commitment_id, m.code, m.wording, m.unit, l.quantity_milli, l.area_code,
COALESCE((SELECT d.name FROM geo_districts d WHERE d.code = l.area_code), (SELECT w.name FROM geo_wards w WHERE w.code = l.area_code), ''),
l.evidence, l.attributable, l.additional, l.status, l.buyer_note, r.period_start, r.period_end, l.decided_at
FROM delivery_lines l JOIN delivery_reports r ON r.id = l.report_id JOIN commitments c ON c.id = l.commitment_id JOIN measures m ON m.id = c.measure_id
WHERE r.contract_id = $1 ORDER BY r.period_start DESC, l.id`, contractID)
	if err != nil {
		return nil, err
	}
	concerns, err := query(ctx, s, "concerns", func(r *sql.Rows) (contracts.Concern, error) {
		var c contracts.Concern
		return c, r.Scan(&c.ID, &c.LineID, &c.Body, &c.CreatedAt, &c.Response, &c.RespondedAt)
	}, `SELECT k.id, k.line_id, k.body, k.created_at, k.response, k.responded_at FROM delivery_concerns k JOIN delivery_lines l ON l.id = k.line_id JOIN delivery_reports r ON r.id = l.report_id
WHERE r.contract_id = $1 ORDER BY k.id`, contractID)
	if err != nil {
		return nil, err
	}
	at := map[int64]int{}
	for i, l := range lines {
		at[l.ID] = i
	}
	for _, c := range concerns {
		lines[at[c.LineID]].Concerns = append(lines[at[c.LineID]].Concerns, c)
	}
	return lines, nil
}

// LineContract returns the contract a delivery line belongs to.
func (s *Store) LineContract(ctx context.Context, lineID int64) (int64, error) {
	var id int64
	err := s.readRow(ctx, `SELECT r.contract_id FROM delivery_lines l JOIN delivery_reports r ON r.id = l.report_id WHERE l.id = $1`, lineID).Scan(&id)
	return id, notFound(err, "delivery line")
}

// DecideLine records the buyer's verification, query or rejection. A query
// may be followed by a decision; verified and rejected lines are final.
func (s *Store) DecideLine(ctx context.Context, actor auth.Actor, lineID int64, status, note string, now time.Time) error {
	if status != contracts.Verified && status != contracts.Queried && status != contracts.Rejected {
		return problem.Field("decision", "Choose verify, query or reject")
	}
	if status != contracts.Verified && note == "" {
		return problem.Field("note", "Say why, so the supplier can respond")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var before string
		var contract, commitment, qty int64
		if err := tx.QueryRowContext(ctx, `SELECT l.status, r.contract_id, l.commitment_id, l.quantity_milli FROM delivery_lines l JOIN delivery_reports r ON r.id = l.report_id WHERE l.id = $1`, lineID).Scan(&before, &contract, &commitment, &qty); err != nil {
			return notFound(err, "decide line")
		}
		if before == contracts.Verified || before == contracts.Rejected {
			return fmt.Errorf("this line was already %s: %w", before, problem.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE delivery_lines SET status = $1, buyer_note = $2, decided_by = $3, decided_at = $4 WHERE id = $5`, status, note, actorRef(actor), now.UTC(), lineID); err != nil {
			return fmt.Errorf("decide line: %w", err)
		}
		// A claim leaves "claimed" when decided; only a verification adds to "verified".
		if status != contracts.Queried {
			verified := int64(0)
			if status == contracts.Verified {
				verified = qty
			}
			if _, err := tx.ExecContext(ctx, `UPDATE commitments SET claimed_milli = claimed_milli - $1, verified_milli = verified_milli + $2 WHERE id = $3`, qty, verified, commitment); err != nil {
				return fmt.Errorf("decide line: %w", err)
			}
		}
		return s.record(ctx, tx, contractEvent(actor, "delivery.line."+status, contract, map[string]any{"line": lineID, "status": before}, map[string]any{"line": lineID, "status": status, "note": note}))
	})
}

// RaiseConcern records a resident's flag on a delivery line.
func (s *Store) RaiseConcern(ctx context.Context, actor auth.Actor, lineID int64, body string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var contract int64
		if err := tx.QueryRowContext(ctx, `SELECT r.contract_id FROM delivery_lines l JOIN delivery_reports r ON r.id = l.report_id WHERE l.id = $1`, lineID).Scan(&contract); err != nil {
			return notFound(err, "raise concern")
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO delivery_concerns (line_id, user_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id`, lineID, actorRef(actor), body, now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("raise concern: %w", err)
		}
		return s.record(ctx, tx, contractEvent(actor, "delivery.concern", contract, nil, map[string]any{"line": lineID, "concern": id}))
	})
}

// RespondConcern publishes the buyer's response to a concern.
func (s *Store) RespondConcern(ctx context.Context, actor auth.Actor, contractID, concernID int64, response string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE delivery_concerns SET response = $1, responded_by = $2, responded_at = $3
WHERE id = $4 AND line_id IN (SELECT l.id FROM delivery_lines l JOIN delivery_reports r ON r.id = l.report_id WHERE r.contract_id = $5)`, response, actorRef(actor), now.UTC(), concernID, contractID)
		if err != nil {
			return fmt.Errorf("respond to concern: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("respond to concern: %w", problem.ErrNotFound)
		}
		return s.record(ctx, tx, contractEvent(actor, "delivery.concern.respond", contractID, nil, map[string]any{"concern": concernID, "response": response}))
	})
}

// DashFilter scopes a delivery dashboard (0 = any).
type DashFilter struct {
	ContractID    int64
	BuyerOrgID    int64
	SupplierOrgID int64
}

// Dashboard sums committed and verified delivery by priority, district and
// measure. It reads each commitment's running verified total (kept by
// SubmitReport and DecideLine), so its cost grows with commitments, not
// with delivery lines.
func (s *Store) Dashboard(ctx context.Context, f DashFilter) (contracts.Dashboard, error) {
	var d contracts.Dashboard
	if err := s.readRow(ctx, `SELECT COUNT(*), COALESCE(SUM(value_pence), 0) FROM contracts c WHERE ($1 = 0 OR c.id = $1) AND ($2 = 0 OR c.buyer_org_id = $2) AND ($3 = 0 OR c.supplier_org_id = $3)`,
		f.ContractID, f.BuyerOrgID, f.SupplierOrgID).Scan(&d.Contracts, &d.ValuePence); err != nil {
		return d, fmt.Errorf("dashboard: %w", wrapConn(err))
	}
	// One pass over the commitments in scope, grouped by measure and area
	// (a few hundred groups at most); the three views are sums of these
	// groups, made in Go. Completion sums are additive, so this is exact.
	where, args := `WHERE ($1 = 0 OR c.contract_id = $1)`, []any{f.ContractID}
	if f.BuyerOrgID != 0 || f.SupplierOrgID != 0 {
		where = `JOIN contracts ct ON ct.id = c.contract_id WHERE ($1 = 0 OR ct.id = $1) AND ($2 = 0 OR ct.buyer_org_id = $2) AND ($3 = 0 OR ct.supplier_org_id = $3)`
		args = append(args, f.BuyerOrgID, f.SupplierOrgID)
	}
	type group struct {
		measure, wording, unit, priority, ptitle, district, dname string
		position                                                  int
		row                                                       contracts.DashRow
	}
	groups, err := query(ctx, s, "dashboard", func(r *sql.Rows) (group, error) {
		var g group
		return g, r.Scan(&g.measure, &g.wording, &g.unit, &g.priority, &g.ptitle, &g.position, &g.district, &g.dname, &g.row.Commitments, &g.row.CommittedMilli, &g.row.VerifiedMilli, &g.row.CompletionSum)
	}, `SELECT m.code, m.wording, m.unit, p.code, p.title, p.position, COALESCE(dd.code, ''), COALESCE(dd.name, ''), g.n, g.committed, g.verified, g.completion
FROM (SELECT c.measure_id, c.area_code, COUNT(*) AS n, CAST(SUM(c.quantity_milli) AS BIGINT) AS committed, CAST(SUM(c.verified_milli) AS BIGINT) AS verified,
  CAST(SUM(CASE WHEN c.quantity_milli <= 0 OR c.verified_milli >= c.quantity_milli THEN 1000 ELSE c.verified_milli * 1000 / c.quantity_milli END) AS BIGINT) AS completion
  FROM commitments c `+where+` GROUP BY c.measure_id, c.area_code) g
JOIN measures m ON m.id = g.measure_id JOIN outcomes oc ON oc.id = m.outcome_id JOIN priorities p ON p.id = oc.priority_id
LEFT JOIN geo_wards w ON w.code = g.area_code LEFT JOIN geo_districts dd ON dd.code = COALESCE(w.district_code, g.area_code)`, args...)
	if err != nil {
		return d, err
	}
	pos := map[string]int{}
	// into adds a group's sums to the row for key, making the row on first sight.
	into := func(list *[]contracts.DashRow, at map[string]int, key, label, unit string, g contracts.DashRow) {
		i, ok := at[key]
		if !ok {
			i = len(*list)
			at[key] = i
			*list = append(*list, contracts.DashRow{Key: key, Label: label, Unit: unit})
		}
		r := &(*list)[i]
		r.Commitments += g.Commitments
		r.CommittedMilli += g.CommittedMilli
		r.VerifiedMilli += g.VerifiedMilli
		r.CompletionSum += g.CompletionSum
	}
	atP, atD, atM := map[string]int{}, map[string]int{}, map[string]int{}
	for _, g := range groups {
		pos[g.priority] = g.position
		if g.district == "" {
			g.dname = "Across Greater Manchester"
		}
		into(&d.ByPriority, atP, g.priority, g.ptitle, "", g.row)
		into(&d.ByDistrict, atD, g.district, g.dname, "", g.row)
		into(&d.ByMeasure, atM, g.measure, g.wording, g.unit, g.row)
	}
	slices.SortFunc(d.ByPriority, func(a, b contracts.DashRow) int { return pos[a.Key] - pos[b.Key] })
	slices.SortFunc(d.ByDistrict, func(a, b contracts.DashRow) int {
		if (a.Key == "") != (b.Key == "") {
			if a.Key == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Label, b.Label)
	})
	slices.SortFunc(d.ByMeasure, func(a, b contracts.DashRow) int { return strings.Compare(a.Key, b.Key) })
	return d, nil
}

// OCDSInput gathers every published tender with its award, contract and
// parties for an OCDS release package.
func (s *Store) OCDSInput(ctx context.Context, now time.Time) (ocds.Input, error) {
	in := ocds.Input{Awards: map[int64]ocds.AwardInfo{}, Contracts: map[int64]contracts.Contract{}, Orgs: map[int64]orgs.Organisation{},
		Commitments: map[int64][]contracts.Commitment{}, UnitValues: map[int64]map[int64]framework.UnitValue{}, Now: now}
	var err error
	if in.Tenders, err = s.ListTenders(ctx, TenderFilter{Public: true}, now); err != nil {
		return in, err
	}
	if in.Notices, err = s.AllNotices(ctx); err != nil {
		return in, err
	}
	awards, err := query(ctx, s, "ocds awards", func(r *sql.Rows) (Award, error) {
		var a Award
		return a, r.Scan(&a.TenderID, &a.SupplierID, &a.ValuePence, &a.DecidedAt)
	}, `SELECT tender_id, supplier_org_id, value_pence, decided_at FROM awards ORDER BY tender_id`)
	if err != nil {
		return in, err
	}
	for _, a := range awards {
		in.Awards[a.TenderID] = ocds.AwardInfo{SupplierID: a.SupplierID, ValuePence: a.ValuePence, DecidedAt: a.DecidedAt}
	}
	cs, err := s.ListContracts(ctx, ContractFilter{})
	if err != nil {
		return in, err
	}
	// Every contract's commitments and unit values in two statements: a
	// measure's unit value does not depend on the contract that commits to it.
	commitments, err := s.commitmentsWhere(ctx, `1 = 1`)
	if err != nil {
		return in, err
	}
	values, err := s.unitValues(ctx, `m.id IN (SELECT c.measure_id FROM commitments c)`)
	if err != nil {
		return in, err
	}
	byContract := map[int64][]contracts.Commitment{}
	for _, c := range commitments {
		byContract[c.ContractID] = append(byContract[c.ContractID], c)
	}
	ids := map[int64]bool{}
	for _, c := range cs {
		in.Contracts[c.TenderID] = c
		ids[c.SupplierID] = true
		in.Commitments[c.ID] = byContract[c.ID]
		uv := map[int64]framework.UnitValue{}
		for _, m := range byContract[c.ID] {
			if v, ok := values[m.MeasureID]; ok {
				uv[m.MeasureID] = v
			}
		}
		in.UnitValues[c.ID] = uv
	}
	for _, t := range in.Tenders {
		ids[t.BuyerOrgID] = true
	}
	for _, a := range awards {
		ids[a.SupplierID] = true
	}
	bidders, err := s.ocdsDelivery(ctx, &in) // ocds.go
	if err != nil {
		return in, err
	}
	for _, id := range bidders {
		ids[id] = true
	}
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	if in.Orgs, err = s.organisationsByID(ctx, list); err != nil {
		return in, err
	}
	return in, nil
}
