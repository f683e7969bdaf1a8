package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/priorities"
)

// unplaced is a well-formed postcode the shipped tables do not hold and
// cannot place by sector or outward code (M14 5RT, issue 15).
const unplaced = "M14 5RT"

// postPage posts a form without following redirects and returns the
// response with its body read.
func postPage(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// scopedRound creates and opens a round for one district.
func scopedRound(t *testing.T, h *hub, district string) priorities.Round {
	t.Helper()
	f, err := h.store.Framework(bg, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := priorities.Round{Title: "District round", Explanation: "x", FrameworkID: 1, ScopeDistrict: district, OpensAt: time.Now().Add(-time.Hour), ClosesAt: time.Now().Add(time.Hour)}
	for _, p := range f.Priorities {
		r.Priorities = append(r.Priorities, priorities.RoundPriority{ID: p.ID, Code: p.Code, Title: p.Title})
	}
	a := adminActor(t, h.store)
	id, err := h.store.CreateRound(bg, a, r)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.MoveRound(bg, a, id, priorities.Open, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, _ := h.store.Round(bg, id)
	return got
}

// choicesFor returns the districts the hub should offer for an unplaced
// postcode: its candidates, or all ten.
func choicesFor(t *testing.T, h *hub, pc string) []geo.District {
	t.Helper()
	place, err := h.store.ResolvePostcode(bg, pc)
	if err != nil || place.InGM() || place.Elsewhere != nil || place.Confidence != geo.Unknown {
		t.Fatalf("%s should be unplaced by the shipped tables: %+v %v", pc, place, err)
	}
	t.Logf("%s: %d candidate districts", pc, len(place.Candidates))
	if len(place.Candidates) > 0 {
		return place.Candidates
	}
	all, err := h.store.Districts(bg)
	if err != nil || len(all) != 10 {
		t.Fatalf("districts: %d %v", len(all), err)
	}
	return all
}

// A resident whose postcode is not in our tables is asked for their
// district instead of being refused, and their ballot counts as "stated by
// the voter".
func TestStatedDistrictOnlineBallot(t *testing.T) {
	h := newHub(t)
	r := openRound(t, h.store)
	c := h.signedIn(t, "resident@example.org")
	u := fmt.Sprintf("%s/priorities/%d/ballot", h.URL, r.ID)
	choices := choicesFor(t, h, unplaced)

	// First try: not refused, asked to choose, typed points kept, nothing stored.
	form := ballotForm(r, 50, 10, 10, 10, 10, 10)
	form.Set("postcode", "m145rt")
	res, b := postPage(t, c, u, form)

	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "Which district do you live in?") ||
		!strings.Contains(b, unplaced+" is not in our postcode tables yet") || !strings.Contains(b, `href="#district"`) ||
		strings.Contains(b, "cannot take part") || !strings.Contains(b, `value="50"`) {
		t.Fatalf("unplaced postcode: %d\n%s", res.StatusCode, b)
	}
	for _, d := range choices {
		if !strings.Contains(b, `value="`+d.Code+`"`) || !strings.Contains(b, d.Name) {
			t.Fatalf("district %s (%s) not offered", d.Name, d.Code)
		}
	}
	if recs, _ := h.store.RoundRecords(bg, r.ID); len(recs) != 0 {
		t.Fatalf("a ballot was stored before the district was chosen")
	}

	// A district that is not offered is refused.
	form.Set("district", "E99999999")
	if res, b := postPage(t, c, u, form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "Choose one of the districts listed") {
		t.Fatalf("district not offered: %d", res.StatusCode)
	}

	// Another mistake keeps the chosen district checked.
	chosen := choices[0]
	form.Set("district", chosen.Code)
	form.Set("points-"+r.Priorities[0].Code, "60")
	res, b = postPage(t, c, u, form)

	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "add up to 110") ||
		!regexp.MustCompile(`value="`+chosen.Code+`" checked`).MatchString(b) {
		t.Fatalf("chosen district not kept: %d\n%s", res.StatusCode, b)
	}

	form.Set("points-"+r.Priorities[0].Code, "50")
	if res, b := postPage(t, c, u, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ballot with a stated district: %d %s", res.StatusCode, b)
	}
	recs, err := h.store.RoundRecords(bg, r.ID)
	if err != nil || len(recs) != 1 || recs[0].District != chosen.Code || !recs[0].DistrictStated {
		t.Fatalf("stored: %+v %v", recs, err)
	}

	// A postcode the tables place is placed by them, whatever district was
	// sent: the ballot is no longer "stated".
	form.Set("postcode", "M32 0JG")
	if res, b := postPage(t, c, u, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ballot with a known postcode: %d %s", res.StatusCode, b)
	}
	recs, _ = h.store.RoundRecords(bg, r.ID)
	if len(recs) != 1 || recs[0].DistrictStated || recs[0].District != "E08000009" {
		t.Fatalf("after a known postcode: %+v", recs)
	}
}

// A round for one district offers only that district, and refuses an
// unplaced postcode whose neighbours say it is elsewhere in GM.
func TestStatedDistrictScopedRound(t *testing.T) {
	h := newHub(t)
	choices := choicesFor(t, h, unplaced)
	in, out := choices[0], geo.District{}
	all, _ := h.store.Districts(bg)
	for _, d := range all {
		found := false
		for _, c := range choices {
			found = found || c.Code == d.Code
		}
		if !found {
			out = d
			break
		}
	}
	for _, tc := range []struct {
		scope geo.District
		want  string
	}{{in, "Which district do you live in?"}, {out, "is not in " + out.Name}} {
		if tc.scope.Code == "" {
			continue // every district is a candidate: nothing to refuse
		}
		r := scopedRound(t, h, tc.scope.Code)
		c := h.signedIn(t, "resident@example.org")
		form := ballotForm(r, 50, 10, 10, 10, 10, 10)
		form.Set("postcode", unplaced)
		_, b := postPage(t, c, fmt.Sprintf("%s/priorities/%d/ballot", h.URL, r.ID), form)
		if !strings.Contains(b, tc.want) {
			t.Fatalf("round for %s: want %q in\n%s", tc.scope.Name, tc.want, b)
		}
		if tc.scope == in && strings.Count(b, `name="district"`) != 1 {
			t.Fatalf("round for %s offered other districts", in.Name)
		}
	}
}

// A postcode the loaded directory places outside Greater Manchester is
// still refused, naming where it is, and no district is offered.
func TestStatedDistrictRefusesElsewhere(t *testing.T) {
	h := newHub(t)
	rows := []geo.DirectoryRow{{Postcode: "WA1 1QA", LAD: "E06000007", Region: "E12000002", Lat: 53.39, Lon: -2.59, HasLatLon: true}}
	next := func() (geo.DirectoryRow, error) {
		if len(rows) == 0 {
			return geo.DirectoryRow{}, io.EOF
		}
		r := rows[0]
		rows = rows[1:]
		return r, nil
	}
	if _, err := h.store.ImportDirectory(bg, "test", "ONSPD test", "test.csv", map[string]string{"E06000007": "Warrington"}, next, nil); err != nil {
		t.Fatal(err)
	}
	r := openRound(t, h.store)
	c := h.signedIn(t, "resident@example.org")
	form := ballotForm(r, 50, 10, 10, 10, 10, 10)
	form.Set("postcode", "WA1 1QA")
	res, b := postPage(t, c, fmt.Sprintf("%s/priorities/%d/ballot", h.URL, r.ID), form)

	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "WA1 1QA is in Warrington, outside Greater Manchester") || strings.Contains(b, `name="district"`) {
		t.Fatalf("outside GM: %d\n%s", res.StatusCode, b)
	}
}

