package ocds

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/tenders"
)

// TestLots: a tender with two lots is one contracting process whose tender
// stage lists both lots (Lots extension, declared); lot 1's award names its
// lot and has its own contract release; lot 2, still being evaluated, has
// none; the lots are not processes of their own.
func TestLots(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	closed := now.AddDate(0, -1, 0)
	pub := closed.AddDate(0, -1, 0)
	in := Input{Prefix: "ocds-x", BaseURL: "https://hub.example", Publisher: "Hub", Now: now,
		Tenders: []tenders.Tender{
			{ID: 10, BuyerOrgID: 1, Status: tenders.Closed, Title: "Parks", CPV: "77310000-6", ValuePence: 250_000_00, Lots: 2, Deadline: closed, PublishedAt: &pub, Procedure: tenders.ProcOpen, ContractType: "services"},
			{ID: 11, ParentID: 10, LotNumber: 1, BuyerOrgID: 1, Status: tenders.Awarded, Title: "North", ValuePence: 120_000_00, WPrice: 40, WQuality: 40, WSV: 20, Deadline: closed, BidCount: 2},
			{ID: 12, ParentID: 10, LotNumber: 2, BuyerOrgID: 1, Status: tenders.Closed, Title: "South", ValuePence: 130_000_00, WPrice: 30, WQuality: 50, WSV: 20, Deadline: closed, BidCount: 1},
		},
		Awards:    map[int64]AwardInfo{11: {SupplierID: 2, ValuePence: 100_000_00, DecidedAt: now.AddDate(0, 0, -10)}},
		Contracts: map[int64]contracts.Contract{11: {ID: 7, TenderID: 11, SupplierID: 2, Title: "North", ValuePence: 100_000_00, Start: "2026-12-01", End: "2027-11-30", CreatedAt: now.AddDate(0, 0, -10)}},
		Orgs:      map[int64]orgs.Organisation{1: {ID: 1, LegalName: "Council"}, 2: {ID: 2, LegalName: "Supplier Ltd"}, 3: {ID: 3, LegalName: "Runner-up CIC"}},
		Tenderers: map[int64][]int64{11: {2, 3}},
	}
	pkg, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(pkg.Extensions, LotsExtension) {
		t.Fatalf("extensions %v", pkg.Extensions)
	}
	var ids []string
	byID := map[string]Release{}
	for _, r := range pkg.Releases {
		ids = append(ids, r.ID)
		byID[r.ID] = r
		if r.OCID != "ocds-x-10" {
			t.Errorf("release %s has ocid %s: a lot is not a process of its own", r.ID, r.OCID)
		}
	}
	slices.Sort(ids)
	if want := []string{"ocds-x-10-award-lot-1", "ocds-x-10-contract-lot-1", "ocds-x-10-tender"}; !slices.Equal(ids, want) {
		t.Fatalf("releases %v, want %v", ids, want)
	}
	ten := byID["ocds-x-10-tender"].Tender
	if len(ten.Lots) != 2 || ten.Lots[0].ID != "lot-1" || ten.Lots[1].Title != "South" || ten.Lots[1].Value.Amount != 130_000_00 || ten.Lots[0].Status != "complete" || ten.Lots[1].Status != "active" {
		t.Fatalf("lots %+v", ten.Lots)
	}
	if len(ten.Items) != 2 || ten.Items[1].RelatedLot != "lot-2" || ten.Items[1].Classification.ID != "77310000-6" || !strings.Contains(ten.AwardCriteriaDetails, "Lot 2: price 30%") {
		t.Fatalf("items %+v, criteria %q", ten.Items, ten.AwardCriteriaDetails)
	}
	aw := byID["ocds-x-10-award-lot-1"]
	if len(aw.Awards) != 1 || !slices.Equal(aw.Awards[0].RelatedLots, []string{"lot-1"}) || aw.Awards[0].ID != "ocds-x-10-award-lot-1" || aw.Tender == nil || len(aw.Tender.Tenderers) != 2 {
		t.Fatalf("award release %+v", aw)
	}
	c := byID["ocds-x-10-contract-lot-1"]
	if len(c.Contracts) != 1 || c.Contracts[0].AwardID != "ocds-x-10-award-lot-1" {
		t.Fatalf("contract release %+v", c.Contracts)
	}
	b, _ := json.Marshal(pkg)
	if !strings.Contains(string(b), `"relatedLots":["lot-1"]`) || !strings.Contains(string(b), `"relatedLot":"lot-1"`) {
		t.Fatal("relatedLots missing from the JSON")
	}
}
