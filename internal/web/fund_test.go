package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/cli"
	"github.com/svhub/svhub/internal/fund"
)

func TestFundPermissionsSecrecyAndResults(t *testing.T) {
	h := newHub(t)
	s := h.store
	admin := adminActor(t, s)
	council, _ := s.OrganisationBySlug(bg, "manchester-city-council")
	kitchen, _ := s.OrganisationBySlug(bg, "moss-side-community-kitchen")
	if _, err := s.AddLedgerEntry(bg, admin, fund.Entry{Kind: fund.Contribution, Pence: 10_000_000, OrgID: council.ID, Sector: fund.Public}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	rid, err := s.CreateFundRound(bg, admin, fund.Round{Title: "R", BudgetPence: 5_000_000, Rule: "mes-add1", ProposalsUntil: now.Add(time.Minute), VotingFrom: now.Add(-time.Hour), VotingUntil: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	var pids []int64
	for i, title := range []string{"Big", "Small", "Solo"} {
		p := fund.Proposal{RoundID: rid, OrgID: kitchen.ID, Title: title, Summary: "s", BudgetPence: int64(2_000_000 + i*500_000), Coproduction: "c", Systemic: "x"}
		if title != "Solo" {
			p.Partners = []fund.Partner{{OrgID: council.ID}}
		}
		id, err := s.SubmitProposal(bg, admin, p)
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, id)
	}
	base := fmt.Sprintf("%s/fund/rounds/%d", h.URL, rid)
	anon, resident, vcse, buyer, adminC := h.client(t), h.signedIn(t, "resident@example.org"), h.signedIn(t, "vcse@example.org"), h.signedIn(t, "buyer@example.org"), h.signedIn(t, "admin@example.org")
	// Who may do what.
	for _, c := range []struct {
		name string
		code int
		got  int
	}{
		{"anonymous records a contribution", 401, post(t, anon, h.URL+"/fund/entries", url.Values{"kind": {"contribution"}, "amount": {"5"}}).StatusCode},
		{"buyer records a contribution", 403, post(t, buyer, h.URL+"/fund/entries", url.Values{"kind": {"contribution"}, "amount": {"5"}}).StatusCode},
		{"resident starts a round", 403, post(t, resident, h.URL+"/fund/rounds", url.Values{"title": {"x"}}).StatusCode},
		{"buyer moves a round", 403, post(t, buyer, base+"/phase", url.Values{"to": {"review"}}).StatusCode},
		{"buyer proposes for the kitchen", 403, post(t, buyer, base+"/proposals", url.Values{"org": {fmt.Sprint(kitchen.ID)}, "title": {"x"}}).StatusCode},
		{"kitchen rep withdraws during proposals", 303, post(t, vcse, fmt.Sprintf("%s/fund/proposals/%d/withdraw", h.URL, pids[2]), nil).StatusCode},
		{"buyer reviews", 403, post(t, buyer, fmt.Sprintf("%s/fund/proposals/%d/review", h.URL, pids[0]), url.Values{"status": {"eligible"}}).StatusCode},
		{"resident votes before voting", 422, post(t, resident, base+"/ballot", url.Values{"proposals": {fmt.Sprint(pids[0])}}).StatusCode},
	} {
		if c.got != c.code {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.code)
		}
	}
	for _, to := range []string{fund.PhaseReview} {
		if err := s.MoveFundRound(bg, admin, rid, to); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range pids[:2] {
		if res := post(t, adminC, fmt.Sprintf("%s/fund/proposals/%d/review", h.URL, id), url.Values{"status": {"eligible"}}); res.StatusCode != 303 {
			t.Fatalf("review: %d", res.StatusCode)
		}
	}
	if err := s.MoveFundRound(bg, admin, rid, fund.PhaseVoting); err != nil {
		t.Fatal(err)
	}
	// The withdrawn proposal cannot be voted for; the others can.
	if res := post(t, resident, base+"/ballot", url.Values{"proposals": {fmt.Sprint(pids[2])}}); res.StatusCode != 422 {
		t.Fatalf("vote for a withdrawn proposal: %d", res.StatusCode)
	}
	for i := 0; i < 12; i++ {
		ps := []int64{pids[0]}
		if i%3 == 0 {
			ps = []int64{pids[1]}
		}
		if err := s.CastFundBallot(bg, admin, rid, fmt.Sprint("test:", i), fund.Residents, ps, now); err != nil {
			t.Fatal(err)
		}
	}
	if res := post(t, resident, base+"/ballot", url.Values{"proposals": {fmt.Sprint(pids[0]), fmt.Sprint(pids[1])}}); res.StatusCode != 303 {
		t.Fatalf("vote: %d", res.StatusCode)
	}
	// No counts anywhere while voting is open, for anyone.
	for _, c := range []struct {
		who  string
		path string
	}{{"admin", base}, {"anonymous", "/api/v1/fund/rounds/" + fmt.Sprint(rid)}, {"admin", "/api/v1/fund/rounds/" + fmt.Sprint(rid)}} {
		cl := anon
		if c.who == "admin" {
			cl = adminC
		}
		u := c.path
		if !strings.HasPrefix(u, "http") {
			u = h.URL + u
		}
		_, body := get(t, cl, u)
		if strings.Contains(body, "approvals") || strings.Contains(body, "Votes</th>") || strings.Contains(body, `"voters"`) {
			t.Errorf("%s sees counts at %s while voting is open", c.who, c.path)
		}
	}
	if res, _ := get(t, anon, base+"/round.pb"); res.StatusCode != 404 {
		t.Fatalf("ballots downloadable while voting: %d", res.StatusCode)
	}
	if err := s.MoveFundRound(bg, admin, rid, fund.PhaseClosed); err != nil {
		t.Fatal(err)
	}
	if res := post(t, adminC, base+"/phase", url.Values{"to": {"published"}}); res.StatusCode != 303 {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	// The published selection is what the CLI computes from the round's .pb file.
	_, pb := get(t, anon, base+"/round.pb")
	file := filepath.Join(t.TempDir(), "round.pb")
	if err := os.WriteFile(file, []byte(pb), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := cli.Main([]string{"svhub", "fund", "allocate", "--rule", "mes-add1", file}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("cli: %s", errOut.String())
	}
	var cliOut struct {
		Selected []string `json:"selected"`
		Voters   int      `json:"voters"`
	}
	if err := json.Unmarshal(out.Bytes(), &cliOut); err != nil || cliOut.Voters != 13 {
		t.Fatalf("cli output %s", out.String())
	}
	_, js := get(t, anon, h.URL+"/api/v1/fund/rounds/"+fmt.Sprint(rid))
	var api struct {
		Results struct {
			Proposals []struct {
				ID     int64 `json:"id"`
				Funded bool  `json:"funded"`
			} `json:"proposals"`
			TotalPence int64 `json:"total_pence"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(js), &api); err != nil {
		t.Fatal(err)
	}
	var published []string
	for _, p := range api.Results.Proposals {
		if p.Funded {
			published = append(published, fmt.Sprint(p.ID))
		}
	}
	slices.Sort(published)
	slices.Sort(cliOut.Selected)
	if len(published) == 0 || !slices.Equal(published, cliOut.Selected) {
		t.Fatalf("published %v, CLI %v", published, cliOut.Selected)
	}
	if api.Results.TotalPence > 5_000_000 {
		t.Fatalf("allocated %d over the budget", api.Results.TotalPence)
	}
	// 360Giving export lists the funded grants with organisation identifiers.
	_, g := get(t, anon, h.URL+"/fund/grants.json")
	var grants struct {
		Grants []struct {
			Currency  string  `json:"currency"`
			Amount    float64 `json:"amountAwarded"`
			Recipient []struct {
				ID string `json:"id"`
			} `json:"recipientOrganization"`
			Source string `json:"dataSource"`
		} `json:"grants"`
	}
	if err := json.Unmarshal([]byte(g), &grants); err != nil {
		t.Fatalf("360Giving: %v %s", err, g)
	}
	// The demo's published round is listed too; count this round's grants.
	var ours int
	for _, gr := range grants.Grants {
		if strings.HasSuffix(gr.Source, fmt.Sprintf("/fund/rounds/%d", rid)) {
			ours++
			if !strings.HasPrefix(gr.Recipient[0].ID, "GB-CHC-") {
				t.Errorf("recipient identifier %q, want a charity number", gr.Recipient[0].ID)
			}
		}
	}
	if ours != len(published) || len(grants.Grants) <= ours {
		t.Fatalf("360Giving: %d grants of this round, %d published, %d in all: %s", ours, len(published), len(grants.Grants), g)
	}
}

// With both constituencies, organisation admins cast their organisation's
// ballot; a member who is not its admin cannot.
func TestFundOrganisationConstituency(t *testing.T) {
	h := newHub(t)
	s := h.store
	admin := adminActor(t, s)
	now := time.Now()
	rid, err := s.CreateFundRound(bg, admin, fund.Round{Title: "Both", BudgetPence: 1_000_000, Rule: "mes", Electorate: fund.Both, ProposalsUntil: now.Add(time.Minute), VotingFrom: now.Add(-time.Hour), VotingUntil: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	kitchen, _ := s.OrganisationBySlug(bg, "moss-side-community-kitchen")
	council, _ := s.OrganisationBySlug(bg, "manchester-city-council")
	pid, err := s.SubmitProposal(bg, admin, fund.Proposal{RoundID: rid, OrgID: kitchen.ID, Title: "P", Summary: "s", BudgetPence: 500_000, Coproduction: "c", Systemic: "x", Partners: []fund.Partner{{OrgID: council.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.MoveFundRound(bg, admin, rid, fund.PhaseReview)
	_ = s.ReviewProposal(bg, admin, pid, fund.Eligible, "")
	if err := s.MoveFundRound(bg, admin, rid, fund.PhaseVoting); err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("%s/fund/rounds/%d/ballot", h.URL, rid)
	vote := url.Values{"proposals": {fmt.Sprint(pid)}, "org": {fmt.Sprint(kitchen.ID)}}
	if res := post(t, h.signedIn(t, "vcse@example.org"), base, vote); res.StatusCode != 403 {
		t.Fatalf("a VCSE rep (not admin) cast the organisation's vote: %d", res.StatusCode)
	}
	orgAdmin := h.signedIn(t, "vcse-admin@example.org")
	if res := post(t, orgAdmin, base, vote); res.StatusCode != 303 {
		t.Fatalf("organisation vote: %d", res.StatusCode)
	}
	if res := post(t, orgAdmin, base, url.Values{"proposals": {fmt.Sprint(pid)}}); res.StatusCode != 303 {
		t.Fatalf("the same person's own vote: %d", res.StatusCode)
	}
	bs, cons, err := s.FundBallots(bg, rid)
	if err != nil || len(bs) != 2 {
		t.Fatalf("ballots %v %v", bs, err)
	}
	slices.Sort(cons)
	if !slices.Equal(cons, []string{fund.Organisations, fund.Residents}) {
		t.Fatalf("constituencies %v", cons)
	}
}
