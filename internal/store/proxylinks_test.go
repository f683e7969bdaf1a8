package store_test

import (
	"errors"
	"testing"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func measureByCode(t *testing.T, f framework.Framework, code string) framework.Measure {
	t.Helper()
	for _, p := range f.Priorities {
		for _, o := range p.Outcomes {
			for _, m := range o.Measures {
				if m.Code == code {
					return m
				}
			}
		}
	}
	t.Fatalf("no measure %s", code)
	return framework.Measure{}
}

func TestMeasureLinksStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		// The shipped edition's links load the shipped sources they name.
		id, err := s.CreateFramework(ctx, admin, framework.GM2020())
		if err != nil {
			t.Fatal(err)
		}
		f, err := s.Framework(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		jobs := measureByCode(t, f, "GM-P3-02")
		if len(jobs.Links) != 1 {
			t.Fatalf("GM-P3-02 links = %+v", jobs.Links)
		}
		l := jobs.Links[0]
		if l.Code != "E&E1.0" || l.SourceKey != "unit-cost-database-1.4" || l.Value.Pence != 980000 || l.Value.PriceYear != "2012/13" || l.Value.Unit != "Per claimant per year" ||
			l.Source.Attribution != proxies.UCDAttribution || l.Rationale == "" {
			t.Fatalf("link = %+v", l)
		}
		if c := measureByCode(t, f, "GM-P5-01").Links; len(c) != 1 || c[0].Value.Pence != 24100 || c[0].Value.PriceYear != "2020" {
			t.Fatalf("carbon link = %+v", c)
		}
		if n := len(measureByCode(t, f, "GM-P4-01").Links); n != 0 {
			t.Fatalf("GM-P4-01 has %d links; it has no open proxy", n)
		}
		if srcs, _ := s.ProxySources(ctx, false); len(srcs) != 2 {
			t.Fatalf("%d sources loaded", len(srcs))
		}

		// A framework admin adds, changes and removes links on a draft.
		local := measureByCode(t, f, "GM-P3-01")
		link := framework.ProxyLink{SourceKey: "unit-cost-database-1.4", Code: "E&E1.0", Rationale: "Some jobs go to claimants."}
		if err := s.SetMeasureLink(ctx, admin, id, local.ID, framework.ProxyLink{SourceKey: "unit-cost-database-1.4", Code: "E&E1.0"}); !isInvalid(err, "rationale") {
			t.Fatalf("no rationale: %v", err)
		}
		if err := s.SetMeasureLink(ctx, admin, id, local.ID, framework.ProxyLink{SourceKey: "unit-cost-database-1.4", Code: "NOPE", Rationale: "x"}); !isInvalid(err, "code") {
			t.Fatalf("unknown code: %v", err)
		}
		if err := s.SetMeasureLink(ctx, admin, id, local.ID, framework.ProxyLink{SourceKey: "national-toms-2024", Code: "NT1", Rationale: "x"}); !isInvalid(err, "source") {
			t.Fatalf("unknown source: %v", err)
		}
		if err := s.SetMeasureLink(ctx, admin, id, local.ID, link); err != nil {
			t.Fatal(err)
		}
		link.Rationale = "Only the share of jobs that go to claimants counts."
		if err := s.SetMeasureLink(ctx, admin, id, local.ID, link); err != nil {
			t.Fatal(err)
		}
		f, _ = s.Framework(ctx, id)
		got := measureByCode(t, f, "GM-P3-01").Links
		if len(got) != 1 || got[0].Rationale != link.Rationale {
			t.Fatalf("changed link = %+v", got)
		}
		if err := s.RemoveMeasureLink(ctx, admin, id, local.ID, got[0].UnitCostID); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveMeasureLink(ctx, admin, id, local.ID, got[0].UnitCostID); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("removed twice: %v", err)
		}
		f, _ = s.Framework(ctx, id)
		if n := len(measureByCode(t, f, "GM-P3-01").Links); n != 0 {
			t.Fatalf("%d links after removal", n)
		}

		// Publishing freezes the links.
		if err := s.PublishFramework(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMeasureLink(ctx, admin, id, local.ID, link); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("linked a published edition's measure: %v", err)
		}
		if err := s.RemoveMeasureLink(ctx, admin, id, jobs.ID, l.UnitCostID); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("unlinked a published edition's measure: %v", err)
		}
		// A newer edition of the source leaves the published links on the
		// values they were made with; a new draft copies them.
		ucd, _ := proxies.ShippedUCD()
		ucd.Source.Edition, ucd.Source.BuiltIn = "1.5", false
		for i := range ucd.Values {
			ucd.Values[i].Pence *= 2
		}
		if _, err := s.ImportProxyEdition(ctx, admin, ucd); err != nil {
			t.Fatal(err)
		}
		draft, err := s.NewDraftEdition(ctx, admin, id, "2027")
		if err != nil {
			t.Fatal(err)
		}
		for _, fid := range []int64{id, draft} {
			g, _ := s.Framework(ctx, fid)
			if ls := measureByCode(t, g, "GM-P3-02").Links; len(ls) != 1 || ls[0].UnitCostID != l.UnitCostID || ls[0].Value.Pence != 980000 || ls[0].Source.Edition != "1.4" {
				t.Fatalf("framework %d links = %+v", fid, ls)
			}
		}
	})
}

func isInvalid(err error, field string) bool {
	var v *problem.Invalid
	return errors.As(err, &v) && v.Has(field)
}
