package store

import (
	"context"
	"database/sql"
	"time"
)

// DeadlineRecipient is someone to remind of a tender's deadline: a
// supplier representative or admin of an organisation that has a bid in.
type DeadlineRecipient struct {
	TenderID int64
	Title    string
	Deadline time.Time
	Email    string
}

// DeadlineRecipients lists, for published tenders whose deadline falls in
// [from, to), the supplier representatives and admins of every
// organisation with a bid in (they may still revise it).
func (s *Store) DeadlineRecipients(ctx context.Context, from, to time.Time) ([]DeadlineRecipient, error) {
	return query(ctx, s, "deadline reminders", func(r *sql.Rows) (DeadlineRecipient, error) {
		var x DeadlineRecipient
		return x, r.Scan(&x.TenderID, &x.Title, &x.Deadline, &x.Email)
	}, `SELECT DISTINCT t.id, t.title, t.deadline, u.email FROM tenders t JOIN bids b ON b.tender_id = t.id
JOIN memberships m ON m.org_id = b.supplier_org_id AND m.role IN ('supplier_rep', 'org_admin') JOIN users u ON u.id = m.user_id
WHERE t.status = 'published' AND t.deadline >= $1 AND t.deadline < $2 ORDER BY t.id, u.email`, from.UTC(), to.UTC())
}

// DueRecipient is a supplier representative or admin to remind that a
// contract's social value commitment is due.
type DueRecipient struct {
	ContractID int64
	Title      string
	Due        string
	Email      string
}

// DueRecipients lists the supplier representatives and admins of
// contracts with a commitment due on day (YYYY-MM-DD).
func (s *Store) DueRecipients(ctx context.Context, day string) ([]DueRecipient, error) {
	return query(ctx, s, "report due reminders", func(r *sql.Rows) (DueRecipient, error) {
		var x DueRecipient
		return x, r.Scan(&x.ContractID, &x.Title, &x.Due, &x.Email)
	}, `SELECT DISTINCT c.id, c.title, cm.due_date, u.email FROM contracts c JOIN commitments cm ON cm.contract_id = c.id
JOIN memberships m ON m.org_id = c.supplier_org_id AND m.role IN ('supplier_rep', 'org_admin') JOIN users u ON u.id = m.user_id
WHERE cm.due_date = $1 ORDER BY c.id, u.email`, day)
}

// TenderParticipantEmails lists the supplier representatives and admins of
// every organisation that has asked a question or put a bid in on the
// tender: its registered bidders, who hear each clarification answer.
func (s *Store) TenderParticipantEmails(ctx context.Context, tenderID int64) ([]string, error) {
	return query(ctx, s, "tender participants", scanString, `SELECT DISTINCT u.email FROM memberships m JOIN users u ON u.id = m.user_id
WHERE m.role IN ('supplier_rep', 'org_admin') AND m.org_id IN (SELECT asker_org_id FROM tender_questions WHERE tender_id = $1 UNION SELECT supplier_org_id FROM bids WHERE tender_id = $1)
ORDER BY u.email`, tenderID)
}
