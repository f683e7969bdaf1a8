package web_test

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/spend"
)

// A register entry whose name is near a payee's (below the automatic
// threshold) is offered on /spend/resolve with its register, confirmed
// there by its (negative) id, counted in the public report, and undone by
// its decision's negative id.
func TestSpendResolveRegisterEntry(t *testing.T) {
	h := newHub(t)
	admin := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
	manchester, err := h.store.OrganisationBySlug(bg, "manchester-city-council")
	if err != nil {
		t.Fatal(err)
	}
	res, err := spend.Read(strings.NewReader("Date,Supplier,Amount\n01/05/2025,Brookfield Children's Services Ltd,900000.00\n"), "brookfield.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.ImportSpend(bg, admin, manchester.ID, res, "brookfield"); err != nil {
		t.Fatal(err)
	}
	const fixture = "../spend/testdata/registers/BasicCompanyData-near.csv"
	f, err := os.Open(fixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := h.store.ImportRegisterStream(bg, admin, fixture, spend.CompaniesHouse, func(each func(spend.RegisterEntry) error) error {
		_, err := spend.StreamRegister(f, fixture, spend.CompaniesHouse, spend.Limits{}, each)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	buyer := h.signedIn(t, "buyer@example.org")
	_, page := get(t, buyer, h.URL+"/spend/resolve")
	_, rest, _ := strings.Cut(page, ">Possible matches</caption>")
	offered, _, _ := strings.Cut(rest, ">Decisions</caption>")
	if !strings.Contains(offered, "BROOKFIELD CHILDCARE SERVICES LIMITED") || !strings.Contains(offered, "(Companies House register)") {
		t.Fatalf("the register entry is not offered:\n%s", offered)
	}
	var entry int64
	orgs, err := h.store.RegisterOrgs(bg)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Name == "BROOKFIELD CHILDCARE SERVICES LIMITED" {
			entry = o.ID
		}
	}
	if entry >= 0 || !strings.Contains(offered, fmt.Sprintf(`name="org" value="%d"`, entry)) {
		t.Fatalf("register entry id %d not in the form", entry)
	}
	key := spendKey("Brookfield Children's Services Ltd")
	if r := post(t, buyer, h.URL+"/spend/resolve", url.Values{"key": {key}, "org": {fmt.Sprint(entry)}, "score": {"0.74"}, "decision": {"confirmed"}, "name": {"Brookfield Children's Services Ltd"}}); r.StatusCode != 303 {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	if rep := reportJSON(t, h); rep[fmt.Sprintf("org-%d", entry)] != "gm" {
		t.Fatalf("confirmed register entry not counted (WA14 is Trafford: elsewhere in GM for Manchester): %v", rep[fmt.Sprintf("org-%d", entry)])
	}
	links, err := h.store.SupplierLinks(bg)
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 1 || links[0].ID >= 0 || links[0].OrgName != "BROOKFIELD CHILDCARE SERVICES LIMITED" {
		t.Fatalf("links: %+v", links)
	}
	if r := post(t, buyer, h.URL+fmt.Sprintf("/spend/resolve/%d/undo", links[0].ID), nil); r.StatusCode != 303 {
		t.Fatalf("undo: %d", r.StatusCode)
	}
	if rep := reportJSON(t, h); rep[key] != "unknown" {
		t.Fatalf("after undo: %q", rep[key])
	}
	if r := post(t, buyer, h.URL+"/spend/resolve/0/undo", nil); r.StatusCode != 404 {
		t.Fatalf("undo of decision 0: %d", r.StatusCode)
	}
}
