package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/tenders"
)

// longFraction is an exact value such as 4438155790286/51646557207, which
// belongs in the downloads, never on a page.
var longFraction = regexp.MustCompile(`\d{4,}/\d{4,}`)

func demoTender(t *testing.T, h *hub, title string) tenders.Tender {
	t.Helper()
	ts, err := h.store.ListTenders(bg, store.TenderFilter{}, h.now())
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if x.Title == title {
			return x
		}
	}
	t.Fatalf("no demo tender %q", title)
	return tenders.Tender{}
}

// The evaluation and award pages open with a plain summary in rounded
// figures, explain the formula in words, and show no symbols or exact
// fractions (those are only in the JSON).
func TestEvaluationAndAwardSummaries(t *testing.T) {
	h := newHub(t)
	buyer := h.signedIn(t, "buyer@example.org")
	summary := regexp.MustCompile(`scored \d+\.\d out of 100, \d+\.\d points? ahead of [^;]+; (price|quality|social value) decided it\.`)
	for _, c := range []struct{ title, path string }{
		{"Highways minor works", "/evaluation"},
		{"Home to school transport", "/award"},
	} {
		tn := demoTender(t, h, c.title)
		res, page := get(t, buyer, h.URL+"/tenders/"+itoa(tn.ID)+c.path)
		if res.StatusCode != 200 {
			t.Fatalf("%s%s: %d", c.title, c.path, res.StatusCode)
		}
		if !summary.MatchString(page) {
			t.Errorf("%s%s: no plain summary like %q", c.title, c.path, summary)
		}
		if i, j := strings.Index(page, "In summary"), strings.Index(page, "<table"); i < 0 || i > j {
			t.Errorf("%s%s: the summary does not come before the tables", c.title, c.path)
		}
		for _, want := range []string{"What decided it", "How this is calculated", "share for commitments", "govuk-details"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s%s lacks %q", c.title, c.path, want)
			}
		}
		for _, bad := range []string{"ω", "α", "Σ", "≈", "exact:"} {
			if strings.Contains(page, bad) {
				t.Errorf("%s%s shows %q", c.title, c.path, bad)
			}
		}
		if m := longFraction.FindString(page); m != "" {
			t.Errorf("%s%s shows an exact fraction %s", c.title, c.path, m)
		}
		if m := regexp.MustCompile(`>\d+\.\d{2,}<`).FindString(page); m != "" {
			t.Errorf("%s%s shows a score to more than one decimal place: %s", c.title, c.path, m)
		}
	}
	// The export keeps the exact values.
	tn := demoTender(t, h, "Highways minor works")
	if _, js := get(t, buyer, h.URL+"/tenders/"+itoa(tn.ID)+"/evaluation.json"); !strings.Contains(js, `"total"`) {
		t.Error("evaluation.json lost its exact totals")
	}
}

