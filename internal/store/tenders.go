package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/tenders"
)

func tenderEvent(actor auth.Actor, action string, id int64, before, after any) audit.Event {
	return audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action, ObjectType: "tender", ObjectID: strconv.FormatInt(id, 10), Summary: audit.Summary(before, after)}
}

// RecordRefusal audits a refused attempt (a late upload, marking after
// moderation, reporting on another's contract) in its own transaction, so
// the refusal is on the record even though nothing changed.
func (s *Store) RecordRefusal(ctx context.Context, actor auth.Actor, action, objectType, objectID, reason string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action + ".refused", ObjectType: objectType, ObjectID: objectID,
			Summary: audit.Summary(nil, map[string]string{"reason": reason})})
	})
}

// CreateTender stores a draft tender; wrap makes its sealed key once the id is known.
func (s *Store) CreateTender(ctx context.Context, actor auth.Actor, t tenders.Tender, wrap func(id int64) []byte, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = insertTender(ctx, tx, actor, t, wrap, now); err != nil {
			return err
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.create", id, nil, tenderSummary(t)))
	})
	return id, err
}

// insertTender writes a new draft tender (or lot, when t.ParentID is set)
// with its own sealing key and its model.
func insertTender(ctx context.Context, tx *sql.Tx, actor auth.Actor, t tenders.Tender, wrap func(id int64) []byte, now time.Time) (int64, error) {
	var id int64
	var round, parent any
	if t.WeightsRound != 0 {
		round = t.WeightsRound
	}
	if t.ParentID != 0 {
		parent = t.ParentID
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO tenders (buyer_org_id, title, description, cpv, value_pence, deadline, status, w_price, w_quality, w_sv, sv_minimum, alpha_percent, method, framework_id, weights_round_id, gates, reservation, sealed_key, created_by, created_at, parent_id, lot_number)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id`,
		t.BuyerOrgID, t.Title, t.Description, t.CPV, t.ValuePence, t.Deadline.UTC(), tenders.Draft, t.WPrice, t.WQuality, t.WSV, t.SVMinimum, t.AlphaPercent, t.Method,
		t.FrameworkID, round, strings.Join(t.Gates, " "), t.Reservation, []byte{0}, actorRef(actor), now.UTC(), parent, t.LotNumber).Scan(&id); err != nil {
		return 0, fmt.Errorf("create tender: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tenders SET sealed_key = $1 WHERE id = $2`, wrap(id), id); err != nil {
		return 0, fmt.Errorf("create tender: %w", err)
	}
	return id, writeModel(ctx, tx, id, t)
}

func tenderSummary(t tenders.Tender) map[string]any {
	return map[string]any{"title": t.Title, "value_pence": t.ValuePence, "deadline": t.Deadline.UTC(), "weights": []int{t.WPrice, t.WQuality, t.WSV},
		"alpha_percent": t.AlphaPercent, "method": t.Method, "gates": t.Gates, "people_weights_round": t.WeightsRound, "measures": len(t.Measures), "criteria": len(t.Criteria)}
}

