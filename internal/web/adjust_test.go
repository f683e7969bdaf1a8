package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
)

// carbonCommitment is a demo contract's commitment to GM-P5-01 (valued at
// the shipped carbon value, £241 a tonne in 2020 prices) with the year of
// the contract it falls due in.
type carbonCommitment struct {
	c    contracts.Contract
	cm   contracts.Commitment
	year int
}

func carbonCommitments(t *testing.T, h *hub) []carbonCommitment {
	t.Helper()
	ctx := context.Background()
	list, err := h.store.ListContracts(ctx, store.ContractFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []carbonCommitment
	for _, c := range list {
		cms, err := h.store.Commitments(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, cm := range cms {
			if cm.MeasureCode == "GM-P5-01" {
				y, err := proxies.YearOf(c.Start, cm.Due)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, carbonCommitment{c, cm, y})
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("the demo has no carbon commitments")
	}
	return out
}

// byHand is tonnes (in thousandths) × 24,100 pence ÷ 1,000 × factor ×
// (200/207)^year, rounded half away from zero to the penny: the Green
// Book's 3.5% is 1.035 = 207/200 a year.
func byHand(milli int64, factor *big.Rat, year int) int64 {
	r := new(big.Rat).Mul(big.NewRat(milli*24100, 1000), factor)
	for range year {
		r.Mul(r, big.NewRat(200, 207))
	}
	return proxies.RoundHalfAway(r).Int64()
}

func deliveryRows(t *testing.T, h *hub) (map[string]int, [][]string) {
	t.Helper()
	_, body := get(t, h.client(t), h.URL+"/contracts/delivery.csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, n := range rows[0] {
		col[n] = i
	}
	for _, n := range []string{"contract_id", "measure", "due_date", "committed_value_pence", "price_year", "contract_year", "committed_present_value_pence", "discount_rate_percent", "discount_rate_source", "committed_net_value_pence", "verified_net_value_pence", "adjustment"} {
		if _, ok := col[n]; !ok {
			t.Fatalf("delivery CSV lacks the column %s: %v", n, rows[0])
		}
	}
	return col, rows[1:]
}

// TestMoneyNotAdjustedUnlessConfigured: with no deadweight, displacement or
// attribution set, the contract page, the dashboard, the explainer and the
// delivery CSV say the figures are not adjusted and carry no net figures;
// the CSV and the JSON API carry each commitment's present value at the
// Green Book's 3.5% beside its undiscounted value, hand-computed.
func TestMoneyNotAdjustedUnlessConfigured(t *testing.T) {
	h := newProxyHub(t)
	cc := carbonCommitments(t, h)
	for _, path := range []string{"/contracts/" + itoa(cc[0].c.ID), "/contracts", "/proxies/explained"} {
		_, body := get(t, h.client(t), h.URL+path)
		if !strings.Contains(body, "not adjusted for deadweight or additionality") {
			t.Errorf("%s does not say its figures are not adjusted", path)
		}
		if strings.Contains(body, "(net)") || strings.Contains(body, " net<") {
			t.Errorf("%s shows net figures with no adjustment configured", path)
		}
	}
	col, rows := deliveryRows(t, h)
	one := big.NewRat(1, 1)
	checked := 0
	for _, k := range cc {
		for _, r := range rows {
			if r[col["contract_id"]] != itoa(k.c.ID) || r[col["measure"]] != "GM-P5-01" || r[col["due_date"]] != k.cm.Due {
				continue
			}
			want := map[string]string{"committed_value_pence": strconv.FormatInt(byHand(k.cm.QuantityMilli, one, 0), 10), "price_year": "2020",
				"contract_year": strconv.Itoa(k.year + 1), "committed_present_value_pence": strconv.FormatInt(byHand(k.cm.QuantityMilli, one, k.year), 10),
				"discount_rate_percent": "3.5", "discount_rate_source": "HM Treasury, The Green Book (2022), Table 8: 3.5% a year for years 0 to 30",
				"committed_net_value_pence": "", "verified_net_value_pence": "", "adjustment": "not adjusted for deadweight or additionality"}
			for name, v := range want {
				if r[col[name]] != v {
					t.Errorf("contract %d carbon line: %s = %q, want %q", k.c.ID, name, r[col[name]], v)
				}
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no carbon line found in the delivery CSV")
	}

	// The JSON API: the same figures per commitment.
	_, body := get(t, h.client(t), h.URL+"/api/v1/contracts/"+itoa(cc[0].c.ID))
	var doc struct {
		SocialValue struct {
			Rate        string `json:"discount_rate_percent"`
			Source      string `json:"discount_rate_source"`
			Adjustment  string `json:"adjustment"`
			Commitments []struct {
				Commitment   int64  `json:"commitment"`
				PriceYear    string `json:"price_year"`
				Committed    int64  `json:"committed_value_pence"`
				ContractYear int    `json:"contract_year"`
				Present      *int64 `json:"committed_present_value_pence"`
				NetCommitted *int64 `json:"committed_net_value_pence"`
			} `json:"commitments"`
		} `json:"social_value"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%v: %.300s", err, body)
	}
	if sv := doc.SocialValue; sv.Rate != "3.5" || !strings.HasPrefix(sv.Source, "HM Treasury, The Green Book") || sv.Adjustment != "not adjusted for deadweight or additionality" {
		t.Errorf("contract JSON: rate %q, source %q, adjustment %q", sv.Rate, sv.Source, sv.Adjustment)
	}
	found := false
	for _, v := range doc.SocialValue.Commitments {
		if v.Commitment != cc[0].cm.ID {
			continue
		}
		found = true
		if v.PriceYear != "2020" || v.Committed != byHand(cc[0].cm.QuantityMilli, one, 0) || v.ContractYear != cc[0].year+1 ||
			v.Present == nil || *v.Present != byHand(cc[0].cm.QuantityMilli, one, cc[0].year) || v.NetCommitted != nil {
			t.Errorf("contract JSON carbon commitment = %+v", v)
		}
	}
	if !found {
		t.Errorf("contract JSON lacks commitment %d: %.400s", cc[0].cm.ID, body)
	}
}

// TestMoneyAdjustedGrossAndNet: with deadweight 25% and displacement 10%
// configured, every figure is shown gross and net (net = gross × 0.75 ×
// 0.9 = gross × 27/40), the page explains the adjustment and names its
// source, and the CSV and JSON carry the net figures, hand-computed.
func TestMoneyAdjustedGrossAndNet(t *testing.T) {
	h := newProxyHub(t)
	adj, err := proxies.ParseAdjustment("25", "10", "", "HCA Additionality Guide (2014), ready reckoner")
	if err != nil {
		t.Fatal(err)
	}
	h.srv.Adjust = adj
	cc := carbonCommitments(t, h)
	net := big.NewRat(27, 40)
	k := cc[0]
	var committed, verified int64
	for _, x := range cc {
		if x.c.ID == k.c.ID {
			committed += x.cm.QuantityMilli
			verified += x.cm.VerifiedMilli
		}
	}
	pounds := func(milli int64, f *big.Rat) string {
		return gbpText(proxies.RoundHalfAway(new(big.Rat).Mul(big.NewRat(milli*241, 1000), f)).Int64())
	}
	_, body := get(t, h.client(t), h.URL+"/contracts/"+itoa(k.c.ID))
	row := `<td class="govuk-table__cell">2020</td><td class="govuk-table__cell govuk-table__cell--numeric">` + pounds(committed, big.NewRat(1, 1)) +
		`</td><td class="govuk-table__cell govuk-table__cell--numeric">` + pounds(committed, net) +
		`</td><td class="govuk-table__cell govuk-table__cell--numeric">` + pounds(verified, big.NewRat(1, 1)) +
		`</td><td class="govuk-table__cell govuk-table__cell--numeric">` + pounds(verified, net) + `</td>`
	for _, want := range []string{row, "Committed (net)", "Verified (net)", "take off deadweight 25% and displacement 10%", "HCA Additionality Guide (2014), ready reckoner", "Net is gross × (1 − each share)"} {
		if !strings.Contains(body, want) {
			t.Errorf("contract page lacks %q", want)
		}
	}
	if strings.Contains(body, "not adjusted for deadweight") {
		t.Error("contract page says it is not adjusted")
	}
	_, body = get(t, h.client(t), h.URL+"/proxies/explained")
	if !strings.Contains(body, "take off deadweight 25% and displacement 10% (HCA Additionality Guide (2014), ready reckoner)") {
		t.Error("the explainer does not show the configured adjustment")
	}

	col, rows := deliveryRows(t, h)
	checked := 0
	for _, x := range cc {
		for _, r := range rows {
			if r[col["contract_id"]] != itoa(x.c.ID) || r[col["measure"]] != "GM-P5-01" || r[col["due_date"]] != x.cm.Due {
				continue
			}
			if got, want := r[col["committed_net_value_pence"]], strconv.FormatInt(byHand(x.cm.QuantityMilli, net, 0), 10); got != want {
				t.Errorf("contract %d: committed_net_value_pence = %s, want %s", x.c.ID, got, want)
			}
			if got, want := r[col["verified_net_value_pence"]], strconv.FormatInt(byHand(x.cm.VerifiedMilli, net, 0), 10); got != want {
				t.Errorf("contract %d: verified_net_value_pence = %s, want %s", x.c.ID, got, want)
			}
			if got := r[col["adjustment"]]; got != "deadweight 25% and displacement 10% (HCA Additionality Guide (2014), ready reckoner)" {
				t.Errorf("adjustment column = %q", got)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no carbon line found in the delivery CSV")
	}
	_, body = get(t, h.client(t), h.URL+"/api/v1/contracts/"+itoa(k.c.ID))
	var doc struct {
		SocialValue struct {
			Adjustment  string `json:"adjustment"`
			Source      string `json:"adjustment_source"`
			Commitments []struct {
				Commitment int64  `json:"commitment"`
				Net        *int64 `json:"committed_net_value_pence"`
			} `json:"commitments"`
		} `json:"social_value"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SocialValue.Adjustment != "deadweight 25% and displacement 10%" || doc.SocialValue.Source != "HCA Additionality Guide (2014), ready reckoner" {
		t.Errorf("contract JSON adjustment = %+v", doc.SocialValue)
	}
	found := false
	for _, v := range doc.SocialValue.Commitments {
		if v.Commitment == k.cm.ID {
			found = true
			if want := byHand(k.cm.QuantityMilli, net, 0); v.Net == nil || *v.Net != want {
				t.Errorf("contract JSON net committed = %v, want %d", v.Net, want)
			}
		}
	}
	if !found {
		t.Error("contract JSON lacks the carbon commitment")
	}
}

// TestDashboardDiscountsEachContract: the contracts dashboard shows the
// committed carbon value discounted to each contract's start: the sum over
// every carbon commitment of tonnes × £241 ÷ 1.035^(its contract year),
// to the pound, beside the undiscounted total, naming the rate's source.
func TestDashboardDiscountsEachContract(t *testing.T) {
	h := newProxyHub(t)
	cc := carbonCommitments(t, h)
	sum, later := new(big.Rat), false
	for _, k := range cc {
		r := big.NewRat(k.cm.QuantityMilli*24100, 1000)
		for range k.year {
			r.Mul(r, big.NewRat(200, 207))
		}
		sum.Add(sum, r)
		later = later || k.year > 0
	}
	if !later {
		t.Fatal("no demo carbon commitment falls due after its contract's first year")
	}
	pv := gbpText(proxies.RoundHalfAway(new(big.Rat).Quo(sum, big.NewRat(100, 1))).Int64())
	_, body := get(t, h.client(t), h.URL+"/contracts")
	for _, want := range []string{"Committed social value, discounted to each contract&#39;s start", "<li>" + pv + " in 2020 prices</li>", "discounted at 3.5% a year", "HM Treasury, The Green Book (2022), Table 8"} {
		if !strings.Contains(body, want) {
			t.Errorf("/contracts lacks %q", want)
		}
	}
}