// A workshop volunteer entering a paper ballot chooses the participant's
// district the same way; a file row with such a postcode says how.
func TestStatedDistrictPaperBallot(t *testing.T) {
	h := newHub(t)
	r := openRound(t, h.store)
	c := h.signedIn(t, "vcse@example.org")
	base := fmt.Sprintf("%s/priorities/%d/workshop/moss-side-community-kitchen", h.URL, r.ID)
	_, codes := postPage(t, c, base+"/codes", url.Values{"count": {"1"}})
	m := regexp.MustCompile(`<ul class="govuk-list svhub-mono" id="codes"><li>([^<]+)</li>`).FindStringSubmatch(codes)
	if m == nil {
		t.Fatal("no code printed")
	}
	form := ballotForm(r, 50, 10, 10, 10, 10, 10)
	form.Set("code", m[1])
	form.Set("postcode", unplaced)
	res, b := postPage(t, c, base+"/ballot", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "Which district does the participant live in?") || !strings.Contains(b, "the district the participant lives in") {
		t.Fatalf("paper ballot, unplaced postcode: %d\n%s", res.StatusCode, b)
	}
	chosen := choicesFor(t, h, unplaced)[0]
	form.Set("district", chosen.Code)
	if res, b := postPage(t, c, base+"/ballot", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("paper ballot with a stated district: %d %s", res.StatusCode, b)
	}
	recs, _ := h.store.RoundRecords(bg, r.ID)
	if len(recs) != 1 || !recs[0].DistrictStated || recs[0].District != chosen.Code || recs[0].Channel != priorities.Workshop {
		t.Fatalf("paper ballot stored: %+v", recs)
	}
}
