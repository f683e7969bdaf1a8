package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
)

func roundEvent(actor auth.Actor, action string, id int64, before, after any) audit.Event {
	return audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action, ObjectType: "priority_round", ObjectID: strconv.FormatInt(id, 10), Summary: audit.Summary(before, after)}
}

// CreateRound stores a draft round with the priorities it weighs.
func (s *Store) CreateRound(ctx context.Context, actor auth.Actor, r priorities.Round) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var owner, creator any
		if r.OwnerOrgID != 0 {
			owner = r.OwnerOrgID
		}
		if actor.ID() != 0 { // 0: the system (demo seed)
			creator = actor.ID()
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO priority_rounds (title, explanation, framework_id, scope_district, opens_at, closes_at, status, owner_org_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			r.Title, r.Explanation, r.FrameworkID, r.ScopeDistrict, r.OpensAt.UTC(), r.ClosesAt.UTC(), priorities.Draft, owner, creator, time.Now().UTC()).Scan(&id); err != nil {
			return fmt.Errorf("create round: %w", err)
		}
		for i, p := range r.Priorities {
			// The priority must belong to the round's framework edition.
			res, err := tx.ExecContext(ctx, `INSERT INTO round_priorities (round_id, priority_id, position) SELECT $1, id, $2 FROM priorities WHERE id = $3 AND framework_id = $4`, id, i+1, p.ID, r.FrameworkID)
			if err != nil {
				return fmt.Errorf("round priority: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return problem.Field("priorities", "Priority %d is not part of the chosen framework edition", p.ID)
			}
		}
		return s.record(ctx, tx, roundEvent(actor, "priority_round.create", id, nil, map[string]any{"title": r.Title, "framework_id": r.FrameworkID, "scope": r.ScopeDistrict, "priorities": len(r.Priorities)}))
	})
	return id, err
}

const roundCols = `r.id, r.title, r.explanation, r.framework_id, f.name || ' ' || f.edition, r.scope_district, COALESCE(d.name, ''), r.opens_at, r.closes_at, r.status, COALESCE(r.owner_org_id, 0), COALESCE(r.created_by, 0), r.created_at,
	(SELECT COUNT(*) FROM ballots b WHERE b.round_id = r.id)`

const roundFrom = ` FROM priority_rounds r JOIN frameworks f ON f.id = r.framework_id LEFT JOIN geo_districts d ON d.code = r.scope_district`

func scanRound(row interface{ Scan(...any) error }) (priorities.Round, error) {
	var r priorities.Round
	err := row.Scan(&r.ID, &r.Title, &r.Explanation, &r.FrameworkID, &r.FrameworkName, &r.ScopeDistrict, &r.ScopeName, &r.OpensAt, &r.ClosesAt, &r.Status, &r.OwnerOrgID, &r.CreatedBy, &r.CreatedAt, &r.Ballots)
	return r, err
}

