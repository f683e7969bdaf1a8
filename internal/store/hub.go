package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/problem"
)

func hubEvent(actor auth.Actor, action, objectType string, id int64, before, after any) audit.Event {
	return audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: action, ObjectType: objectType, ObjectID: strconv.FormatInt(id, 10), Summary: audit.Summary(before, after)}
}

func dateText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

func textDate(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil
	}
	return &t
}

// CreateNeed stores a need awaiting moderation. A group may have at most
// hub.MaxTopChallenges needs marked as top challenges.
func (s *Store) CreateNeed(ctx context.Context, actor auth.Actor, n hub.Need, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if n.TopChallenge {
			var k int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM hub_needs WHERE org_id = $1 AND top_challenge AND status IN ('pending', 'open', 'paused')`, n.OrgID).Scan(&k); err != nil {
				return fmt.Errorf("create need: %w", err)
			}
			if k >= hub.MaxTopChallenges {
				return problem.Field("top_challenge", "Your organisation already has %d top challenges; mark another as met or withdrawn first", hub.MaxTopChallenges)
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO hub_needs (org_id, title, description, kind, priorities, area_code, by_date, recurring, size, beneficiaries, contact, top_challenge, status, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			n.OrgID, n.Title, n.Description, n.Kind, strings.Join(n.Priorities, " "), n.Area, dateText(n.By), n.Recurring, n.Size, n.Beneficiaries, n.Contact, n.TopChallenge, hub.Pending, actorRef(actor), now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("create need: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "hub.need.create", "hub_need", id, nil, map[string]any{"org": n.OrgID, "title": n.Title, "kind": n.Kind, "size": n.Size, "area": n.Area}))
	})
	return id, err
}

const needCols = `n.id, n.org_id, o.legal_name, n.title, n.description, n.kind, n.priorities, n.area_code, n.by_date, n.recurring, n.size, n.beneficiaries, n.contact, n.top_challenge, n.status, n.created_at,
n.size - COALESCE((SELECT SUM(m.quantity) FROM hub_matches m WHERE m.need_id = n.id AND m.status IN ('accepted', 'delivered')), 0)`

func scanNeed(r interface{ Scan(...any) error }) (hub.Need, error) {
	var n hub.Need
	var pr, by string
	err := r.Scan(&n.ID, &n.OrgID, &n.OrgName, &n.Title, &n.Description, &n.Kind, &pr, &n.Area, &by, &n.Recurring, &n.Size, &n.Beneficiaries, &n.Contact, &n.TopChallenge, &n.Status, &n.CreatedAt,
		&n.Remaining)
	n.Priorities, n.By = strings.Fields(pr), textDate(by)
	return n, err
}

// placeNeeds names each need's area, its district and deprivation (areas).
func (s *Store) placeNeeds(ctx context.Context, ns []hub.Need) error {
	m, err := s.areas(ctx)
	if err != nil {
		return err
	}
	for i := range ns {
		f := m[ns[i].Area]
		ns[i].AreaName, ns[i].DistrictCode, ns[i].IMDDecile = f.name, f.district, f.decile
	}
	return nil
}

// Need loads one need.
func (s *Store) Need(ctx context.Context, id int64) (hub.Need, error) {
	n, err := scanNeed(s.readRow(ctx, `SELECT `+needCols+` FROM hub_needs n JOIN organisations o ON o.id = n.org_id WHERE n.id = $1`, id))
	if err != nil {
		return n, notFound(err, "need")
	}
	ns := []hub.Need{n}
	err = s.placeNeeds(ctx, ns)
	return ns[0], err
}

// NeedFilter narrows the need list ("" / 0 = any).
type NeedFilter struct {
	Status   string
	OrgID    int64
	Kind     string
	District string
}

// ListNeeds lists needs, top challenges first, then newest.
func (s *Store) ListNeeds(ctx context.Context, f NeedFilter) ([]hub.Need, error) {
	ns, err := query(ctx, s, "needs", func(r *sql.Rows) (hub.Need, error) { return scanNeed(r) },
		`SELECT `+needCols+` FROM hub_needs n JOIN organisations o ON o.id = n.org_id
WHERE ($1 = '' OR n.status = $1) AND ($2 = 0 OR n.org_id = $2) AND ($3 = '' OR n.kind = $3) ORDER BY n.top_challenge DESC, n.created_at DESC, n.id DESC`, f.Status, f.OrgID, f.Kind)
	if err == nil {
		err = s.placeNeeds(ctx, ns)
	}
	if err != nil || f.District == "" {
		return ns, err
	}
	var out []hub.Need
	for _, n := range ns {
		if n.DistrictCode == f.District || n.Area == "" {
			out = append(out, n)
		}
	}
	return out, nil
}

// MoveNeed changes a need's state: moderation (pending → open, or
// withdrawn when rejected), pause and resume, fulfilled, withdrawn.
func (s *Store) MoveNeed(ctx context.Context, actor auth.Actor, id int64, to string, now time.Time) error {
	allowed := map[string][]string{hub.Open: {hub.Pending, hub.Paused}, hub.Paused: {hub.Open}, hub.Fulfilled: {hub.Open, hub.Paused}, hub.Withdrawn: {hub.Pending, hub.Open, hub.Paused}}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var from string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM hub_needs WHERE id = $1`, id).Scan(&from); err != nil {
			return notFound(err, "move need")
		}
		ok := false
		for _, f := range allowed[to] {
			ok = ok || f == from
		}
		if !ok {
			return fmt.Errorf("a %s need cannot become %s: %w", from, to, problem.ErrConflict)
		}
		q := `UPDATE hub_needs SET status = $1 WHERE id = $2`
		args := []any{to, id}
		if from == hub.Pending {
			q = `UPDATE hub_needs SET status = $1, moderated_by = $3, moderated_at = $4 WHERE id = $2`
			args = append(args, actorRef(actor), now.UTC())
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("move need: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "hub.need."+to, "hub_need", id, map[string]string{"status": from}, map[string]string{"status": to}))
	})
}