func writeModel(ctx context.Context, tx *sql.Tx, id int64, t tenders.Tender) error {
	uplift := ""
	if t.Uplift != nil {
		b, err := json.Marshal(t.Uplift)
		if err != nil {
			return fmt.Errorf("tender uplift: %w", err)
		}
		uplift = string(b)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tenders SET uplift = $1 WHERE id = $2`, uplift, id); err != nil {
		return fmt.Errorf("tender uplift: %w", err)
	}
	if err := writeAct(ctx, tx, id, t); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM tender_criteria WHERE tender_id = $1`, `DELETE FROM tender_measures WHERE tender_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("tender model: %w", err)
		}
	}
	for i, c := range t.Criteria {
		d, _ := json.Marshal(c.Descriptors)
		if _, err := tx.ExecContext(ctx, `INSERT INTO tender_criteria (tender_id, position, title, weight, descriptors) VALUES ($1, $2, $3, $4, $5)`, id, i, c.Title, c.Weight, string(d)); err != nil {
			return fmt.Errorf("tender criteria: %w", err)
		}
	}
	for i, m := range t.Measures {
		if _, err := tx.ExecContext(ctx, `INSERT INTO tender_measures (tender_id, measure_id, position) VALUES ($1, $2, $3)`, id, m.ID, i); err != nil {
			return fmt.Errorf("tender measures: %w", err)
		}
	}
	return nil
}

// UpdateTender changes a draft tender and its model.
func (s *Store) UpdateTender(ctx context.Context, actor auth.Actor, t tenders.Tender) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		t := t // the caller's tender on every attempt (tx may run this again)
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM tenders WHERE id = $1`, t.ID).Scan(&status); err != nil {
			return notFound(err, "update tender")
		}
		if status != tenders.Draft {
			return fmt.Errorf("only a draft tender can be edited; this one is %s: %w", status, problem.ErrConflict)
		}
		var parent int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(parent_id, 0) FROM tenders WHERE id = $1`, t.ID).Scan(&parent); err != nil {
			return fmt.Errorf("update tender: %w", err)
		}
		if parent != 0 { // a lot: the procurement-level facts stay its container's
			c, err := scanTender(tx.QueryRowContext(ctx, `SELECT `+tenderCols+` FROM tenders t JOIN organisations o ON o.id = t.buyer_org_id WHERE t.id = $1`, parent))
			if err != nil {
				return fmt.Errorf("update lot: %w", err)
			}
			number := t.LotNumber
			t = c.Lot(t)
			t.LotNumber = number
		}
		var round any
		if t.WeightsRound != 0 {
			round = t.WeightsRound
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tenders SET title = $1, description = $2, cpv = $3, value_pence = $4, deadline = $5, w_price = $6, w_quality = $7, w_sv = $8, alpha_percent = $9, method = $10, weights_round_id = $11, gates = $12, reservation = $13 WHERE id = $14`,
			t.Title, t.Description, t.CPV, t.ValuePence, t.Deadline.UTC(), t.WPrice, t.WQuality, t.WSV, t.AlphaPercent, t.Method, round, strings.Join(t.Gates, " "), t.Reservation, t.ID); err != nil {
			return fmt.Errorf("update tender: %w", err)
		}
		if err := writeModel(ctx, tx, t.ID, t); err != nil {
			return err
		}
		if err := syncLots(ctx, tx, t.ID, parent); err != nil {
			return err
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.update", t.ID, nil, tenderSummary(t)))
	})
}

const tenderCols = `t.id, t.buyer_org_id, o.legal_name, o.slug, t.title, t.description, t.cpv, t.value_pence, t.deadline, t.status, t.w_price, t.w_quality, t.w_sv, t.sv_minimum, t.alpha_percent, t.method, t.framework_id, COALESCE(t.weights_round_id, 0), t.gates, t.reservation, t.created_at, t.published_at, t.uplift,
t.procedure_type, t.contract_type, t.direct_ground, t.direct_reason, t.planned_notice, t.period_warning, t.period_case, t.period_reason,
(SELECT COUNT(DISTINCT b.supplier_org_id) FROM bids b WHERE b.tender_id = t.id),
COALESCE(t.parent_id, 0), t.lot_number, (SELECT COUNT(*) FROM tenders l WHERE l.parent_id = t.id),
COALESCE((SELECT SUM(l.value_pence) FROM tenders l WHERE l.parent_id = COALESCE(t.parent_id, t.id)), 0)`

func scanTender(row interface{ Scan(...any) error }) (tenders.Tender, error) {
	var t tenders.Tender
	var gates, uplift, planned string
	err := row.Scan(&t.ID, &t.BuyerOrgID, &t.BuyerName, &t.BuyerSlug, &t.Title, &t.Description, &t.CPV, &t.ValuePence, &t.Deadline, &t.Status, &t.WPrice, &t.WQuality, &t.WSV,
		&t.SVMinimum, &t.AlphaPercent, &t.Method, &t.FrameworkID, &t.WeightsRound, &gates, &t.Reservation, &t.CreatedAt, &t.PublishedAt, &uplift,
		&t.Procedure, &t.ContractType, &t.DirectGround, &t.DirectReason, &planned, &t.PeriodWarning, &t.PeriodCase, &t.PeriodReason, &t.BidCount,
		&t.ParentID, &t.LotNumber, &t.Lots, &t.ProcurementPence)
	t.Gates = strings.Fields(gates)
	t.PlannedNotice = parseDate(planned)
	if err == nil && uplift != "" {
		t.Uplift = &tenders.EvalUplift{}
		if err := json.Unmarshal([]byte(uplift), t.Uplift); err != nil {
			return t, fmt.Errorf("tender %d uplift: %w", t.ID, err)
		}
	}
	return t, err
}

// Tender loads a tender with its criteria and measures. A published tender
// whose deadline has passed is reported closed.
func (s *Store) Tender(ctx context.Context, id int64, now time.Time) (tenders.Tender, error) {
	t, err := scanTender(s.readRow(ctx, `SELECT `+tenderCols+` FROM tenders t JOIN organisations o ON o.id = t.buyer_org_id WHERE t.id = $1`, id))
	if err != nil {
		return t, notFound(err, "tender")
	}
	return s.withModel(ctx, closeIfDue(t, now))
}

