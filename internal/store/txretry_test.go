package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// twoNodes opens two stores on one database, as two app nodes would. On
// PostgreSQL the database's deadlock_timeout is lowered to 20 ms so the
// server finds each deadlock quickly (the default, 1 s, finds the same
// deadlocks, slowly); admin is the DSN's database handle for the test's
// own queries.
func twoNodes(t *testing.T, engine string) (a, b *store.Store, admin *sql.DB) {
	t.Helper()
	var dsn string
	switch engine {
	case "sqlite":
		dsn = "sqlite:" + filepath.Join(t.TempDir(), "nodes.db")
	case "postgres":
		dsn = storetest.PostgresDSN(t)
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		u, _ := url.Parse(dsn)
		name := strings.TrimPrefix(u.Path, "/")
		if _, err := db.Exec(`ALTER DATABASE ` + name + ` SET deadlock_timeout = '20ms'`); err != nil {
			t.Logf("deadlock_timeout left at the server's (%v): the test is slower", err)
		}
		admin = db
	}
	open := func() *store.Store {
		s, err := store.Open(ctx, dsn, true)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	return open(), open(), admin
}

func isDeadlock(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "40P01") || strings.Contains(err.Error(), "deadlock detected"))
}

// deadlockWorld is what the concurrent writes work on: a buyer and a
// supplier, a framework measure, and a contract awarded to the supplier.
type deadlockWorld struct {
	admin          auth.Actor
	firm, council  orgs.Organisation
	fid, measure   int64
	sealer         *tenders.Sealer
	contract       int64
	commitment     int64
	now            time.Time
	tendersCreated int
}

