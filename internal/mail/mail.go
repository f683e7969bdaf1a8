// Package mail sends the hub's emails: through SMTP when configured,
// otherwise into an outbox table that hub administrators can read (and that
// demo mode prints to the log), so sign-up works with no mail server.
package mail

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/smtp"
	"strings"
	"time"
)

// Message is one plain-text email.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Mailer sends a message.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// OutboxStore is the storage the outbox mailer needs.
type OutboxStore interface {
	AddOutbox(ctx context.Context, m Message) error
}

// Outbox keeps messages in the database instead of sending them.
type Outbox struct {
	Store OutboxStore
	Log   *slog.Logger // when set (demo mode), each message is also logged
}

func (o Outbox) Send(ctx context.Context, m Message) error {
	if err := o.Store.AddOutbox(ctx, m); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if o.Log != nil {
		o.Log.Info("email (outbox)", "to", m.To, "subject", m.Subject, "body", m.Body)
	}
	return nil
}

// SMTP sends through a relay, e.g. "smtp.example.org:587".
type SMTP struct {
	Addr     string
	From     string
	Username string
	Password string
}

func (s SMTP) Send(ctx context.Context, m Message) error {
	host, _, _ := strings.Cut(s.Addr, ":")
	var a smtp.Auth
	if s.Username != "" {
		a = smtp.PlainAuth("", s.Username, s.Password, host)
	}
	msg := "From: " + s.From + "\r\nTo: " + m.To + "\r\nSubject: " + m.Subject +
		"\r\nDate: " + time.Now().UTC().Format(time.RFC1123Z) +
		"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + strings.ReplaceAll(m.Body, "\n", "\r\n")
	if err := smtp.SendMail(s.Addr, a, s.From, []string{m.To}, []byte(msg)); err != nil {
		return fmt.Errorf("smtp send to %s: %w", m.To, err)
	}
	return nil
}

// Queue is where queued mail waits for delivery.
type Queue interface {
	EnqueueJob(ctx context.Context, kind, payload string, runAfter time.Time) (int64, error)
}

// JobKind names the background job that delivers a queued email.
const JobKind = "email.send"

// Queued hands each message to the job queue, so a slow or failing SMTP
// relay neither delays a page nor loses an email: delivery is retried.
type Queued struct {
	Queue Queue
}

func (q Queued) Send(ctx context.Context, m Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("queue email: %w", err)
	}
	if _, err := q.Queue.EnqueueJob(ctx, JobKind, string(b), time.Now()); err != nil {
		return fmt.Errorf("queue email to %s: %w", m.To, err)
	}
	return nil
}

// Deliver returns the job handler that sends a queued email through m.
func Deliver(m Mailer) func(ctx context.Context, payload string) error {
	return func(ctx context.Context, payload string) error {
		var msg Message
		if err := json.Unmarshal([]byte(payload), &msg); err != nil {
			return fmt.Errorf("queued email is not valid JSON: %w", err)
		}
		return m.Send(ctx, msg)
	}
}