// Round loads a round with its priorities in order.
func (s *Store) Round(ctx context.Context, id int64) (priorities.Round, error) {
	r, err := scanRound(s.readRow(ctx, `SELECT `+roundCols+roundFrom+` WHERE r.id = $1`, id))
	if err != nil {
		return r, notFound(err, "round")
	}
	rows, err := s.read(ctx, `SELECT p.id, p.code, p.title, p.description FROM round_priorities rp JOIN priorities p ON p.id = rp.priority_id WHERE rp.round_id = $1 ORDER BY rp.position`, id)
	if err != nil {
		return r, fmt.Errorf("round priorities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p priorities.RoundPriority
		if err := rows.Scan(&p.ID, &p.Code, &p.Title, &p.Description); err != nil {
			return r, err
		}
		r.Priorities = append(r.Priorities, p)
	}
	return r, rows.Err()
}

// UpdateRound edits a draft round's details and priorities. Once a round
// is open its priorities and rules are fixed: ballots depend on them.
func (s *Store) UpdateRound(ctx context.Context, actor auth.Actor, r priorities.Round) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		var fid int64
		if err := tx.QueryRowContext(ctx, `SELECT status, framework_id FROM priority_rounds WHERE id = $1`, r.ID).Scan(&status, &fid); err != nil {
			return notFound(err, "update round")
		}
		if status != priorities.Draft {
			return fmt.Errorf("a round's priorities and rules cannot change once it is %s: %w", status, problem.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE priority_rounds SET title = $1, explanation = $2, scope_district = $3, opens_at = $4, closes_at = $5 WHERE id = $6`,
			r.Title, r.Explanation, r.ScopeDistrict, r.OpensAt.UTC(), r.ClosesAt.UTC(), r.ID); err != nil {
			return fmt.Errorf("update round: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM round_priorities WHERE round_id = $1`, r.ID); err != nil {
			return fmt.Errorf("update round: %w", err)
		}
		for i, p := range r.Priorities {
			res, err := tx.ExecContext(ctx, `INSERT INTO round_priorities (round_id, priority_id, position) SELECT $1, id, $2 FROM priorities WHERE id = $3 AND framework_id = $4`, r.ID, i+1, p.ID, fid)
			if err != nil {
				return fmt.Errorf("round priority: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return problem.Field("priorities", "Priority %d is not part of the round's framework edition", p.ID)
			}
		}
		return s.record(ctx, tx, roundEvent(actor, "priority_round.update", r.ID, nil, map[string]any{"title": r.Title, "scope": r.ScopeDistrict, "priorities": len(r.Priorities)}))
	})
}

// ListRounds lists rounds, newest first.
func (s *Store) ListRounds(ctx context.Context) ([]priorities.Round, error) {
	rows, err := s.read(ctx, `SELECT `+roundCols+roundFrom+` ORDER BY r.created_at DESC, r.id DESC`)
	return collect("list rounds", rows, err, func(r *sql.Rows) (priorities.Round, error) { return scanRound(r) })
}

