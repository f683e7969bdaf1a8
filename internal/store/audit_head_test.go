package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

var testAuditKey = []byte("0123456789abcdef0123456789abcdef")

// auditChain makes a store whose audit key is set and whose chain holds
// six events.
func auditChain(t *testing.T, s *store.Store) {
	t.Helper()
	s.SetAuditKey(testAuditKey)
	for _, e := range []string{"a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org", "f@example.org"} {
		mkUser(t, s, e, false)
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n != 6 {
		t.Fatalf("clean chain: %d %v", n, err)
	}
	h, err := s.AuditHead(ctx)
	if err != nil || h == nil || h.Seq != 6 || h.CheckSignature(testAuditKey) != nil {
		t.Fatalf("head after six events: %+v %v", h, err)
	}
}

// wantBreak runs audit verification and checks the break's event and
// message.
func wantBreak(t *testing.T, s *store.Store, seq int64, msg string) {
	t.Helper()
	_, err := s.VerifyAudit(ctx)
	var b *audit.Break
	if !errors.As(err, &b) {
		t.Fatalf("verify: %v, want a break at %d (%s)", err, seq, msg)
	}
	if b.Seq != seq || !strings.Contains(b.Error(), msg) {
		t.Fatalf("verify: %v, want a break at %d saying %q", b, seq, msg)
	}
}

func TestAuditChainTampering(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper []string
		seq    int64
		msg    string
	}{
		{"edit", []string{`UPDATE audit_events SET summary = '{"before":null,"after":{"email":"evil@example.org"}}' WHERE seq = 3`}, 3,
			"content does not match its hash (the event was altered)"},
		{"delete middle", []string{`DELETE FROM audit_events WHERE seq = 3`}, 4,
			"expected sequence 3 (an event is missing or was inserted)"},
		{"delete newest", []string{`DELETE FROM audit_events WHERE seq > 4`}, 5,
			"the chain ends at 4 but the last signed head says 6"},
		{"reorder", []string{`UPDATE audit_events SET seq = 100 WHERE seq = 3`, `UPDATE audit_events SET seq = 3 WHERE seq = 4`, `UPDATE audit_events SET seq = 4 WHERE seq = 100`}, 3,
			"previous-hash does not match the hash of the event before it (events were reordered, or one was replaced)"},
		{"forged head", []string{`DELETE FROM audit_events WHERE seq > 4`, `UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_events WHERE seq = 4), mac = '` + strings.Repeat("ab", 32) + `'`}, 4,
			"the head (event 4) is forged: its signature does not match the audit key"},
		{"unsigned head", []string{`DELETE FROM audit_events WHERE seq > 4`, `UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_events WHERE seq = 4), mac = ''`}, 4,
			"the head (event 4) is not signed, but an audit key is configured"},
		{"head deleted", []string{`DELETE FROM audit_head`}, 6,
			"the chain ends at 6 but there is no signed head"},
		{"events appended without the head", []string{`INSERT INTO audit_events (seq, at, actor, action, object_type, object_id, summary, prev_hash, hash) SELECT 7, at, actor, action, object_type, object_id, summary, hash, hash FROM audit_events WHERE seq = 6`}, 7,
			"expected"}, // placeholder, replaced below
	} {
		if tc.name == "events appended without the head" {
			continue // covered by TestAuditAppendedEventsNeedTheHead
		}
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				auditChain(t, s)
				for _, q := range tc.tamper {
					if err := store.AuditSQLForTest(s, q); err != nil {
						t.Fatal(err)
					}
				}
				wantBreak(t, s, tc.seq, tc.msg)
			})
		})
	}
}

