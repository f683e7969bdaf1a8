package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/demo"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// seedDemo loads the shipped geography and the demonstration data set.
func seedDemo(t *testing.T, s *store.Store) {
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
