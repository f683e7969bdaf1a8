package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/companieshouse"
	"github.com/svhub/svhub/internal/jobs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// Companies House search, per buyer: the job looks at the buyer's payees
// that nothing matched, largest spend first, and searches Companies House
// by name for them; what it finds places a payee or waits on the
// resolution page (store.RecordCompaniesHouseRun). Only payees' names are
// sent.
const (
	// CompaniesHouseSearches is how many searches one run may send.
	CompaniesHouseSearches = 50
	// CompaniesHouseLooked bounds the payees one run looks at (those with
	// a cached answer cost no request).
	CompaniesHouseLooked = 500
	// CompaniesHouseCacheFor is how long an answer is reused.
	CompaniesHouseCacheFor = 30 * 24 * time.Hour
)

// CompaniesHouse runs and schedules the search job. Client is nil when
// no API key is configured: the job then does nothing.
type CompaniesHouse struct {
	Store  *store.Store
	Client *companieshouse.Client
	Log    *slog.Logger
	Now    func() time.Time
}

func (x CompaniesHouse) now() time.Time {
	if x.Now != nil {
		return x.Now()
	}
	return time.Now()
}

// Handler is the job handler (payload: the buyer's id). A refused key or
// a rate limit is recorded on the run, shown on the resolution page, and
// not retried (a rate-limited run queues the next one after the wait);
// a database fault is retried.
func (x CompaniesHouse) Handler() jobs.Handler {
	return func(ctx context.Context, payload string) error {
		buyer, err := strconv.ParseInt(payload, 10, 64)
		if err != nil {
			return fmt.Errorf("companies house search: bad payload %q", payload)
		}
		if x.Client == nil {
			return nil // the key was removed from the configuration since it was queued
		}
		_, err = x.Run(ctx, buyer)
		return err
	}
}

// Run searches for one buyer's largest unmatched payees and records what
// it found.
func (x CompaniesHouse) Run(ctx context.Context, buyer int64) (store.CompaniesHouseRun, error) {
	run := store.CompaniesHouseRun{BuyerID: buyer, Outcome: "done"}
	rows, err := x.Store.SpendBySupplier(ctx, store.SpendFilter{BuyerIDs: []int64{buyer}, From: "1990-01-01", To: "2100-12-31"})
	if err != nil {
		return run, err
	}
	orgList, err := x.Store.SupplierCandidatesFor(ctx, rows)
	if err != nil {
		return run, err
	}
	districts, err := x.Store.Districts(ctx)
	if err != nil {
		return run, err
	}
	gm := map[string]bool{}
	for _, d := range districts {
		gm[d.Code] = true
	}
	searched, err := x.Store.CompaniesHouseSearched(ctx)
	if err != nil {
		return run, err
	}
	rep := spend.BuildReport(rows, orgList, "", gm, 0)
	now := x.now()
	var found []store.CompaniesHouseFinding
	var retry time.Duration
	looked, left := 0, 0
	for _, sp := range rep.Top {
		if sp.OrgID != 0 || sp.Key == "redacted" || sp.Key == "" || sp.NetPence <= 0 || searched[sp.Key] {
			continue
		}
		if looked == CompaniesHouseLooked {
			break
		}
		looked++
		body, ok, err := x.Store.CompaniesHouseSearch(ctx, sp.Key, now.Add(-CompaniesHouseCacheFor))
		if err != nil {
			return run, err
		}
		if ok {
			run.Cached++
		} else {
			if run.Searched == CompaniesHouseSearches || run.Outcome != "done" {
				left++
				continue
			}
			body, err = x.Client.Search(ctx, sp.Name)
			var limited *companieshouse.RateLimitedError
			switch {
			case errors.Is(err, companieshouse.ErrUnauthorized):
				run.Outcome, run.Message = "failed", "Stopped: "+err.Error()+"."
			case errors.As(err, &limited):
				run.Outcome, run.Message = "stopped", "Stopped: "+err.Error()+"; the search goes on after that."
				retry = limited.RetryAfter
			case err != nil && ctx.Err() != nil:
				return run, err // the node is stopping or the lease ran out: the job runs again
			case err != nil:
				run.Outcome, run.Message = "stopped", "Stopped: "+err.Error()+"."
			}
			if err != nil {
				left++
				continue
			}
			run.Searched++
			if err := x.Store.PutCompaniesHouseSearch(ctx, sp.Key, sp.Name, body, now); err != nil {
				return run, err
			}
		}
		hits, err := companieshouse.Parse(body)
		if err != nil {
			continue // a cached answer that no longer reads: asked again after 30 days
		}
		if c, ok := spend.ChooseCompany(sp.Name, hits); ok {
			found = append(found, store.CompaniesHouseFinding{SupplierKey: sp.Key, SupplierName: sp.Name, Choice: c})
		}
	}
	summary := fmt.Sprintf("Looked at %d of the largest payees nothing matched: %d searched, %d answered from the last 30 days' searches", looked, run.Searched, run.Cached)
	if left > 0 {
		summary += fmt.Sprintf("; %d left for the next run", left)
	}
	if run.Message == "" {
		run.Message = summary + "."
	} else {
		run.Message += " " + summary + "."
	}
	actor := auth.Actor{User: &auth.User{Email: "Companies House search job"}}
	run, err = x.Store.RecordCompaniesHouseRun(ctx, actor, run, found)
	if err != nil {
		return run, err
	}
	if retry > 0 {
		if _, err := x.Store.EnqueueJob(ctx, store.CompaniesHouseJob, strconv.FormatInt(buyer, 10), x.now().Add(retry+time.Second)); err != nil {
			return run, err
		}
	}
	if x.Log != nil {
		x.Log.Info("Companies House search", "buyer", buyer, "outcome", run.Outcome, "searched", run.Searched, "cached", run.Cached, "placed", run.Placed, "proposed", run.Proposed)
	}
	return run, nil
}

// Schedule queues the day's search (a London date) for every buyer with
// spend, unless a node already has.
func (x CompaniesHouse) Schedule(ctx context.Context, day time.Time) error {
	buyers, err := x.Store.SpendBuyers(ctx)
	if err != nil {
		return err
	}
	d := day.In(londonZone).Format(time.DateOnly)
	for _, b := range buyers {
		id := strconv.FormatInt(b, 10)
		if _, err := x.Store.EnqueueJobOnce(ctx, store.CompaniesHouseJob, store.CompaniesHouseJob+":"+id+":"+d, id, time.Now()); err != nil {
			return err
		}
	}
	return nil
}

// RunDaily schedules the day's searches now and then hourly (a new day
// queues new ones) until ctx ends.
func (x CompaniesHouse) RunDaily(ctx context.Context) {
	for {
		if err := x.Schedule(ctx, x.now()); err != nil && ctx.Err() == nil && x.Log != nil {
			x.Log.Error("scheduling the Companies House searches", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}
