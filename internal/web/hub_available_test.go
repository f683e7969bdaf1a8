package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	svhub "github.com/svhub/svhub/internal/hub"
)

// An offer whose capacity has all been matched (the demo's refurbished
// laptops: 10 of 10 given) is still open in the store but is not listed as
// an open offer on the Hub's page or in its open data; offers with
// something left are.
func TestHubListsOnlyOffersWithSomethingLeft(t *testing.T) {
	h := newHub(t)
	offers, err := h.store.ListOffers(bg, svhub.Open, 0)
	if err != nil {
		t.Fatal(err)
	}
	var empty, left []svhub.Offer
	for _, o := range offers {
		if o.Remaining <= 0 {
			empty = append(empty, o)
		} else {
			left = append(left, o)
		}
	}
	if len(empty) == 0 || len(left) == 0 {
		t.Fatalf("the demo should hold an open offer with nothing left and one with some left: %+v", offers)
	}
	anon := h.client(t)
	_, page := get(t, anon, h.URL+"/hub")
	for _, o := range empty {
		if strings.Contains(page, `href="/hub/offers/`+itoa(o.ID)+`"`) {
			t.Errorf("the Hub lists %q, which has nothing left, as an open offer", o.Title)
		}
	}
	for _, o := range left {
		if !strings.Contains(page, `href="/hub/offers/`+itoa(o.ID)+`"`) {
			t.Errorf("the Hub does not list %q (%d left)", o.Title, o.Remaining)
		}
	}
	want := "open offers"
	if len(left) == 1 {
		want = "open offer"
	}
	if !strings.Contains(page, itoa(int64(len(left)))+" "+want+"<") {
		t.Errorf("the offers table's caption does not count %d %s", len(left), want)
	}
	_, js := get(t, anon, h.URL+"/hub/offers.json")
	var data struct {
		Offers []struct {
			ID        int64 `json:"id"`
			Remaining int64 `json:"remaining"`
		} `json:"offers"`
	}
	if err := json.Unmarshal([]byte(js), &data); err != nil {
		t.Fatalf("offers.json: %v", err)
	}
	if len(data.Offers) != len(left) {
		t.Errorf("offers.json lists %d offers, want the %d with something left", len(data.Offers), len(left))
	}
	for _, o := range data.Offers {
		if o.Remaining <= 0 {
			t.Errorf("offers.json lists offer %d with %d left", o.ID, o.Remaining)
		}
	}
}