// CreateOffer stores an open offer.
func (s *Store) CreateOffer(ctx context.Context, actor auth.Actor, o hub.Offer, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var commitment any
		if o.CommitmentID != 0 {
			var owner int64
			if err := tx.QueryRowContext(ctx, `SELECT ct.supplier_org_id FROM commitments c JOIN contracts ct ON ct.id = c.contract_id WHERE c.id = $1`, o.CommitmentID).Scan(&owner); err != nil || owner != o.OrgID {
				return problem.Field("commitment", "Choose one of your organisation's own contract commitments")
			}
			commitment = o.CommitmentID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO hub_offers (org_id, title, description, kind, skills, priorities, area_code, from_date, to_date, capacity, commitment_id, status, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			o.OrgID, o.Title, o.Description, o.Kind, strings.Join(o.Skills, ", "), strings.Join(o.Priorities, " "), o.Area, dateText(o.From), dateText(o.To), o.Capacity, commitment, hub.Open, actorRef(actor), now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("create offer: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "hub.offer.create", "hub_offer", id, nil, map[string]any{"org": o.OrgID, "title": o.Title, "kind": o.Kind, "capacity": o.Capacity, "commitment": o.CommitmentID}))
	})
	return id, err
}

const offerCols = `f.id, f.org_id, o.legal_name, f.title, f.description, f.kind, f.skills, f.priorities, f.area_code, f.from_date, f.to_date, f.capacity, COALESCE(f.commitment_id, 0),
COALESCE((SELECT c.contract_id FROM commitments c WHERE c.id = f.commitment_id), 0), f.status, f.created_at,
f.capacity - COALESCE((SELECT SUM(m.quantity) FROM hub_matches m WHERE m.offer_id = f.id AND m.status IN ('accepted', 'delivered')), 0)`

func scanOffer(r interface{ Scan(...any) error }) (hub.Offer, error) {
	var o hub.Offer
	var skills, pr, from, to string
	err := r.Scan(&o.ID, &o.OrgID, &o.OrgName, &o.Title, &o.Description, &o.Kind, &skills, &pr, &o.Area, &from, &to, &o.Capacity, &o.CommitmentID, &o.ContractID, &o.Status, &o.CreatedAt,
		&o.Remaining)
	for _, sk := range strings.Split(skills, ",") {
		if sk = strings.TrimSpace(sk); sk != "" {
			o.Skills = append(o.Skills, sk)
		}
	}
	o.Priorities, o.From, o.To = strings.Fields(pr), textDate(from), textDate(to)
	return o, err
}

// Offer loads one offer.
func (s *Store) Offer(ctx context.Context, id int64) (hub.Offer, error) {
	o, err := scanOffer(s.readRow(ctx, `SELECT `+offerCols+` FROM hub_offers f JOIN organisations o ON o.id = f.org_id WHERE f.id = $1`, id))
	if err != nil {
		return o, notFound(err, "offer")
	}
	one := []hub.Offer{o}
	err = s.placeOffers(ctx, one)
	return one[0], err
}

// placeOffers names each offer's area and its district (areas).
func (s *Store) placeOffers(ctx context.Context, offers []hub.Offer) error {
	m, err := s.areas(ctx)
	if err != nil {
		return err
	}
	for i := range offers {
		f := m[offers[i].Area]
		offers[i].AreaName, offers[i].DistrictCode = f.name, f.district
	}
	return nil
}

// ListOffers lists offers ("" status = any; 0 org = any), newest first.
func (s *Store) ListOffers(ctx context.Context, status string, orgID int64) ([]hub.Offer, error) {
	offers, err := query(ctx, s, "offers", func(r *sql.Rows) (hub.Offer, error) { return scanOffer(r) },
		`SELECT `+offerCols+` FROM hub_offers f JOIN organisations o ON o.id = f.org_id WHERE ($1 = '' OR f.status = $1) AND ($2 = 0 OR f.org_id = $2) ORDER BY f.created_at DESC, f.id DESC`, status, orgID)
	if err != nil {
		return nil, err
	}
	return offers, s.placeOffers(ctx, offers)
}

// ProposeMatch records a proposal from one side for a quantity that both
// the need and the offer still have.
func (s *Store) ProposeMatch(ctx context.Context, actor auth.Actor, needID, offerID, byOrg, quantity int64, score float64, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var needLeft, offerLeft int64
		var needStatus, offerStatus string
		if err := tx.QueryRowContext(ctx, `SELECT n.status, n.size - COALESCE((SELECT SUM(m.quantity) FROM hub_matches m WHERE m.need_id = n.id AND m.status IN ('accepted', 'delivered')), 0) FROM hub_needs n WHERE n.id = $1`, needID).Scan(&needStatus, &needLeft); err != nil {
			return notFound(err, "propose match")
		}
		if err := tx.QueryRowContext(ctx, `SELECT f.status, f.capacity - COALESCE((SELECT SUM(m.quantity) FROM hub_matches m WHERE m.offer_id = f.id AND m.status IN ('accepted', 'delivered')), 0) FROM hub_offers f WHERE f.id = $1`, offerID).Scan(&offerStatus, &offerLeft); err != nil {
			return notFound(err, "propose match")
		}
		if needStatus != hub.Open || offerStatus != hub.Open {
			return fmt.Errorf("both the need and the offer must be open: %w", problem.ErrConflict)
		}
		if quantity <= 0 || quantity > needLeft || quantity > offerLeft {
			return problem.Field("quantity", "Propose between 1 and %d (what the need still needs and the offer still has)", min(needLeft, offerLeft))
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO hub_matches (need_id, offer_id, quantity, proposed_by_org, status, score, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			needID, offerID, quantity, byOrg, hub.Proposed, score, now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("propose match: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "hub.match.propose", "hub_match", id, nil, map[string]any{"need": needID, "offer": offerID, "quantity": quantity, "by": byOrg}))
	})
	return id, err
}

const matchCols = `m.id, m.need_id, m.offer_id, n.title, f.title, n.org_id, f.org_id, no.legal_name, fo.legal_name, n.kind, m.quantity, m.proposed_by_org, m.status, m.reason, m.score,
m.need_confirm, m.offer_confirm, m.delivered_on, COALESCE((SELECT c.contract_id FROM commitments c WHERE c.id = f.commitment_id), 0), m.created_at`

const matchFrom = ` FROM hub_matches m JOIN hub_needs n ON n.id = m.need_id JOIN hub_offers f ON f.id = m.offer_id
JOIN organisations no ON no.id = n.org_id JOIN organisations fo ON fo.id = f.org_id`

func scanMatch(r interface{ Scan(...any) error }) (hub.Match, error) {
	var m hub.Match
	return m, r.Scan(&m.ID, &m.NeedID, &m.OfferID, &m.NeedTitle, &m.OfferTitle, &m.NeedOrgID, &m.OfferOrgID, &m.NeedOrg, &m.OfferOrg, &m.Kind, &m.Quantity, &m.ProposedBy, &m.Status, &m.Reason, &m.Score,
		&m.NeedConfirm, &m.OfferConfirm, &m.DeliveredOn, &m.ContractID, &m.CreatedAt)
}

// Match loads one match.
func (s *Store) Match(ctx context.Context, id int64) (hub.Match, error) {
	m, err := scanMatch(s.readRow(ctx, `SELECT `+matchCols+matchFrom+` WHERE m.id = $1`, id))
	return m, notFound(err, "match")
}

// MatchesFor lists the matches of a need, an offer or an organisation (either side).
func (s *Store) MatchesFor(ctx context.Context, needID, offerID, orgID int64) ([]hub.Match, error) {
	return query(ctx, s, "matches", func(r *sql.Rows) (hub.Match, error) { return scanMatch(r) },
		`SELECT `+matchCols+matchFrom+` WHERE ($1 = 0 OR m.need_id = $1) AND ($2 = 0 OR m.offer_id = $2) AND ($3 = 0 OR n.org_id = $3 OR f.org_id = $3) ORDER BY m.created_at DESC, m.id DESC`, needID, offerID, orgID)
}

// DecideMatch accepts or declines a proposal (the other side decides).
// Accepting re-checks that both sides still have the quantity.
func (s *Store) DecideMatch(ctx context.Context, actor auth.Actor, id int64, accept bool, reason string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		var needID, offerID, qty int64
		if err := tx.QueryRowContext(ctx, `SELECT status, need_id, offer_id, quantity FROM hub_matches WHERE id = $1`, id).Scan(&status, &needID, &offerID, &qty); err != nil {
			return notFound(err, "decide match")
		}
		if status != hub.Proposed {
			return fmt.Errorf("this match was already %s: %w", status, problem.ErrConflict)
		}
		to := hub.Declined
		if accept {
			to = hub.Accepted
			var needLeft, offerLeft int64
			if err := tx.QueryRowContext(ctx, `SELECT (SELECT size FROM hub_needs WHERE id = $1) - COALESCE((SELECT SUM(quantity) FROM hub_matches WHERE need_id = $1 AND status IN ('accepted', 'delivered')), 0),
(SELECT capacity FROM hub_offers WHERE id = $2) - COALESCE((SELECT SUM(quantity) FROM hub_matches WHERE offer_id = $2 AND status IN ('accepted', 'delivered')), 0)`, needID, offerID).Scan(&needLeft, &offerLeft); err != nil {
				return fmt.Errorf("decide match: %w", err)
			}
			if qty > needLeft || qty > offerLeft {
				return fmt.Errorf("the need or the offer no longer has %d left: %w", qty, problem.ErrConflict)
			}
		} else if strings.TrimSpace(reason) == "" {
			return problem.Field("reason", "Say why you are declining, so the other side understands")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hub_matches SET status = $1, reason = $2, decided_at = $3 WHERE id = $4`, to, reason, now.UTC(), id); err != nil {
			return fmt.Errorf("decide match: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "hub.match."+to, "hub_match", id, map[string]string{"status": status}, map[string]string{"status": to, "reason": reason}))
	})
}

// AddMessage adds to an accepted match's conversation.
func (s *Store) AddMessage(ctx context.Context, actor auth.Actor, matchID, orgID int64, body string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO hub_messages (match_id, org_id, user_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`, matchID, orgID, actorRef(actor), body, now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("add message: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "hub.message", "hub_match", matchID, nil, map[string]any{"message": id}))
	})
}

// Messages lists a match's conversation, oldest first.
func (s *Store) Messages(ctx context.Context, matchID int64) ([]hub.Message, error) {
	return query(ctx, s, "messages", func(r *sql.Rows) (hub.Message, error) {
		var m hub.Message
		return m, r.Scan(&m.ID, &m.MatchID, &m.OrgName, &m.UserName, &m.Body, &m.CreatedAt)
	}, `SELECT h.id, h.match_id, o.legal_name, COALESCE(u.name, ''), h.body, h.created_at FROM hub_messages h JOIN organisations o ON o.id = h.org_id LEFT JOIN users u ON u.id = h.user_id WHERE h.match_id = $1 ORDER BY h.id`, matchID)
}

// ConfirmDelivery records one side's confirmation of what was delivered.
// Repeating the same confirmation changes nothing. When both sides have
// confirmed and the offer helps deliver a contract commitment, a delivery
// line for the agreed quantity is added to that contract, with the
// community's confirmation as evidence, awaiting the buyer's verification
// — in the same transaction, and only once.
func (s *Store) ConfirmDelivery(ctx context.Context, actor auth.Actor, matchID int64, side string, quantity int64, on string, now time.Time) (changed bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		changed = false // afresh on every attempt (tx may run this again)
		var m hub.Match
		var commitment, line sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT m.status, m.quantity, m.need_confirm, m.offer_confirm, m.delivered_on, f.commitment_id, m.delivery_line_id, no.legal_name, n.title
FROM hub_matches m JOIN hub_needs n ON n.id = m.need_id JOIN hub_offers f ON f.id = m.offer_id JOIN organisations no ON no.id = n.org_id WHERE m.id = $1`, matchID).
			Scan(&m.Status, &m.Quantity, &m.NeedConfirm, &m.OfferConfirm, &m.DeliveredOn, &commitment, &line, &m.NeedOrg, &m.NeedTitle); err != nil {
			return notFound(err, "confirm delivery")
		}
		if m.Status != hub.Accepted && m.Status != hub.Delivered {
			return fmt.Errorf("only an accepted match can be confirmed as delivered: %w", problem.ErrConflict)
		}
		if quantity <= 0 || quantity > m.Quantity {
			return problem.Field("quantity", "Confirm between 1 and %d, the quantity agreed in this match", m.Quantity)
		}
		col, current := "need_confirm", m.NeedConfirm
		if side == "offer" {
			col, current = "offer_confirm", m.OfferConfirm
		}
		if current == quantity && m.DeliveredOn == on {
			return nil // the same confirmation again: idempotent
		}
		changed = true
		if side == "offer" {
			m.OfferConfirm = quantity
		} else {
			m.NeedConfirm = quantity
		}
		status := m.Status
		if m.Confirmed() > 0 {
			status = hub.Delivered
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hub_matches SET `+col+` = $1, delivered_on = $2, status = $3 WHERE id = $4`, quantity, on, status, matchID); err != nil {
			return fmt.Errorf("confirm delivery: %w", err)
		}
		if status == hub.Delivered && commitment.Valid && !line.Valid {
			var contractID int64
			if err := tx.QueryRowContext(ctx, `SELECT contract_id FROM commitments WHERE id = $1`, commitment.Int64).Scan(&contractID); err != nil {
				return fmt.Errorf("confirm delivery: %w", err)
			}
			var reportID, lineID int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO delivery_reports (contract_id, period_start, period_end, submitted_by, submitted_at) VALUES ($1, $2, $2, $3, $4) RETURNING id`,
				contractID, on, actorRef(actor), now.UTC()).Scan(&reportID); err != nil {
				return fmt.Errorf("confirm delivery: %w", err)
			}
			qty := m.Confirmed() * 1000 // commitments count thousandths
			evidence := fmt.Sprintf("Delivered through Social Value Hub match %d (%q) and confirmed by %s, the organisation that received it.", matchID, m.NeedTitle, m.NeedOrg)
			if err := tx.QueryRowContext(ctx, `INSERT INTO delivery_lines (report_id, commitment_id, quantity_milli, area_code, evidence, attributable, additional, status) VALUES ($1, $2, $3, '', $4, TRUE, TRUE, $5) RETURNING id`,
				reportID, commitment.Int64, qty, evidence, contracts.Submitted).Scan(&lineID); err != nil {
				return fmt.Errorf("confirm delivery: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE commitments SET claimed_milli = claimed_milli + $1 WHERE id = $2`, qty, commitment.Int64); err != nil {
				return fmt.Errorf("confirm delivery: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE hub_matches SET delivery_line_id = $1 WHERE id = $2`, lineID, matchID); err != nil {
				return fmt.Errorf("confirm delivery: %w", err)
			}
			if err := s.record(ctx, tx, contractEvent(actor, "delivery.report", contractID, nil, map[string]any{"report": reportID, "line": lineID, "from_hub_match": matchID})); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, hubEvent(actor, "hub.match.confirm", "hub_match", matchID, nil, map[string]any{"side": side, "quantity": quantity, "on": on, "status": status}))
	})
	return changed, err
}

