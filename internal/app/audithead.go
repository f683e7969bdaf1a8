package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/jobs"
	mailer "github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/store"
)

// AuditHeadJob is the background job that exports the signed audit head
// once a day; its payload is the day (2026-12-07, UTC).
const AuditHeadJob = "audit.head"

// AuditHeadExport exports the audit chain's signed head once a day, to
// files in Dir and/or by email to MailTo, so a copy of the chain's end
// lives outside the database. Every node schedules the day's export, but
// the job queue's once-key makes it one job, run by one node.
type AuditHeadExport struct {
	Store  *store.Store
	Dir    string // where each day's head is written ("" for none)
	MailTo string // who is sent each day's head ("" for none)
	Mailer mailer.Mailer
	Log    *slog.Logger
}

// Enabled reports whether there is anywhere to export to.
func (x AuditHeadExport) Enabled() bool { return x.Dir != "" || x.MailTo != "" }

// Check refuses, at start-up, a directory the export cannot write and an
// address that is not one.
func (x AuditHeadExport) Check() error {
	if x.Dir != "" {
		if err := audit.CheckHeadDir(x.Dir); err != nil {
			return fmt.Errorf("--audit-head-dir: %w", err)
		}
	}
	if x.MailTo != "" {
		if _, err := mail.ParseAddress(x.MailTo); err != nil {
			return fmt.Errorf("--audit-head-mail %q is not an email address: %w", x.MailTo, err)
		}
	}
	return nil
}

// Schedule queues the export of day's head (UTC) unless some node already
// has; it reports whether this call queued it.
func (x AuditHeadExport) Schedule(ctx context.Context, day time.Time) (bool, error) {
	d := day.UTC().Format(time.DateOnly)
	return x.Store.EnqueueJobOnce(ctx, AuditHeadJob, AuditHeadJob+":"+d, d, time.Now())
}

// Run schedules today's export now and again after each midnight (UTC),
// checking at least hourly, until ctx ends.
func (x AuditHeadExport) Run(ctx context.Context) {
	for {
		if _, err := x.Schedule(ctx, time.Now()); err != nil && ctx.Err() == nil && x.Log != nil {
			x.Log.Error("scheduling the daily audit head export", "err", err)
		}
		now := time.Now().UTC()
		wait := min(now.Truncate(24*time.Hour).Add(24*time.Hour+time.Second).Sub(now), time.Hour)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Handler is the job that writes and/or mails the day's head. A node
// given neither a directory nor an address fails the job, which is then
// retried, by a node that has them when there is one (give every node the
// same settings).
func (x AuditHeadExport) Handler() jobs.Handler {
	return func(ctx context.Context, payload string) error {
		day, err := time.Parse(time.DateOnly, payload)
		if err != nil {
			return fmt.Errorf("audit head export: bad day %q", payload)
		}
		if !x.Enabled() {
			return errors.New("audit head export: this node has neither --audit-head-dir nor --audit-head-mail")
		}
		h, err := x.Store.AuditHead(ctx)
		if err != nil {
			return err
		}
		if h == nil {
			if x.Log != nil {
				x.Log.Info("audit head export: the audit chain is empty, nothing to export", "day", payload)
			}
			return nil
		}
		if x.Dir != "" {
			path, err := audit.WriteHeadFile(x.Dir, day, *h)
			if err != nil {
				return err
			}
			if x.Log != nil {
				x.Log.Info("audit head exported", "file", path, "seq", h.Seq)
			}
		}
		if x.MailTo != "" {
			line, _ := json.Marshal(h)
			signed := "It is signed with the audit key."
			if h.MAC == "" {
				signed = "It is NOT signed: no audit key (SVHUB_AUDIT_KEY) is configured."
			}
			body := fmt.Sprintf("The audit chain's head on %s: event %d.\n%s\n\nKeep this line somewhere the hub's database users cannot write:\n\n%s\n\n"+
				"To check the chain against it, save the line to a file and run:\n\n    svhub audit verify --head FILE\n", payload, h.Seq, signed, line)
			if err := x.Mailer.Send(ctx, mailer.Message{To: x.MailTo, Subject: fmt.Sprintf("Audit head %s: event %d", payload, h.Seq), Body: body}); err != nil {
				return err
			}
		}
		return nil
	}
}
