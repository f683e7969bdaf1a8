package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/framework"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
	"github.com/svhub/svhub/internal/tenders"
)

func TestTenderLots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		key, _ := tenders.ParseKey(tenders.NewKey())
		sealer, _ := tenders.NewSealer(key)
		f := framework.GM2020()
		f.Status = framework.Published
		fid, err := s.CreateFramework(ctx, admin, f)
		if err != nil {
			t.Fatal(err)
		}
		full, _ := s.Framework(ctx, fid)
		ms := []tenders.Measure{{ID: full.Priorities[0].Outcomes[0].Measures[0].ID}}
		council, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		firm, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0)
		now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		deadline := now.Add(40 * 24 * time.Hour)
		model := func(title string, pence int64) tenders.Tender {
			return tenders.Tender{BuyerOrgID: council.ID, Title: title, Description: "Parks", ValuePence: pence, Deadline: deadline,
				WPrice: 40, WQuality: 40, WSV: 20, SVMinimum: 10, AlphaPercent: 50, Method: tenders.MethodRelative, FrameworkID: fid,
				Criteria: []tenders.Criterion{{Title: "Delivery", Weight: 40, Descriptors: tenders.DefaultDescriptors}}, Measures: ms,
				Procedure: tenders.ProcOpen, ContractType: "services"}
		}
		cid, err := s.CreateTender(ctx, admin, model("Grounds maintenance", 1), sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateTender(ctx, admin, model("Other", 1), sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		// A lot takes the container's deadline and procedure, whatever was
		// entered for it, and the next number.
		l1 := model("North", 120_000_00)
		l1.Deadline, l1.ContractType = now.Add(time.Hour), "works"
		lot1, err := s.CreateLot(ctx, admin, cid, l1, sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		// One lot cannot be published.
		if err := s.MoveTender(ctx, admin, cid, tenders.Published, now); err == nil {
			t.Fatal("a container with one lot was published")
		} else if v := new(problem.Invalid); !errors.As(err, &v) || !v.Has("lots") {
			t.Fatalf("one lot: %v", err)
		}
		lot2, err := s.CreateLot(ctx, admin, cid, model("South", 130_000_00), sealer.NewTenderKey, now)
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Tender(ctx, cid, now)
		if err != nil || c.Lots != 2 || c.ValuePence != 250_000_00 || c.ProcurementPence != 250_000_00 || c.IsLot() || !c.AboveThreshold() {
			t.Fatalf("container: %v %+v", err, c)
		}
		got, err := s.Tender(ctx, lot1, now)
		if err != nil || got.ParentID != cid || got.LotNumber != 1 || !got.Deadline.Equal(deadline) || got.ContractType != "services" || got.ValuePence != 120_000_00 ||
			got.ProcurementPence != 250_000_00 || !got.AboveThreshold() || len(got.Criteria) != 1 || len(got.Measures) != 1 {
			t.Fatalf("lot 1: %v %+v", err, got)
		}
		// Editing a lot keeps its container's facts and updates its value.
		got.Title, got.ValuePence, got.Deadline = "North and east", 150_000_00, now
		if err := s.UpdateTender(ctx, admin, got); err != nil {
			t.Fatal(err)
		}
		ls, err := s.Lots(ctx, cid, now)
		if err != nil || len(ls) != 2 || ls[0].ID != lot1 || ls[1].ID != lot2 || ls[0].Title != "North and east" || !ls[0].Deadline.Equal(deadline) || ls[1].LotNumber != 2 {
			t.Fatalf("lots: %v %+v", err, ls)
		}
		if c, _ = s.Tender(ctx, cid, now); c.ValuePence != 280_000_00 {
			t.Fatalf("container value %d", c.ValuePence)
		}
		// Moving the container's deadline moves its lots'.
		later := deadline.Add(24 * time.Hour)
		c.Deadline = later
		if err := s.UpdateTender(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
		if ls, _ = s.Lots(ctx, cid, now); !ls[1].Deadline.Equal(later) {
			t.Fatalf("lot deadline %v", ls[1].Deadline)
		}
		// A lot of a lot, a lot published alone: refused.
		if _, err := s.CreateLot(ctx, admin, lot1, model("X", 1), sealer.NewTenderKey, now); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("lot of a lot: %v", err)
		}
		if err := s.MoveTender(ctx, admin, lot1, tenders.Published, now); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("lot published alone: %v", err)
		}
		// Publishing the container publishes its lots; lots cannot be added after.
		if err := s.MoveTender(ctx, admin, cid, tenders.Published, now); err != nil {
			t.Fatal(err)
		}
		if ls, _ = s.Lots(ctx, cid, now); ls[0].Status != tenders.Published || ls[1].Status != tenders.Published || ls[0].PublishedAt == nil {
			t.Fatalf("lots after publishing: %+v", ls)
		}
		if _, err := s.CreateLot(ctx, admin, cid, model("Late", 1), sealer.NewTenderKey, now); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("lot added after publishing: %v", err)
		}
		// Bids go to a lot; the container takes none.
		submit := func(id int64) error {
			wrapped, _ := s.TenderKey(ctx, id)
			b := tenders.BidContent{PricePence: 100_00}
			cn := b.Canonical()
			_, err := s.SubmitBid(ctx, admin, id, firm.ID, tenders.Digest(cn), func(v int) ([]byte, error) { return sealer.SealBid(id, wrapped, firm.ID, v, cn) }, nil, now.Add(time.Hour))
			return err
		}
		if err := submit(cid); !errors.Is(err, tenders.ErrContainer) {
			t.Fatalf("bid on the container: %v", err)
		}
		if err := submit(lot2); err != nil {
			t.Fatal(err)
		}
		if ls, _ = s.Lots(ctx, cid, now); ls[1].BidCount != 1 || ls[0].BidCount != 0 {
			t.Fatalf("bid counts %d %d", ls[0].BidCount, ls[1].BidCount)
		}
		// A tender without lots is untouched by all this.
		o, err := s.Tender(ctx, other, now)
		if err != nil || o.Lots != 0 || o.ParentID != 0 || o.ProcurementPence != 0 || o.ValuePence != 1 {
			t.Fatalf("other: %v %+v", err, o)
		}
		// Cancelling the container cancels its lots.
		if err := s.MoveTender(ctx, admin, cid, tenders.Cancelled, now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if ls, _ = s.Lots(ctx, cid, now); ls[0].Status != tenders.Cancelled || ls[1].Status != tenders.Cancelled {
			t.Fatalf("lots after cancelling: %+v", ls)
		}
	})
}