// MoveRound changes a round's state (draft → open → closed); publishing
// goes through PublishRound, which freezes the weights.
func (s *Store) MoveRound(ctx context.Context, actor auth.Actor, id int64, to string, now time.Time) error {
	if to == priorities.Published {
		return errors.New("move round: publish with PublishRound")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var from string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM priority_rounds WHERE id = $1`, id).Scan(&from); err != nil {
			return notFound(err, "move round")
		}
		if !priorities.CanMove(from, to) {
			return fmt.Errorf("a %s round cannot become %s: %w", from, to, problem.ErrConflict)
		}
		q := `UPDATE priority_rounds SET status = $1 WHERE id = $2`
		args := []any{to, id}
		switch to {
		case priorities.Open: // opening now, if the planned time is later
			q = `UPDATE priority_rounds SET status = $1, opens_at = CASE WHEN opens_at > $3 THEN $3 ELSE opens_at END WHERE id = $2`
			args = append(args, now.UTC())
		case priorities.Closed: // closing early ends the window now
			q = `UPDATE priority_rounds SET status = $1, closes_at = CASE WHEN closes_at > $3 THEN $3 ELSE closes_at END WHERE id = $2`
			args = append(args, now.UTC())
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("move round: %w", err)
		}
		return s.record(ctx, tx, roundEvent(actor, "priority_round."+to, id, map[string]string{"status": from}, map[string]string{"status": to}))
	})
}

// Ballot is a ballot to store. VoterKey identifies the voter within the
// round ("user:ID" online, "code:HASH" on paper) and is never exported.
type Ballot struct {
	RoundID       int64
	VoterKey      string
	Channel       string
	WorkshopOrgID int64
	Postcode      string
	DistrictCode  string
	WardCode      string
	IMDDecile     int
	// Confidence says how the district was known: the postcode lookup's
	// class, or geo.Stated when the voter chose it from a list because
	// the postcode is not in the loaded tables.
	Confidence geo.Confidence
	Comment    string
	Points     map[int64]int           // priority id → points
	Answers    priorities.Demographics // nil without consent
	CodeHash   string                  // paper ballots: the single-use code, consumed here
	Line       int                     // CSV line, for error reports
}

func randomID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// ErrRoundClosed wraps the reason a round refused a ballot.
type ErrRoundClosed struct{ Reason string }

func (e ErrRoundClosed) Error() string { return e.Reason }

// submitBallot stores one ballot in tx, replacing the voter's earlier one.
func (s *Store) submitBallot(ctx context.Context, tx *sql.Tx, actor auth.Actor, b Ballot, now time.Time) (replaced bool, err error) {
	r, err := scanRound(tx.QueryRowContext(ctx, `SELECT `+roundCols+roundFrom+` WHERE r.id = $1`, b.RoundID))
	if err != nil {
		return false, notFound(err, "round")
	}
	if ok, why := r.AcceptsBallots(now); !ok {
		return false, ErrRoundClosed{Reason: why}
	}
	if b.CodeHash != "" {
		var org int64
		err := tx.QueryRowContext(ctx, `UPDATE ballot_codes SET used_at = $1 WHERE code_hash = $2 AND round_id = $3 AND used_at IS NULL RETURNING org_id`, now.UTC(), b.CodeHash, b.RoundID).Scan(&org)
		if errors.Is(err, sql.ErrNoRows) {
			return false, problem.Field("code", "This ballot code is not one of this round's codes, or it has already been used")
		}
		if err != nil {
			return false, fmt.Errorf("use ballot code: %w", err)
		}
		if org != b.WorkshopOrgID {
			return false, problem.Field("code", "This ballot code belongs to another organisation")
		}
	}
	var workshop any
	if b.WorkshopOrgID != 0 {
		workshop = b.WorkshopOrgID
	}
	var id int64
	var publicID string
	// One ballot per voter per round: a resubmission updates the same row,
	// and concurrent submissions serialise on the unique key.
	err = tx.QueryRowContext(ctx, `INSERT INTO ballots (round_id, voter_key, public_id, channel, workshop_org_id, postcode, district_code, ward_code, imd_decile, comment, comment_status, submitted_at, place_confidence)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (round_id, voter_key) DO UPDATE SET postcode = excluded.postcode, district_code = excluded.district_code, ward_code = excluded.ward_code,
			imd_decile = excluded.imd_decile, place_confidence = excluded.place_confidence, comment = excluded.comment, comment_status = excluded.comment_status, submitted_at = excluded.submitted_at
		RETURNING id, public_id`,
		b.RoundID, b.VoterKey, randomID(), b.Channel, workshop, b.Postcode, b.DistrictCode, b.WardCode, b.IMDDecile, b.Comment, commentStatus(b.Comment), now.UTC(), string(b.Confidence)).Scan(&id, &publicID)
	if err != nil {
		return false, fmt.Errorf("store ballot: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM ballot_points WHERE ballot_id = $1`, id)
	if err != nil {
		return false, fmt.Errorf("replace ballot: %w", err)
	}
	n, _ := res.RowsAffected()
	replaced = n > 0
	ids, err := roundPriorityIDs(ctx, tx, b.RoundID)
	if err != nil {
		return false, err
	}
	for _, p := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ballot_points (ballot_id, priority_id, points) VALUES ($1, $2, $3)`, id, p, b.Points[p]); err != nil {
			return false, fmt.Errorf("store points: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ballot_demographics WHERE ballot_id = $1`, id); err != nil {
		return false, fmt.Errorf("replace answers: %w", err)
	}
	if b.Answers != nil {
		a := b.Answers
		if _, err := tx.ExecContext(ctx, `INSERT INTO ballot_demographics (ballot_id, age_band, disability, ethnicity, employment) VALUES ($1, $2, $3, $4, $5)`,
			id, a["age_band"], a["disability"], a["ethnicity"], a["employment"]); err != nil {
			return false, fmt.Errorf("store answers: %w", err)
		}
	}
	action := "ballot.submit"
	if replaced {
		action = "ballot.replace"
	}
	// The audit trail records that a ballot was cast, not how.
	return replaced, s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action, ObjectType: "ballot", ObjectID: publicID,
		Summary: audit.Summary(nil, map[string]any{"round_id": b.RoundID, "channel": b.Channel})})
}