// withModel reads t's criteria and measures (with their unit values).
func (s *Store) withModel(ctx context.Context, t tenders.Tender) (tenders.Tender, error) {
	id := t.ID
	var err error
	t.Criteria, err = query(ctx, s, "tender criteria", func(r *sql.Rows) (tenders.Criterion, error) {
		var c tenders.Criterion
		var d string
		if err := r.Scan(&c.ID, &c.Title, &c.Weight, &d); err != nil {
			return c, err
		}
		return c, json.Unmarshal([]byte(d), &c.Descriptors)
	}, `SELECT id, title, weight, descriptors FROM tender_criteria WHERE tender_id = $1 ORDER BY position`, id)
	if err != nil {
		return t, err
	}
	t.Measures, err = query(ctx, s, "tender measures", func(r *sql.Rows) (tenders.Measure, error) {
		var m tenders.Measure
		var year int
		err := r.Scan(&m.ID, &m.Code, &m.Wording, &m.Unit, &m.PriorityCode, &m.PriorityTitle, &m.ProxyPence, &m.ProxySource, &year)
		if m.ProxyPence > 0 {
			m.ProxyPriceYear = strconv.Itoa(year)
		}
		return m, err
	}, `SELECT m.id, m.code, m.wording, m.unit, p.code, p.title,
COALESCE((SELECT pv.pence_per_unit FROM proxy_values pv WHERE pv.measure_id = m.id ORDER BY pv.id LIMIT 1), 0),
COALESCE((SELECT pv.source FROM proxy_values pv WHERE pv.measure_id = m.id ORDER BY pv.id LIMIT 1), ''),
COALESCE((SELECT pv.price_year FROM proxy_values pv WHERE pv.measure_id = m.id ORDER BY pv.id LIMIT 1), 0)
FROM tender_measures tm JOIN measures m ON m.id = tm.measure_id JOIN outcomes oc ON oc.id = m.outcome_id JOIN priorities p ON p.id = oc.priority_id
WHERE tm.tender_id = $1 ORDER BY tm.position`, id)
	if err != nil {
		return t, err
	}
	// A measure's link to an open unit cost comes before a written-in
	// proxy value (framework.Measure.UnitValue).
	links, err := s.tenderLinks(ctx, id)
	if err != nil {
		return t, err
	}
	for i, m := range t.Measures {
		fm := framework.Measure{Links: links[m.ID]}
		if m.ProxyPence > 0 {
			y, _ := strconv.Atoi(m.ProxyPriceYear)
			fm.Proxies = []framework.ProxyValue{{PencePerUnit: m.ProxyPence, Source: m.ProxySource, PriceYear: y}}
		}
		if uv, ok := fm.UnitValue(); ok {
			t.Measures[i].ProxyPence, t.Measures[i].ProxySource, t.Measures[i].ProxyPriceYear = uv.Pence, uv.Source, uv.PriceYear
		}
	}
	return t, nil
}

func closeIfDue(t tenders.Tender, now time.Time) tenders.Tender {
	if t.Status == tenders.Published && !now.Before(t.Deadline) {
		t.Status = tenders.Closed
	}
	return t
}

// TenderFilter narrows a tender list.
type TenderFilter struct {
	BuyerOrgID int64
	Public     bool // only tenders that have been published
	NoLots     bool // tenders and containers of lots, not the lots themselves
}

// ListTenders lists tenders, newest deadline first, without their models.
func (s *Store) ListTenders(ctx context.Context, f TenderFilter, now time.Time) ([]tenders.Tender, error) {
	q := `SELECT ` + tenderCols + ` FROM tenders t JOIN organisations o ON o.id = t.buyer_org_id WHERE ($1 = 0 OR t.buyer_org_id = $1) AND ($2 = 0 OR t.status <> 'draft') AND ($3 = 0 OR t.parent_id IS NULL) ORDER BY t.deadline DESC, t.id DESC`
	pub, nolots := 0, 0
	if f.Public {
		pub = 1
	}
	if f.NoLots {
		nolots = 1
	}
	ts, err := query(ctx, s, "list tenders", func(r *sql.Rows) (tenders.Tender, error) { return scanTender(r) }, q, f.BuyerOrgID, pub, nolots)
	for i := range ts {
		ts[i] = closeIfDue(ts[i], now)
	}
	return ts, err
}

// TenderKey returns a tender's wrapped sealing key.
func (s *Store) TenderKey(ctx context.Context, id int64) ([]byte, error) {
	var k []byte
	err := s.readRow(ctx, `SELECT sealed_key FROM tenders WHERE id = $1`, id).Scan(&k)
	return k, notFound(err, "tender key")
}