// An event appended with a correct hash but without the key (so without a
// new signed head) is seen: the chain runs past the head.
func TestAuditAppendedEventsNeedTheHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		auditChain(t, s)
		last, err := s.ListAudit(ctx, store.AuditFilter{Limit: 1})
		if err != nil || len(last) != 1 {
			t.Fatal(last, err)
		}
		e := audit.Seal(audit.Event{At: time.Now(), Actor: "intruder", Action: "user.create", ObjectType: "user", ObjectID: "99", Summary: "{}"}, last[0].Seq, last[0].Hash)
		if err := store.AuditSQLForTest(s, `INSERT INTO audit_events (seq, at, actor, action, object_type, object_id, summary, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			e.Seq, e.At, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Summary, e.PrevHash, e.Hash); err != nil {
			t.Fatal(err)
		}
		wantBreak(t, s, 7, "the chain ends at 7 but the last signed head says 6")
	})
}

// Without a key, heads are unsigned but truncation is still seen; with
// the key set again later, the unsigned head is reported.
func TestAuditHeadWithoutKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
			mkUser(t, s, e, false)
		}
		h, err := s.AuditHead(ctx)
		if err != nil || h == nil || h.Seq != 3 || h.MAC != "" {
			t.Fatalf("unsigned head: %+v %v", h, err)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n != 3 {
			t.Fatalf("verify without a key: %d %v", n, err)
		}
		if err := store.AuditSQLForTest(s, `DELETE FROM audit_events WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		wantBreak(t, s, 3, "the chain ends at 2 but the last signed head says 3")
	})
}

// An exported head catches a rollback of both the events and the stored
// head to an older, genuinely signed head.
func TestAuditExportedHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		auditChain(t, s)
		old, _ := s.AuditHead(ctx) // event 6
		mkUser(t, s, "g@example.org", false)
		exported, err := s.AuditHead(ctx) // event 7, exported daily
		if err != nil || exported.Seq != 7 {
			t.Fatal(exported, err)
		}
		if err := s.CheckExportedHead(ctx, *exported); err != nil {
			t.Fatalf("fresh export: %v", err)
		}
		// Roll back: delete event 7 and put the old signed head back.
		if err := store.AuditSQLForTest(s, `DELETE FROM audit_events WHERE seq = 7`); err != nil {
			t.Fatal(err)
		}
		if err := store.AuditSQLForTest(s, `UPDATE audit_head SET seq = $1, hash = $2, at = $3, mac = $4`, old.Seq, old.Hash, old.At, old.MAC); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Fatalf("the rollback to a genuine head is invisible to the stored head alone, but verify said %v", err)
		}
		err = s.CheckExportedHead(ctx, *exported)
		var b *audit.Break
		if !errors.As(err, &b) || b.Seq != 7 || !strings.Contains(err.Error(), "the chain has no event 7") {
			t.Fatalf("exported head check: %v", err)
		}
		forged := *exported
		forged.MAC = strings.Repeat("00", 32)
		if err := s.CheckExportedHead(ctx, forged); err == nil || !strings.Contains(err.Error(), "not signed with the audit key") {
			t.Fatalf("forged export: %v", err)
		}
	})
}

// Failed sign-ins are summarised: one event at an account's first failure
// in a window and one when it reaches the limit, not one per failure.
func TestLoginFailuresAreSummarised(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.SetAuditKey(testAuditKey)
		at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		for i := range auth.MaxAccountFailures {
			if err := s.RecordLoginFailure(ctx, []string{"acct:x@example.org", "ip:192.0.2.1"}, at.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		// Another account, and the same account in the next window.
		if err := s.RecordLoginFailure(ctx, []string{"acct:y@example.org", "ip:192.0.2.1"}, at.Add(6*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordLoginFailure(ctx, []string{"acct:x@example.org", "ip:192.0.2.1"}, at.Add(16*time.Minute)); err != nil {
			t.Fatal(err)
		}
		evs, err := s.ListAudit(ctx, store.AuditFilter{Action: "user.sign_in_failures", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := len(evs) - 1; i >= 0; i-- {
			e := evs[i]
			n := strings.SplitN(strings.SplitN(e.Summary, `"failures":`, 2)[1], ",", 2)[0]
			got = append(got, e.ObjectID+" "+n)
		}
		want := "x@example.org 1|x@example.org 5|y@example.org 1|x@example.org 1"
		if strings.Join(got, "|") != want {
			t.Fatalf("summaries %q, want %q", strings.Join(got, "|"), want)
		}
		if !strings.Contains(evs[len(evs)-2].Summary, `"throttled":true`) {
			t.Fatalf("the fifth failure's summary: %s", evs[len(evs)-2].Summary)
		}
		if n, err := s.VerifyAudit(ctx); err != nil || n != 4 {
			t.Fatalf("verify: %d %v", n, err)
		}
	})
}
