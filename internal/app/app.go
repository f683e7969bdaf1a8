// Package app wires the hub together: store, mailer, account service and
// web server, and runs the server with readiness and graceful shutdown.
package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/companieshouse"
	"github.com/svhub/svhub/internal/demo"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/jobs"
	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
	"github.com/svhub/svhub/internal/web"
)

// Config is everything serve needs.
type Config struct {
	DB        string
	Addr      string
	BaseURL   string
	Demo      bool
	Migrate   bool
	ReadyFile string
	// JobLease is how long a node holds a claimed background job before
	// another node may take it over (default 5 minutes).
	JobLease time.Duration
	SMTP     mail.SMTP
	Version  string
	// DemoPassword, when set, is every demo account's password (tests).
	DemoPassword string
	// SealKey is the base64 key that wraps every tender's bid key; see Sealer.
	SealKey string
	// AuditKey is the base64 key that signs the audit chain's head; see AuditKey.
	AuditKey string
	// AuditHeadDir and AuditHeadMail are where the signed audit head is
	// exported once a day (a directory, an email address; either may be
	// empty); see AuditHeadExport.
	AuditHeadDir, AuditHeadMail string
	// OCIDPrefix is the OCDS ocid prefix of published releases.
	OCIDPrefix string
	// Discount is the discount rate for multi-year contracts (zero value:
	// the Green Book's 3.5%).
	Discount proxies.DiscountRate
	// Adjust is the deadweight, displacement and attribution taken off
	// monetised figures (zero value: none).
	Adjust proxies.Adjustment
	// CompaniesHouseKey is the Companies House API key (empty: no search);
	// CompaniesHouseURL the API's address (default the live API; tests).
	CompaniesHouseKey, CompaniesHouseURL string
}

// Sealer builds the bid sealer. The key is configuration, never stored in
// the database: with PostgreSQL every node must be given the same
// SVHUB_SEAL_KEY. With SQLite and no key given, one is created beside the
// database file (DB.sealkey, mode 0600) on first use, so a single-node hub
// works out of the box; back the two files up separately.
func Sealer(sealKey, dsn string) (*tenders.Sealer, error) {
	if sealKey != "" {
		k, err := tenders.ParseKey(sealKey)
		if err != nil {
			return nil, fmt.Errorf("SVHUB_SEAL_KEY: %w", err)
		}
		return tenders.NewSealer(k)
	}
	dialect, target, err := store.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if dialect != store.SQLite {
		return nil, fmt.Errorf("set --seal-key or SVHUB_SEAL_KEY (32 random bytes, base64; the same on every node) to seal bids; 'svhub version' does not need it")
	}
	path := target + ".sealkey"
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := tenders.NewKey()
		if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("create seal key %s: %w", path, err)
		}
		b = []byte(key)
	} else if err != nil {
		return nil, fmt.Errorf("read seal key: %w", err)
	}
	k, err := tenders.ParseKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return tenders.NewSealer(k)
}

// EnsureGeo loads the shipped reference geography into an empty database.
func EnsureGeo(ctx context.Context, s *store.Store, log *slog.Logger) error {
	ok, err := s.GeoLoaded(ctx)
	if err != nil || ok {
		return err
	}
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		return fmt.Errorf("shipped geography: %w", err)
	}
	if err := s.ImportGeo(ctx, "svhub serve (first start)", ref, nil); err != nil {
		return err
	}
	log.Info("loaded shipped reference geography", "districts", len(ref.Districts), "wards", len(ref.Wards), "lsoas", len(ref.LSOAs), "postcodes", len(ref.Postcodes))
	return nil
}

