package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/store"
)

// ReminderJob is the daily job that emails reminders seven days and one
// day before a tender's deadline (to the organisations with a bid in) and
// before a contract commitment's due date (to the supplier).
const ReminderJob = "reminders"

// ReminderDays are how many days ahead reminders are sent.
var ReminderDays = []int{7, 1}

// Reminders schedules and sends the daily reminders. Each day's job is
// queued once whichever node asks first (a once-key), and the job itself
// is leased to one node, so two nodes send each reminder once.
type Reminders struct {
	Store   *store.Store
	Mailer  mail.Mailer
	BaseURL string
	Log     *slog.Logger
}

var londonZone = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

// Schedule queues day's reminders (a London date) unless a node already
// has; it reports whether this call queued them.
func (x Reminders) Schedule(ctx context.Context, day time.Time) (bool, error) {
	d := day.In(londonZone).Format(time.DateOnly)
	return x.Store.EnqueueJobOnce(ctx, ReminderJob, ReminderJob+":"+d, d, time.Now())
}

// Run schedules today's reminders now and after each midnight, checking
// at least hourly, until ctx ends.
func (x Reminders) Run(ctx context.Context) {
	for {
		if _, err := x.Schedule(ctx, time.Now()); err != nil && ctx.Err() == nil && x.Log != nil {
			x.Log.Error("scheduling the daily reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

// Handler sends the reminders of the day in the payload (YYYY-MM-DD).
func (x Reminders) Handler() func(ctx context.Context, payload string) error {
	return func(ctx context.Context, payload string) error {
		day, err := time.ParseInLocation(time.DateOnly, payload, londonZone)
		if err != nil {
			return fmt.Errorf("reminders: bad day %q", payload)
		}
		for _, n := range ReminderDays {
			from := day.AddDate(0, 0, n)
			tenders, err := x.Store.DeadlineRecipients(ctx, from, from.AddDate(0, 0, 1))
			if err != nil {
				return err
			}
			for _, r := range tenders {
				if off, err := x.Store.OptedOut(ctx, r.Email, mail.KindReminders); err != nil || off {
					continue
				}
				if err := x.Mailer.Send(ctx, mail.Message{To: r.Email, Subject: fmt.Sprintf("%s closes in %s", r.Title, days(n)),
					Body: fmt.Sprintf("The deadline for %s is %s. You can revise your bid until then at %s/tenders/%d\n", r.Title, r.Deadline.In(londonZone).Format("15:04 on 2 January 2006"), x.BaseURL, r.TenderID)}); err != nil {
					return err
				}
			}
			due, err := x.Store.DueRecipients(ctx, from.Format(time.DateOnly))
			if err != nil {
				return err
			}
			for _, r := range due {
				if off, err := x.Store.OptedOut(ctx, r.Email, mail.KindReminders); err != nil || off {
					continue
				}
				if err := x.Mailer.Send(ctx, mail.Message{To: r.Email, Subject: fmt.Sprintf("Social value on %s is due in %s", r.Title, days(n)),
					Body: fmt.Sprintf("A social value commitment of %s is due on %s. Report what you have delivered, with evidence, at %s/contracts/%d/report\n", r.Title, from.Format("2 January 2006"), x.BaseURL, r.ContractID)}); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