func commentStatus(c string) string {
	if c == "" {
		return "none"
	}
	return "pending"
}

// SubmitBallot stores (or replaces) one ballot.
func (s *Store) SubmitBallot(ctx context.Context, actor auth.Actor, b Ballot, now time.Time) (replaced bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		replaced, err = s.submitBallot(ctx, tx, actor, b, now)
		return err
	})
	return replaced, err
}

// SubmitPaperBallots stores a workshop's whole file of paper ballots, or
// none of them: any refused row is reported with its line.
func (s *Store) SubmitPaperBallots(ctx context.Context, actor auth.Actor, file string, bs []Ballot, now time.Time) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		fe := &problem.FileErrors{File: file} // afresh on every attempt (tx may run this again)
		for _, b := range bs {
			// A savepoint per row lets us carry on and list every bad row.
			if _, err := tx.ExecContext(ctx, `SAVEPOINT paper_row`); err != nil {
				return err
			}
			if _, err := s.submitBallot(ctx, tx, actor, b, now); err != nil {
				var inv *problem.Invalid
				if !errors.As(err, &inv) {
					return err // a closed round or a database fault ends the whole file
				}
				fe.Add(b.Line, "%s", inv.Fields[0].Message)
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT paper_row`); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT paper_row`); err != nil {
				return err
			}
		}
		return fe.Err()
	})
	return err
}

func roundPriorityIDs(ctx context.Context, tx *sql.Tx, roundID int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT priority_id FROM round_priorities WHERE round_id = $1 ORDER BY position`, roundID)
	return collect("round priorities", rows, err, scanInt64)
}

// CreateCodes stores the hashes of single-use paper ballot codes that an
// organisation will hand out at its workshops.
func (s *Store) CreateCodes(ctx context.Context, actor auth.Actor, roundID, orgID int64, hashes []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := time.Now().UTC()
		for _, h := range hashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ballot_codes (code_hash, round_id, org_id, created_at) VALUES ($1, $2, $3, $4)`, h, roundID, orgID, now); err != nil {
				return fmt.Errorf("create ballot codes: %w", err)
			}
		}
		return s.record(ctx, tx, roundEvent(actor, "priority_round.codes", roundID, nil, map[string]any{"org_id": orgID, "codes": len(hashes)}))
	})
}

// CodeCounts says how many of an organisation's codes exist and are used.
func (s *Store) CodeCounts(ctx context.Context, roundID, orgID int64) (issued, used int, err error) {
	err = s.readRow(ctx, `SELECT COUNT(*), COUNT(used_at) FROM ballot_codes WHERE round_id = $1 AND org_id = $2`, roundID, orgID).Scan(&issued, &used)
	return issued, used, err
}

// CodeStates returns, for each of an organisation's codes in a round (by
// hash), whether it has been used.
func (s *Store) CodeStates(ctx context.Context, roundID, orgID int64) (map[string]bool, error) {
	rows, err := s.read(ctx, `SELECT code_hash, used_at IS NOT NULL FROM ballot_codes WHERE round_id = $1 AND org_id = $2`, roundID, orgID)
	if err != nil {
		return nil, fmt.Errorf("code states: %w", wrapConn(err))
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var h string
		var used bool
		if err := rows.Scan(&h, &used); err != nil {
			return nil, err
		}
		out[h] = used
	}
	return out, rows.Err()
}

// CurrentBallot is a voter's ballot as they left it.
type CurrentBallot struct {
	Points  map[int64]int
	Comment string
	Answers priorities.Demographics // nil when they did not consent
}