// EnsureProxies loads the shipped proxy sources (the GMCA Unit Cost
// Database v1.4 and the carbon value) that the database does not hold yet;
// an edition already loaded is left as it is.
func EnsureProxies(ctx context.Context, s *store.Store, log *slog.Logger) error {
	eds, err := proxies.Shipped()
	if err != nil {
		return err
	}
	actor := auth.Actor{User: &auth.User{Email: "svhub serve (shipped proxy values)", IsAdmin: true}}
	for _, ed := range eds {
		res, err := s.ImportProxyEdition(ctx, actor, ed)
		if errors.Is(err, problem.ErrConflict) {
			// Another node may have loaded it at the same moment: look again.
			res, err = s.ImportProxyEdition(ctx, actor, ed)
		}
		if err != nil {
			return fmt.Errorf("shipped proxy values %s %s: %w", ed.Source.Name, ed.Source.Edition, err)
		}
		if res.Created {
			log.Info("loaded shipped proxy values", "source", ed.Source.Name, "edition", ed.Source.Edition, "values", len(ed.Values))
		}
	}
	return nil
}

// Mailer chooses queued SMTP delivery when a relay is configured, else the outbox.
func Mailer(cfg Config, s *store.Store, log *slog.Logger) mail.Mailer {
	if cfg.SMTP.Addr != "" {
		return mail.Queued{Queue: s}
	}
	o := mail.Outbox{Store: s}
	if cfg.Demo {
		o.Log = log
	}
	return o
}