// HubRow counts needs for one group of the dashboard.
type HubRow struct {
	Key, Label       string
	Open, Met        int
	SizeMet, SizeAll int64
}

// NeedsMet counts open and fulfilled needs (and quantities confirmed) by
// priority and by district.
func (s *Store) NeedsMet(ctx context.Context) (byPriority, byDistrict []HubRow, err error) {
	needs, err := s.ListNeeds(ctx, NeedFilter{})
	if err != nil {
		return nil, nil, err
	}
	pIdx, dIdx := map[string]int{}, map[string]int{}
	add := func(rows *[]HubRow, idx map[string]int, key, label string, n hub.Need) {
		i, ok := idx[key]
		if !ok {
			i = len(*rows)
			idx[key] = i
			*rows = append(*rows, HubRow{Key: key, Label: label})
		}
		r := &(*rows)[i]
		switch n.Status {
		case hub.Open, hub.Paused:
			r.Open++
		case hub.Fulfilled:
			r.Met++
		default:
			return
		}
		r.SizeAll += n.Size
		r.SizeMet += n.Size - n.Remaining
	}
	for _, n := range needs {
		for _, p := range n.Priorities {
			add(&byPriority, pIdx, p, p, n)
		}
		label := n.AreaName
		if n.DistrictCode == "" {
			label = "Anywhere in Greater Manchester"
		} else if n.DistrictCode != n.Area {
			label = ""
		}
		add(&byDistrict, dIdx, n.DistrictCode, label, n)
	}
	return byPriority, byDistrict, nil
}