// MoveTender changes a tender's state by a person's action (publish,
// evaluated, cancel). A published tender past its deadline counts as closed.
func (s *Store) MoveTender(ctx context.Context, actor auth.Actor, id int64, to string, now time.Time) error {
	return s.moveTender(ctx, actor, id, to, nil, now)
}

// moveTender changes a tender's state; then, when set, runs in the same
// transaction (PublishTender's tender notice).
func (s *Store) moveTender(ctx context.Context, actor auth.Actor, id int64, to string, then func(tx *sql.Tx, title string) error, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status, title string
		var deadline time.Time
		if err := tx.QueryRowContext(ctx, `SELECT status, deadline, title FROM tenders WHERE id = $1`, id).Scan(&status, &deadline, &title); err != nil {
			return notFound(err, "move tender")
		}
		if status == tenders.Published && !now.Before(deadline) {
			status = tenders.Closed
		}
		if !tenders.CanMove(status, to) {
			return fmt.Errorf("a %s tender cannot become %s: %w", status, to, problem.ErrConflict)
		}
		if to == tenders.Published && !now.Before(deadline) {
			return problem.Field("deadline", "The submission deadline has passed; set a later deadline before publishing")
		}
		if err := moveLots(ctx, tx, id, to, now); err != nil {
			return err
		}
		q := `UPDATE tenders SET status = $1 WHERE id = $2`
		if to == tenders.Published {
			q = `UPDATE tenders SET status = $1, published_at = $3 WHERE id = $2`
			_, err := tx.ExecContext(ctx, q, to, id, now.UTC())
			if err != nil {
				return fmt.Errorf("move tender: %w", err)
			}
		} else if _, err := tx.ExecContext(ctx, q, to, id); err != nil {
			return fmt.Errorf("move tender: %w", err)
		}
		if then != nil {
			if err := then(tx, title); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender."+to, id, map[string]string{"status": status}, map[string]string{"status": to}))
	})
}

// TenderDocument is an uploaded tender document.
type TenderDocument struct {
	ID          int64
	TenderID    int64
	Name        string
	ContentType string
	Size        int64
	Content     []byte
	UploadedAt  time.Time
}

// AddTenderDocument stores a document in the database (so every node serves
// it). Documents can be added until the deadline.
func (s *Store) AddTenderDocument(ctx context.Context, actor auth.Actor, d TenderDocument, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		var deadline time.Time
		if err := tx.QueryRowContext(ctx, `SELECT status, deadline FROM tenders WHERE id = $1`, d.TenderID).Scan(&status, &deadline); err != nil {
			return notFound(err, "add document")
		}
		if status != tenders.Draft && !(status == tenders.Published && now.Before(deadline)) {
			return fmt.Errorf("documents cannot be added to a closed tender: %w", problem.ErrForbidden)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO tender_documents (tender_id, name, content_type, size, content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			d.TenderID, d.Name, d.ContentType, int64(len(d.Content)), d.Content, actorRef(actor), now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("add document: %w", err)
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.document.add", d.TenderID, nil, map[string]any{"document": id, "name": d.Name, "size": len(d.Content)}))
	})
}

// TenderDocuments lists a tender's documents without their content.
func (s *Store) TenderDocuments(ctx context.Context, tenderID int64) ([]TenderDocument, error) {
	return query(ctx, s, "tender documents", func(r *sql.Rows) (TenderDocument, error) {
		var d TenderDocument
		return d, r.Scan(&d.ID, &d.TenderID, &d.Name, &d.ContentType, &d.Size, &d.UploadedAt)
	}, `SELECT id, tender_id, name, content_type, size, uploaded_at FROM tender_documents WHERE tender_id = $1 ORDER BY id`, tenderID)
}

// TenderDocumentContent loads one document with its bytes.
func (s *Store) TenderDocumentContent(ctx context.Context, tenderID, id int64) (TenderDocument, error) {
	var d TenderDocument
	err := s.readRow(ctx, `SELECT id, tender_id, name, content_type, size, content, uploaded_at FROM tender_documents WHERE tender_id = $1 AND id = $2`, tenderID, id).
		Scan(&d.ID, &d.TenderID, &d.Name, &d.ContentType, &d.Size, &d.Content, &d.UploadedAt)
	return d, notFound(err, "tender document")
}

// Question is a clarification question; the asker is never shown publicly.
type Question struct {
	ID         int64
	TenderID   int64
	AskerOrgID int64
	Question   string
	Answer     string
	AskedAt    time.Time
	AnsweredAt *time.Time
}

