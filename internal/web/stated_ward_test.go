package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
)

// A voter who states their district may also choose their ward, from the
// wards of the districts offered listed by name; it is optional, must be in
// the district chosen, and is stored with the ballot (online and on the
// workshop's paper-ballot form).
func TestStatedWardOnlineBallot(t *testing.T) {
	h := newHub(t)
	r := openRound(t, h.store)
	c := h.signedIn(t, "resident@example.org")
	u := fmt.Sprintf("%s/priorities/%d/ballot", h.URL, r.ID)
	choices := choicesFor(t, h, unplaced)
	wards, err := h.store.WardsOf(bg, []string{choices[0].Code, choices[len(choices)-1].Code})
	if err != nil || len(wards) == 0 {
		t.Fatalf("wards: %v %d", err, len(wards))
	}
	var in, other string
	var inName string
	for _, w := range wards {
		if w.DistrictCode == choices[0].Code && in == "" {
			in, inName = w.Code, w.Name
		}
		if w.DistrictCode != choices[0].Code && other == "" {
			other = w.Code
		}
	}
	form := ballotForm(r, 50, 10, 10, 10, 10, 10)
	form.Set("postcode", unplaced)
	res, b := postPage(t, c, u, form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "Which ward do you live in? (optional)") ||
		!strings.Contains(b, `<optgroup label="`+choices[0].Name+`">`) || !strings.Contains(b, `value="`+in+`">`+inName+`</option>`) {
		t.Fatalf("ward choice not offered: %d\n%s", res.StatusCode, b)
	}
	// A ward of another district is refused, keeping the choices.
	form.Set("district", choices[0].Code)
	if other != "" {
		form.Set("ward", other)
		res, b = postPage(t, c, u, form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "Choose a ward in "+choices[0].Name) || !strings.Contains(b, `href="#ward"`) {
			t.Fatalf("ward of another district: %d\n%s", res.StatusCode, b)
		}
	}
	// No ward: the ballot is stored with its district alone.
	form.Set("ward", "")
	if res, b := postPage(t, c, u, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ballot without a ward: %d %s", res.StatusCode, b)
	}
	if d, w, conf, err := h.store.BallotPlace(bg, r.ID, "user:"+itoa(residentID(t, h))); err != nil || d != choices[0].Code || w != "" || conf != "stated" {
		t.Fatalf("stored without a ward: %q %q %q %v", d, w, conf, err)
	}
	// With the ward: stored and kept as stated.
	form.Set("ward", in)
	if res, b := postPage(t, c, u, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ballot with a ward: %d %s", res.StatusCode, b)
	}
	if d, w, conf, err := h.store.BallotPlace(bg, r.ID, "user:"+itoa(residentID(t, h))); err != nil || d != choices[0].Code || w != in || conf != "stated" {
		t.Fatalf("stored with a ward: %q %q %q %v", d, w, conf, err)
	}
}

