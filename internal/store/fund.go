package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
)

func fundEvent(actor auth.Actor, action, typ string, id int64, before, after any) audit.Event {
	return audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action, ObjectType: typ, ObjectID: strconv.FormatInt(id, 10), Summary: audit.Summary(before, after)}
}

// lockFund serialises changes to the fund's balance across nodes.
func (s *Store) lockFund(ctx context.Context, tx *sql.Tx) (int64, error) {
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7243002)`); err != nil {
			return 0, fmt.Errorf("fund lock: %w", err)
		}
	}
	var balance int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(pence), 0) FROM fund_ledger`).Scan(&balance); err != nil {
		return 0, fmt.Errorf("fund balance: %w", err)
	}
	return balance, nil
}

func insertEntry(ctx context.Context, tx *sql.Tx, e fund.Entry) (int64, error) {
	var org, round any
	if e.OrgID != 0 {
		org = e.OrgID
	}
	if e.RoundID != 0 {
		round = e.RoundID
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO fund_ledger (kind, pence, org_id, sector, round_id, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		e.Kind, e.Pence, org, e.Sector, round, e.Note, time.Now().UTC()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("ledger entry: %w", err)
	}
	return id, nil
}

// AddLedgerEntry appends a contribution or a correction. The balance can
// never go below zero.
func (s *Store) AddLedgerEntry(ctx context.Context, actor auth.Actor, e fund.Entry) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		balance, err := s.lockFund(ctx, tx)
		if err != nil {
			return err
		}
		if err := fund.CheckEntry(e, balance); err != nil {
			return err
		}
		if id, err = insertEntry(ctx, tx, e); err != nil {
			return err
		}
		return s.record(ctx, tx, fundEvent(actor, "fund.ledger."+e.Kind, "fund_ledger", id, nil, map[string]any{"pence": e.Pence, "org_id": e.OrgID, "sector": e.Sector, "note": e.Note}))
	})
	return id, err
}

// Ledger lists every entry, oldest first.
func (s *Store) Ledger(ctx context.Context) ([]fund.Entry, error) {
	rows, err := s.read(ctx, `SELECT l.id, l.kind, l.pence, COALESCE(l.org_id, 0), COALESCE(o.legal_name, ''), l.sector, COALESCE(l.round_id, 0), l.note, l.created_at
		FROM fund_ledger l LEFT JOIN organisations o ON o.id = l.org_id ORDER BY l.id`)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", wrapConn(err))
	}
	defer rows.Close()
	var out []fund.Entry
	for rows.Next() {
		var e fund.Entry
		if err := rows.Scan(&e.ID, &e.Kind, &e.Pence, &e.OrgID, &e.OrgName, &e.Sector, &e.RoundID, &e.Note, &e.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

const fundRoundCols = `id, title, description, budget_pence, min_pence, max_pence, max_approvals, rule, electorate, phase, proposals_until, voting_from, voting_until, created_at`

func scanFundRound(row interface{ Scan(...any) error }) (fund.Round, error) {
	var r fund.Round
	err := row.Scan(&r.ID, &r.Title, &r.Description, &r.BudgetPence, &r.MinPence, &r.MaxPence, &r.MaxApprovals, &r.Rule, &r.Electorate, &r.Phase, &r.ProposalsUntil, &r.VotingFrom, &r.VotingUntil, &r.CreatedAt)
	return r, err
}

// CreateFundRound opens a call for proposals, reserving its budget from the
// fund's balance in the same transaction.
func (s *Store) CreateFundRound(ctx context.Context, actor auth.Actor, r fund.Round) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		balance, err := s.lockFund(ctx, tx)
		if err != nil {
			return err
		}
		if err := r.CheckReservation(balance); err != nil {
			return err
		}
		if r.Electorate == "" {
			r.Electorate = fund.Residents
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO fund_rounds (title, description, budget_pence, min_pence, max_pence, max_approvals, rule, electorate, phase, proposals_until, voting_from, voting_until, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			r.Title, r.Description, r.BudgetPence, r.MinPence, r.MaxPence, r.MaxApprovals, r.Rule, r.Electorate, fund.PhaseProposals, r.ProposalsUntil.UTC(), r.VotingFrom.UTC(), r.VotingUntil.UTC(), time.Now().UTC()).Scan(&id); err != nil {
			return fmt.Errorf("create fund round: %w", err)
		}
		if _, err := insertEntry(ctx, tx, fund.Entry{Kind: fund.Reservation, Pence: -r.BudgetPence, RoundID: id, Note: "Budget reserved for " + r.Title}); err != nil {
			return err
		}
		return s.record(ctx, tx, fundEvent(actor, "fund.round.create", "fund_round", id, nil, map[string]any{"title": r.Title, "budget_pence": r.BudgetPence, "rule": r.Rule}))
	})
	return id, err
}