// AskQuestion records a supplier's clarification question.
func (s *Store) AskQuestion(ctx context.Context, actor auth.Actor, q Question, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO tender_questions (tender_id, asker_org_id, question, asked_at) VALUES ($1, $2, $3, $4) RETURNING id`, q.TenderID, q.AskerOrgID, q.Question, now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("ask question: %w", err)
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.question.ask", q.TenderID, nil, map[string]any{"question": id}))
	})
}

// AnswerQuestion publishes the buyer's answer to every bidder.
func (s *Store) AnswerQuestion(ctx context.Context, actor auth.Actor, tenderID, id int64, answer string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE tender_questions SET answer = $1, answered_at = $2 WHERE id = $3 AND tender_id = $4`, answer, now.UTC(), id, tenderID)
		if err != nil {
			return fmt.Errorf("answer question: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("answer question: %w", problem.ErrNotFound)
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.question.answer", tenderID, nil, map[string]any{"question": id, "answer": answer}))
	})
}

// Questions lists a tender's questions, oldest first.
func (s *Store) Questions(ctx context.Context, tenderID int64) ([]Question, error) {
	return query(ctx, s, "questions", func(r *sql.Rows) (Question, error) {
		var q Question
		return q, r.Scan(&q.ID, &q.TenderID, &q.AskerOrgID, &q.Question, &q.Answer, &q.AskedAt, &q.AnsweredAt)
	}, `SELECT id, tender_id, asker_org_id, question, answer, asked_at, answered_at FROM tender_questions WHERE tender_id = $1 ORDER BY id`, tenderID)
}

// SealedBid is a stored bid version: ciphertext and its receipt data.
type SealedBid struct {
	ID          int64
	TenderID    int64
	OrgID       int64
	OrgName     string
	OrgSlug     string
	Version     int
	Sealed      []byte
	SHA256      string
	SubmittedAt time.Time
}