func newDeadlockWorld(t *testing.T, s *store.Store) *deadlockWorld {
	t.Helper()
	w := &deadlockWorld{now: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	w.admin = mkUser(t, s, "admin@example.org", true)
	var err error
	if w.firm, err = s.CreateOrganisation(ctx, w.admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0); err != nil {
		t.Fatal(err)
	}
	if w.council, err = s.CreateOrganisation(ctx, w.admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0); err != nil {
		t.Fatal(err)
	}
	f := framework.GM2020()
	f.Status = framework.Published
	if w.fid, err = s.CreateFramework(ctx, w.admin, f); err != nil {
		t.Fatal(err)
	}
	full, err := s.Framework(ctx, w.fid)
	if err != nil {
		t.Fatal(err)
	}
	w.measure = full.Priorities[3].Outcomes[0].Measures[0].ID
	key, _ := tenders.ParseKey(tenders.NewKey())
	if w.sealer, err = tenders.NewSealer(key); err != nil {
		t.Fatal(err)
	}
	w.contract = w.award(t, s, w.evaluatedTender(t, s))
	cms, err := s.Commitments(ctx, w.contract)
	if err != nil || len(cms) != 1 {
		t.Fatalf("commitments %v %v", cms, err)
	}
	w.commitment = cms[0].ID
	return w
}

// draftTender creates a draft tender of the council's.
func (w *deadlockWorld) draftTender(t *testing.T, s *store.Store) int64 {
	t.Helper()
	w.tendersCreated++
	id, err := s.CreateTender(ctx, w.admin, tenders.Tender{BuyerOrgID: w.council.ID, Title: fmt.Sprintf("Parks %d", w.tendersCreated), Description: "d", ValuePence: 1,
		Deadline: w.now.Add(time.Hour), WPrice: 40, WQuality: 40, WSV: 20, SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: w.fid}, w.sealer.NewTenderKey, w.now)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// evaluatedTender takes a new tender through publication and moderation.
func (w *deadlockWorld) evaluatedTender(t *testing.T, s *store.Store) int64 {
	t.Helper()
	id := w.draftTender(t, s)
	later := w.now.Add(2 * time.Hour)
	for _, err := range []error{
		s.MoveTender(ctx, w.admin, id, tenders.Published, w.now),
		s.AssignEvaluators(ctx, w.admin, id, []int64{w.admin.ID()}, later),
		s.SubmitMarks(ctx, w.admin, id, nil, later),
		s.Moderate(ctx, w.admin, id, nil, later),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func (w *deadlockWorld) award(t *testing.T, s *store.Store, tender int64) int64 {
	t.Helper()
	cid, err := w.awardErr(s, tender)
	if err != nil {
		t.Fatal(err)
	}
	return cid
}

func (w *deadlockWorld) awardErr(s *store.Store, tender int64) (int64, error) {
	return s.AwardTender(ctx, w.admin, store.Award{TenderID: tender, SupplierID: w.firm.ID, ValuePence: 1, Evaluation: "{}", Rationale: "r", StandstillEnd: "2026-06-10"},
		contracts.Contract{BuyerOrgID: w.council.ID, Title: "Parks", Start: "2026-07-01", End: "2027-06-30"},
		[]contracts.Commitment{{MeasureID: w.measure, QuantityMilli: 100_000, Due: "2027-06-30"}}, w.now)
}

// report is the supplier's delivery report number i on the contract.
func (w *deadlockWorld) report(s *store.Store, i int) error {
	_, err := s.SubmitReport(ctx, w.admin, contracts.Report{ContractID: w.contract, PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", Lines: []contracts.Line{
		{CommitmentID: w.commitment, QuantityMilli: 1000, Evidence: fmt.Sprintf("timesheets %d", i), Attributable: true, Additional: true},
		{CommitmentID: w.commitment, QuantityMilli: 500, Evidence: fmt.Sprintf("register %d", i), Attributable: true}}}, w.now.AddDate(0, 4, 0))
	return err
}

// editCouncil is the council editing its profile, for the i-th time.
func (w *deadlockWorld) editCouncil(s *store.Store, i int) error {
	o := w.council
	o.Description = fmt.Sprintf("Edit %d", i)
	return s.UpdateOrganisation(ctx, w.admin, o)
}

// together runs f and g at the same time and returns their errors; g
// starts lag later, so that many iterations meet at many points.
func together(f, g func() error, lag ...time.Duration) (ef, eg error) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	wg.Add(2)
	go func() { defer wg.Done(); <-start; ef = f() }()
	go func() {
		defer wg.Done()
		<-start
		if len(lag) > 0 {
			time.Sleep(lag[0])
		}
		eg = g()
	}()
	close(start)
	wg.Wait()
	return ef, eg
}

// Two nodes run realistic writes at the same time, many times over: a
// supplier submits a delivery report (which locks the 'ocds' generation
// before 'contract-dashboard') while the council edits its profile (which
// locks them the other way round); a buyer awards a tender (likewise)
// while the council edits; a buyer publishes a tender while the council
// edits. Without retries PostgreSQL aborts some of them as deadlocks
// (phase 0, logged); with them every write commits, once: every report is
// stored, the profile ends as the last edit made it, and the audit chain
// holds one event per change and verifies. On SQLite (one writer) nothing
// is ever retried.
func TestConcurrentWritesTwoNodes(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			a, b, _ := twoNodes(t, engine)
			w := newDeadlockWorld(t, a)
			const reports, awards, publishes = 60, 12, 12
			awardable := make([]int64, awards)
			for i := range awardable {
				awardable[i] = w.evaluatedTender(t, a)
			}
			drafts := make([]int64, publishes)
			for i := range drafts {
				drafts[i] = w.draftTender(t, a)
			}
			startSeq := auditCount(t, a)
			events, edits, stored := 0, 0, 0

			// Phase 0: no retries, to show the deadlock is real.
			if engine == "postgres" {
				store.SetTxAttemptsForTest(a, 1)
				store.SetTxAttemptsForTest(b, 1)
				deadlocks := 0
				for i := range 40 {
					e1, e2 := together(func() error { return w.report(a, -i) }, func() error { return w.editCouncil(b, -i) }, lag(i))
					for j, err := range []error{e1, e2} {
						switch {
						case err == nil:
							events++
							if j == 0 {
								stored++
							}
						case isDeadlock(err):
							deadlocks++
						default:
							t.Fatalf("without retries, iteration %d: %v", i, err)
						}
					}
				}
				t.Logf("without retries: %d of 80 writes aborted as deadlocks", deadlocks)
				store.SetTxAttemptsForTest(a, 0)
				store.SetTxAttemptsForTest(b, 0)
			}

			for i := range reports {
				e1, e2 := together(func() error { return w.report(a, i) }, func() error { return w.editCouncil(b, i) }, lag(i))
				if e1 != nil || e2 != nil {
					t.Fatalf("report and edit %d: %v; %v", i, e1, e2)
				}
				events += 2
				stored++
				edits = i
			}
			for i, tid := range awardable {
				n := reports + i
				var cid int64
				e1, e2 := together(func() (err error) { cid, err = w.awardErr(a, tid); return err }, func() error { return w.editCouncil(b, n) }, lag(i))
				if e1 != nil || e2 != nil || cid == 0 {
					t.Fatalf("award %d and edit: %v; %v", tid, e1, e2)
				}
				events += 2
				edits = n
			}
			for i, tid := range drafts {
				n := reports + awards + i
				e1, e2 := together(func() error { return a.MoveTender(ctx, w.admin, tid, tenders.Published, w.now) }, func() error { return w.editCouncil(b, n) }, lag(i))
				if e1 != nil || e2 != nil {
					t.Fatalf("publish %d and edit: %v; %v", tid, e1, e2)
				}
				events += 2
				edits = n
			}

			lines, err := a.DeliveryLines(ctx, w.contract)
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != 2*stored {
				t.Errorf("%d delivery lines stored, want %d (two per committed report)", len(lines), 2*stored)
			}
			c, err := b.OrganisationByID(ctx, w.council.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("Edit %d", edits); c.Description != want {
				t.Errorf("council profile says %q, want %q", c.Description, want)
			}
			for _, tid := range awardable {
				if got, err := a.Tender(ctx, tid, w.now); err != nil || got.Status != tenders.Awarded {
					t.Errorf("tender %d: %q %v, want awarded", tid, got.Status, err)
				}
			}
			if got := auditCount(t, a) - startSeq; got != int64(events) {
				t.Errorf("%d audit events appended, want %d (one per committed change)", got, events)
			}
			if n, err := b.VerifyAudit(ctx); err != nil {
				t.Errorf("audit chain after %d events: %v", n, err)
			}
			retries := a.TxRetries() + b.TxRetries()
			t.Logf("with retries: %d transactions run again", retries)
			if engine == "sqlite" && retries != 0 {
				t.Errorf("SQLite retried %d transactions; its single writer never deadlocks", retries)
			}
		})
	}
}

