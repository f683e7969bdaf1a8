package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/store"
)

// runSpendJob runs the next queued job as a node's runner would.
func runSpendJob(t *testing.T, h *hub) {
	t.Helper()
	j, ok, err := h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
	if err != nil || !ok {
		t.Fatalf("no job queued: %v", err)
	}
	if err := app.SpendImport(h.store)(bg, j.Payload); err != nil {
		t.Fatal(err)
	}
}

// Columns whose supplier cannot be told apart (names without a known
// header word or organisation words): the officer chooses them on the
// mapping screen, and next month's file with the same columns is read
// with that choice without asking.
func TestSpendMappingScreen(t *testing.T) {
	h := newHub(t)
	manchester, _ := h.store.OrganisationBySlug(bg, "manchester-city-council")
	april := "Posted,Detail,Sum,Team\n01/04/2026,J Smith,250.00,Parks\n02/04/2026,A Jones,\"1,200.50\",Roads\n03/04/2026,P Patel,99.99,Parks\n"
	buyer := h.signedIn(t, "buyer@example.org")
	res := upload(t, buyer, h.URL, manchester.ID, "april.csv", april)
	loc := res.Header.Get("Location")
	var id int64
	fmt.Sscanf(loc, "/spend/uploads/%d", &id)
	runSpendJob(t, h)
	if u, _ := h.store.SpendUploadByID(bg, id); u.Status != store.SpendUploadMapping {
		t.Fatalf("status %q, want mapping", u.Status)
	}
	if _, page := get(t, buyer, h.URL+loc); !strings.Contains(page, "Choose the columns") || !strings.Contains(page, loc+"/columns") {
		t.Fatalf("upload page:\n%s", page)
	}
	r, page := get(t, buyer, h.URL+loc+"/columns")
	if r.StatusCode != 200 || !strings.Contains(page, "A Jones") || !strings.Contains(page, `<option value="Detail"`) || !strings.Contains(page, "1,200.50") {
		t.Fatalf("mapping screen %d:\n%s", r.StatusCode, page)
	}
	// Only the buyer's officers may see or choose.
	if r, _ := get(t, h.signedIn(t, "resident@example.org"), h.URL+loc+"/columns"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("resident saw the mapping screen: %d", r.StatusCode)
	}
	// Bad choices re-render with the error summary and the values chosen.
	bad := url.Values{"date": {"Sum"}, "amount": {"Sum"}, "supplier": {""}}
	r, page = postPage(t, buyer, h.URL+loc+"/columns", bad)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "There is a problem") || !strings.Contains(page, `The column &#34;Sum&#34; has no dates`) ||
		!strings.Contains(page, "Choose the column with the supplier") || !strings.Contains(page, `<option value="Sum" selected>`) {
		t.Fatalf("bad choice %d:\n%s", r.StatusCode, page)
	}
	good := url.Values{"date": {"Posted"}, "amount": {"Sum"}, "supplier": {"Detail"}, "service": {"Team"}}
	if r := post(t, h.signedIn(t, "resident@example.org"), h.URL+loc+"/columns", good); r.StatusCode != http.StatusForbidden {
		t.Fatalf("resident chose columns: %d", r.StatusCode)
	}
	if r := post(t, buyer, h.URL+loc+"/columns", good); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("good choice: %d", r.StatusCode)
	}
	runSpendJob(t, h)
	u, _ := h.store.SpendUploadByID(bg, id)
	if u.Status != "done" || !strings.Contains(u.Detail, "3 imported") {
		t.Fatalf("after mapping: %+v", u)
	}
	run, _, _ := h.store.SpendRunByID(bg, u.RunID)
	if run.TotalNetPence != 25000+120050+9999 || run.Columns["supplier"].Header != "Detail" || run.Columns["service"].Header != "Team" {
		t.Fatalf("run %+v", run)
	}
	if _, page := get(t, buyer, h.URL+loc); !strings.Contains(page, "Columns read") || !strings.Contains(page, "named in the column mapping") {
		t.Fatalf("run page:\n%s", page)
	}
	// Choosing again once imported is refused.
	if r := post(t, buyer, h.URL+loc+"/columns", good); r.StatusCode != http.StatusConflict {
		t.Fatalf("second choice: %d", r.StatusCode)
	}
	// May, same columns: recognised without asking.
	may := "Posted,Detail,Sum,Team\n05/05/2026,J Smith,300.00,Parks\n"
	res = upload(t, buyer, h.URL, manchester.ID, "may.csv", may)
	fmt.Sscanf(res.Header.Get("Location"), "/spend/uploads/%d", &id)
	runSpendJob(t, h)
	if u, _ := h.store.SpendUploadByID(bg, id); u.Status != "done" || !strings.Contains(u.Detail, "1 imported") {
		t.Fatalf("next month: %+v", u)
	}
	events, err := h.store.ListAudit(bg, store.AuditFilter{Action: "spend.layout"})
	if err != nil || len(events) != 1 {
		t.Fatalf("audit: %v %+v", err, events)
	}
}