func residentID(t *testing.T, h *hub) int64 {
	t.Helper()
	u, err := h.store.UserByEmail(bg, "resident@example.org")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// The ward a voter states is counted in its own class once the round is
// published: the participation table counts the district's stated wards,
// the results break down by how the ward was known, and the anonymised
// export's ward_source column says 'stated' (never the ward itself).
func TestStatedWardCountedInResults(t *testing.T) {
	h := newHub(t)
	r := openRound(t, h.store)
	c := h.signedIn(t, "resident@example.org")
	const trafford, gorseHill = "E08000009", "E05000829"
	var chosen geo.District
	for _, d := range choicesFor(t, h, unplaced) {
		if d.Code != trafford {
			chosen = d
			break
		}
	}
	wards, err := h.store.WardsOf(bg, []string{chosen.Code})
	if err != nil || len(wards) == 0 {
		t.Fatalf("wards of %s: %v %d", chosen.Name, err, len(wards))
	}
	form := ballotForm(r, 50, 10, 10, 10, 10, 10)
	form.Set("postcode", unplaced)
	form.Set("district", chosen.Code)
	form.Set("ward", wards[0].Code)
	if res, b := postPage(t, c, fmt.Sprintf("%s/priorities/%d/ballot", h.URL, r.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ballot with a stated ward: %d %s", res.StatusCode, b)
	}
	// Eleven ballots placed in Gorse Hill by their postcode, and one in
	// Trafford by its sector with no ward.
	a := adminActor(t, h.store)
	for i := 0; i < 12; i++ {
		b := store.Ballot{RoundID: r.ID, VoterKey: fmt.Sprint("test:", i), Channel: priorities.Online, Postcode: "M32 0JG", DistrictCode: trafford, WardCode: gorseHill, Confidence: geo.Exact, Points: map[int64]int{}}
		if i == 11 {
			b.Postcode, b.WardCode, b.Confidence = "M32 9ZZ", "", geo.BySector
		}
		for j, p := range r.Priorities {
			b.Points[p.ID] = []int{40, 20, 10, 10, 10, 10}[j]
		}
		if _, err := h.store.SubmitBallot(bg, a, b, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.store.MoveRound(bg, a, r.ID, priorities.Closed, time.Now()); err != nil {
		t.Fatal(err)
	}
	admin := h.signedIn(t, "admin@example.org")
	if res := post(t, admin, fmt.Sprintf("%s/priorities/%d/publish", h.URL, r.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	anon := h.client(t)
	_, page := get(t, anon, fmt.Sprintf("%s/priorities/%d/results", h.URL, r.ID))
	cell := `</t[hd]><td class="govuk-table__cell govuk-table__cell--numeric">`
	for _, re := range []string{
		`Of which district stated by the voter</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Of which ward stated by the voter</th>`,
		// District, ballots, district stated, ward stated.
		`>` + regexp.QuoteMeta(chosen.Name) + cell + `1` + cell + `1` + cell + `1</td>`,
		`>Trafford` + cell + `12` + cell + `0` + cell + `0</td>`,
		`<caption class="govuk-table__caption govuk-table__caption--s">By how we know the ward: from the postcode, or stated by the voter`,
		`>Ward found from the postcode` + cell + `11</td>`,
		`>Ward stated by the voter \(postcode not in our tables\)` + cell + `fewer than 10</td>`,
	} {
		if !regexp.MustCompile(re).MatchString(page) {
			t.Fatalf("results page lacks %s:\n%s", re, page)
		}
	}
	_, js := get(t, anon, fmt.Sprintf("%s/api/v1/rounds/%d/results", h.URL, r.ID))
	var doc struct {
		Results struct {
			ByWardSource []struct {
				Label      string `json:"label"`
				Ballots    int    `json:"ballots"`
				Suppressed bool   `json:"suppressed"`
			} `json:"by_ward_source"`
			Participation []struct {
				Name       string
				StatedWard int
			} `json:"participation"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("results JSON: %v\n%s", err, js)
	}
	if ws := doc.Results.ByWardSource; len(ws) != 2 || ws[0].Label != "Ward found from the postcode" || ws[0].Ballots != 11 || ws[0].Suppressed ||
		!strings.HasPrefix(ws[1].Label, "Ward stated by the voter") || ws[1].Ballots != 1 || !ws[1].Suppressed {
		t.Fatalf("results JSON by_ward_source: %+v", ws)
	}
	for _, p := range doc.Results.Participation {
		if want := map[bool]int{true: 1}[p.Name == chosen.Name]; p.StatedWard != want {
			t.Fatalf("results JSON participation %s: %d wards stated, want %d", p.Name, p.StatedWard, want)
		}
	}
	_, csv := get(t, anon, fmt.Sprintf("%s/priorities/%d/ballots.csv", h.URL, r.ID))
	for row, n := range map[string]int{
		"ballot_id,district,district_source,ward_source,channel,": 1,
		"," + chosen.Code + ",stated,stated,online,":              1,
		"," + trafford + ",postcode,postcode,online,":             11,
		"," + trafford + ",postcode,,online,":                     1,
		wards[0].Code:                                             0,
		gorseHill:                                                 0,
	} {
		if got := strings.Count(csv, row); got != n {
			t.Fatalf("export holds %q %d times, want %d:\n%s", row, got, n, csv)
		}
	}
}
