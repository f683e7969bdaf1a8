package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
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
