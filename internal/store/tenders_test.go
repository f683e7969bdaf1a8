package store_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

func TestTenderLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		eval1 := mkUser(t, s, "e1@example.org", false)
		eval2 := mkUser(t, s, "e2@example.org", false)
		key, _ := tenders.ParseKey(tenders.NewKey())
		sealer, _ := tenders.NewSealer(key)
		f := framework.GM2020()
		f.Status = framework.Published
		fid, err := s.CreateFramework(ctx, admin, f)
		if err != nil {
			t.Fatal(err)
		}
		full, _ := s.Framework(ctx, fid)
		var ms []tenders.Measure
		for _, p := range full.Priorities[:2] {
			ms = append(ms, tenders.Measure{ID: p.Outcomes[0].Measures[0].ID})
		}
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		firmA, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm A"}, 0)
		firmB, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm B"}, 0)

		now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		deadline := now.Add(48 * time.Hour)
		tn := tenders.Tender{BuyerOrgID: council.ID, Title: "Grounds maintenance", Description: "Parks", ValuePence: 1_000_000_00, Deadline: deadline,
			WPrice: 40, WQuality: 40, WSV: 20, SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: fid, Gates: []string{tenders.GateRLW},
			Criteria: []tenders.Criterion{{Title: "Delivery", Weight: 25, Descriptors: tenders.DefaultDescriptors}, {Title: "Staffing", Weight: 15, Descriptors: tenders.DefaultDescriptors}},
			Measures: ms}
		id, err := s.CreateTender(ctx, admin, tn, sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Tender(ctx, id, now)
		if err != nil || len(got.Criteria) != 2 || len(got.Measures) != 2 || got.Status != tenders.Draft || got.Measures[0].PriorityCode == "" {
			t.Fatalf("tender: %v %+v", err, got)
		}
		if err := s.MoveTender(ctx, admin, id, tenders.Published, now); err != nil {
			t.Fatal(err)
		}
		wrapped, _ := s.TenderKey(ctx, id)
		submit := func(org int64, b tenders.BidContent, at time.Time) (int, error) {
			c := b.Canonical()
			return s.SubmitBid(ctx, admin, id, org, tenders.Digest(c), func(v int) ([]byte, error) { return sealer.SealBid(id, wrapped, org, v, c) }, nil, at)
		}
		bid := func(price int64, q0, q1 string, rlw bool) tenders.BidContent {
			return tenders.BidContent{PricePence: price, Answers: map[string]string{"Q1": "a", "Q2": "b"}, SVAnswer: "sv",
				Commitments: map[string]tenders.Commitment{got.Measures[0].Code: {Quantity: q0, Plan: "p"}, got.Measures[1].Code: {Quantity: q1, Plan: "p"}},
				Gates:       map[string]tenders.Declaration{tenders.GateRLW: {Meets: rlw}}}
		}
		if v, err := submit(firmA.ID, bid(90_000_000, "1", "1", true), now.Add(time.Hour)); err != nil || v != 1 {
			t.Fatalf("bid A: %d %v", v, err)
		}
		if v, err := submit(firmA.ID, bid(90_000_000, "5", "104", true), now.Add(2*time.Hour)); err != nil || v != 2 {
			t.Fatalf("bid A resubmitted: %d %v", v, err)
		}
		if _, err := submit(firmB.ID, bid(100_000_000, "8", "52", true), now.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		// Before the deadline the store refuses to list anyone's bids.
		if _, err := s.FinalBids(ctx, id, deadline.Add(-time.Second)); !errors.Is(err, tenders.ErrSealed) {
			t.Fatalf("final bids before deadline: %v", err)
		}
		// Late submissions are refused by the server's clock.
		if _, err := submit(firmB.ID, bid(1, "1", "1", true), deadline); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("late bid: %v", err)
		}
		// The bid body in the table is ciphertext.
		own, _ := s.OrgBids(ctx, id, firmA.ID)
		if len(own) != 2 || bytes.Contains(own[0].Sealed, []byte("104")) {
			t.Fatalf("own bids: %d", len(own))
		}
		after := deadline.Add(time.Minute)
		finals, err := s.FinalBids(ctx, id, after)
		if err != nil || len(finals) != 2 || finals[0].Version != 2 {
			t.Fatalf("finals: %v %+v", err, finals)
		}
		if err := s.AssignEvaluators(ctx, admin, id, []int64{eval1.ID(), eval2.ID()}, after); err != nil {
			t.Fatal(err)
		}
		if err := s.Moderate(ctx, admin, id, nil, after); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("moderating before marks: %v", err)
		}
		marks := func(a, b int) []store.Mark {
			var out []store.Mark
			for _, org := range []int64{firmA.ID, firmB.ID} {
				for _, c := range []string{"Q1", "Q2", tenders.QualKey} {
					out = append(out, store.Mark{OrgID: org, Criterion: c, Mark: a, Reason: "because"})
				}
				a = b
			}
			return out
		}
		if err := s.SubmitMarks(ctx, eval1, id, marks(3, 4), after); err != nil {
			t.Fatal(err)
		}
		if err := s.SubmitMarks(ctx, eval1, id, marks(3, 4), after); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("second submission: %v", err)
		}
		if err := s.SubmitMarks(ctx, admin, id, marks(3, 4), after); !errors.Is(err, problem.ErrForbidden) {
			t.Fatalf("non-evaluator: %v", err)
		}
		if err := s.SubmitMarks(ctx, eval2, id, marks(4, 4), after); err != nil {
			t.Fatal(err)
		}
		all, _ := s.Marks(ctx, id)
		if len(all) != 12 {
			t.Fatalf("marks: %d", len(all))
		}
		cons := []store.Consensus{}
		for _, org := range []int64{firmA.ID, firmB.ID} {
			for _, c := range []string{"Q1", "Q2", tenders.QualKey} {
				cons = append(cons, store.Consensus{OrgID: org, Criterion: c, Mark: "7/2", Rationale: "mean"})
			}
		}
		if err := s.Moderate(ctx, admin, id, cons, after); err != nil {
			t.Fatal(err)
		}
		if err := s.SubmitMarks(ctx, eval2, id, marks(1, 1), after); !errors.Is(err, store.ErrModerated) {
			t.Fatalf("marking after moderation: %v", err)
		}
		got, _ = s.Tender(ctx, id, after)
		if got.Status != tenders.Evaluated {
			t.Fatalf("status %s", got.Status)
		}
		cid, err := s.AwardTender(ctx, admin, store.Award{TenderID: id, SupplierID: firmB.ID, ValuePence: 100_000_000, Evaluation: "{}", Rationale: "best", StandstillEnd: "2026-06-14"},
			contracts.Contract{BuyerOrgID: council.ID, Title: got.Title, Start: "2026-07-01", End: "2027-06-30"},
			[]contracts.Commitment{{MeasureID: got.Measures[0].ID, QuantityMilli: 8000, Due: "2027-06-30", AreaCode: "E08000009"}}, after)
		if err != nil {
			t.Fatal(err)
		}
		cms, _ := s.Commitments(ctx, cid)
		if len(cms) != 1 || cms[0].AreaName != "Trafford" && cms[0].AreaName != "" {
			t.Fatalf("commitments: %+v", cms)
		}
		rid, err := s.SubmitReport(ctx, admin, contracts.Report{ContractID: cid, PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", Lines: []contracts.Line{
			{CommitmentID: cms[0].ID, QuantityMilli: 3000, Evidence: "payroll", Attributable: true, Additional: true},
			{CommitmentID: cms[0].ID, QuantityMilli: 5000, Evidence: "claims", Attributable: true, Additional: true},
		}}, after)
		if err != nil || rid == 0 {
			t.Fatal(err)
		}
		lines, _ := s.DeliveryLines(ctx, cid)
		if err := s.DecideLine(ctx, admin, lines[0].ID, contracts.Verified, "", after); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideLine(ctx, admin, lines[1].ID, contracts.Rejected, "", after); err == nil {
			t.Fatal("rejection without a reason accepted")
		}
		if err := s.DecideLine(ctx, admin, lines[1].ID, contracts.Rejected, "no evidence", after); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideLine(ctx, admin, lines[0].ID, contracts.Rejected, "changed mind", after); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("re-deciding: %v", err)
		}
		if err := s.RaiseConcern(ctx, eval1, lines[0].ID, "I know this did not happen", after); err != nil {
			t.Fatal(err)
		}
		lines, _ = s.DeliveryLines(ctx, cid)
		if len(lines[0].Concerns)+len(lines[1].Concerns) != 1 {
			t.Fatalf("concerns: %+v", lines)
		}
		cms, _ = s.Commitments(ctx, cid)
		if cms[0].VerifiedMilli != 3000 || cms[0].ClaimedMilli != 0 {
			t.Fatalf("verified %d claimed %d", cms[0].VerifiedMilli, cms[0].ClaimedMilli)
		}
		d, err := s.Dashboard(ctx, store.DashFilter{})
		if err != nil || d.Contracts != 1 || len(d.ByPriority) != 1 || d.ByPriority[0].VerifiedMilli != 3000 || d.ByPriority[0].CompletionSum != 375 || len(d.ByDistrict) != 1 {
			t.Fatalf("dashboard: %v %+v", err, d)
		}
	})
}