// lag spreads the second write's start over 0-3.5 ms.
func lag(i int) time.Duration { return time.Duration(i%8) * 500 * time.Microsecond }

// auditCount is the sequence number of the newest audit event.
func auditCount(t *testing.T, s *store.Store) int64 {
	t.Helper()
	evs, err := s.ListAudit(ctx, store.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 {
		return 0
	}
	return evs[0].Seq
}

// A deadlock forced step by step between two nodes' transactions: node A
// raises a tender (locking 'ocds' and 'tender-list'), waits until node B's
// profile edit is blocked on 'ocds' holding 'contract-dashboard', then
// edits an organisation itself. PostgreSQL aborts one of the two. With one
// attempt that abort is the caller's error; with retries the aborted one
// runs again once the other commits, both changes and both audit events
// are stored, and the chain verifies.
func TestTxRetryForcedDeadlock(t *testing.T) {
	a, b, admin := twoNodes(t, "postgres")
	w := newDeadlockWorld(t, a)
	tid := w.draftTender(t, a)

	waitBlocked := func() error {
		for range 1000 {
			var n int
			if err := admin.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			time.Sleep(5 * time.Millisecond)
		}
		return errors.New("node B never waited for a lock")
	}
	run := func(round int) (errA, errB error) {
		holds := make(chan struct{})
		attemptsA := 0
		return together(func() error {
			return store.TxForTest(ctx, a, func(tx *sql.Tx, record func(audit.Event) error) error {
				attemptsA++
				if _, err := tx.ExecContext(ctx, `UPDATE tenders SET title = $1 WHERE id = $2`, fmt.Sprintf("Round %d", round), tid); err != nil {
					return err
				}
				if attemptsA == 1 {
					close(holds)
					if err := waitBlocked(); err != nil {
						return err
					}
				}
				if _, err := tx.ExecContext(ctx, `UPDATE organisations SET website = $1 WHERE id = $2`, fmt.Sprintf("https://round%d.example.org", round), w.firm.ID); err != nil {
					return err
				}
				return record(audit.Event{Actor: "node A", Action: "test.tender_and_firm", ObjectType: "tender", ObjectID: fmt.Sprint(tid)})
			})
		}, func() error {
			<-holds
			return store.TxForTest(ctx, b, func(tx *sql.Tx, record func(audit.Event) error) error {
				if _, err := tx.ExecContext(ctx, `UPDATE organisations SET description = $1 WHERE id = $2`, fmt.Sprintf("Round %d", round), w.council.ID); err != nil {
					return err
				}
				return record(audit.Event{Actor: "node B", Action: "test.council", ObjectType: "organisation", ObjectID: fmt.Sprint(w.council.ID)})
			})
		})
	}

	store.SetTxAttemptsForTest(a, 1)
	store.SetTxAttemptsForTest(b, 1)
	before := auditCount(t, a)
	errA, errB := run(1)
	if isDeadlock(errA) == isDeadlock(errB) {
		t.Fatalf("without retries exactly one transaction should be aborted as a deadlock: A %v; B %v", errA, errB)
	}
	if errA != nil && errB != nil {
		t.Fatalf("the survivor failed too: A %v; B %v", errA, errB)
	}
	if got := auditCount(t, a) - before; got != 1 {
		t.Errorf("without retries %d audit events stored, want 1 (the survivor's)", got)
	}

	store.SetTxAttemptsForTest(a, 0)
	store.SetTxAttemptsForTest(b, 0)
	before = auditCount(t, a)
	if errA, errB := run(2); errA != nil || errB != nil {
		t.Fatalf("with retries: A %v; B %v", errA, errB)
	}
	if r := a.TxRetries() + b.TxRetries(); r < 1 {
		t.Errorf("%d transactions retried, want at least 1", r)
	}
	tn, err := a.Tender(ctx, tid, w.now)
	if err != nil || tn.Title != "Round 2" {
		t.Errorf("tender title %q %v, want Round 2", tn.Title, err)
	}
	firm, _ := a.OrganisationByID(ctx, w.firm.ID)
	council, _ := a.OrganisationByID(ctx, w.council.ID)
	if firm.Website != "https://round2.example.org" || council.Description != "Round 2" {
		t.Errorf("firm website %q, council description %q: want both of round 2", firm.Website, council.Description)
	}
	if got := auditCount(t, a) - before; got != 2 {
		t.Errorf("with retries %d audit events stored, want 2", got)
	}
	if n, err := b.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain after %d events: %v", n, err)
	}
}

