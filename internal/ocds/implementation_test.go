package ocds

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/tenders"
)

func TestImplementationCarriesCommitmentsAndWorth(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	c := contracts.Contract{ID: 7, TenderID: 3, SupplierID: 2, Title: "Meals", ValuePence: 100000000, Start: "2025-12-01", End: "2027-11-30", CreatedAt: now.AddDate(-1, 0, 0)}
	cms := []contracts.Commitment{
		// 12.5 people into work at £9,800.37 each: 12.5 × 980037 = 12250462.5
		// pence, rounded half away from zero to 12250463; verified 4 × 980037 = 3920148.
		{ID: 1, MeasureID: 10, MeasureCode: "GM-1", Wording: "People into work", Unit: "people", QuantityMilli: 12500, VerifiedMilli: 4000, Due: "2027-11-30"},
		{ID: 2, MeasureID: 11, Wording: "Hours volunteered", Unit: "hours", QuantityMilli: 100000, VerifiedMilli: 100000, Due: "2026-06-30"},
		{ID: 3, MeasureID: 12, Wording: "Trees planted", Unit: "trees", QuantityMilli: 50000, Due: "2026-06-30"},
		{ID: 4, MeasureID: 13, Wording: "Local spend", Unit: "£", QuantityMilli: 1000000, Due: "2027-06-30"},
	}
	values := map[int64]framework.UnitValue{10: {Pence: 980037, PriceYear: "2012/13", Source: "Unit Cost Database v1.4, E&E1.0"}}
	in := Input{Prefix: "ocds-x", BaseURL: "https://hub.example", Publisher: "Hub", Now: now,
		Tenders:     []tenders.Tender{{ID: 3, BuyerOrgID: 1, Status: tenders.Awarded, Title: "Meals", CreatedAt: now.AddDate(-2, 0, 0), Deadline: now.AddDate(-1, -1, 0)}},
		Awards:      map[int64]AwardInfo{3: {SupplierID: 2, ValuePence: 100000000, DecidedAt: now.AddDate(-1, 0, 0)}},
		Contracts:   map[int64]contracts.Contract{3: c},
		Orgs:        map[int64]orgs.Organisation{1: {ID: 1, LegalName: "Council"}, 2: {ID: 2, LegalName: "Supplier Ltd"}},
		Commitments: map[int64][]contracts.Commitment{7: cms},
		UnitValues:  map[int64]map[int64]framework.UnitValue{7: values},
	}
	pkg, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Extensions) != 1 || pkg.Extensions[0] != MetricsExtension {
		t.Fatalf("extensions = %v", pkg.Extensions)
	}
	var impl *Implementation
	for _, r := range pkg.Releases {
		for _, k := range r.Contracts {
			impl = k.Implementation
		}
	}
	if impl == nil || len(impl.Milestones) != 4 || len(impl.Metrics) != 4 {
		t.Fatalf("implementation = %+v", impl)
	}
	for i, want := range []string{"partiallyMet", "met", "notMet", "scheduled"} {
		if got := impl.Milestones[i].Status; got != want {
			t.Errorf("milestone %d status %s, want %s", i, got, want)
		}
	}
	if d := impl.Milestones[3].Description; d != "£1000 committed by 2027-06-30; £0 verified by the buyer" {
		t.Errorf("pounds description %q", d)
	}
	obs := impl.Metrics[0].Observations
	if len(obs) != 4 || obs[0].Measure != "12.5" || obs[1].Measure != "4" || obs[1].Period.EndDate != "2026-12-07T23:59:59Z" {
		t.Fatalf("observations = %+v", obs)
	}
	if obs[2].Value.Amount != 12250463 || obs[3].Value.Amount != 3920148 || obs[2].Dimensions["priceYear"] != "2012/13" {
		t.Fatalf("worth = %v %v %v", obs[2].Value.Amount, obs[3].Value.Amount, obs[2].Dimensions)
	}
	if !strings.Contains(obs[2].Notes, "12.5 people at £9800.37 each in 2012/13 prices") || !strings.Contains(obs[2].Notes, "E&E1.0") {
		t.Errorf("notes %q", obs[2].Notes)
	}
	if len(impl.Metrics[2].Observations) != 2 {
		t.Errorf("a commitment without a unit value got a worth: %+v", impl.Metrics[2].Observations)
	}
	raw, _ := json.Marshal(obs[2].Value)
	if string(raw) != `{"amount":122504.63,"currency":"GBP"}` {
		t.Errorf("json %s", raw)
	}
}
