package web_test

import (
	"regexp"
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

// Each date error on the spend analysis names its own field: two bad dates
// get two different messages, not two identical "Enter a date" lines.
func TestSpendDateErrorsNameTheirField(t *testing.T) {
	h := newHub(t)
	res, page := get(t, h.client(t), h.URL+"/spend?from=2026-13-01&to=yesterday")
	if res.StatusCode < 400 {
		t.Fatalf("bad dates answered %d", res.StatusCode)
	}
	for _, want := range []string{"Enter the first day of the period as a date like 2026-04-01", "Enter the last day of the period as a date like 2026-04-01"} {
		if !strings.Contains(page, want) {
			t.Errorf("the spend page does not say %q", want)
		}
	}
}

// One money format on the pages people read: whole pounds without ".00"
// and with thousands separators (£25,000, never £25000.00 or "26666 £").
func TestOneMoneyFormatOnPages(t *testing.T) {
	h := newHub(t)
	anon := h.client(t)
	bad := regexp.MustCompile(`£[0-9][0-9,]*\.00\b|£[0-9]{4,}\b|[0-9] £`)
	for _, path := range []string{"/spend", "/contracts", "/fund", "/fund/rounds/1", "/tenders", "/proxies/unit-cost-database-1.4"} {
		res, page := get(t, anon, h.URL+path)
		if res.StatusCode != 200 {
			t.Errorf("%s: %d", path, res.StatusCode)
			continue
		}
		if m := bad.FindString(page); m != "" {
			t.Errorf("%s shows money as %q", path, m)
		}
		if !strings.Contains(page, "£") {
			t.Errorf("%s shows no money at all", path)
		}
	}
}