// UpdateNeed changes a need's details (not its organisation or state).
// Its size may not fall below what accepted matches already promise.
func (s *Store) UpdateNeed(ctx context.Context, actor auth.Actor, n hub.Need) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		var promised int64
		if err := tx.QueryRowContext(ctx, `SELECT status, COALESCE((SELECT SUM(m.quantity) FROM hub_matches m WHERE m.need_id = n.id AND m.status IN ('accepted', 'delivered')), 0) FROM hub_needs n WHERE n.id = $1`, n.ID).Scan(&status, &promised); err != nil {
			return notFound(err, "update need")
		}
		if status == hub.Fulfilled || status == hub.Withdrawn {
			return fmt.Errorf("a %s need cannot be edited: %w", status, problem.ErrConflict)
		}
		if n.Size < promised {
			return problem.Field("size", "Matches already promise %d; the need cannot be smaller than that", promised)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hub_needs SET title = $1, description = $2, kind = $3, priorities = $4, area_code = $5, by_date = $6, recurring = $7, size = $8, beneficiaries = $9, contact = $10 WHERE id = $11`,
			n.Title, n.Description, n.Kind, strings.Join(n.Priorities, " "), n.Area, dateText(n.By), n.Recurring, n.Size, n.Beneficiaries, n.Contact, n.ID); err != nil {
			return fmt.Errorf("update need: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "hub.need.update", "hub_need", n.ID, nil, map[string]any{"title": n.Title, "size": n.Size, "kind": n.Kind}))
	})
}

// MoveOffer pauses, resumes or closes an offer.
func (s *Store) MoveOffer(ctx context.Context, actor auth.Actor, id int64, to string) error {
	allowed := map[string]string{hub.Paused: hub.Open, hub.Open: hub.Paused, "closed": ""}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var from string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM hub_offers WHERE id = $1`, id).Scan(&from); err != nil {
			return notFound(err, "move offer")
		}
		want, ok := allowed[to]
		if !ok || (want != "" && from != want) || from == "closed" {
			return fmt.Errorf("a %s offer cannot become %s: %w", from, to, problem.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE hub_offers SET status = $1 WHERE id = $2`, to, id); err != nil {
			return fmt.Errorf("move offer: %w", err)
		}
		return s.record(ctx, tx, hubEvent(actor, "hub.offer."+to, "hub_offer", id, map[string]string{"status": from}, map[string]string{"status": to}))
	})
}

// SetHubModerator marks (or unmarks) a VCSE organisation as trusted to
// moderate community needs.
func (s *Store) SetHubModerator(ctx context.Context, actor auth.Actor, orgID int64, on bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE organisations SET hub_moderator = $1 WHERE id = $2 AND kind = 'vcse'`, on, orgID)
		if err != nil {
			return fmt.Errorf("hub moderator: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("only a VCSE organisation can moderate the hub: %w", problem.ErrConflict)
		}
		return s.record(ctx, tx, orgEvent(actor, "hub.moderator", orgID, nil, map[string]bool{"moderator": on}))
	})
}
