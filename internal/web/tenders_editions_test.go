package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/framework"
)

// TestTenderFrameworkChoice: with the PPN 002 Social Value Model published
// beside the GM framework, the tender form still defaults to the GM
// framework residents weighted, offers both, says which is in force, and a
// buyer can choose PPN 002 (without JavaScript): its measures are offered,
// People's Weights are not (equal weights), and the tender is saved on it.
// Choosing People's Weights for it, or an unknown framework, is refused.
func TestTenderFrameworkChoice(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	// The demo publishes the PPN 002 edition beside the GM framework.
	fws, err := h.store.ListFrameworks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ppnID int64
	for _, f := range fws {
		if f.Name == framework.PPN002().Name && f.Status == framework.Published {
			ppnID = f.ID
		}
	}
	if ppnID == 0 {
		t.Fatal("the demo has no published PPN 002 edition")
	}
	c := h.signedIn(t, "buyer@example.org")
	// Pages that name the hub's priorities still name GM's.
	if _, body := get(t, c, h.URL+"/hub/needs/new"); !strings.Contains(body, "Provide the best employment that you can") || strings.Contains(body, "Kickstart economic growth") {
		t.Errorf("the need form does not name the GM priorities alone")
	}
	res, body := get(t, c, h.URL+"/tenders/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/tenders/new: %d", res.StatusCode)
	}
	for _, want := range []string{"Framework in force: Greater Manchester Social Value Framework (2020). People's Weights can weight its priorities.",
		`<option value="` + strconv.FormatInt(ppnID, 10) + `">Social Value Model (PPN 002) (2025)</option>`, `name="weights_round"`, "GM-P1-01"} {
		if !strings.Contains(body, want) {
			t.Errorf("default form lacks %q", want)
		}
	}
	if strings.Contains(body, "PPN-M1-01") {
		t.Errorf("default form offers PPN 002 measures")
	}
	id := strconv.FormatInt(ppnID, 10)
	res, body = get(t, c, h.URL+"/tenders/new?framework="+id)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/tenders/new?framework: %d", res.StatusCode)
	}
	for _, want := range []string{"Framework in force: Social Value Model (PPN 002) (2025). No published People's Weights cover its priorities, so they weigh the same.",
		`<input type="hidden" name="framework" value="` + id + `">`, "PPN-M1-01", "Kickstart economic growth"} {
		if !strings.Contains(body, want) {
			t.Errorf("PPN 002 form lacks %q", want)
		}
	}
	if strings.Contains(body, `name="weights_round"`) || strings.Contains(body, "GM-P1-01") {
		t.Errorf("PPN 002 form offers People's Weights or GM measures")
	}
	f, err := h.store.Framework(ctx, ppnID)
	if err != nil {
		t.Fatal(err)
	}
	form := tenderForm(t, h, h.now().Add(40*24*time.Hour))
	form.Set("framework", id)
	form.Del("weights_round")
	form["measures"] = []string{strconv.FormatInt(f.Priorities[0].Outcomes[0].Measures[0].ID, 10), strconv.FormatInt(f.Priorities[3].Outcomes[0].Measures[0].ID, 10)}
	res, _ = postBody(t, c, h.URL+"/tenders", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create on PPN 002: %d", res.StatusCode)
	}
	tid, _ := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/tenders/"), 10, 64)
	tn, err := h.store.Tender(ctx, tid, h.now())
	if err != nil {
		t.Fatal(err)
	}
	if tn.FrameworkID != ppnID || tn.WeightsRound != 0 || len(tn.Measures) != 2 || tn.Measures[0].Code != "PPN-M1-01" {
		t.Fatalf("tender framework %d weights %d measures %+v", tn.FrameworkID, tn.WeightsRound, tn.Measures)
	}
	// Its edit form stays on PPN 002.
	if _, body = get(t, c, h.URL+"/tenders/"+strconv.FormatInt(tid, 10)+"/edit"); !strings.Contains(body, "Framework in force: Social Value Model (PPN 002) (2025)") {
		t.Errorf("edit form is not on PPN 002")
	}
	// People's Weights set for the GM priorities cannot weight PPN 002.
	bad := tenderForm(t, h, h.now().Add(40*24*time.Hour))
	bad.Set("framework", id)
	bad["measures"] = form["measures"]
	res, body = postBody(t, c, h.URL+"/tenders", bad)
	if res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose published People&#39;s Weights from the list, or equal weights") {
		t.Errorf("GM weights on PPN 002: %d", res.StatusCode)
	}
	// GM measures on a PPN 002 tender are refused too.
	gm := tenderForm(t, h, h.now().Add(40*24*time.Hour))
	gm.Set("framework", id)
	gm.Del("weights_round")
	res, _ = postBody(t, c, h.URL+"/tenders", gm)
	if res.StatusCode == http.StatusSeeOther {
		t.Errorf("GM measures accepted on a PPN 002 tender")
	}
	res, body = get(t, c, h.URL+"/tenders/new?"+url.Values{"framework": {"999999"}}.Encode())
	if res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown framework: %d", res.StatusCode)
	}
	if !strings.Contains(body, "Choose a published framework from the list") {
		t.Errorf("unknown framework message missing")
	}
}
