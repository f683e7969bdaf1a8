package spend

import (
	"math"
	"testing"
)

// A small fixture worked by hand. The buyer is in district L (Trafford);
// M is elsewhere in GM.
func TestBuildReport(t *testing.T) {
	rows := []SupplierSpend{
		{Name: "Local Builders Ltd", NetPence: 50_000, Payments: 2},
		{Name: "LOCAL BUILDERS LIMITED", NetPence: 10_000, Payments: 1}, // same supplier
		{Name: "City Cleaners", VATNumber: "GB 123 4567 89", NetPence: 30_000, Payments: 3},
		{Name: "Faraway PLC", NetPence: 40_000, Payments: 1},
		{Name: "Nobody We Know", NetPence: 15_000, Payments: 1},
		{Name: "REDACTED", Redacted: true, NetPence: 5_000, Payments: 1},
	}
	orgs := []Org{
		{ID: 1, Name: "Local Builders Limited", Kind: "business", Size: "small", Districts: []string{"L"}, IMDDecile: 1, SIC: "41201 43999"},
		{ID: 2, Name: "Sparkle Services", VATNumber: "123456789", Kind: "vcse", Size: "micro", Districts: []string{"M"}, IMDDecile: 2},
		{ID: 3, Name: "Faraway plc", Kind: "business", Size: "large", Districts: []string{""}},
	}
	r := BuildReport(rows, orgs, "L", map[string]bool{"L": true, "M": true}, 2)
	if r.TotalNetPence != 150_000 || r.Payments != 9 || r.Suppliers != 5 || r.RedactedPence != 5_000 {
		t.Fatalf("totals %+v", r)
	}
	want := map[string]int64{InDistrict: 60_000, InGM: 30_000, OutsideGM: 40_000, Unknown: 20_000}
	for k, v := range want {
		if r.Location[k].Pence != v || math.Abs(r.Location[k].Share-float64(v)/150_000) > 1e-12 {
			t.Errorf("%s: %+v, want %d", k, r.Location[k], v)
		}
	}
	if r.SME["yes"].Pence != 90_000 || r.SME["no"].Pence != 40_000 || r.VCSE["yes"].Pence != 30_000 {
		t.Errorf("SME %+v VCSE %+v", r.SME, r.VCSE)
	}
	if r.Deprivation["decile_1"].Pence != 60_000 || r.Deprivation["deciles_1_2"].Pence != 90_000 || r.Deprivation["not_placed"].Pence != 60_000 {
		t.Errorf("deprivation %+v", r.Deprivation)
	}
	if r.ByDistrict["L"] != 60_000 || r.ByDistrict["M"] != 30_000 || len(r.ByDistrict) != 2 {
		t.Errorf("by district %+v", r.ByDistrict)
	}
	if r.BySector["Construction"] != 60_000 || r.BySector["Not known"] != 90_000 {
		t.Errorf("by sector %+v", r.BySector)
	}
	for in, want := range map[string]string{"62020": "Information and communication", "85590 - Other education": "Education", "8810": "Health and social work", "x": "", "": ""} {
		if got := Sector(in); got != want {
			t.Errorf("Sector(%q) = %q, want %q", in, got, want)
		}
	}
	if len(r.Top) != 2 || r.Top[0].Name != "Local Builders Limited" || r.Top[0].NetPence != 60_000 || r.Top[1].Name != "Faraway plc" || r.Top[0].MatchedBy != "name" {
		t.Errorf("top %+v", r.Top)
	}
	if r.TopLocation[InDistrict].Pence != 60_000 || r.TopLocation[OutsideGM].Pence != 40_000 {
		t.Errorf("top location %+v", r.TopLocation)
	}
	for _, s := range r.Top {
		if s.Key == "redacted" && s.Name != "Redacted payee" {
			t.Error("a redacted payee's name leaked")
		}
	}
}

func TestFinancialYears(t *testing.T) {
	got := FinancialYears([]YearSpend{{"2024-03", 5, 1}, {"2024-04", 10, 2}, {"2025-03", 20, 1}, {"2025-04", 1, 1}, {"bad", 99, 9}})
	want := []YearSpend{{"2023/24", 5, 1}, {"2024/25", 30, 3}, {"2025/26", 1, 1}}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%+v, want %+v", got, want)
		}
	}
}

func TestSpellingsOfOneOrganisationAreOneSupplier(t *testing.T) {
	orgs := []Org{{ID: 3, Name: "Acme Builders Ltd", VATNumber: "GB123456789", Districts: []string{"E08000003"}}}
	rows := []SupplierSpend{
		{Name: "ACME BUILDERS LIMITED", NetPence: 500, Payments: 1},
		{Name: "Acme (Builders)", VATNumber: "123 4567 89", NetPence: 700, Payments: 2},
		{Name: "Someone Else", NetPence: 100, Payments: 1},
	}
	rep := BuildReport(rows, orgs, "E08000003", map[string]bool{"E08000003": true}, 10)
	if rep.Suppliers != 2 {
		t.Fatalf("want 2 suppliers, got %d: %+v", rep.Suppliers, rep.Top)
	}
	a := rep.Top[0]
	if a.Key != "org-3" || a.NetPence != 1200 || a.Payments != 3 || a.Name != "Acme Builders Ltd" || len(a.Spellings) != 2 || a.Location != InDistrict {
		t.Errorf("grouped supplier %+v", a)
	}
}

func TestSpendByWardFollowsThePlacingSite(t *testing.T) {
	orgs := []Org{{ID: 1, Name: "Two Sites Ltd", Districts: []string{"E08000009", "E08000003"}, Wards: []string{"E05000001", "E05000002"}}}
	rows := []SupplierSpend{{Name: "Two Sites Ltd", NetPence: 800, Payments: 1}}
	gm := map[string]bool{"E08000009": true, "E08000003": true}
	rep := BuildReport(rows, orgs, "E08000003", gm, 10)
	if rep.Top[0].Ward != "E05000002" || rep.ByWard["E05000002"] != 800 || len(rep.ByWard) != 1 {
		t.Errorf("the site in the buyer's district should place it: %+v %v", rep.Top[0], rep.ByWard)
	}
	rep = BuildReport(rows, orgs, "E08000001", gm, 10)
	if rep.Top[0].Ward != "E05000001" {
		t.Errorf("otherwise its first GM site: %+v", rep.Top[0])
	}
}
