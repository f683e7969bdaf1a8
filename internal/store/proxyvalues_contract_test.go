package store_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/ocds"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// TestUnitValuesOfTendersAndContracts: a tender's and a contract's
// measures are valued by their link to an open unit cost first, else by
// their written-in proxy value, each with its price year.
func TestUnitValuesOfTendersAndContracts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0)
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		f := framework.GM2020()
		f.Status = framework.Published
		fid, err := s.CreateFramework(ctx, admin, f)
		if err != nil {
			t.Fatal(err)
		}
		full, _ := s.Framework(ctx, fid)
		jobs, carbon, hours := measureByCode(t, full, "GM-P3-02"), measureByCode(t, full, "GM-P5-01"), measureByCode(t, full, "GM-P4-01")
		key, _ := tenders.ParseKey(tenders.NewKey())
		sealer, _ := tenders.NewSealer(key)
		tid, err := s.CreateTender(ctx, admin, tenders.Tender{BuyerOrgID: council.ID, Title: "Parks", Description: "d", ValuePence: 1, Deadline: now.Add(time.Hour), WPrice: 40, WQuality: 40, WSV: 20,
			SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: fid,
			Measures: []tenders.Measure{{ID: jobs.ID}, {ID: carbon.ID}, {ID: hours.ID}}}, sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		tn, err := s.Tender(ctx, tid, now)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]tenders.Measure{}
		for _, m := range tn.Measures {
			got[m.Code] = m
		}
		if m := got["GM-P3-02"]; m.ProxyPence != 980000 || m.ProxyPriceYear != "2012/13" {
			t.Fatalf("jobs measure = %+v", m)
		}
		if m := got["GM-P5-01"]; m.ProxyPence != 24100 || m.ProxyPriceYear != "2020" {
			t.Fatalf("carbon measure = %+v", m)
		}
		if m := got["GM-P4-01"]; m.ProxyPence != 0 || m.ProxyPriceYear != "" {
			t.Fatalf("unpriced measure = %+v", m)
		}
		// A monetised tender mixing price years keeps a copy of its index.
		ix := proxies.Index{Name: "GDP deflator", Source: "HM Treasury", Published: "2026-09-30", Years: map[string]*big.Rat{"2012/13": big.NewRat(88, 1), "2020": big.NewRat(110, 1)}}
		mid, err := s.CreateTender(ctx, admin, tenders.Tender{BuyerOrgID: council.ID, Title: "Jobs and carbon", Description: "d", ValuePence: 1, Deadline: now.Add(time.Hour), WPrice: 40, WQuality: 40, WSV: 20,
			SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodMonetised, FrameworkID: fid, Uplift: tenders.UpliftFrom(ix, "2020"),
			Measures: []tenders.Measure{{ID: jobs.ID}, {ID: carbon.ID}}}, sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		mt, err := s.Tender(ctx, mid, now)
		if err != nil {
			t.Fatal(err)
		}
		if mt.Uplift == nil || mt.Uplift.PriceYear != "2020" || mt.Uplift.Years["2012/13"] != "88" || mt.Uplift.Source != "HM Treasury" {
			t.Fatalf("tender uplift = %+v", mt.Uplift)
		}
		if err := mt.Validate(); isInvalid(err, "method") || isInvalid(err, "uplift") {
			t.Fatalf("the saved monetised tender's values and index are refused: %v", err)
		}
		if e := tenders.BuildEvaluation(mt, tenders.EvalPeople{Equal: true}, nil, nil); e.Uplift == nil || e.Uplift.Years["2020"] != "110" {
			t.Fatalf("evaluation uplift = %+v", e.Uplift)
		}
		if tn.Uplift != nil {
			t.Fatalf("a tender without an index has uplift %+v", tn.Uplift)
		}
		_ = s.MoveTender(ctx, admin, tid, tenders.Published, now)
		_ = s.AssignEvaluators(ctx, admin, tid, []int64{admin.ID()}, now.Add(2*time.Hour))
		_ = s.SubmitMarks(ctx, admin, tid, nil, now.Add(2*time.Hour))
		if err := s.Moderate(ctx, admin, tid, nil, now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		cid, err := s.AwardTender(ctx, admin, store.Award{TenderID: tid, SupplierID: firm.ID, ValuePence: 1, Evaluation: "{}", Rationale: "r", StandstillEnd: "2026-06-10"},
			contracts.Contract{BuyerOrgID: council.ID, Title: "Parks", Start: "2026-07-01", End: "2027-06-30"},
			[]contracts.Commitment{{MeasureID: jobs.ID, QuantityMilli: 2000, Due: "2027-06-30"}, {MeasureID: carbon.ID, QuantityMilli: 5000, Due: "2027-06-30"}, {MeasureID: hours.ID, QuantityMilli: 100_000, Due: "2027-06-30"}}, now)
		if err != nil {
			t.Fatal(err)
		}
		vals, err := s.ContractUnitValues(ctx, cid)
		if err != nil {
			t.Fatal(err)
		}
		if len(vals) != 2 || vals[jobs.ID].Pence != 980000 || vals[jobs.ID].PriceYear != "2012/13" || vals[carbon.ID].Pence != 24100 || vals[carbon.ID].PriceYear != "2020" {
			t.Fatalf("contract unit values = %+v", vals)
		}
		for _, f := range []store.DashFilter{{}, {ContractID: cid}, {BuyerOrgID: council.ID}, {SupplierOrgID: firm.ID}} {
			totals, dvals, err := s.DashboardMoney(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			for _, x := range totals {
				got[x.Code] = x.CommittedMilli
			}
			if len(totals) != 3 || got["GM-P3-02"] != 2000 || got["GM-P5-01"] != 5000 || got["GM-P4-01"] != 100_000 || len(dvals) != 2 || dvals[jobs.ID].PriceYear != "2012/13" {
				t.Fatalf("dashboard money %+v = %+v, %+v", f, totals, dvals)
			}
		}
		if totals, _, err := s.DashboardMoney(ctx, store.DashFilter{BuyerOrgID: firm.ID}); err != nil || len(totals) != 0 {
			t.Fatalf("another buyer's dashboard = %+v, %v", totals, err)
		}
		// Each commitment in a dashboard's scope with its contract's start,
		// for discounting to that start.
		for _, f := range []store.DashFilter{{}, {ContractID: cid}, {BuyerOrgID: council.ID}, {SupplierOrgID: firm.ID}} {
			dated, err := s.DashboardCommitments(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			want := []store.DatedCommitment{{jobs.ID, 2000, "2026-07-01", "2027-06-30"}, {carbon.ID, 5000, "2026-07-01", "2027-06-30"}, {hours.ID, 100_000, "2026-07-01", "2027-06-30"}}
			if len(dated) != len(want) {
				t.Fatalf("dashboard commitments %+v = %+v", f, dated)
			}
			for i := range want {
				if dated[i] != want[i] {
					t.Fatalf("dashboard commitments %+v = %+v, want %+v", f, dated, want)
				}
			}
		}
		if dated, err := s.DashboardCommitments(ctx, store.DashFilter{BuyerOrgID: firm.ID}); err != nil || len(dated) != 0 {
			t.Fatalf("another buyer's dashboard commitments = %+v, %v", dated, err)
		}
		// The OCDS input carries the contract's commitments and unit values,
		// and the package their worth: 5 tonnes × £241 = £1,205 in 2020 prices.
		in, err := s.OCDSInput(ctx, now.Add(3*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Commitments[cid]) != 3 || len(in.UnitValues[cid]) != 2 {
			t.Fatalf("ocds input commitments %+v, unit values %+v", in.Commitments[cid], in.UnitValues[cid])
		}
		in.Prefix, in.BaseURL, in.Publisher = "ocds-test", "https://hub.example", "Hub"
		pkg, err := ocds.Build(in)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range pkg.Releases {
			for _, c := range r.Contracts {
				if c.Implementation == nil {
					continue
				}
				for _, m := range c.Implementation.Metrics {
					for _, o := range m.Observations {
						if o.ID == m.ID+"-committed-value" && o.Dimensions["priceYear"] == "2020" {
							found = o.Value.Amount == 120500
						}
					}
				}
			}
		}
		if !found || len(pkg.Extensions) != 1 {
			t.Fatalf("no carbon worth of £1,205 in 2020 prices in the OCDS package (extensions %v)", pkg.Extensions)
		}
	})
}
