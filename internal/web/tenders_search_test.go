package web_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// TestTenderSearch: /tenders filters by each field and by all together,
// keeps the filters in the form, says how many matched with the right
// plural, and refuses bad values with the error summary.
func TestTenderSearch(t *testing.T) {
	h := newHub(t)
	c := h.client(t)
	all, err := h.store.ListTenders(context.Background(), store.TenderFilter{Public: true, NoLots: true}, h.now())
	if err != nil || len(all) < 3 {
		t.Fatalf("demo tenders: %d, %v", len(all), err)
	}
	titles := func(body string) map[string]bool {
		got := map[string]bool{}
		for _, tn := range all {
			if strings.Contains(body, `">`+tn.Title+`</a>`) {
				got[tn.Title] = true
			}
		}
		return got
	}
	res, body := get(t, c, h.URL+"/tenders")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `<link rel="alternate" type="application/atom+xml" title="New tenders (Atom feed)" href="/tenders.atom">`) {
		t.Fatalf("/tenders: %d, no Atom link", res.StatusCode)
	}
	if n := len(titles(body)); n != len(all) {
		t.Fatalf("unfiltered list shows %d of %d tenders", n, len(all))
	}
	for _, f := range []string{`name="q"`, `name="buyer"`, `name="status"`, `name="min"`, `name="max"`, `name="cpv"`, `name="from"`, `name="to"`, `<form method="get" action="/tenders"`} {
		if !strings.Contains(body, f) {
			t.Errorf("search form lacks %s", f)
		}
	}
	check := func(query string, want func(tenders.Tender) bool) string {
		t.Helper()
		res, body := get(t, c, h.URL+"/tenders?"+query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", query, res.StatusCode)
		}
		got, n := titles(body), 0
		for _, tn := range all {
			if want(tn) {
				n++
				if !got[tn.Title] {
					t.Errorf("%s: %q missing", query, tn.Title)
				}
			} else if got[tn.Title] {
				t.Errorf("%s: %q shown", query, tn.Title)
			}
		}
		words := strconv.Itoa(n) + " tenders match"
		if n == 1 {
			words = "1 tender matches"
		}
		if !strings.Contains(body, words+" your search, out of "+strconv.Itoa(len(all))+" tenders.") {
			t.Errorf("%s: count line should say %q", query, words)
		}
		return body
	}
	first := all[0]
	body = check("status="+first.Status, func(tn tenders.Tender) bool { return tn.Status == first.Status })
	if !strings.Contains(body, `<option value="`+first.Status+`" selected>`) {
		t.Errorf("status filter not kept in the form")
	}
	buyer := strconv.FormatInt(first.BuyerOrgID, 10)
	check("buyer="+buyer, func(tn tenders.Tender) bool { return tn.BuyerOrgID == first.BuyerOrgID })
	word := strings.Fields(first.Title)[0]
	body = check("q="+url.QueryEscape(strings.ToUpper(word)), func(tn tenders.Tender) bool {
		return strings.Contains(strings.ToLower(tn.Title+tn.Description+tn.BuyerName+tn.CPV), strings.ToLower(word))
	})
	if !strings.Contains(body, `value="`+strings.ToUpper(word)+`"`) {
		t.Errorf("text filter not kept in the form")
	}
	v := first.ValuePence / 100
	check("min="+strconv.FormatInt(v, 10), func(tn tenders.Tender) bool { return tn.ValuePence >= v*100 })
	check("max="+strconv.FormatInt(v, 10), func(tn tenders.Tender) bool { return tn.ValuePence <= v*100 })
	if first.CPV != "" {
		check("cpv="+first.CPV[:2], func(tn tenders.Tender) bool { return strings.HasPrefix(tn.CPV, first.CPV[:2]) })
	}
	london, _ := time.LoadLocation("Europe/London")
	d := first.Deadline.In(london).Format(time.DateOnly)
	check("from="+d+"&to="+d, func(tn tenders.Tender) bool { return tn.Deadline.In(london).Format(time.DateOnly) == d })
	check("status="+first.Status+"&buyer="+buyer+"&min=0&max="+strconv.FormatInt(v, 10)+"&to="+d, func(tn tenders.Tender) bool {
		return tn.Status == first.Status && tn.BuyerOrgID == first.BuyerOrgID && tn.ValuePence <= v*100 && tn.Deadline.In(london).Format(time.DateOnly) <= d
	})
	check("q=no-such-tender-anywhere", func(tenders.Tender) bool { return false })

	res, body = get(t, c, h.URL+"/tenders?min=lots&cpv=45X&from=2027-02-30&q=kept")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "There is a problem") {
		t.Fatalf("bad search: %d, no error summary", res.StatusCode)
	}
	for _, m := range []string{`Lowest value must be an amount in pounds, like 25000 or £25,000 (you entered &#34;lots&#34;)`, "CPV code must be 2 to 8 digits",
		"Closing on or after must be a real date written as year-month-day", `value="lots"`, `value="kept"`, `href="#min"`} {
		if !strings.Contains(body, m) {
			t.Errorf("bad search page lacks %q", m)
		}
	}
	if len(titles(body)) != 0 {
		t.Errorf("bad search still lists tenders")
	}
}