// FundRound loads a round.
func (s *Store) FundRound(ctx context.Context, id int64) (fund.Round, error) {
	r, err := scanFundRound(s.readRow(ctx, `SELECT `+fundRoundCols+` FROM fund_rounds WHERE id = $1`, id))
	return r, notFound(err, "fund round")
}

// ListFundRounds lists rounds, newest first.
func (s *Store) ListFundRounds(ctx context.Context) ([]fund.Round, error) {
	rows, err := s.read(ctx, `SELECT `+fundRoundCols+` FROM fund_rounds ORDER BY id DESC`)
	return collect("fund rounds", rows, err, func(r *sql.Rows) (fund.Round, error) { return scanFundRound(r) })
}

// MoveFundRound advances a round to its next phase (not to published).
func (s *Store) MoveFundRound(ctx context.Context, actor auth.Actor, id int64, to string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var from string
		if err := tx.QueryRowContext(ctx, `SELECT phase FROM fund_rounds WHERE id = $1`, id).Scan(&from); err != nil {
			return notFound(err, "move fund round")
		}
		// Proposals nobody reviewed cannot be voted on.
		var pending int
		if to == fund.PhaseVoting {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM fund_proposals WHERE round_id = $1 AND status = $2`, id, fund.Submitted).Scan(&pending); err != nil {
				return err
			}
		}
		if err := (fund.Round{Phase: from}).CheckMove(to, pending); err != nil {
			return err
		}
		// Moving on early brings the timetable forward to now: closing
		// proposals, opening voting or closing it before its planned time.
		q := `UPDATE fund_rounds SET phase = $1 WHERE id = $2`
		switch to {
		case fund.PhaseReview:
			q = `UPDATE fund_rounds SET phase = $1, proposals_until = CASE WHEN proposals_until > $3 THEN $3 ELSE proposals_until END WHERE id = $2`
		case fund.PhaseVoting:
			q = `UPDATE fund_rounds SET phase = $1, voting_from = CASE WHEN voting_from > $3 THEN $3 ELSE voting_from END WHERE id = $2`
		case fund.PhaseClosed:
			q = `UPDATE fund_rounds SET phase = $1, voting_until = CASE WHEN voting_until > $3 THEN $3 ELSE voting_until END WHERE id = $2`
		}
		if _, err := tx.ExecContext(ctx, q, to, id, time.Now().UTC()); err != nil {
			return fmt.Errorf("move fund round: %w", err)
		}
		return s.record(ctx, tx, fundEvent(actor, "fund.round."+to, "fund_round", id, map[string]string{"phase": from}, map[string]string{"phase": to}))
	})
}

const proposalCols = `p.id, p.round_id, p.org_id, o.legal_name, o.kind, p.title, p.summary, p.budget_pence, p.priorities, p.coproduction, p.systemic, p.status, p.reason, p.created_at`

func scanProposal(row interface{ Scan(...any) error }) (fund.Proposal, error) {
	var p fund.Proposal
	err := row.Scan(&p.ID, &p.RoundID, &p.OrgID, &p.OrgName, &p.OrgKind, &p.Title, &p.Summary, &p.BudgetPence, &p.Priorities, &p.Coproduction, &p.Systemic, &p.Status, &p.Reason, &p.CreatedAt)
	return p, err
}

// SubmitProposal stores a proposal with its partners while the round takes proposals.
func (s *Store) SubmitProposal(ctx context.Context, actor auth.Actor, p fund.Proposal) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var r fund.Round
		if err := tx.QueryRowContext(ctx, `SELECT phase, proposals_until FROM fund_rounds WHERE id = $1`, p.RoundID).Scan(&r.Phase, &r.ProposalsUntil); err != nil {
			return notFound(err, "submit proposal")
		}
		if err := r.CheckProposal(time.Now()); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO fund_proposals (round_id, org_id, title, summary, budget_pence, priorities, coproduction, systemic, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			p.RoundID, p.OrgID, p.Title, p.Summary, p.BudgetPence, p.Priorities, p.Coproduction, p.Systemic, fund.Submitted, time.Now().UTC()).Scan(&id); err != nil {
			return fmt.Errorf("submit proposal: %w", err)
		}
		for _, pt := range p.Partners {
			if pt.OrgID == p.OrgID {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO fund_partners (proposal_id, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, pt.OrgID); err != nil {
				return fmt.Errorf("proposal partner: %w", err)
			}
		}
		return s.record(ctx, tx, fundEvent(actor, "fund.proposal.submit", "fund_proposal", id, nil, map[string]any{"round_id": p.RoundID, "org_id": p.OrgID, "title": p.Title, "budget_pence": p.BudgetPence}))
	})
	return id, err
}

// Proposal loads one proposal with its partners.
func (s *Store) Proposal(ctx context.Context, id int64) (fund.Proposal, error) {
	p, err := scanProposal(s.readRow(ctx, `SELECT `+proposalCols+` FROM fund_proposals p JOIN organisations o ON o.id = p.org_id WHERE p.id = $1`, id))
	if err != nil {
		return p, notFound(err, "proposal")
	}
	ps, err := s.partners(ctx, []int64{id})
	p.Partners = ps[id]
	return p, err
}

func (s *Store) partners(ctx context.Context, ids []int64) (map[int64][]fund.Partner, error) {
	out := map[int64][]fund.Partner{}
	for _, id := range ids {
		rows, err := s.read(ctx, `SELECT o.id, o.legal_name, o.kind FROM fund_partners fp JOIN organisations o ON o.id = fp.org_id WHERE fp.proposal_id = $1 ORDER BY o.legal_name`, id)
		if err != nil {
			return nil, fmt.Errorf("partners: %w", err)
		}
		for rows.Next() {
			var pt fund.Partner
			if err := rows.Scan(&pt.OrgID, &pt.Name, &pt.Kind); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], pt)
		}
		rows.Close()
	}
	return out, nil
}

// Proposals lists a round's proposals with partners and approval counts.
func (s *Store) Proposals(ctx context.Context, roundID int64) ([]fund.Proposal, error) {
	rows, err := s.read(ctx, `SELECT `+proposalCols+`, (SELECT COUNT(*) FROM fund_approvals a WHERE a.proposal_id = p.id)
		FROM fund_proposals p JOIN organisations o ON o.id = p.org_id WHERE p.round_id = $1 ORDER BY p.id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("proposals: %w", wrapConn(err))
	}
	var out []fund.Proposal
	var ids []int64
	for rows.Next() {
		var p fund.Proposal
		if err := rows.Scan(&p.ID, &p.RoundID, &p.OrgID, &p.OrgName, &p.OrgKind, &p.Title, &p.Summary, &p.BudgetPence, &p.Priorities, &p.Coproduction, &p.Systemic, &p.Status, &p.Reason, &p.CreatedAt, &p.Approvals); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
		ids = append(ids, p.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return out, nil
	}
	ps, err := s.roundPartners(ctx, roundID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Partners = ps[out[i].ID]
	}
	return out, nil
}

// roundPartners are the partners of every proposal of a round, by
// proposal, in one query (ordered as partners orders them).
func (s *Store) roundPartners(ctx context.Context, roundID int64) (map[int64][]fund.Partner, error) {
	rows, err := s.read(ctx, `SELECT fp.proposal_id, o.id, o.legal_name, o.kind FROM fund_partners fp JOIN organisations o ON o.id = fp.org_id
		JOIN fund_proposals p ON p.id = fp.proposal_id WHERE p.round_id = $1 ORDER BY fp.proposal_id, o.legal_name`, roundID)
	if err != nil {
		return nil, fmt.Errorf("partners: %w", wrapConn(err))
	}
	defer rows.Close()
	out := map[int64][]fund.Partner{}
	for rows.Next() {
		var id int64
		var pt fund.Partner
		if err := rows.Scan(&id, &pt.OrgID, &pt.Name, &pt.Kind); err != nil {
			return nil, fmt.Errorf("partners: %w", err)
		}
		out[id] = append(out[id], pt)
	}
	return out, rows.Err()
}

// OrganisationNames lists organisations' ids and legal names only, in the
// directory's order (legal name, then id), at most limit of them: what a
// form's choice of organisation shows, without the sites and
// accreditations ListOrganisations reads for each.
func (s *Store) OrganisationNames(ctx context.Context, limit int) ([]orgs.Organisation, error) {
	rows, err := s.read(ctx, `SELECT id, legal_name FROM organisations ORDER BY legal_name, id LIMIT $1`, limit)
	return collect("organisation names", rows, err, func(r *sql.Rows) (orgs.Organisation, error) {
		var o orgs.Organisation
		return o, r.Scan(&o.ID, &o.LegalName)
	})
}

// ReviewProposal records an eligibility decision with its public reason.
func (s *Store) ReviewProposal(ctx context.Context, actor auth.Actor, id int64, status, reason string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var r fund.Round
		var before string
		if err := tx.QueryRowContext(ctx, `SELECT r.phase, p.status FROM fund_proposals p JOIN fund_rounds r ON r.id = p.round_id WHERE p.id = $1`, id).Scan(&r.Phase, &before); err != nil {
			return notFound(err, "review proposal")
		}
		if err := r.CheckReview(before, status, reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE fund_proposals SET status = $1, reason = $2 WHERE id = $3`, status, reason, id); err != nil {
			return fmt.Errorf("review proposal: %w", err)
		}
		return s.record(ctx, tx, fundEvent(actor, "fund.proposal.review", "fund_proposal", id, map[string]string{"status": before}, map[string]string{"status": status, "reason": reason}))
	})
}

// WithdrawProposal withdraws a proposal before voting opens.
func (s *Store) WithdrawProposal(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var r fund.Round
		var before string
		if err := tx.QueryRowContext(ctx, `SELECT r.phase, p.status FROM fund_proposals p JOIN fund_rounds r ON r.id = p.round_id WHERE p.id = $1`, id).Scan(&r.Phase, &before); err != nil {
			return notFound(err, "withdraw proposal")
		}
		if err := r.CheckWithdraw(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE fund_proposals SET status = $1 WHERE id = $2`, fund.Withdrawn, id); err != nil {
			return fmt.Errorf("withdraw proposal: %w", err)
		}
		return s.record(ctx, tx, fundEvent(actor, "fund.proposal.withdraw", "fund_proposal", id, map[string]string{"status": before}, map[string]string{"status": fund.Withdrawn}))
	})
}

