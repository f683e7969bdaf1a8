package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/companieshouse"
	"github.com/svhub/svhub/internal/store"
)

// fakeCompaniesHouse answers GET /search/companies as the Companies House
// API documents it, from fixtures by query, checking the key; the first
// search for Slowpoke is answered 429 with Retry-After: 1.
type fakeCompaniesHouse struct {
	mu      sync.Mutex
	queries map[string]int
	limited bool
}

func (f *fakeCompaniesHouse) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := r.URL.Query().Get("q")
	f.queries[q]++
	if user, _, ok := r.BasicAuth(); !ok || user != "good-key" {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"Invalid Authorization","type":"ch:service"}`))
		return
	}
	if q == "Slowpoke Logistics Ltd" && !f.limited {
		f.limited = true
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	name := map[string]string{"Zyxwv Widgets Ltd": "search-zyxwv.json", "Qwerty Care Services": "search-qwerty.json"}[q]
	if name == "" {
		name = "search-empty.json"
	}
	b, err := os.ReadFile("../companieshouse/testdata/" + name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func (f *fakeCompaniesHouse) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.queries {
		n += c
	}
	return n
}

// The Companies House search on the resolution page: hidden without a
// key; queued by the buyer's officer (nobody else's); a refused key is
// said on the page; an exact name with an active company places the
// payee (the report's placed share moves), a company only alike waits in
// the queue, largest spend first, until a person confirms it; a 429 is
// waited out; a second run answers from the cache without a request.
func TestCompaniesHouseSearchOnResolvePage(t *testing.T) {
	fake := &fakeCompaniesHouse{queries: map[string]int{}}
	api := httptest.NewServer(fake)
	defer api.Close()
	h := newHub(t)
	manchester, _ := h.store.OrganisationBySlug(bg, "manchester-city-council")
	bolton, _ := h.store.OrganisationBySlug(bg, "bolton-council")
	buyer := h.signedIn(t, "buyer@example.org")
	upload(t, buyer, h.URL, manchester.ID, "s.csv", "Date,Supplier,Amount\n01/04/2026,Zyxwv Widgets Ltd,900000.00\n02/04/2026,Qwerty Care Services,500000.00\n"+
		"03/04/2026,Nomatch Trading,40000.00\n04/04/2026,Slowpoke Logistics Ltd,30000.00\n")
	j, ok, err := h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
	if err != nil || !ok {
		t.Fatalf("no job: %v", err)
	}
	if err := app.SpendImport(h.store)(bg, j.Payload); err != nil {
		t.Fatal(err)
	}
	search := url.Values{"buyer": {itoa(manchester.ID)}}

	// No key configured: nothing is shown and the button is refused.
	if _, page := get(t, buyer, h.URL+"/spend/resolve"); strings.Contains(page, "Companies House search") {
		t.Fatal("the search is offered without a key")
	}
	if res := post(t, buyer, h.URL+"/spend/companies-house", search); res.StatusCode != http.StatusNotFound {
		t.Fatalf("search without a key: %d", res.StatusCode)
	}

	h.srv.CompaniesHouse = true
	if _, page := get(t, buyer, h.URL+"/spend/resolve"); !strings.Contains(page, "Search Companies House now") || !strings.Contains(page, "No search has run yet.") ||
		!strings.Contains(page, `<option value="`+itoa(manchester.ID)+`">Manchester City Council</option>`) || strings.Contains(page, ">Bolton Council</option>") {
		t.Fatalf("the search form:\n%s", page)
	}
	if res := post(t, h.signedIn(t, "resident@example.org"), h.URL+"/spend/companies-house", search); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a resident: %d", res.StatusCode)
	}
	if res := post(t, buyer, h.URL+"/spend/companies-house", url.Values{"buyer": {itoa(bolton.ID)}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("another council's search: %d", res.StatusCode)
	}
	runJob := func(key string) {
		t.Helper()
		res := post(t, buyer, h.URL+"/spend/companies-house", search)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("queue the search: %d", res.StatusCode)
		}
		j, ok, err := h.store.ClaimJob(bg, "test", time.Now(), time.Minute)
		if err != nil || !ok || j.Kind != store.CompaniesHouseJob || j.Payload != itoa(manchester.ID) {
			t.Fatalf("job: %+v %v %v", j, ok, err)
		}
		ch := app.CompaniesHouse{Store: h.store, Client: companieshouse.New(api.URL, key)}
		if err := ch.Handler()(bg, j.Payload); err != nil {
			t.Fatal(err)
		}
		if err := h.store.FinishJob(bg, j.ID, "test", nil, nil); err != nil {
			t.Fatal(err)
		}
	}

	// A refused key: said on the page, nothing placed.
	before, _ := placed(t, h.client(t), h.URL)
	runJob("bad-key")
	if _, page := get(t, buyer, h.URL+"/spend/resolve"); !strings.Contains(page, "Failed") || !strings.Contains(page, "the Companies House API refused the key (401 Unauthorized): check --companies-house-key (SVHUB_COMPANIES_HOUSE_KEY)") {
		t.Fatalf("a refused key is not reported:\n%s", page)
	}
	if fake.total() != 1 {
		t.Fatalf("searches sent after a refused key: %v", fake.queries)
	}

	// The good key: the exact name is placed, the alike one proposed.
	start := time.Now()
	runJob("good-key")
	if time.Since(start) < time.Second || fake.queries["Slowpoke Logistics Ltd"] != 2 {
		t.Fatalf("the 429 was not waited out: %v in %v", fake.queries, time.Since(start))
	}
	after, _ := placed(t, h.client(t), h.URL)
	if after <= before {
		t.Fatalf("placed share %.4f → %.4f", before, after)
	}
	_, page := get(t, buyer, h.URL+"/spend/resolve")
	placedTable := page[strings.Index(page, `id="companies-house-placed"`):]
	proposals := page[strings.Index(page, `id="companies-house-proposals"`):strings.Index(page, `id="companies-house-placed"`)]
	if !strings.Contains(placedTable, "Zyxwv Widgets Ltd") || !strings.Contains(placedTable, "ZYXWV WIDGETS LIMITED") || !strings.Contains(placedTable, "company 09999991, M15 4AB") {
		t.Fatalf("the placement is not listed:\n%s", placedTable)
	}
	if !strings.Contains(proposals, "Qwerty Care Services") || !strings.Contains(proposals, "QWERTY CARE SERVICES (NORTH WEST) LIMITED") || !strings.Contains(proposals, "£500,000") || strings.Contains(proposals, "Zyxwv") {
		t.Fatalf("the proposal is not queued:\n%s", proposals)
	}
	first, _ := h.store.CompaniesHouseRuns(bg, 1)
	if len(first) != 1 || first[0].Searched < 4 || first[0].Placed != 1 || first[0].Proposed != 1 ||
		!strings.Contains(page, fmt.Sprintf("Looked at %d of the largest payees nothing matched: %d searched, 0 answered from the last 30 days&#39; searches.", first[0].Searched, first[0].Searched)) {
		t.Fatalf("the run is not summarised:\n%s", page[strings.Index(page, `id="companies-house-runs"`):][:2000])
	}

	// Again: answered from the cache, no request.
	n := fake.total()
	runJob("good-key")
	if fake.total() != n {
		t.Fatalf("a cached search was sent again: %v", fake.queries)
	}
	runs, _ := h.store.CompaniesHouseRuns(bg, 1)
	if len(runs) != 1 || runs[0].Searched != 0 || runs[0].Cached != first[0].Searched-2 || runs[0].Outcome != "done" {
		t.Fatalf("the cached run: %+v", runs)
	}

	// A person confirms the proposal: the payee is placed.
	props, _ := h.store.CompaniesHouseMatches(bg, store.CHProposed)
	if len(props) != 1 {
		t.Fatalf("proposals: %+v", props)
	}
	decide := h.URL + "/spend/companies-house/" + itoa(props[0].ID)
	if res := post(t, h.signedIn(t, "resident@example.org"), decide, url.Values{"decision": {"confirmed"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a resident decides: %d", res.StatusCode)
	}
	if res := post(t, buyer, decide, url.Values{"decision": {"confirmed"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	confirmed, _ := placed(t, h.client(t), h.URL)
	if confirmed <= after {
		t.Fatalf("placed share after confirming %.4f → %.4f", after, confirmed)
	}
	if _, page := get(t, buyer, h.URL+"/spend/resolve"); !strings.Contains(page[strings.Index(page, `id="companies-house-placed"`):], "Confirmed by Bea Buyer") {
		t.Fatal("the confirmation is not listed")
	}
}