// TestTenderAtomFeed: /tenders.atom is Atom 1.0 (feed id, title, updated,
// author, self and alternate links) with one entry per published tender,
// newest first, and no drafts.
func TestTenderAtomFeed(t *testing.T) {
	h := newHub(t)
	res, body := get(t, h.client(t), h.URL+"/tenders.atom")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	type link struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	}
	var feed struct {
		XMLName xml.Name
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links   []link `xml:"link"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Author  struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Links   []link `xml:"link"`
			Summary string `xml:"summary"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatal(err)
	}
	if feed.XMLName.Space != "http://www.w3.org/2005/Atom" || feed.XMLName.Local != "feed" {
		t.Fatalf("root element %v", feed.XMLName)
	}
	if feed.ID != "http://hub.test/tenders.atom" || feed.Title == "" || feed.Author.Name == "" {
		t.Errorf("feed id %q title %q author %q", feed.ID, feed.Title, feed.Author.Name)
	}
	if len(feed.Links) != 2 || feed.Links[0] != (link{"self", "http://hub.test/tenders.atom"}) || feed.Links[1] != (link{"alternate", "http://hub.test/tenders"}) {
		t.Errorf("feed links %v", feed.Links)
	}
	all, err := h.store.ListTenders(context.Background(), store.TenderFilter{NoLots: true}, h.now())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]tenders.Tender{}
	drafts := 0
	for _, tn := range all {
		if tn.Status == tenders.Draft {
			drafts++
			continue
		}
		want["http://hub.test/tenders/"+strconv.FormatInt(tn.ID, 10)] = tn
	}
	if drafts == 0 {
		t.Log("the demo has no draft tender; drafts are checked by status only")
	}
	if len(feed.Entries) != len(want) || len(want) == 0 {
		t.Fatalf("%d entries, want %d", len(feed.Entries), len(want))
	}
	newest := ""
	for i, e := range feed.Entries {
		tn, ok := want[e.ID]
		if !ok {
			t.Errorf("entry %s is not a published tender", e.ID)
			continue
		}
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("entry %s updated %q: %v", e.ID, e.Updated, err)
		}
		if e.Title != tn.Title || e.Author.Name != tn.BuyerName || len(e.Links) != 1 || e.Links[0].Href != e.ID || !strings.Contains(e.Summary, tn.BuyerName) {
			t.Errorf("entry %s: %+v", e.ID, e)
		}
		if i > 0 && e.Updated > feed.Entries[i-1].Updated {
			t.Errorf("entry %d is newer than the one before it", i)
		}
		if e.Updated > newest {
			newest = e.Updated
		}
	}
	if feed.Updated != newest {
		t.Errorf("feed updated %q, newest entry %q", feed.Updated, newest)
	}
}
