package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/demo"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// seedDemo loads the shipped geography and the demonstration data set, and
// returns the sealer its bids were sealed with.
func seedDemo(t *testing.T, s *store.Store) *tenders.Sealer {
	t.Helper()
	ctx := context.Background()
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
		t.Fatal(err)
	}
	key, _ := tenders.ParseKey(tenders.NewKey())
	sealer, _ := tenders.NewSealer(key)
	if _, err := demo.Seed(ctx, s, auth.NewHasher(0), "procurement-pages-password", sealer); err != nil {
		t.Fatal(err)
	}
	return sealer
}

// TestTenderWeights: on both engines, the light read a tender page makes of
// its People's Weights says what PublishedWeights and Round say, for every
// tender of the demo that uses weights, and a round without published
// weights is not found.
func TestTenderWeights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seedDemo(t, s)
		ts, err := s.ListTenders(ctx, store.TenderFilter{}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, tn := range ts {
			if tn.WeightsRound == 0 {
				continue
			}
			got, err := s.TenderWeights(ctx, tn.WeightsRound)
			if err != nil {
				t.Fatal(err)
			}
			pw, err := s.PublishedWeights(ctx, tn.WeightsRound)
			if err != nil {
				t.Fatal(err)
			}
			round, err := s.Round(ctx, tn.WeightsRound)
			if err != nil {
				t.Fatal(err)
			}
			if got.RoundTitle != round.Title || got.Weights != pw.Weights || got.BallotCount != pw.BallotCount || !got.PublishedAt.Equal(pw.PublishedAt) {
				t.Fatalf("tender %d: TenderWeights %+v, published %q %d %v, round %q", tn.ID, got, pw.Weights, pw.BallotCount, pw.PublishedAt, round.Title)
			}
			checked++
		}
		if checked == 0 {
			t.Fatal("no demo tender uses People's Weights")
		}
		if _, err := s.TenderWeights(ctx, 1_000_000); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("unknown round: %v, want not found", err)
		}
	})
}

// TestProcurementGenerations: on both engines, publishing a tender,
// verifying a delivery line and editing a draft edition's measure raise the
// tender list's, the contracts dashboard's and the framework trees'
// generations in their transactions, a bid raises none of them (nothing
// about bids is kept under them), and TenderListing is ListTenders without
// bid counts and before closing at now.
func TestProcurementGenerations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sealer := seedDemo(t, s)
		sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}
		gen := func(kind string) int64 {
			t.Helper()
			g, err := s.ReferenceGeneration(ctx, kind)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		now := time.Now()
		listed, err := s.TenderListing(ctx, store.TenderFilter{NoLots: true})
		if err != nil {
			t.Fatal(err)
		}
		full, err := s.ListTenders(ctx, store.TenderFilter{NoLots: true}, now)
		if err != nil || len(full) != len(listed) || len(full) == 0 {
			t.Fatalf("listing %d, list %d: %v", len(listed), len(full), err)
		}
		var open tenders.Tender
		for i, tn := range listed {
			if tn.BidCount != 0 {
				t.Fatalf("tender %d: listing has a bid count", tn.ID)
			}
			if tn.Status == tenders.Published && !tn.Open(now) {
				tn.Status = tenders.Closed
			}
			tn.BidCount = full[i].BidCount
			if fmt.Sprint(tn) != fmt.Sprint(full[i]) {
				t.Fatalf("listing %+v\nlist    %+v", tn, full[i])
			}
			if tn.Status == tenders.Published && !tn.HasLots() && open.ID == 0 {
				open = tn
			}
		}
		if open.ID == 0 {
			t.Fatal("no open demo tender")
		}

		list, tree := gen(store.RefTenderList), gen(store.RefFrameworkTree)
		model, err := s.Tender(ctx, open.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		model.ID, model.Title, model.Deadline = 0, "Generation probe", now.Add(240*time.Hour)
		id, err := s.CreateTender(ctx, sys, model, sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MoveTender(ctx, sys, id, tenders.Published, now); err != nil {
			t.Fatal(err)
		}
		if g := gen(store.RefTenderList); g <= list {
			t.Fatalf("tender list generation %d after publishing, was %d", g, list)
		}
		if g := gen(store.RefFrameworkTree); g != tree {
			t.Fatalf("framework tree generation moved %d -> %d on a tender", tree, g)
		}

		supplier, err := s.CreateOrganisation(ctx, sys, orgs.Organisation{Kind: orgs.Business, LegalName: "Generation Probe Ltd"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		list = gen(store.RefTenderList) // creating the organisation raises it
		dash := gen(store.RefContractDashboard)
		wrapped, err := s.TenderKey(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c := tenders.BidContent{PricePence: 90_000_00}.Canonical()
		if _, err := s.SubmitBid(ctx, sys, id, supplier.ID, tenders.Digest(c), func(v int) ([]byte, error) { return sealer.SealBid(id, wrapped, supplier.ID, v, c) }, nil, now); err != nil {
			t.Fatal(err)
		}
		if g := gen(store.RefTenderList); g != list {
			t.Fatalf("a bid moved the tender list generation %d -> %d", list, g)
		}
		if g := gen(store.RefContractDashboard); g != dash {
			t.Fatalf("a bid moved the contract dashboard generation %d -> %d", dash, g)
		}
		cs, err := s.ListContracts(ctx, store.ContractFilter{})
		if err != nil || len(cs) == 0 {
			t.Fatalf("demo contracts: %d, %v", len(cs), err)
		}
		var line contracts.Line
		for _, c := range cs {
			lines, err := s.DeliveryLines(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				if l.Status == contracts.Submitted && line.ID == 0 {
					line = l
				}
			}
		}
		if line.ID == 0 {
			t.Fatal("no demo delivery line awaits verification")
		}
		if err := s.DecideLine(ctx, sys, line.ID, contracts.Verified, "", now); err != nil {
			t.Fatal(err)
		}
		if g := gen(store.RefContractDashboard); g <= dash {
			t.Fatalf("contract dashboard generation %d after verifying a line, was %d", g, dash)
		}

		fws, err := s.ListFrameworks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		draft, err := s.NewDraftEdition(ctx, sys, fws[0].ID, "generation probe")
		if err != nil {
			t.Fatal(err)
		}
		tree = gen(store.RefFrameworkTree)
		f, err := s.Framework(ctx, draft)
		if err != nil {
			t.Fatal(err)
		}
		m := f.Priorities[0].Outcomes[0].Measures[0]
		m.Wording = "Generation probe"
		if err := s.UpdateMeasure(ctx, sys, draft, m); err != nil {
			t.Fatal(err)
		}
		if g := gen(store.RefFrameworkTree); g <= tree {
			t.Fatalf("framework tree generation %d after editing a measure, was %d", g, tree)
		}
	})
}