// SubmitBid stores a new bid version. The server refuses anything after the
// deadline by its own clock, in the same transaction as the insert. seal
// encrypts the body for the version it is given.
func (s *Store) SubmitBid(ctx context.Context, actor auth.Actor, tenderID, orgID int64, sha string, seal func(version int) ([]byte, error), files []BidFile, now time.Time) (int, error) {
	var version int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		var deadline time.Time
		if err := tx.QueryRowContext(ctx, `SELECT status, deadline FROM tenders WHERE id = $1`, tenderID).Scan(&status, &deadline); err != nil {
			return notFound(err, "submit bid")
		}
		if status != tenders.Published || !now.Before(deadline) {
			return fmt.Errorf("this tender is not accepting bids (the deadline was %s): %w", deadline.UTC().Format("2 January 2006 15:04 MST"), problem.ErrConflict)
		}
		var lots int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tenders WHERE parent_id = $1`, tenderID).Scan(&lots); err != nil {
			return fmt.Errorf("submit bid: %w", err)
		}
		if lots > 0 {
			return tenders.ErrContainer
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM bids WHERE tender_id = $1 AND supplier_org_id = $2`, tenderID, orgID).Scan(&version); err != nil {
			return fmt.Errorf("submit bid: %w", err)
		}
		box, err := seal(version)
		if err != nil {
			return fmt.Errorf("submit bid: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bids (tender_id, supplier_org_id, version, sealed, sha256, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			tenderID, orgID, version, box, sha, actorRef(actor), now.UTC()); err != nil {
			return fmt.Errorf("submit bid: %w", err)
		}
		for _, f := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO bid_files (tender_id, supplier_org_id, sha256, sealed, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tender_id, supplier_org_id, sha256) DO NOTHING`,
				tenderID, orgID, f.SHA256, f.Sealed, now.UTC()); err != nil {
				return fmt.Errorf("submit bid file: %w", err)
			}
		}
		// The audit event carries the receipt, never the content.
		return s.record(ctx, tx, tenderEvent(actor, "bid.submit", tenderID, nil, map[string]any{"org": orgID, "version": version, "sha256": sha}))
	})
	return version, err
}

// BidFile is an attached file, sealed, named by the SHA-256 of its bytes.
type BidFile struct {
	SHA256 string
	Sealed []byte
}

// SealedBidFile returns one of a bidder's sealed files. Callers decide who
// may open it (tenders.Sealer.OpenFile).
func (s *Store) SealedBidFile(ctx context.Context, tenderID, orgID int64, sha string) ([]byte, error) {
	var box []byte
	err := s.readRow(ctx, `SELECT sealed FROM bid_files WHERE tender_id = $1 AND supplier_org_id = $2 AND sha256 = $3`, tenderID, orgID, sha).Scan(&box)
	return box, notFound(err, "bid file")
}

const bidCols = `b.id, b.tender_id, b.supplier_org_id, o.legal_name, o.slug, b.version, b.sealed, b.sha256, b.submitted_at`

func scanBid(r interface{ Scan(...any) error }) (SealedBid, error) {
	var b SealedBid
	return b, r.Scan(&b.ID, &b.TenderID, &b.OrgID, &b.OrgName, &b.OrgSlug, &b.Version, &b.Sealed, &b.SHA256, &b.SubmittedAt)
}

// OrgBids lists one organisation's bid versions for a tender, newest first.
// Callers must check the asker belongs to that organisation.
func (s *Store) OrgBids(ctx context.Context, tenderID, orgID int64) ([]SealedBid, error) {
	return query(ctx, s, "bids", func(r *sql.Rows) (SealedBid, error) { return scanBid(r) }, `SELECT `+bidCols+` FROM bids b JOIN organisations o ON o.id = b.supplier_org_id WHERE b.tender_id = $1 AND b.supplier_org_id = $2 ORDER BY b.version DESC`, tenderID, orgID)
}

// FinalBids lists each bidder's latest version. It refuses while the
// tender is sealed: the store itself will not hand over other bidders'
// ciphertext before the deadline.
func (s *Store) FinalBids(ctx context.Context, tenderID int64, now time.Time) ([]SealedBid, error) {
	var status string
	var deadline time.Time
	if err := s.readRow(ctx, `SELECT status, deadline FROM tenders WHERE id = $1`, tenderID).Scan(&status, &deadline); err != nil {
		return nil, notFound(err, "bids")
	}
	if status == tenders.Draft || (status == tenders.Published && now.Before(deadline)) {
		return nil, tenders.ErrSealed
	}
	return query(ctx, s, "bids", func(r *sql.Rows) (SealedBid, error) { return scanBid(r) }, `SELECT `+bidCols+` FROM bids b JOIN organisations o ON o.id = b.supplier_org_id
WHERE b.tender_id = $1 AND b.version = (SELECT MAX(x.version) FROM bids x WHERE x.tender_id = b.tender_id AND x.supplier_org_id = b.supplier_org_id) ORDER BY b.submitted_at, b.id`, tenderID)
}

// Evaluator is a person assigned to mark a tender.
type Evaluator struct {
	UserID      int64
	Name        string
	Email       string
	SubmittedAt *time.Time
}

// AssignEvaluators sets who marks a closed tender (replacing those who have
// not yet submitted) and records the tender as closed.
func (s *Store) AssignEvaluators(ctx context.Context, actor auth.Actor, tenderID int64, users []int64, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		var deadline time.Time
		var moderated *time.Time
		if err := tx.QueryRowContext(ctx, `SELECT status, deadline, moderated_at FROM tenders WHERE id = $1`, tenderID).Scan(&status, &deadline, &moderated); err != nil {
			return notFound(err, "assign evaluators")
		}
		if status == tenders.Published && !now.Before(deadline) {
			status = tenders.Closed
		}
		if status != tenders.Closed || moderated != nil {
			return fmt.Errorf("evaluators are assigned after the deadline and before moderation: %w", problem.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tenders SET status = $1 WHERE id = $2`, tenders.Closed, tenderID); err != nil {
			return fmt.Errorf("assign evaluators: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tender_evaluators WHERE tender_id = $1 AND submitted_at IS NULL`, tenderID); err != nil {
			return fmt.Errorf("assign evaluators: %w", err)
		}
		for _, u := range users {
			if _, err := tx.ExecContext(ctx, `INSERT INTO tender_evaluators (tender_id, user_id, assigned_at) VALUES ($1, $2, $3) ON CONFLICT (tender_id, user_id) DO NOTHING`, tenderID, u, now.UTC()); err != nil {
				return fmt.Errorf("assign evaluators: %w", err)
			}
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.evaluators", tenderID, nil, map[string]any{"users": users}))
	})
}

// Evaluators lists a tender's evaluators.
func (s *Store) Evaluators(ctx context.Context, tenderID int64) ([]Evaluator, error) {
	return query(ctx, s, "evaluators", func(r *sql.Rows) (Evaluator, error) {
		var e Evaluator
		return e, r.Scan(&e.UserID, &e.Name, &e.Email, &e.SubmittedAt)
	}, `SELECT u.id, u.name, u.email, e.submitted_at FROM tender_evaluators e JOIN users u ON u.id = e.user_id WHERE e.tender_id = $1 ORDER BY u.name, u.id`, tenderID)
}