// CastFundBallot stores (or replaces) a voter's approvals. Only eligible
// proposals of the round can be approved, within the round's cap, while
// voting is open.
func (s *Store) CastFundBallot(ctx context.Context, actor auth.Actor, roundID int64, voterKey, constituency string, proposalIDs []int64, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		// The round's row is locked (SQLite's single writer already
		// serialises), so its phase cannot move between the check and the
		// write; statuses change only in review, before voting opens.
		lock := ""
		if s.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		r, err := scanFundRound(tx.QueryRowContext(ctx, `SELECT `+fundRoundCols+` FROM fund_rounds WHERE id = $1`+lock, roundID))
		if err != nil {
			return notFound(err, "fund ballot")
		}
		status, err := proposalStatuses(ctx, tx, roundID)
		if err != nil {
			return err
		}
		if err := r.CheckBallot(fund.Ballot{Constituency: constituency, Proposals: proposalIDs}, status, now); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO fund_ballots (round_id, voter_key, constituency, submitted_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (round_id, voter_key) DO UPDATE SET submitted_at = excluded.submitted_at RETURNING id`, roundID, voterKey, constituency, now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("fund ballot: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM fund_approvals WHERE ballot_id = $1`, id); err != nil {
			return err
		}
		for _, pid := range proposalIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO fund_approvals (ballot_id, proposal_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, pid); err != nil {
				return fmt.Errorf("fund approval: %w", err)
			}
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "fund.ballot.cast", ObjectType: "fund_round", ObjectID: strconv.FormatInt(roundID, 10), Summary: audit.Summary(nil, map[string]string{"constituency": constituency})})
	})
}

