package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/store"
)

// The demo's published fund round shows its allocation, explanations and
// progress, and its grants are in the 360Giving JSON and CSV.
func TestDemoPublishedFundStory(t *testing.T) {
	h := newHub(t)
	anon := h.client(t)
	rounds, err := h.store.ListFundRounds(bg)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, rd := range rounds {
		if rd.Phase == "published" {
			id = rd.ID
		}
	}
	if id == 0 {
		t.Fatalf("no published round in the demo: %+v", rounds)
	}
	res, page := get(t, anon, h.URL+"/fund/rounds/"+itoa(id))
	for _, want := range []string{"Warm and well at home", "Digital skills in libraries", "It did not fit", "Every planned session ran"} {
		if res.StatusCode != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("round page (%d) lacks %q", res.StatusCode, want)
		}
	}
	_, js := get(t, anon, h.URL+"/fund/grants.json")
	var grants struct {
		Grants []struct {
			Title string `json:"title"`
		} `json:"grants"`
	}
	if err := json.Unmarshal([]byte(js), &grants); err != nil || len(grants.Grants) != 3 {
		t.Fatalf("grants.json: %v, want 3 demo grants: %s", err, js)
	}
	res, body := get(t, anon, h.URL+"/fund/grants.csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || res.StatusCode != http.StatusOK || len(rows) != 4 || rows[1][1] != grants.Grants[0].Title {
		t.Fatalf("grants.csv (%d, %v): %q", res.StatusCode, err, rows)
	}
}

// The demo's school transport contract shows, to anyone, verified, queried
// and rejected claims and a resident's concern with the buyer's response.
func TestDemoContractConcernIsPublic(t *testing.T) {
	h := newHub(t)
	cs, err := h.store.ListContracts(bg, store.ContractFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, c := range cs {
		if c.Title == "Home to school transport" {
			id = c.ID
		}
	}
	res, page := get(t, h.client(t), h.URL+"/contracts/"+itoa(id))
	for _, want := range []string{"Verified", "Queried", "Rejected", "have not seen the local drivers", "asked the supplier for the drivers"} {
		if res.StatusCode != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("contract page (%d) lacks %q", res.StatusCode, want)
		}
	}
}

// "Where the money goes" labels Trafford's real published payments and
// Manchester's generated ones.
func TestDemoSpendSourcesLabelled(t *testing.T) {
	h := newHub(t)
	for slug, want := range map[string]string{"trafford-council": "Real published data: Trafford Council supplier spend 2024-25, cut down to ", "manchester-city-council": "Demonstration data: generated payments, not real"} {
		res, page := get(t, h.client(t), h.URL+"/spend?buyer="+slug)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, want) || !strings.Contains(page, "Where these payments come from") {
			t.Errorf("/spend?buyer=%s (%d) lacks %q", slug, res.StatusCode, want)
		}
	}
}