// The retry is bounded and only for deadlocks and serialization failures
// on PostgreSQL: a closure that always fails with 40P01 (or 40001) runs 6
// times there and once on SQLite; one failing otherwise (a unique
// violation) runs once on both; a cancelled context ends the retries.
func TestTxRetryBounds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		pg := s.Dialect() == store.Postgres
		for _, tc := range []struct {
			code   string
			pgRuns int
		}{{"40P01", 6}, {"40001", 6}, {"23505", 1}} {
			runs := 0
			err := store.TxForTest(ctx, s, func(tx *sql.Tx, _ func(audit.Event) error) error {
				runs++
				return fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: tc.code, Message: "forced"})
			})
			want := 1
			if pg {
				want = tc.pgRuns
			}
			if runs != want || err == nil || !strings.Contains(err.Error(), tc.code) {
				t.Errorf("%s: ran %d times (want %d), error %v", tc.code, runs, want, err)
			}
		}
		cctx, cancel := context.WithCancel(ctx)
		runs := 0
		err := store.TxForTest(cctx, s, func(tx *sql.Tx, _ func(audit.Event) error) error {
			runs++
			cancel()
			return &pgconn.PgError{Code: "40P01", Message: "forced"}
		})
		if runs != 1 || err == nil {
			t.Errorf("cancelled: ran %d times, error %v; want once, with the error", runs, err)
		}
		if s.TxRetries() != map[bool]int64{true: 10, false: 0}[pg] {
			t.Errorf("%d retries counted", s.TxRetries())
		}
	})
}
