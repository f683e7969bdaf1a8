package spend_test

import (
	"testing"

	"github.com/svhub/svhub/internal/spend"
)

func TestChooseCompany(t *testing.T) {
	active := func(name, number string) spend.CompanyHit {
		return spend.CompanyHit{Number: number, Name: name, Status: "active", Type: "ltd"}
	}
	dissolved := func(name, number string) spend.CompanyHit {
		return spend.CompanyHit{Number: number, Name: name, Status: "dissolved", Type: "ltd"}
	}
	for _, c := range []struct {
		name   string
		payee  string
		hits   []spend.CompanyHit
		number string // "" for no choice
		place  bool
	}{
		{"the same name, legal form aside", "Zyxwv Widgets Ltd", []spend.CompanyHit{dissolved("ZYXWV WIDGETS (NORTH) LIMITED", "2"), active("ZYXWV WIDGETS LIMITED", "1")}, "1", true},
		{"the same name, but dissolved", "Zyxwv Widgets Ltd", []spend.CompanyHit{dissolved("ZYXWV WIDGETS LIMITED", "1")}, "1", false},
		{"an active company and a dissolved one of the same name", "Zyxwv Widgets Ltd", []spend.CompanyHit{dissolved("ZYXWV WIDGETS LTD", "2"), active("ZYXWV WIDGETS LIMITED", "1")}, "1", true},
		{"two active companies of the same name", "Zyxwv Widgets", []spend.CompanyHit{active("ZYXWV WIDGETS LIMITED", "1"), active("ZYXWV WIDGETS LLP", "2")}, "1", false},
		{"alike, not the same", "Qwerty Care Services", []spend.CompanyHit{active("QWERTY CARE SERVICES (NORTH WEST) LIMITED", "3")}, "3", false},
		{"nothing alike", "Nomatch Trading", []spend.CompanyHit{active("ENTIRELY DIFFERENT HOLDINGS LIMITED", "4")}, "", false},
		{"no hits", "Nomatch Trading", nil, "", false},
	} {
		got, ok := spend.ChooseCompany(c.payee, c.hits)
		if ok != (c.number != "") || (ok && (got.Hit.Number != c.number || got.Place != c.place)) {
			t.Errorf("%s: %+v %v, want %s place %v", c.name, got, ok, c.number, c.place)
		}
		if ok && got.Place && got.Score < spend.AutoMatchThreshold {
			t.Errorf("%s: placed at %.2f", c.name, got.Score)
		}
	}
}

func TestCompanyCategory(t *testing.T) {
	for _, c := range []struct {
		hit  spend.CompanyHit
		want string
		vcse string
	}{
		{spend.CompanyHit{Name: "ACME LIMITED", Type: "ltd"}, "Private Limited Company", "no"},
		{spend.CompanyHit{Name: "GOOD THINGS CIC", Type: "ltd"}, "Community Interest Company", "yes"},
		{spend.CompanyHit{Name: "GOOD THINGS COMMUNITY INTEREST COMPANY", Type: "private-limited-guarant-nsc"}, "Community Interest Company", "yes"},
		{spend.CompanyHit{Name: "HELPING HANDS", Type: "charitable-incorporated-organisation"}, "Charitable Incorporated Organisation", "yes"},
		{spend.CompanyHit{Name: "CLUB LIMITED", Type: "private-limited-guarant-nsc"}, "PRI/LBG/NSC (Private, Limited by guarantee, no share capital)", "unknown"},
		{spend.CompanyHit{Name: "NEW KIND", Type: "some-new-type"}, "some new type", "no"},
	} {
		got := spend.CompanyCategory(c.hit)
		if got != c.want {
			t.Errorf("%+v: %q, want %q", c.hit, got, c.want)
		}
		if v := (spend.RegisterEntry{Source: spend.CompaniesHouse, Category: got}).VCSE(); v != c.vcse {
			t.Errorf("%q: VCSE %q, want %q", got, v, c.vcse)
		}
	}
	if got := spend.CompanyStatusLabel("voluntary-arrangement"); got != "Voluntary Arrangement" {
		t.Errorf("status: %q", got)
	}
}