// CurrentBallot returns a voter's ballot in a round, if any.
func (s *Store) CurrentBallot(ctx context.Context, roundID int64, voterKey string) (*CurrentBallot, error) {
	var id int64
	cb := &CurrentBallot{Points: map[int64]int{}}
	var age, dis, eth, emp sql.NullString
	err := s.readRow(ctx, `SELECT b.id, b.comment, d.age_band, d.disability, d.ethnicity, d.employment FROM ballots b LEFT JOIN ballot_demographics d ON d.ballot_id = b.id
		WHERE b.round_id = $1 AND b.voter_key = $2`, roundID, voterKey).Scan(&id, &cb.Comment, &age, &dis, &eth, &emp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("current ballot: %w", wrapConn(err))
	}
	if age.Valid {
		cb.Answers = priorities.Demographics{"age_band": age.String, "disability": dis.String, "ethnicity": eth.String, "employment": emp.String}
	}
	rows, err := s.read(ctx, `SELECT priority_id, points FROM ballot_points WHERE ballot_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p int64
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return nil, err
		}
		cb.Points[p] = n
	}
	return cb, rows.Err()
}

// RoundRecords returns every ballot of a round, anonymised, with points in
// the round's priority order.
func (s *Store) RoundRecords(ctx context.Context, roundID int64) ([]priorities.Record, error) {
	rows, err := s.read(ctx, `SELECT b.public_id, b.district_code, b.ward_code, b.place_confidence, b.channel, b.imd_decile, bp.points,
			COALESCE(d.age_band, ''), COALESCE(d.disability, ''), COALESCE(d.ethnicity, ''), COALESCE(d.employment, '')
		FROM ballots b JOIN ballot_points bp ON bp.ballot_id = b.id JOIN round_priorities rp ON rp.round_id = b.round_id AND rp.priority_id = bp.priority_id
		LEFT JOIN ballot_demographics d ON d.ballot_id = b.id
		WHERE b.round_id = $1 ORDER BY b.id, rp.position`, roundID)
	if err != nil {
		return nil, fmt.Errorf("round records: %w", wrapConn(err))
	}
	defer rows.Close()
	var out []priorities.Record
	for rows.Next() {
		var r priorities.Record
		var pts int
		var age, dis, eth, emp, conf string
		if err := rows.Scan(&r.PublicID, &r.District, &r.Ward, &conf, &r.Channel, &r.IMDDecile, &pts, &age, &dis, &eth, &emp); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].PublicID == r.PublicID {
			out[n-1].Points = append(out[n-1].Points, pts)
			continue
		}
		r.Points = []int{pts}
		r.DistrictStated = conf == string(geo.Stated)
		if age+dis+eth+emp != "" {
			r.Answers = priorities.Demographics{}
			for k, v := range map[string]string{"age_band": age, "disability": dis, "ethnicity": eth, "employment": emp} {
				if v != "" {
					r.Answers[k] = v
				}
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// PeopleWeights is a frozen, published result that tenders reference.
type PeopleWeights struct {
	ID           int64
	RoundID      int64
	Method       string
	BallotCount  int
	Weights      string // JSON: {"P1": share, …}
	Results      string // JSON: the full results document
	ExportCSV    string
	ExportSHA256 string
	PublishedAt  time.Time
	// PostcodeRelease and IMDEdition placed the ballots when the weights
	// were published; later imports re-place ballots but not these.
	PostcodeRelease string
	IMDEdition      string
}

// PublishRound freezes a closed round's weights.
func (s *Store) PublishRound(ctx context.Context, actor auth.Actor, pw PeopleWeights) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM priority_rounds WHERE id = $1`, pw.RoundID).Scan(&status); err != nil {
			return notFound(err, "publish round")
		}
		if status != priorities.Closed {
			return fmt.Errorf("only a closed round can be published; this one is %s: %w", status, problem.ErrConflict)
		}
		rel, err := s.GeoRelease(ctx)
		if err != nil {
			return err
		}
		ed, err := s.DeprivationEditions(ctx)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO people_weights (round_id, method, ballot_count, weights, results, export_csv, export_sha256, published_at, postcode_release, imd_edition) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			pw.RoundID, pw.Method, pw.BallotCount, pw.Weights, pw.Results, pw.ExportCSV, pw.ExportSHA256, pw.PublishedAt.UTC(), rel.Postcodes, ed.Postcodes).Scan(&id); err != nil {
			return fmt.Errorf("publish round: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE priority_rounds SET status = $1 WHERE id = $2`, priorities.Published, pw.RoundID); err != nil {
			return fmt.Errorf("publish round: %w", err)
		}
		return s.record(ctx, tx, roundEvent(actor, "priority_round.published", pw.RoundID, map[string]string{"status": status},
			map[string]any{"status": priorities.Published, "people_weights_id": id, "weights": pw.Weights, "ballots": pw.BallotCount, "export_sha256": pw.ExportSHA256}))
	})
	return id, err
}