// Mark is one evaluator's mark for one bid and criterion (Q1…, or SV).
type Mark struct {
	OrgID       int64
	Criterion   string
	EvaluatorID int64
	Mark        int
	Reason      string
}

// ErrModerated refuses marking once the moderator has recorded consensus.
var ErrModerated = fmt.Errorf("marks cannot change after moderation: %w", problem.ErrForbidden)

// SubmitMarks records an evaluator's complete, independent marks. Marks
// are submitted once; after that the evaluator may see the others'.
func (s *Store) SubmitMarks(ctx context.Context, actor auth.Actor, tenderID int64, marks []Mark, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var moderated *time.Time
		if err := tx.QueryRowContext(ctx, `SELECT moderated_at FROM tenders WHERE id = $1`, tenderID).Scan(&moderated); err != nil {
			return notFound(err, "submit marks")
		}
		if moderated != nil {
			return ErrModerated
		}
		var submitted *time.Time
		if err := tx.QueryRowContext(ctx, `SELECT submitted_at FROM tender_evaluators WHERE tender_id = $1 AND user_id = $2`, tenderID, actor.ID()).Scan(&submitted); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("you are not an evaluator of this tender: %w", problem.ErrForbidden)
			}
			return fmt.Errorf("submit marks: %w", err)
		}
		if submitted != nil {
			return fmt.Errorf("you have already submitted your marks: %w", problem.ErrConflict)
		}
		for _, m := range marks {
			if _, err := tx.ExecContext(ctx, `INSERT INTO evaluator_marks (tender_id, supplier_org_id, criterion, evaluator_id, mark, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
				tenderID, m.OrgID, m.Criterion, actor.ID(), m.Mark, m.Reason); err != nil {
				return fmt.Errorf("submit marks: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tender_evaluators SET submitted_at = $1 WHERE tender_id = $2 AND user_id = $3`, now.UTC(), tenderID, actor.ID()); err != nil {
			return fmt.Errorf("submit marks: %w", err)
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.marks.submit", tenderID, nil, map[string]any{"marks": len(marks)}))
	})
}

// Marks lists every evaluator's marks for a tender. Callers decide who may
// see which (an evaluator sees others' only after submitting their own).
func (s *Store) Marks(ctx context.Context, tenderID int64) ([]Mark, error) {
	return query(ctx, s, "marks", func(r *sql.Rows) (Mark, error) {
		var m Mark
		return m, r.Scan(&m.OrgID, &m.Criterion, &m.EvaluatorID, &m.Mark, &m.Reason)
	}, `SELECT supplier_org_id, criterion, evaluator_id, mark, reason FROM evaluator_marks WHERE tender_id = $1 ORDER BY supplier_org_id, criterion, evaluator_id`, tenderID)
}

// Consensus is the moderated mark for one bid and criterion.
type Consensus struct {
	OrgID     int64
	Criterion string
	Mark      string // exact: "3", "3.5", "11/3"
	Rationale string
}

// Moderate records the consensus marks once every evaluator has submitted,
// and moves the tender to evaluated. Marks are frozen from then on.
func (s *Store) Moderate(ctx context.Context, actor auth.Actor, tenderID int64, cs []Consensus, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		var moderated *time.Time
		if err := tx.QueryRowContext(ctx, `SELECT status, moderated_at FROM tenders WHERE id = $1`, tenderID).Scan(&status, &moderated); err != nil {
			return notFound(err, "moderate")
		}
		if status != tenders.Closed || moderated != nil {
			return fmt.Errorf("moderation happens once, on a closed tender: %w", problem.ErrConflict)
		}
		var total, pending int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(*) - COUNT(submitted_at) FROM tender_evaluators WHERE tender_id = $1`, tenderID).Scan(&total, &pending); err != nil {
			return fmt.Errorf("moderate: %w", err)
		}
		if total == 0 || pending > 0 {
			return fmt.Errorf("every assigned evaluator must submit marks before moderation (%d of %d outstanding): %w", pending, total, problem.ErrConflict)
		}
		for _, c := range cs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO consensus_marks (tender_id, supplier_org_id, criterion, mark, rationale, moderator_id) VALUES ($1, $2, $3, $4, $5, $6)`,
				tenderID, c.OrgID, c.Criterion, c.Mark, c.Rationale, actorRef(actor)); err != nil {
				return fmt.Errorf("moderate: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tenders SET status = $1, moderated_at = $2 WHERE id = $3`, tenders.Evaluated, now.UTC(), tenderID); err != nil {
			return fmt.Errorf("moderate: %w", err)
		}
		return s.record(ctx, tx, tenderEvent(actor, "tender.moderate", tenderID, map[string]string{"status": status}, map[string]any{"status": tenders.Evaluated, "consensus": cs}))
	})
}

