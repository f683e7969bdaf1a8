package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

// TestTenderPageGeneration: on both engines, every table behind the tender
// page's generation has its insert, update and delete triggers; asking and
// answering a question and adding a document raise the page's generation in
// their transactions, a bid raises none of the generations the page is kept
// under (nothing about bids is kept), and the page's reads — a tender and its
// lots as stored, and the bid counts read per request — say what Tender and
// Lots say, for every demo tender.
func TestTenderPageGeneration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sealer := seedDemo(t, s)
		sys := auth.Actor{User: &auth.User{Email: "test", IsAdmin: true}}

		requireTriggers(t, s, "tender_page_generation", "the tender page's generation", store.TenderPageTables()...)

		now := time.Now()
		all, err := s.ListTenders(ctx, store.TenderFilter{}, now)
		if err != nil || len(all) == 0 {
			t.Fatalf("demo tenders: %d, %v", len(all), err)
		}
		lotsSeen := 0
		for _, listed := range all {
			want, err := s.Tender(ctx, listed.ID, now)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.TenderAsStored(ctx, listed.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.BidCount != 0 {
				t.Fatalf("tender %d: kept tender has a bid count", got.ID)
			}
			if want.Status == tenders.Closed && got.Status == tenders.Published && !now.Before(got.Deadline) {
				got.Status = tenders.Closed
			}
			counts, err := s.TenderBidCounts(ctx, listed.ID)
			if err != nil {
				t.Fatal(err)
			}
			got.BidCount = counts[got.ID]
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("tender %d:\nas stored %+v\nTender    %+v", listed.ID, got, want)
			}
			if !want.HasLots() {
				continue
			}
			wantLots, err := s.Lots(ctx, want.ID, now)
			if err != nil {
				t.Fatal(err)
			}
			gotLots, err := s.LotsAsStored(ctx, want.ID)
			if err != nil || len(gotLots) != len(wantLots) {
				t.Fatalf("tender %d: %d lots as stored, %d lots: %v", want.ID, len(gotLots), len(wantLots), err)
			}
			for i, l := range gotLots {
				if l.Status == tenders.Published && !now.Before(l.Deadline) {
					l.Status = tenders.Closed
				}
				if l.BidCount != 0 {
					t.Fatalf("lot %d: kept lot has a bid count", l.ID)
				}
				l.BidCount = counts[l.ID]
				if fmt.Sprint(l) != fmt.Sprint(wantLots[i]) {
					t.Fatalf("lot %d:\nas stored %+v\nLots      %+v", l.ID, l, wantLots[i])
				}
				lotsSeen++
			}
		}
		if lotsSeen == 0 {
			t.Fatal("no demo tender has lots")
		}
		if _, err := s.TenderAsStored(ctx, 1_000_000); err == nil {
			t.Fatal("an unknown tender was found")
		}

		// A tender open for bids, without lots.
		var open tenders.Tender
		for _, tn := range all {
			if tn.Open(now) && !tn.HasLots() && !tn.IsLot() {
				open = tn
				break
			}
		}
		if open.ID == 0 {
			t.Fatal("no open demo tender")
		}
		supplier, err := s.CreateOrganisation(ctx, sys, orgs.Organisation{Kind: orgs.Business, LegalName: "Tender Page Probe Ltd"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		gen := func() int64 {
			t.Helper()
			g, err := s.TenderPageGeneration(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		page := gen()
		wrapped, err := s.TenderKey(ctx, open.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := tenders.BidContent{PricePence: 90_000_00}.Canonical()
		if _, err := s.SubmitBid(ctx, sys, open.ID, supplier.ID, tenders.Digest(c), func(v int) ([]byte, error) { return sealer.SealBid(open.ID, wrapped, supplier.ID, v, c) }, nil, now); err != nil {
			t.Fatal(err)
		}
		if g := gen(); g != page {
			t.Fatalf("a bid moved the tender page's generations %d -> %d", page, g)
		}
		if n, err := s.TenderBidCounts(ctx, open.ID); err != nil || n[open.ID] != open.BidCount+1 {
			t.Fatalf("bid count after a bid: %v, %v; was %d", n, err, open.BidCount)
		}
		steps := []struct {
			name  string
			write func() error
		}{
			{"a question", func() error {
				return s.AskQuestion(ctx, sys, store.Question{TenderID: open.ID, AskerOrgID: supplier.ID, Question: "Generation probe?"}, now)
			}},
			{"an answer", func() error {
				qs, err := s.Questions(ctx, open.ID)
				if err != nil {
					return err
				}
				return s.AnswerQuestion(ctx, sys, open.ID, qs[len(qs)-1].ID, "Yes.", now)
			}},
			{"a document", func() error {
				return s.AddTenderDocument(ctx, sys, store.TenderDocument{TenderID: open.ID, Name: "probe.txt", ContentType: "text/plain", Content: []byte("probe")}, now)
			}},
		}
		for _, st := range steps {
			before := gen()
			if err := st.write(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if g := gen(); g <= before {
				t.Fatalf("%s: the tender page's generation stayed at %d", st.name, g)
			}
		}
	})
}
