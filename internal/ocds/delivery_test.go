package ocds

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/tenders"
)

func deliveryInput(now time.Time) Input {
	responded := now.AddDate(0, 0, -2)
	return Input{Prefix: "ocds-x", BaseURL: "https://hub.example", Publisher: "Hub", Now: now,
		Tenders: []tenders.Tender{
			{ID: 3, BuyerOrgID: 1, Status: tenders.Awarded, Title: "Meals", BidCount: 3, CreatedAt: now.AddDate(-2, 0, 0), Deadline: now.AddDate(-1, -1, 0)},
			// Still open: an award in the input (which the hub cannot make)
			// must not name its bidders before the deadline.
			{ID: 4, BuyerOrgID: 1, Status: tenders.Published, Title: "Parks", BidCount: 2, CreatedAt: now.AddDate(0, -1, 0), Deadline: now.AddDate(0, 0, 5)},
		},
		Awards:    map[int64]AwardInfo{3: {SupplierID: 2, ValuePence: 100000000, DecidedAt: now.AddDate(-1, 0, 0)}, 4: {SupplierID: 5, ValuePence: 100, DecidedAt: now}},
		Contracts: map[int64]contracts.Contract{3: {ID: 7, TenderID: 3, SupplierID: 2, Title: "Meals", ValuePence: 100000000, Start: "2025-12-01", End: "2027-11-30", CreatedAt: now.AddDate(-1, 0, 0)}},
		Orgs: map[int64]orgs.Organisation{1: {ID: 1, LegalName: "Council"}, 2: {ID: 2, LegalName: "Supplier Ltd", CompanyNumber: "01234567"},
			3: {ID: 3, LegalName: "Runner-up CIC"}, 4: {ID: 4, LegalName: "Third Ltd"}, 5: {ID: 5, LegalName: "Hidden Ltd"}, 6: {ID: 6, LegalName: "Also Hidden Ltd"}},
		Tenderers: map[int64][]int64{3: {2, 3, 4}, 4: {5, 6}},
		KPIs: map[int64][]contracts.KPI{7: {{ID: 9, ContractID: 7, Name: "Meals on time", Target: "98% within 15 minutes", Measure: "Delivery logs",
			Assessments: []contracts.Assessment{{ID: 1, KPIID: 9, PeriodEnd: "2026-11-30", Rating: contracts.RatingGood, Note: "All months on target"}}}}},
		Concerns: map[int64][]contracts.Concern{7: {{ID: 5, LineID: 11, Body: "I never saw these apprentices", CreatedAt: now.AddDate(0, 0, -3), Response: "Payroll records checked", RespondedAt: &responded}}},
	}
}

func TestTenderersOnlyAfterAward(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	pkg, err := Build(deliveryInput(now))
	if err != nil {
		t.Fatal(err)
	}
	var award *Release
	for i, r := range pkg.Releases {
		if strings.Contains(r.ID, "-4-") || strings.HasSuffix(r.ID, "-4-tender") {
			for _, p := range r.Parties {
				if strings.Contains(p.Name, "Hidden") {
					t.Errorf("open tender release %s names bidder %s", r.ID, p.Name)
				}
			}
			if r.Tender != nil && (len(r.Tender.Tenderers) > 0 || r.Tender.NumberOfTenderers != nil) {
				t.Errorf("open tender release %s: tenderers %v, number %v", r.ID, r.Tender.Tenderers, r.Tender.NumberOfTenderers)
			}
		}
		if r.ID == "ocds-x-3-award" {
			award = &pkg.Releases[i]
		}
	}
	if award == nil {
		t.Fatal("no award release")
	}
	var names []string
	for _, r := range award.Tender.Tenderers {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, []string{"Supplier Ltd", "Runner-up CIC", "Third Ltd"}) || *award.Tender.NumberOfTenderers != 3 {
		t.Fatalf("tenderers %v", names)
	}
	roles := map[string][]string{}
	for _, p := range award.Parties {
		if _, dup := roles[p.ID]; dup {
			t.Errorf("party %s listed twice", p.ID)
		}
		roles[p.ID] = p.Roles
	}
	if !slices.Equal(roles["GB-COH-01234567"], []string{"supplier", "tenderer"}) || !slices.Equal(roles["svhub-org-3"], []string{"tenderer"}) || len(roles) != 4 {
		t.Errorf("parties %v", roles)
	}
}

func TestKPIsAndConcernsInContract(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	pkg, err := Build(deliveryInput(now))
	if err != nil {
		t.Fatal(err)
	}
	var c *Contract
	for _, r := range pkg.Releases {
		for i := range r.Contracts {
			c = &r.Contracts[i]
		}
	}
	if c == nil || c.Implementation == nil || len(c.Implementation.Metrics) != 1 {
		t.Fatalf("contract %+v", c)
	}
	if !slices.Equal(pkg.Extensions, []string{MetricsExtension}) {
		t.Errorf("extensions %v", pkg.Extensions)
	}
	m := c.Implementation.Metrics[0]
	if m.ID != "kpi-9" || m.Title != "Meals on time" || m.Description != "Key performance indicator. Target: 98% within 15 minutes. Measured by: Delivery logs." {
		t.Errorf("kpi metric %+v", m)
	}
	if len(m.Observations) != 1 || m.Observations[0].Measure != "good" || m.Observations[0].Period.EndDate != "2026-11-30T23:59:59Z" || m.Observations[0].Notes != "Good. All months on target" {
		t.Errorf("assessment %+v", m.Observations)
	}
	if len(c.Documents) != 1 {
		t.Fatalf("documents %+v", c.Documents)
	}
	d := c.Documents[0]
	if d.DocumentType != "publicConcern" || d.URL != "https://hub.example/contracts/7#line-11" || d.Description != "A resident's concern: I never saw these apprentices\nThe buyer's response: Payroll records checked" || d.DatePublished != "2026-12-04T12:00:00Z" {
		t.Errorf("concern document %+v", d)
	}
}
