package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
)

// Defect 1: after a new framework edition is published, the tender form
// still offers the published People's Weights (which weigh the same
// priorities) and pre-selects the latest published round, not an older one.
func TestTenderFormOffersLatestWeightsAfterNewEdition(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	adm := adminActor(t, h.store)
	old, err := h.store.Framework(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	// A second round on the first edition, published after the demo's.
	now := h.now()
	rid, err := h.store.CreateRound(ctx, adm, priorities.Round{Title: "Winter check-in", FrameworkID: old.ID, OpensAt: now.Add(-2 * time.Hour), ClosesAt: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{priorities.Open, priorities.Closed} {
		if err := h.store.MoveRound(ctx, adm, rid, to, now); err != nil {
			t.Fatalf("round %s: %v", to, err)
		}
	}
	shares := map[string]float64{}
	for _, p := range old.Priorities {
		shares[p.Code] = 1 / float64(len(old.Priorities))
	}
	w, _ := json.Marshal(shares)
	if _, err := h.store.PublishRound(ctx, adm, store.PeopleWeights{RoundID: rid, Method: "test", BallotCount: 12, Weights: string(w), Results: "{}", PublishedAt: now}); err != nil {
		t.Fatal(err)
	}
	// A new edition of the framework is published.
	fid, err := h.store.NewDraftEdition(ctx, adm, old.ID, "2027")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.PublishFramework(ctx, adm, fid); err != nil {
		t.Fatal(err)
	}
	buyer := h.signedIn(t, "buyer@example.org")
	r, body := get(t, buyer, h.URL+"/tenders/new")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("tender form: %d", r.StatusCode)
	}
	if strings.Contains(body, "No People&#39;s Weights have been published yet") {
		t.Error("after a new edition the form says no People's Weights have been published")
	}
	sel := regexp.MustCompile(`(?s)name="weights_round".*?</select>`).FindString(body)
	if !strings.Contains(sel, fmt.Sprintf(`<option value="%d" selected>`, rid)) || strings.Count(sel, " selected>") != 1 {
		t.Errorf("the form does not pre-select the latest published People's Weights (round %d)", rid)
	}
	// A tender on the new edition with those weights uses them.
	f, err := h.store.Framework(ctx, fid)
	if err != nil {
		t.Fatal(err)
	}
	form := tenderForm(t, h, now.Add(48*time.Hour))
	form.Del("measures")
	for _, p := range f.Priorities[:3] {
		form.Add("measures", strconv.FormatInt(p.Outcomes[0].Measures[0].ID, 10))
	}
	form.Set("weights_round", "999999")
	if res, body := postBody(t, buyer, h.URL+"/tenders", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose published People&#39;s Weights") {
		t.Errorf("weights that were never published: %d", res.StatusCode)
	}
	form.Set("weights_round", strconv.FormatInt(rid, 10))
	res := post(t, buyer, h.URL+"/tenders", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create tender: %d", res.StatusCode)
	}
	if _, body := get(t, buyer, h.URL+res.Header.Get("Location")); !strings.Contains(body, "People&#39;s Weights from &#34;Winter check-in&#34;") || strings.Contains(body, "every priority weighs the same") {
		t.Error("the tender page does not use the chosen People's Weights")
	}
}