func TestSummaryWording(t *testing.T) {
	rs := []tenders.Result{
		{Bid: "org-1", Supplier: "Bid A", Compliant: true, Rank: 2, Price: "40", Quality: "25", SocialValue: "4438155790286/516465572070", Total: "73.593"},
		{Bid: "org-2", Supplier: "Bid B", Compliant: true, Rank: 1, Price: "38", Quality: "26", SocialValue: "24.5", Total: "88.5"},
		{Bid: "org-3", Supplier: "Bid C", Excluded: "Does not pay the Real Living Wage"},
	}
	w := tenders.ModelWeights{Price: 40, Quality: 30, SocialValue: 30}
	s := tenders.Summarise(rs, w, "")
	if want := "Bid B scored 88.5 out of 100, 14.9 points ahead of Bid A; social value decided it."; s.Headline != want {
		t.Errorf("headline %q, want %q", s.Headline, want)
	}
	want := []string{
		"Social value: 24.5 of 30 points (82%), 15.9 points ahead of Bid A (8.6, 29%)",
		"Quality: 26.0 of 30 points (87%), 1.0 point ahead of Bid A (25.0, 83%)",
		"Price: 38.0 of 40 points (95%), 2.0 points behind Bid A (40.0, 100%)",
	}
	if strings.Join(s.Deciders, "\n") != strings.Join(want, "\n") {
		t.Errorf("deciders\n%s\nwant\n%s", strings.Join(s.Deciders, "\n"), strings.Join(want, "\n"))
	}
	if second := tenders.Summarise(rs, w, "org-1"); second.Headline != "Bid A scored 73.6 out of 100, 14.9 points behind Bid B; the reason for the decision is below." {
		t.Errorf("award to the second bid: %q", second.Headline)
	}
	if one := tenders.Summarise(rs[1:], w, ""); one.Headline != "Bid B scored 88.5 out of 100 and was the only compliant bid." {
		t.Errorf("single bid: %q", one.Headline)
	}
	for _, c := range []struct{ in, want tenders.LineExpl }{
		{tenders.LineExpl{Part: "social_value", Input: "12 people (highest compliant 20); measure weight ω = ≈0.330243", Formula: "ω × quantity ÷ highest", Value: "≈0.198146"},
			tenders.LineExpl{Part: "social_value", Input: "12 people (highest compliant 20); measure weight 33%", Formula: "measure weight × quantity ÷ highest", Value: "20%"}},
		{tenders.LineExpl{Part: "social_value", Input: "26666 £ (highest compliant 1234567); measure weight ω = 1/5", Formula: "ω × quantity ÷ highest", Value: "0.04"},
			tenders.LineExpl{Part: "social_value", Input: "£26,666 (highest compliant £1,234,567); measure weight 20%", Formula: "measure weight × quantity ÷ highest", Value: "4%"}},
		{tenders.LineExpl{Part: "social_value", Input: "α = 1/2, commitments 4438155790286/5164655720700", Formula: "20 × [α × commitments + (1 − α) × mark ÷ 5]", Value: "4438155790286/516465572070"},
			tenders.LineExpl{Part: "social_value", Input: "share for commitments 50%, commitments score 86%", Formula: "20 × [share for commitments × commitments + (1 − share for commitments) × mark ÷ 5]", Value: "8.6"}},
		{tenders.LineExpl{Part: "quality", Input: "consensus mark 11/3 of 5", Formula: "25 × mark ÷ 5", Value: "≈18.333333"},
			tenders.LineExpl{Part: "quality", Input: "consensus mark 3.7 of 5", Formula: "25 × mark ÷ 5", Value: "18.3"}},
		{tenders.LineExpl{Part: "price", Input: "£2,670,000.50 (lowest compliant £2,670,000)", Formula: "40 × lowest ÷ price", Value: "40"},
			tenders.LineExpl{Part: "price", Input: "£2,670,000.50 (lowest compliant £2,670,000)", Formula: "40 × lowest ÷ price", Value: "40.0"}},
	} {
		if got := tenders.PlainLine(c.in); got != c.want {
			t.Errorf("plain line of %+v:\n got %+v\nwant %+v", c.in, got, c.want)
		}
	}
}

// The People's Weights results page opens with how many people took part
// and the top priorities in whole percentages.
func TestPeoplesWeightsSummary(t *testing.T) {
	h := newHub(t)
	rounds, err := h.store.ListRounds(bg)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, rd := range rounds {
		if rd.Status == priorities.Published {
			id = rd.ID
		}
	}
	if id == 0 {
		t.Fatal("no published People's Weights round in the demo")
	}
	res, page := get(t, h.client(t), h.URL+"/priorities/"+itoa(id)+"/results")
	want := regexp.MustCompile(`\d+ people took part\. Their top three priorities were [^<]+ \(\d+%\), [^<]+ \(\d+%\) and [^<]+ \(\d+%\)\.`)
	if res.StatusCode != 200 || !want.MatchString(page) {
		t.Fatalf("results page (%d) has no summary like %q", res.StatusCode, want)
	}
	if i, j := strings.Index(page, "In summary"), strings.Index(page, "<table"); i < 0 || i > j {
		t.Error("the summary does not come before the tables")
	}
}

func TestPeoplesWeightsSummaryWording(t *testing.T) {
	d := priorities.Document{Ballots: 1, Priorities: []priorities.DocPriority{{Code: "P1", Title: "Good jobs"}, {Code: "P2", Title: "Clean air"}},
		Weights: map[string]float64{"P1": 0.3149, "P2": 0.6851}}
	if got, want := priorities.Summarise(d).Headline, "1 person took part. Their top two priorities were Clean air (69%) and Good jobs (31%)."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	d.Ballots, d.Priorities, d.Weights = 240, d.Priorities[:1], map[string]float64{"P1": 1}
	if got, want := priorities.Summarise(d).Headline, "240 people took part. Their top priority was Good jobs (100%)."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
