package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/hub"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

func TestHubBrokerageClosesTheLoop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		group, _ := s.CreateOrganisation(ctx, admin, orgsVCSE("Moss Side Group"), 0)
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0)
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		f := framework.GM2020()
		f.Status = framework.Published
		fid, _ := s.CreateFramework(ctx, admin, f)
		full, _ := s.Framework(ctx, fid)
		measure := full.Priorities[3].Outcomes[0].Measures[0].ID
		// A contract for the firm with a volunteering commitment, made directly.
		key, _ := tenders.ParseKey(tenders.NewKey())
		sealer, _ := tenders.NewSealer(key)
		tid, err := s.CreateTender(ctx, admin, tenders.Tender{BuyerOrgID: council.ID, Title: "Parks", Description: "d", ValuePence: 1, Deadline: now.Add(time.Hour), WPrice: 40, WQuality: 40, WSV: 20,
			SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: fid}, sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		_ = s.MoveTender(ctx, admin, tid, tenders.Published, now)
		_ = s.AssignEvaluators(ctx, admin, tid, []int64{admin.ID()}, now.Add(2*time.Hour))
		_ = s.SubmitMarks(ctx, admin, tid, nil, now.Add(2*time.Hour))
		if err := s.Moderate(ctx, admin, tid, nil, now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		cid, err := s.AwardTender(ctx, admin, store.Award{TenderID: tid, SupplierID: firm.ID, ValuePence: 1, Evaluation: "{}", Rationale: "r", StandstillEnd: "2026-06-10"},
			contracts.Contract{BuyerOrgID: council.ID, Title: "Parks", Start: "2026-07-01", End: "2027-06-30"}, []contracts.Commitment{{MeasureID: measure, QuantityMilli: 100_000, Due: "2027-06-30"}}, now)
		if err != nil {
			t.Fatal(err)
		}
		cms, _ := s.Commitments(ctx, cid)

		needID, err := s.CreateNeed(ctx, admin, hub.Need{OrgID: group.ID, Title: "Painters for the community centre", Kind: "volunteers", Priorities: []string{"P4"}, Size: 40, Contact: "call us", TopChallenge: true}, now)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			_, err := s.CreateNeed(ctx, admin, hub.Need{OrgID: group.ID, Title: "more", Kind: "goods", Priorities: []string{"P4"}, Size: 1, Contact: "x", TopChallenge: true}, now)
			if i < 2 && err != nil || i == 2 && err == nil {
				t.Fatalf("top challenge %d: %v", i, err)
			}
		}
		offerID, err := s.CreateOffer(ctx, admin, hub.Offer{OrgID: firm.ID, Title: "Staff volunteering", Kind: "volunteers", Capacity: 30, CommitmentID: cms[0].ID}, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateOffer(ctx, admin, hub.Offer{OrgID: group.ID, Title: "x", Kind: "volunteers", Capacity: 3, CommitmentID: cms[0].ID}, now); err == nil {
			t.Fatal("an offer linked to someone else's commitment")
		}
		// Not yet moderated: no match.
		if _, err := s.ProposeMatch(ctx, admin, needID, offerID, firm.ID, 10, 0.8, now); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("match on a pending need: %v", err)
		}
		if err := s.MoveNeed(ctx, admin, needID, hub.Open, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ProposeMatch(ctx, admin, needID, offerID, firm.ID, 35, 0.8, now); err == nil {
			t.Fatal("proposal above the offer's capacity")
		}
		mid, err := s.ProposeMatch(ctx, admin, needID, offerID, firm.ID, 25, 0.8, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DecideMatch(ctx, admin, mid, false, "", now); err == nil {
			t.Fatal("declined without a reason")
		}
		if err := s.DecideMatch(ctx, admin, mid, true, "", now); err != nil {
			t.Fatal(err)
		}
		n, _ := s.Need(ctx, needID)
		o, _ := s.Offer(ctx, offerID)
		if n.Remaining != 15 || o.Remaining != 5 || o.ContractID != cid {
			t.Fatalf("remaining: need %d, offer %d, contract %d", n.Remaining, o.Remaining, o.ContractID)
		}
		if err := s.AddMessage(ctx, admin, mid, group.ID, "Saturday at 10?", now); err != nil {
			t.Fatal(err)
		}
		if msgs, _ := s.Messages(ctx, mid); len(msgs) != 1 {
			t.Fatalf("messages: %d", len(msgs))
		}
		if _, err := s.ConfirmDelivery(ctx, admin, mid, "need", 30, "2026-07-04", now); err == nil {
			t.Fatal("confirmed more than agreed")
		}
		if ch, err := s.ConfirmDelivery(ctx, admin, mid, "offer", 24, "2026-07-04", now); err != nil || !ch {
			t.Fatal(err)
		}
		if lines, _ := s.DeliveryLines(ctx, cid); len(lines) != 0 {
			t.Fatal("a delivery line before both sides confirmed")
		}
		if _, err := s.ConfirmDelivery(ctx, admin, mid, "need", 22, "2026-07-04", now); err != nil {
			t.Fatal(err)
		}
		// Confirming again is idempotent: still one line, for the smaller quantity.
		if ch, err := s.ConfirmDelivery(ctx, admin, mid, "need", 22, "2026-07-04", now); err != nil || ch {
			t.Fatalf("repeat confirmation: %v %v", ch, err)
		}
		lines, _ := s.DeliveryLines(ctx, cid)
		if len(lines) != 1 || lines[0].QuantityMilli != 22_000 || lines[0].Status != contracts.Submitted {
			t.Fatalf("pre-filled line: %+v", lines)
		}
		if err := s.DecideLine(ctx, admin, lines[0].ID, contracts.Verified, "", now); err != nil {
			t.Fatal(err)
		}
		cms, _ = s.Commitments(ctx, cid)
		if cms[0].VerifiedMilli != 22_000 || cms[0].ClaimedMilli != 0 {
			t.Fatalf("commitment totals: %+v", cms[0])
		}
		m, _ := s.Match(ctx, mid)
		if m.Status != hub.Delivered || m.Confirmed() != 22 {
			t.Fatalf("match: %+v", m)
		}
		byP, byD, err := s.NeedsMet(ctx)
		if err != nil || len(byP) == 0 || len(byD) == 0 {
			t.Fatalf("needs met: %v", err)
		}
	})
}
