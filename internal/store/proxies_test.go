package store_test

import (
	"errors"
	"math/big"
	"testing"

	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func TestProxyEditionsStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		ucd, err := proxies.ShippedUCD()
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.ImportProxyEdition(ctx, admin, ucd)
		if err != nil || !res.Created || res.Slug != "unit-cost-database-1.4" {
			t.Fatalf("import = %+v, %v", res, err)
		}
		// The same edition again changes nothing.
		again, err := s.ImportProxyEdition(ctx, admin, ucd)
		if err != nil || again.Created || again.SourceID != res.SourceID {
			t.Fatalf("re-import = %+v, %v", again, err)
		}
		src, err := s.ProxySource(ctx, res.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if src.Values != 674 || src.Attribution != proxies.UCDAttribution || !src.BuiltIn || src.Edition != "1.4" {
			t.Fatalf("source = %+v", src)
		}
		vals, err := s.ProxyValues(ctx, src.ID)
		if err != nil || len(vals) != 674 {
			t.Fatalf("values = %d, %v", len(vals), err)
		}
		for i := range vals {
			w := ucd.Values[i]
			w.ID, w.SourceID = vals[i].ID, src.ID
			if vals[i] != w {
				t.Fatalf("value %d = %+v, want %+v", i, vals[i], w)
			}
		}
		// A changed edition under the same name is refused, not overwritten.
		changed := ucd
		changed.Values = append([]proxies.Value(nil), ucd.Values...)
		changed.Values[0].Pence++
		if _, err := s.ImportProxyEdition(ctx, admin, changed); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("changed edition: %v", err)
		}
		// A new edition lives beside the old one; a licensed one is hidden
		// unless asked for.
		changed.Source.Edition = "1.5"
		if r, err := s.ImportProxyEdition(ctx, admin, changed); err != nil || !r.Created || r.Slug != "unit-cost-database-1.5" {
			t.Fatalf("new edition = %+v, %v", r, err)
		}
		toms := proxies.Edition{Source: proxies.Source{Name: "National TOMs", Publisher: "Social Value Portal", Edition: "2024", Licence: "CC BY-NC-ND 4.0", Attribution: "National TOMs © Social Value Portal", LicensedOnly: true},
			Values: []proxies.Value{{Code: "NT1", Theme: "Jobs", Description: "x", Unit: "Per person", Pence: 100, PriceYear: "2024", Kind: proxies.Economic}}}
		if _, err := s.ImportProxyEdition(ctx, admin, toms); err != nil {
			t.Fatal(err)
		}
		open, err := s.ProxySources(ctx, false)
		if err != nil || len(open) != 2 || open[0].Edition != "1.5" || open[1].Values != 674 {
			t.Fatalf("open sources = %+v, %v", open, err)
		}
		all, _ := s.ProxySources(ctx, true)
		if len(all) != 3 {
			t.Fatalf("all sources = %d", len(all))
		}
		if _, err := s.ProxySource(ctx, "nope"); !errors.Is(err, problem.ErrNotFound) {
			t.Fatal(err)
		}
		// A batch with a duplicate code leaves nothing behind.
		bad := proxies.Edition{Source: proxies.UCDSource("2.0"), Values: []proxies.Value{toms.Values[0], toms.Values[0]}}
		if _, err := s.ImportProxyEdition(ctx, admin, bad); err == nil {
			t.Fatal("imported a duplicate code")
		}
		if _, err := s.ProxySource(ctx, "unit-cost-database-2.0"); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("a failed import left its source: %v", err)
		}
	})
}

func TestPriceIndexStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		ix := proxies.Index{Name: "GDP deflator", Source: "HM Treasury, GDP deflators at market prices", Published: "2026-09-30",
			Years: map[string]*big.Rat{"2010/11": big.NewRat(88, 1), "2013/14": big.NewRat(183, 2), "2020/21": big.NewRat(110, 1)}}
		id, created, err := s.ImportPriceIndex(ctx, admin, ix)
		if err != nil || !created {
			t.Fatal(err)
		}
		id2, created, err := s.ImportPriceIndex(ctx, admin, ix)
		if err != nil || created || id2 != id {
			t.Fatalf("re-import: %d %v %v", id2, created, err)
		}
		ix.Years["2020/21"] = big.NewRat(111, 1)
		if _, _, err := s.ImportPriceIndex(ctx, admin, ix); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("changed index: %v", err)
		}
		list, err := s.PriceIndexes(ctx)
		if err != nil || len(list) != 1 || len(list[0].Years) != 3 || list[0].Years["2013/14"].Cmp(big.NewRat(183, 2)) != 0 || list[0].Source != ix.Source {
			t.Fatalf("indexes = %+v, %v", list, err)
		}
	})
}
