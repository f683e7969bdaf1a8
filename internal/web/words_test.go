package web_test

import (
	"strings"
	"testing"
)

// Words, not codes: an organisation's SIC 2007 code is shown with its
// description from the shipped list, the pledge names its priorities, and
// the home page's list of districts shows names, not ONS codes.
func TestPagesShowWordsNotCodes(t *testing.T) {
	h := newHub(t)
	anon := h.client(t)
	_, page := get(t, anon, h.URL+"/organisations/irwell-valley-joinery-ltd")
	if !strings.Contains(page, "Manufacture of other builders&#39; carpentry and joinery") || !strings.Contains(page, "SIC 2007 code 16230") {
		t.Errorf("the joinery's page does not name its SIC 2007 code 16230")
	}
	if !strings.Contains(page, "committing to the priority ‘Provide the best employment that you can’") {
		t.Errorf("the pledge does not name its priority in words")
	}
	_, home := get(t, anon, h.URL+"/")
	if !strings.Contains(home, ">Manchester</a>") {
		t.Errorf("the home page does not list Manchester")
	}
	for _, bad := range []string{"ONS code", ">E08000003<"} {
		if strings.Contains(home, bad) {
			t.Errorf("the home page shows %q", bad)
		}
	}
}