// PublishDocument freezes a closed round's results document and export.
func (s *Store) PublishDocument(ctx context.Context, actor auth.Actor, doc priorities.Document, export string, now time.Time) (int64, error) {
	now = now.UTC().Truncate(time.Second)
	doc.PublishedAt = &now
	weights, err := json.Marshal(doc.Weights)
	if err != nil {
		return 0, fmt.Errorf("publish round: %w", err)
	}
	full, err := json.Marshal(doc)
	if err != nil {
		return 0, fmt.Errorf("publish round: %w", err)
	}
	return s.PublishRound(ctx, actor, PeopleWeights{RoundID: doc.Round, Method: doc.Method, BallotCount: doc.Ballots, Weights: string(weights),
		Results: string(full), ExportCSV: export, ExportSHA256: doc.ExportSHA256, PublishedAt: now})
}

// PublishedWeights returns a round's frozen People's Weights.
func (s *Store) PublishedWeights(ctx context.Context, roundID int64) (PeopleWeights, error) {
	var pw PeopleWeights
	err := s.readRow(ctx, `SELECT id, round_id, method, ballot_count, weights, results, export_csv, export_sha256, published_at, postcode_release, imd_edition FROM people_weights WHERE round_id = $1`, roundID).
		Scan(&pw.ID, &pw.RoundID, &pw.Method, &pw.BallotCount, &pw.Weights, &pw.Results, &pw.ExportCSV, &pw.ExportSHA256, &pw.PublishedAt, &pw.PostcodeRelease, &pw.IMDEdition)
	return pw, notFound(err, "people's weights")
}

// Comment is a participant's free text awaiting or past moderation.
type Comment struct {
	BallotPublicID string
	Text           string
	Status         string
	District       string
}

// Comments lists a round's comments with the given status.
func (s *Store) Comments(ctx context.Context, roundID int64, status string) ([]Comment, error) {
	rows, err := s.read(ctx, `SELECT b.public_id, b.comment, b.comment_status, COALESCE(d.name, '') FROM ballots b LEFT JOIN geo_districts d ON d.code = b.district_code WHERE b.round_id = $1 AND b.comment_status = $2 ORDER BY b.id`, roundID, status)
	if err != nil {
		return nil, fmt.Errorf("comments: %w", wrapConn(err))
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.BallotPublicID, &c.Text, &c.Status, &c.District); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ModerateComment approves or rejects a comment for publication.
func (s *Store) ModerateComment(ctx context.Context, actor auth.Actor, roundID int64, publicID, status string) error {
	if status != "approved" && status != "rejected" {
		return problem.Field("status", "Choose approve or reject")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE ballots SET comment_status = $1 WHERE round_id = $2 AND public_id = $3 AND comment <> ''`, status, roundID, publicID)
		if err != nil {
			return fmt.Errorf("moderate comment: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("comment %s: %w", publicID, problem.ErrNotFound)
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "ballot.comment." + status, ObjectType: "ballot", ObjectID: publicID, Summary: audit.Summary(nil, map[string]int64{"round_id": roundID})})
	})
}