// Serve runs the hub until ctx is cancelled, then shuts down gracefully.
func Serve(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) error {
	auditKey, err := AuditKey(cfg.AuditKey, cfg.DB)
	if err != nil {
		return err
	}
	heads := AuditHeadExport{Dir: cfg.AuditHeadDir, MailTo: cfg.AuditHeadMail, Log: log}
	if err := heads.Check(); err != nil {
		return err
	}
	// Each start-up step is logged, so a first start (which migrates,
	// loads the shipped geography and seeds the demo) never sits silent.
	log.Info("opening the database and applying any new migrations (the first start takes a few seconds)")
	s, err := store.Open(ctx, cfg.DB, cfg.Migrate)
	if err != nil {
		return err
	}
	defer s.Close()
	s.SetAuditKey(auditKey)
	log.Info("checking the reference geography")
	if err := EnsureGeo(ctx, s, log); err != nil {
		return err
	}
	log.Info("checking the proxy values")
	if err := EnsureProxies(ctx, s, log); err != nil {
		return err
	}
	hasher := auth.NewHasher(0)
	sealer, err := Sealer(cfg.SealKey, cfg.DB)
	if err != nil {
		return err
	}
	if cfg.Demo {
		n, err := s.OrganisationCount(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			log.Info("creating the demonstration data (a few seconds)")
			res, err := demo.Seed(ctx, s, hasher, cfg.DemoPassword, sealer)
			if err != nil {
				return err
			}
			PrintAccounts(out, res)
		} else {
			fmt.Fprintf(out, "\nThe demo data is already in %s; its passwords were shown when it was created.\n"+
				"To sign in, set a new password for an account, for example:\n\n    svhub user reset-password admin@example.org --db %s\n\n"+
				"(accounts: svhub user list --db %s)\n\n", s.Where, s.Where, s.Where)
		}
	}
	log.Info("starting the web server and background jobs")
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	bound := "http://" + ln.Addr().String()
	if cfg.BaseURL == "" {
		cfg.BaseURL = bound
	}
	clock := demoClock(cfg.Demo, log) // nil unless a --demo hub is given SVHUB_DEMO_CLOCK_FILE
	srv, err := web.New(&web.Server{Store: s, Log: log, Version: cfg.Version, BaseURL: strings.TrimRight(cfg.BaseURL, "/"), Demo: cfg.Demo, Sealer: sealer, OCIDPrefix: cfg.OCIDPrefix, Clock: clock, Discount: cfg.Discount, Adjust: cfg.Adjust,
		Auth: &auth.Service{Store: s, Hasher: hasher, Mailer: Mailer(cfg, s, log), BaseURL: strings.TrimRight(cfg.BaseURL, "/"), Now: clock}, CompaniesHouse: cfg.CompaniesHouseKey != ""})
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	host, _ := os.Hostname()
	runner := &jobs.Runner{Store: s, Worker: fmt.Sprintf("%s:%d", host, os.Getpid()), Poll: 2 * time.Second, Lease: cmp.Or(cfg.JobLease, 5*time.Minute), MaxAttempts: 8, Log: log,
		Handlers: map[string]jobs.Handler{mail.JobKind: mail.Deliver(cfg.SMTP), store.SpendImportJob: SpendImport(s),
			store.GeoImportJob: GeoImportJob(s), store.GeoReplaceJob: GeoReplaceJob(s)}}
	heads.Store, heads.Mailer = s, Mailer(cfg, s, log)
	runner.Handlers[AuditHeadJob] = heads.Handler()
	reminders := Reminders{Store: s, Mailer: Mailer(cfg, s, log), BaseURL: cfg.BaseURL, Log: log}
	runner.Handlers[ReminderJob] = reminders.Handler()
	ch := CompaniesHouse{Store: s, Log: log}
	if cfg.CompaniesHouseKey != "" {
		ch.Client = companieshouse.New(cfg.CompaniesHouseURL, cfg.CompaniesHouseKey)
	}
	// The Companies House search waits on the API's rate limit (about half
	// a second a name, 50 names a buyer), so it runs in a lane of its own.
	chRunner := &jobs.Runner{Store: s, Worker: runner.Worker + ":companies-house", Poll: runner.Poll, Lease: runner.Lease, MaxAttempts: runner.MaxAttempts, Log: log,
		Handlers: map[string]jobs.Handler{store.CompaniesHouseJob: ch.Handler()}}
	jctx, stopJobs := context.WithCancel(context.Background())
	jobsDone := make(chan struct{}, 5)
	go func() {
		if ch.Client != nil {
			ch.RunDaily(jctx)
		}
		jobsDone <- struct{}{}
	}()
	go func() { reminders.Run(jctx); jobsDone <- struct{}{} }()
	go func() { runner.Run(jctx); jobsDone <- struct{}{} }()
	go func() { chRunner.Run(jctx); jobsDone <- struct{}{} }()
	if heads.Enabled() {
		go func() { heads.Run(jctx); jobsDone <- struct{}{} }()
	} else {
		jobsDone <- struct{}{}
	}
	defer func() {
		stopJobs()
		for range cap(jobsDone) {
			<-jobsDone
		}
	}()

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("serving", "url", bound, "db", s.Where, "version", cfg.Version)
	if cfg.ReadyFile != "" {
		// Write then rename so a watcher never reads a half-written URL.
		tmp := cfg.ReadyFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(bound+"\n"), 0o644); err != nil {
			return fmt.Errorf("ready file: %w", err)
		}
		if err := os.Rename(tmp, cfg.ReadyFile); err != nil {
			return fmt.Errorf("ready file: %w", err)
		}
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// PrintAccounts shows the demo accounts once.
func PrintAccounts(out io.Writer, res *demo.Result) {
	fmt.Fprintf(out, "\nDemo data created: %d organisations, the GM Social Value Framework 2020, and these accounts (passwords are shown only now):\n\n", res.Organisations)
	for _, a := range res.Accounts {
		fmt.Fprintf(out, "  %-28s %-24s %s\n", a.Email, a.Password, a.Role)
	}
	fmt.Fprintln(out)
}

// SpendCancelPoll is how often a running spend import checks whether its
// upload was cancelled from its page.
const SpendCancelPoll = time.Second

// SpendImport is the background job that imports an uploaded spend file,
// reporting its progress on the upload. A file that cannot be read fails
// the upload with the reason; it is not retried.
func SpendImport(s *store.Store) jobs.Handler {
	return func(ctx context.Context, payload string) error {
		id, err := strconv.ParseInt(payload, 10, 64)
		if err != nil {
			return fmt.Errorf("spend import: bad payload %q", payload)
		}
		u, content, err := s.SpendUploadContent(ctx, id)
		if err != nil {
			return err
		}
		if u.Status == "done" || u.Status == store.SpendUploadCancelled || u.Status == store.SpendUploadMapping {
			return nil // a retried job whose import already committed, one cancelled from its page, or one waiting for its columns
		}
		// Cancelling from the upload's page stops the import within about
		// a second: a watcher polls the status and cancels the import's
		// context, and the import's transaction rolls back.
		parent := ctx
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
		defer s.RunningSpendImport(id, cancel)()
		var cancelled atomic.Bool
		go func() {
			t := time.NewTicker(SpendCancelPoll)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				if st, err := s.SpendUploadStatus(ctx, id); err == nil && st == store.SpendUploadCancelled {
					cancelled.Store(true)
					cancel()
					return
				}
			}
		}()
		// stopped: cancelled from the page (seen by the watcher, or by
		// CancelSpendUpload in this process), not by the node stopping.
		stopped := func() bool { return cancelled.Load() || (ctx.Err() != nil && parent.Err() == nil) }
		if err := s.SetSpendUploadStatus(ctx, id, "reading", fmt.Sprintf("Reading %d bytes", len(content)), 0); err != nil {
			if stopped() {
				return nil
			}
			return err
		}
		// Find the header outside the import to fail fast and cheaply on a
		// file that is not a spend file (reading stops at the first row);
		// the import then streams it.
		//
		// The columns an officer chose for this buyer's layout (the
		// header's signature) are used when there are some; a file whose
		// columns cannot be told apart waits for an officer to choose them.
		errFound := errors.New("header found")
		meta, err := spend.StreamBytes(u.File, content, nil, "", func(*spend.Payment, *spend.Reject) error { return errFound })
		signature := meta.Columns.Signature
		de, undetected := spend.IsDetectError(err)
		if undetected && de.HeaderLine > 0 {
			signature = spend.LayoutSignature(de.Header)
		}
		var overrides map[string]string
		if signature != "" {
			if overrides, err = s.SpendLayout(ctx, u.BuyerID, signature); err != nil {
				return err
			}
		}
		switch {
		case overrides != nil:
		case undetected && de.Mappable():
			return s.SetSpendUploadStatus(ctx, id, store.SpendUploadMapping, "Choose the columns: the payment date, the net amount and the supplier could not be told apart", 0)
		case err != nil && !errors.Is(err, errFound):
			return s.SetSpendUploadStatus(ctx, id, "failed", err.Error(), 0)
		}
		if err := s.SetSpendUploadStatus(ctx, id, "importing", "Importing payments", 0); err != nil {
			if stopped() {
				return nil
			}
			return err
		}
		sum := sha256.Sum256(content)
		actor := auth.Actor{User: &auth.User{Email: fmt.Sprintf("spend import job (upload %d)", id)}}
		run, err := s.ImportSpendStream(ctx, actor, u.BuyerID, u.File, hex.EncodeToString(sum[:]), func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error) {
			return spend.StreamBytes(u.File, content, overrides, "", func(p *spend.Payment, r *spend.Reject) error {
				if err := ctx.Err(); err != nil {
					return err // cancelled from the page, or the node stopping: the transaction rolls back
				}
				return each(p, r)
			})
		})
		if err != nil && stopped() {
			return nil // cancelled from the page (the upload says so): nothing was imported
		}
		ctx = parent // the import is over: record how it ended, "done" even if a cancel came too late
		if errors.Is(err, spend.ErrNotSpend) {
			return s.SetSpendUploadStatus(ctx, id, "failed", err.Error(), 0)
		}
		if err != nil {
			return err // a database fault: the job is retried
		}
		return s.SetSpendUploadStatus(ctx, id, "done", fmt.Sprintf("%d imported, %d rejected, %d already held", run.RowsImported, run.RowsRejected, run.RowsDuplicate), run.ID)
	}
}
