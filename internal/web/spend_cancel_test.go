package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/store"
)

// An upload's import can be cancelled from its page: queued, the job then
// does nothing; running, it stops within a couple of seconds and rolls
// back. Either way nothing is stored, the page says cancelled, the cancel
// is audited, and only the buyer's officers may cancel, once.
func TestCancelSpendUpload(t *testing.T) {
	h := newHub(t)
	manchester, _ := h.store.OrganisationBySlug(bg, "manchester-city-council")
	buyer := h.signedIn(t, "buyer@example.org")
	n0, total0, _ := h.store.SpendTotals(bg, manchester.ID)

	// Queued: cancelled before the job starts.
	res := upload(t, buyer, h.URL, manchester.ID, "f.csv", "Date,Supplier,Amount\n01/04/2026,A Ltd,100.00\n")
	loc := res.Header.Get("Location")
	var id int64
	fmt.Sscanf(loc, "/spend/uploads/%d", &id)
	if _, page := get(t, buyer, h.URL+loc); !strings.Contains(page, "Cancel import") {
		t.Fatal("no Cancel import button on a queued upload's page")
	}
	if r := post(t, h.signedIn(t, "supplier@example.org"), h.URL+loc+"/cancel", url.Values{}); r.StatusCode != 403 {
		t.Fatalf("a supplier cancelled the import: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+loc+"/cancel", url.Values{}); r.StatusCode != 303 {
		t.Fatalf("cancel: %d", r.StatusCode)
	}
	j, ok, err := h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
	if err != nil || !ok {
		t.Fatalf("no job queued: %v", err)
	}
	if err := app.SpendImport(h.store)(bg, j.Payload); err != nil {
		t.Fatal(err)
	}
	u, _ := h.store.SpendUploadByID(bg, id)
	if u.Status != "cancelled" || u.RunID != 0 {
		t.Fatalf("after the job: %+v", u)
	}
	if _, page := get(t, buyer, h.URL+loc); !strings.Contains(page, "cancelled") || strings.Contains(page, "Cancel import") {
		t.Fatalf("cancelled upload's page:\n%s", page)
	}
	if r := post(t, buyer, h.URL+loc+"/cancel", url.Values{}); r.StatusCode != 409 {
		t.Fatalf("a second cancel: %d", r.StatusCode)
	}

	// Running: a file big enough to take several seconds is stopped
	// within a few seconds of the cancel (about 2 s measured, most of it rolling back).
	var b strings.Builder
	b.WriteString("Date,Supplier,Amount,Description\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&b, "%02d/04/2026,Supplier %d Ltd,%d.%02d,Grounds maintenance\n", i%28+1, i%5000, i%9000+1, i%100)
	}
	id, err = h.store.CreateSpendUpload(bg, auth.Actor{User: &auth.User{Email: "test"}}, manchester.ID, "big.csv", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	j, ok, err = h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
	if err != nil || !ok {
		t.Fatalf("no job queued: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- app.SpendImport(h.store)(bg, j.Payload) }()
	for {
		st, _ := h.store.SpendUploadStatus(bg, id)
		if st == "importing" {
			break
		}
		if st == "done" || st == "failed" {
			t.Fatalf("the import finished (%s) before it could be cancelled", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // well into the import
	start := time.Now()
	if r := post(t, buyer, h.URL+fmt.Sprintf("/spend/uploads/%d/cancel", id), url.Values{}); r.StatusCode != 303 {
		t.Fatalf("cancel while importing: %d (the import may have finished first)", r.StatusCode)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("cancelled job: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the import did not stop within 10 s of the cancel")
	}
	took := time.Since(start)
	if took > 5*time.Second {
		t.Fatalf("the import stopped %v after the cancel", took)
	}
	t.Logf("stopped %v after the cancel", took.Round(time.Millisecond))
	u, _ = h.store.SpendUploadByID(bg, id)
	if u.Status != "cancelled" || u.RunID != 0 {
		t.Fatalf("after a cancel while importing: %+v", u)
	}
	if n, total, _ := h.store.SpendTotals(bg, manchester.ID); n != n0 || total != total0 {
		t.Fatalf("a cancelled import stored payments: %d (%d pence), was %d (%d)", n, total, n0, total0)
	}
	if ev, _ := h.store.ListAudit(bg, store.AuditFilter{Action: "spend.upload.cancel"}); len(ev) != 2 {
		t.Fatalf("cancels audited %d times, want 2", len(ev))
	}
}
