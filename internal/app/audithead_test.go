package app

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/jobs"
	"github.com/svhub/svhub/internal/mail"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// Two nodes schedule the same day's head export and work the queue side
// by side: the export runs once, writing one file and one email, and the
// file verifies against the chain. The next day makes a second file.
func TestAuditHeadExportRunsOncePerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		key := []byte("0123456789abcdef0123456789abcdef")
		s.SetAuditKey(key)
		for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
			if _, err := s.CreateVerifiedUser(ctx, "test", auth.User{Email: e, Name: e, PasswordHash: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		dir := t.TempDir()
		const to = "audit-keeper@example.org"
		day := time.Now().UTC()
		nodes := make([]*jobs.Runner, 2)
		var wg sync.WaitGroup
		var mu sync.Mutex
		queued, ran := 0, 0
		for i := range nodes {
			x := AuditHeadExport{Store: s, Dir: dir, MailTo: to, Mailer: mail.Outbox{Store: s}}
			if err := x.Check(); err != nil {
				t.Fatal(err)
			}
			h := x.Handler()
			nodes[i] = &jobs.Runner{Store: s, Worker: string(rune('A' + i)), Lease: time.Minute, MaxAttempts: 3,
				Handlers: map[string]jobs.Handler{AuditHeadJob: func(ctx context.Context, p string) error {
					mu.Lock()
					ran++
					mu.Unlock()
					return h(ctx, p)
				}}}
			wg.Go(func() {
				ok, err := x.Schedule(ctx, day)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				if ok {
					queued++
				}
				mu.Unlock()
			})
		}
		wg.Wait()
		for _, r := range nodes {
			wg.Go(func() {
				for {
					found, err := r.RunOnce(ctx)
					if err != nil {
						t.Error(err)
					}
					if !found || err != nil {
						return
					}
				}
			})
		}
		wg.Wait()
		if queued != 1 || ran != 1 {
			t.Fatalf("queued %d times and ran %d times, want once each", queued, ran)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 || entries[0].Name() != "audit-head-"+day.Format(time.DateOnly)+".json" {
			t.Fatalf("files %v", entries)
		}
		n, err := audit.EachHead(dir, func(_ string, h audit.Head) error {
			if h.Seq != 3 {
				t.Errorf("exported head at event %d, want 3", h.Seq)
			}
			return s.CheckExportedHead(ctx, h)
		})
		if err != nil || n != 1 {
			t.Fatalf("verify the exported head: %d %v", n, err)
		}
		msgs, err := s.ListOutbox(ctx, to, 10)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("outbox %v %v", msgs, err)
		}
		var h audit.Head
		line := msgs[0].Body[strings.Index(msgs[0].Body, "{"):]
		if err := json.NewDecoder(strings.NewReader(line)).Decode(&h); err != nil || s.CheckExportedHead(ctx, h) != nil || h.CheckSignature(key) != nil {
			t.Fatalf("the emailed head does not verify: %v %+v\n%s", err, h, msgs[0].Body)
		}
		x := AuditHeadExport{Store: s, Dir: dir}
		if ok, err := x.Schedule(ctx, day.Add(24*time.Hour)); err != nil || !ok {
			t.Fatalf("next day: %v %v", ok, err)
		}
		if found, err := nodes[1].RunOnce(ctx); !found || err != nil {
			t.Fatalf("next day's export: %v %v", found, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 2 {
			t.Fatalf("after the next day: %v", entries)
		}
	})
}

// A node without a directory or address fails the job (to be retried by
// one that has them) instead of dropping it.
func TestAuditHeadExportNeedsSomewhere(t *testing.T) {
	x := AuditHeadExport{}
	if err := x.Handler()(context.Background(), "2026-12-07"); err == nil || !strings.Contains(err.Error(), "neither --audit-head-dir nor --audit-head-mail") {
		t.Fatalf("got %v", err)
	}
	if err := (AuditHeadExport{MailTo: "not an address"}).Check(); err == nil || !strings.Contains(err.Error(), "--audit-head-mail") {
		t.Fatalf("bad address: %v", err)
	}
	if err := (AuditHeadExport{Dir: "/nonexistent/svhub-heads"}).Check(); err == nil || !strings.Contains(err.Error(), "--audit-head-dir: the audit head directory /nonexistent/svhub-heads does not exist") {
		t.Fatalf("missing dir: %v", err)
	}
}