// ConsensusMarks lists the moderated marks.
func (s *Store) ConsensusMarks(ctx context.Context, tenderID int64) ([]Consensus, error) {
	return query(ctx, s, "consensus", func(r *sql.Rows) (Consensus, error) {
		var c Consensus
		return c, r.Scan(&c.OrgID, &c.Criterion, &c.Mark, &c.Rationale)
	}, `SELECT supplier_org_id, criterion, mark, rationale FROM consensus_marks WHERE tender_id = $1 ORDER BY supplier_org_id, criterion`, tenderID)
}

// actorRef is the actor's user id for a nullable users(id) column: NULL for
// the system (demo seed, jobs).
func actorRef(a auth.Actor) any {
	if a.ID() == 0 {
		return nil
	}
	return a.ID()
}

// TenderWeights is what a tender's pages say of the People's Weights it
// uses: the round's title and the published weights, without the results
// document and export that PublishedWeights also reads.
type TenderWeights struct {
	RoundTitle  string
	Weights     string // JSON: {"P1": share, …}
	BallotCount int
	PublishedAt time.Time
}

// TenderWeights reads the published People's Weights of a round with the
// round's title, in one query.
func (s *Store) TenderWeights(ctx context.Context, roundID int64) (TenderWeights, error) {
	var w TenderWeights
	err := s.readRow(ctx, `SELECT r.title, pw.weights, pw.ballot_count, pw.published_at FROM people_weights pw JOIN priority_rounds r ON r.id = pw.round_id WHERE pw.round_id = $1`, roundID).
		Scan(&w.RoundTitle, &w.Weights, &w.BallotCount, &w.PublishedAt)
	return w, notFound(err, "people's weights")
}

// RefTenderList is the generation of what the tender list reads (migration
// 55): tenders and their buyers' names, not bids.
const RefTenderList = "tender-list"

// RefFrameworkTree is the generation of framework editions' trees
// (migration 55): editions, priorities, outcomes, measures, proxy values and
// links to unit costs with their sources.
const RefFrameworkTree = "framework-tree"

// RefContractDashboard is the generation of what the contracts dashboard
// reads (migration 55): contracts, commitments, the organisations named,
// measures up to their priorities, unit values, price indexes and area
// names.
const RefContractDashboard = "contract-dashboard"

// tenderListCols are tenderCols without anything about bids: the bid count
// is 0, so a list kept between requests (under RefTenderList, which bids
// do not raise) holds nothing about sealed bids.
const tenderListCols = `t.id, t.buyer_org_id, o.legal_name, o.slug, t.title, t.description, t.cpv, t.value_pence, t.deadline, t.status, t.w_price, t.w_quality, t.w_sv, t.sv_minimum, t.alpha_percent, t.method, t.framework_id, COALESCE(t.weights_round_id, 0), t.gates, t.reservation, t.created_at, t.published_at, t.uplift,
t.procedure_type, t.contract_type, t.direct_ground, t.direct_reason, t.planned_notice, t.period_warning, t.period_case, t.period_reason,
0,
COALESCE(t.parent_id, 0), t.lot_number, (SELECT COUNT(*) FROM tenders l WHERE l.parent_id = t.id),
COALESCE((SELECT SUM(l.value_pence) FROM tenders l WHERE l.parent_id = COALESCE(t.parent_id, t.id)), 0)`

// TenderListing lists tenders as ListTenders does (newest deadline first,
// without their models) but as stored: a published tender past its
// deadline is still published here (the caller closes it at its own now),
// and BidCount is always 0. What it returns depends only on tables behind
// RefTenderList.
func (s *Store) TenderListing(ctx context.Context, f TenderFilter) ([]tenders.Tender, error) {
	q := `SELECT ` + tenderListCols + ` FROM tenders t JOIN organisations o ON o.id = t.buyer_org_id WHERE ($1 = 0 OR t.buyer_org_id = $1) AND ($2 = 0 OR t.status <> 'draft') AND ($3 = 0 OR t.parent_id IS NULL) ORDER BY t.deadline DESC, t.id DESC`
	pub, nolots := 0, 0
	if f.Public {
		pub = 1
	}
	if f.NoLots {
		nolots = 1
	}
	return query(ctx, s, "tender listing", func(r *sql.Rows) (tenders.Tender, error) { return scanTender(r) }, q, f.BuyerOrgID, pub, nolots)
}
