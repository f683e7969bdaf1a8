package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/problem"
)

// AddReply records the supplier's answer to a queried delivery line with
// its evidence files, audited in the same transaction. The line must
// belong to contractID and still be queried.
func (s *Store) AddReply(ctx context.Context, actor auth.Actor, contractID, lineID int64, author, body string, files []contracts.EvidenceFile, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT l.status FROM delivery_lines l JOIN delivery_reports r ON r.id = l.report_id WHERE l.id = $1 AND r.contract_id = $2`, lineID, contractID).Scan(&status); err != nil {
			return notFound(err, "reply to line")
		}
		if err := contracts.ValidateReply(body, status); err != nil {
			return err
		}
		if len(files) > contracts.MaxEvidenceFiles {
			return problem.Field("files", "Attach at most %d files", contracts.MaxEvidenceFiles)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO delivery_replies (line_id, author, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id`, lineID, author, body, now.UTC()).Scan(&id); err != nil {
			return fmt.Errorf("reply to line: %w", err)
		}
		names := []string{}
		for _, f := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_files (reply_id, name, content_type, size, sha256, content) VALUES ($1, $2, $3, $4, $5, $6)`, id, f.Name, f.Type, f.Size, f.SHA256, f.Content); err != nil {
				return fmt.Errorf("reply evidence file: %w", err)
			}
			names = append(names, f.Name+" "+f.SHA256)
		}
		return s.record(ctx, tx, contractEvent(actor, "delivery.line.reply", contractID, nil, map[string]any{"line": lineID, "reply": id, "files": names}))
	})
	return id, err
}

// LineReplies gives every reply on the contract's delivery lines, by line,
// oldest first, with their files (without their bytes).
func (s *Store) LineReplies(ctx context.Context, contractID int64) (map[int64][]contracts.Reply, error) {
	replies, err := query(ctx, s, "delivery replies", func(r *sql.Rows) (contracts.Reply, error) {
		var x contracts.Reply
		return x, r.Scan(&x.ID, &x.LineID, &x.Author, &x.Body, &x.CreatedAt)
	}, `SELECT p.id, p.line_id, p.author, p.body, p.created_at FROM delivery_replies p JOIN delivery_lines l ON l.id = p.line_id JOIN delivery_reports r ON r.id = l.report_id WHERE r.contract_id = $1 ORDER BY p.id`, contractID)
	if err != nil {
		return nil, err
	}
	files, err := query(ctx, s, "delivery files", func(r *sql.Rows) (contracts.EvidenceFile, error) {
		var f contracts.EvidenceFile
		return f, r.Scan(&f.ID, &f.ReplyID, &f.Name, &f.Type, &f.Size, &f.SHA256)
	}, `SELECT f.id, f.reply_id, f.name, f.content_type, f.size, f.sha256 FROM delivery_files f JOIN delivery_replies p ON p.id = f.reply_id JOIN delivery_lines l ON l.id = p.line_id JOIN delivery_reports r ON r.id = l.report_id WHERE r.contract_id = $1 ORDER BY f.id`, contractID)
	if err != nil {
		return nil, err
	}
	byReply := map[int64][]contracts.EvidenceFile{}
	for _, f := range files {
		byReply[f.ReplyID] = append(byReply[f.ReplyID], f)
	}
	out := map[int64][]contracts.Reply{}
	for _, x := range replies {
		x.Files = byReply[x.ID]
		out[x.LineID] = append(out[x.LineID], x)
	}
	return out, nil
}

// EvidenceFileContent returns one evidence file of the contract, with its
// bytes.
func (s *Store) EvidenceFileContent(ctx context.Context, contractID, fileID int64) (contracts.EvidenceFile, error) {
	var f contracts.EvidenceFile
	err := s.readRow(ctx, `SELECT f.id, f.reply_id, f.name, f.content_type, f.size, f.sha256, f.content FROM delivery_files f JOIN delivery_replies p ON p.id = f.reply_id JOIN delivery_lines l ON l.id = p.line_id JOIN delivery_reports r ON r.id = l.report_id WHERE f.id = $1 AND r.contract_id = $2`,
		fileID, contractID).Scan(&f.ID, &f.ReplyID, &f.Name, &f.Type, &f.Size, &f.SHA256, &f.Content)
	return f, notFound(err, "evidence file")
}

// ConcernRaiser is the email address of the resident who raised a concern
// on one of the contract's delivery lines, and the line.
func (s *Store) ConcernRaiser(ctx context.Context, contractID, concernID int64) (email string, lineID int64, err error) {
	err = s.readRow(ctx, `SELECT u.email, c.line_id FROM delivery_concerns c JOIN users u ON u.id = c.user_id JOIN delivery_lines l ON l.id = c.line_id JOIN delivery_reports r ON r.id = l.report_id WHERE c.id = $1 AND r.contract_id = $2`,
		concernID, contractID).Scan(&email, &lineID)
	return email, lineID, notFound(err, "concern")
}

// NotificationOptOuts lists the notification kinds the user has turned off.
func (s *Store) NotificationOptOuts(ctx context.Context, userID int64) ([]string, error) {
	return query(ctx, s, "notification opt-outs", scanString, `SELECT kind FROM notification_optouts WHERE user_id = $1 ORDER BY kind`, userID)
}

// SetNotificationOptOuts replaces the kinds the user has turned off.
func (s *Store) SetNotificationOptOuts(ctx context.Context, actor auth.Actor, userID int64, kinds []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM notification_optouts WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("notification settings: %w", err)
		}
		for _, k := range kinds {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notification_optouts (user_id, kind) VALUES ($1, $2)`, userID, k); err != nil {
				return fmt.Errorf("notification settings: %w", err)
			}
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "user.notifications", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), Summary: audit.Summary(nil, map[string]any{"off": kinds})})
	})
}

// OptedOut reports whether the user with this email address has turned
// off notifications of kind.
func (s *Store) OptedOut(ctx context.Context, email, kind string) (bool, error) {
	var n int
	err := s.readRow(ctx, `SELECT COUNT(*) FROM notification_optouts o JOIN users u ON u.id = o.user_id WHERE u.email = $1 AND o.kind = $2`, email, kind).Scan(&n)
	return n > 0, err
}
