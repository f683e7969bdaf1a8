package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// Cancelling an upload: only an unfinished one, audited, the running
// import in this process cancelled at once, and the status kept cancelled
// by later progress reports unless the import committed.
func TestCancelSpendUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		id, err := s.CreateSpendUpload(ctx, admin, buyer.ID, "f.csv", []byte("Date,Supplier,Amount\n"))
		if err != nil {
			t.Fatal(err)
		}
		jobCtx, stop := context.WithCancel(ctx)
		defer stop()
		done := s.RunningSpendImport(id, stop)
		if err := s.SetSpendUploadStatus(ctx, id, "importing", "Importing payments", 0); err != nil {
			t.Fatal(err)
		}
		done() // a registration ended is not called …
		if err := s.CancelSpendUpload(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
		if jobCtx.Err() != nil {
			t.Fatal("an unregistered import was cancelled")
		}
		if st, err := s.SpendUploadStatus(ctx, id); err != nil || st != store.SpendUploadCancelled {
			t.Fatalf("status %q, %v", st, err)
		}
		// Progress reports do not undo the cancel; a commit ("done") does.
		_ = s.SetSpendUploadStatus(ctx, id, "failed", "x", 0)
		if u, _ := s.SpendUploadByID(ctx, id); u.Status != "cancelled" {
			t.Fatalf("a progress report overwrote the cancel: %q", u.Status)
		}
		if err := s.CancelSpendUpload(ctx, admin, id); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("a second cancel: %v", err)
		}
		_ = s.SetSpendUploadStatus(ctx, id, "done", "1 imported", 0)
		if u, _ := s.SpendUploadByID(ctx, id); u.Status != "done" {
			t.Fatalf("a committed import after a late cancel: %q", u.Status)
		}
		// … a registered one is cancelled at once.
		id2, _ := s.CreateSpendUpload(ctx, admin, buyer.ID, "g.csv", []byte("Date,Supplier,Amount\n"))
		jobCtx2, stop2 := context.WithCancel(ctx)
		defer stop2()
		defer s.RunningSpendImport(id2, stop2)()
		if err := s.CancelSpendUpload(ctx, admin, id2); err != nil || jobCtx2.Err() == nil {
			t.Fatalf("cancel a running import: %v, its context %v", err, jobCtx2.Err())
		}
		if ev, _ := s.ListAudit(ctx, store.AuditFilter{Action: "spend.upload.cancel"}); len(ev) != 2 {
			t.Fatalf("cancels audited %d times", len(ev))
		}
	})
}