// proposalStatuses returns the status of each of a round's proposals.
func proposalStatuses(ctx context.Context, tx *sql.Tx, roundID int64) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, status FROM fund_proposals WHERE round_id = $1`, roundID)
	if err != nil {
		return nil, fmt.Errorf("proposal statuses: %w", err)
	}
	defer rows.Close()
	status := map[int64]string{}
	for rows.Next() {
		var id int64
		var st string
		if err := rows.Scan(&id, &st); err != nil {
			return nil, err
		}
		status[id] = st
	}
	return status, rows.Err()
}

// FundBallotOf returns the proposals a voter approved.
func (s *Store) FundBallotOf(ctx context.Context, roundID int64, voterKey string) ([]int64, error) {
	rows, err := s.read(ctx, `SELECT a.proposal_id FROM fund_approvals a JOIN fund_ballots b ON b.id = a.ballot_id WHERE b.round_id = $1 AND b.voter_key = $2 ORDER BY a.proposal_id`, roundID, voterKey)
	return collect("fund ballot", rows, err, scanInt64)
}

// FundBallots returns every ballot of a round as lists of proposal ids,
// with each ballot's constituency.
func (s *Store) FundBallots(ctx context.Context, roundID int64) ([][]int64, []string, error) {
	rows, err := s.read(ctx, `SELECT b.id, b.constituency, COALESCE(a.proposal_id, 0) FROM fund_ballots b LEFT JOIN fund_approvals a ON a.ballot_id = b.id WHERE b.round_id = $1 ORDER BY b.id, a.proposal_id`, roundID)
	if err != nil {
		return nil, nil, fmt.Errorf("fund ballots: %w", wrapConn(err))
	}
	defer rows.Close()
	var out [][]int64
	var cons []string
	last := int64(-1)
	for rows.Next() {
		var b, p int64
		var c string
		if err := rows.Scan(&b, &c, &p); err != nil {
			return nil, nil, err
		}
		if b != last {
			out = append(out, nil)
			cons = append(cons, c)
			last = b
		}
		if p != 0 {
			out[len(out)-1] = append(out[len(out)-1], p)
		}
	}
	return out, cons, rows.Err()
}

// PublishFundResults freezes a closed round's allocation and returns its
// unspent reservation to the fund.
func (s *Store) PublishFundResults(ctx context.Context, actor auth.Actor, roundID int64, rule string, totalPence int64, explanation string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.lockFund(ctx, tx); err != nil {
			return err
		}
		r, err := scanFundRound(tx.QueryRowContext(ctx, `SELECT `+fundRoundCols+` FROM fund_rounds WHERE id = $1`, roundID))
		if err != nil {
			return notFound(err, "publish fund results")
		}
		if err := r.CheckPublish(totalPence); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fund_results (round_id, rule, total_pence, explanation, published_at) VALUES ($1, $2, $3, $4, $5)`, roundID, rule, totalPence, explanation, now.UTC()); err != nil {
			return fmt.Errorf("publish fund results: %w", err)
		}
		if left := r.BudgetPence - totalPence; left > 0 {
			if _, err := insertEntry(ctx, tx, fund.Entry{Kind: fund.Release, Pence: left, RoundID: roundID, Note: "Unallocated budget of " + r.Title + " returned"}); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE fund_rounds SET phase = $1 WHERE id = $2`, fund.PhasePublished, roundID); err != nil {
			return err
		}
		return s.record(ctx, tx, fundEvent(actor, "fund.round.published", "fund_round", roundID, map[string]string{"phase": fund.PhaseClosed}, map[string]any{"phase": fund.PhasePublished, "rule": rule, "total_pence": totalPence}))
	})
}

// FundResults returns a published round's frozen explanation (JSON).
func (s *Store) FundResults(ctx context.Context, roundID int64) (rule string, totalPence int64, explanation string, err error) {
	err = s.readRow(ctx, `SELECT rule, total_pence, explanation FROM fund_results WHERE round_id = $1`, roundID).Scan(&rule, &totalPence, &explanation)
	return rule, totalPence, explanation, notFound(err, "fund results")
}

// AddFundUpdate records progress on a funded proposal of a published round.
func (s *Store) AddFundUpdate(ctx context.Context, actor auth.Actor, u fund.Update, funded bool) (int64, error) {
	if !funded {
		return 0, fmt.Errorf("only funded projects report progress: %w", problem.ErrConflict)
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO fund_updates (proposal_id, percent, status, note, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			u.ProposalID, u.Percent, u.Status, u.Note, time.Now().UTC()).Scan(&id); err != nil {
			return fmt.Errorf("fund update: %w", err)
		}
		return s.record(ctx, tx, fundEvent(actor, "fund.proposal.update", "fund_proposal", u.ProposalID, nil, map[string]any{"percent": u.Percent, "status": u.Status}))
	})
	return id, err
}

// FundUpdates lists the progress reports of a round's proposals, newest first.
func (s *Store) FundUpdates(ctx context.Context, roundID int64) (map[int64][]fund.Update, error) {
	rows, err := s.read(ctx, `SELECT u.id, u.proposal_id, u.percent, u.status, u.note, u.created_at FROM fund_updates u JOIN fund_proposals p ON p.id = u.proposal_id
		WHERE p.round_id = $1 ORDER BY u.id DESC`, roundID)
	if err != nil {
		return nil, fmt.Errorf("fund updates: %w", wrapConn(err))
	}
	defer rows.Close()
	out := map[int64][]fund.Update{}
	for rows.Next() {
		var u fund.Update
		if err := rows.Scan(&u.ID, &u.ProposalID, &u.Percent, &u.Status, &u.Note, &u.CreatedAt); err != nil {
			return nil, err
		}
		out[u.ProposalID] = append(out[u.ProposalID], u)
	}
	return out, rows.Err()
}
