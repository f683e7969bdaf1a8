package store_test

import (
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// TestContractPageGeneration: every table behind a contract's page that
// the contract dashboard's generation does not cover (delivery reports,
// lines, concerns, replies and their files, KPIs, assessments, notices)
// has a trigger for each kind of write; a concern, a supplier's reply and
// new KPIs each raise the contract page's generation and not the
// dashboard's; a verified line (which moves a commitment's totals) raises
// both; reads raise neither; and the page's number is their sum. The
// migration goes down and up again cleanly. Both engines.
func TestContractPageGeneration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		requireTriggers(t, s, "contract_page_generation", "the contract page's generation", store.ContractPageTables()...)
		// Migration 58 down: no row, no trigger; up again: both back.
		if err := store.MigrateDownToForTest(s, 57); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReferenceGeneration(ctx, store.RefContractPage); err == nil {
			t.Error("the contract page's generation survived migration 58 down")
		}
		if left, err := s.GenerationTriggersForTest(ctx, "contract_page_generation"); err != nil || len(left) != 0 {
			t.Errorf("triggers left after migration 58 down: %v, %v", left, err)
		}
		if err := store.MigrateToForTest(s, 1<<40); err != nil {
			t.Fatal(err)
		}
		if again, err := s.GenerationTriggersForTest(ctx, "contract_page_generation"); err != nil || len(again) != len(store.ContractPageTables()) {
			t.Errorf("after migration 58 up again: triggers on %d tables, want %d (%v)", len(again), len(store.ContractPageTables()), err)
		}
		seedDemo(t, s)
		gen := func(kind string) int64 {
			t.Helper()
			g, err := s.ReferenceGeneration(ctx, kind)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		page := func() int64 {
			t.Helper()
			g, err := s.ContractPageGeneration(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := gen(store.RefContractDashboard) + gen(store.RefContractPage); g != want {
				t.Fatalf("contract page generation %d, want the sum %d", g, want)
			}
			return g
		}
		cs, err := s.ListContracts(ctx, store.ContractFilter{})
		if err != nil || len(cs) == 0 {
			t.Fatalf("demo contracts: %d, %v", len(cs), err)
		}
		var queried, submitted contracts.Line
		var c contracts.Contract
		for _, k := range cs {
			lines, err := s.DeliveryLines(ctx, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				if l.Status == contracts.Queried && queried.ID == 0 {
					queried, c = l, k
				}
			}
			for _, l := range lines {
				if l.Status == contracts.Submitted && k.ID == c.ID && submitted.ID == 0 {
					submitted = l
				}
			}
		}
		if queried.ID == 0 || submitted.ID == 0 {
			t.Fatalf("no demo contract has a queried line and one awaiting verification (%d, %d)", queried.ID, submitted.ID)
		}
		admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		resident := mkUser(t, s, "page-resident@example.org", false)
		now := time.Now()
		// only checks that write raised the page's generation, and the
		// dashboard's exactly when dash says so.
		only := func(what string, dash bool, write func() error) {
			t.Helper()
			d, p := gen(store.RefContractDashboard), page()
			if err := write(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if page() <= p {
				t.Errorf("%s left the contract page's generation at %d", what, p)
			}
			if moved := gen(store.RefContractDashboard) != d; moved != dash {
				t.Errorf("%s: dashboard generation moved %v, want %v", what, moved, dash)
			}
		}
		only("a concern", false, func() error { return s.RaiseConcern(ctx, resident, queried.ID, "Not seen on the route", now) })
		only("a supplier's reply", false, func() error {
			_, err := s.AddReply(ctx, admin, c.ID, queried.ID, "Supplier", "Timesheets attached", []contracts.EvidenceFile{{Name: "t.csv", Type: "text/csv", Size: 3, SHA256: "x", Content: []byte("a,b")}}, now)
			return err
		})
		only("a verified line", true, func() error { return s.DecideLine(ctx, admin, submitted.ID, contracts.Verified, "", now) })
		p := page()
		if _, err := s.DeliveryLines(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LineReplies(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.KPIs(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TenderNotices(ctx, c.TenderID); err != nil {
			t.Fatal(err)
		}
		if page() != p {
			t.Error("reading the page's data moved its generation")
		}
	})
}
