package ocds

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/contracts"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/tenders"
)

// TestNoticesInReleases: each Procurement Act notice is a document of its
// stage with the core documentType, its UK number in the title and a link;
// the contract release adds the tags of later notices, the change notice is
// an amendment, and the contract is terminated with its signing date.
func TestNoticesInReleases(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	entered, ended := now.AddDate(0, -6, 0), now.AddDate(0, 0, -1)
	c := contracts.Contract{ID: 7, TenderID: 3, SupplierID: 2, Title: "Roads", ValuePence: 6_500_000_00, Start: "2026-06-01", End: "2028-05-31", CreatedAt: now.AddDate(0, -7, 0),
		StandstillEnd: "2026-05-20", EnteredAt: &entered, TerminatedAt: &ended}
	at := func(days int) time.Time { return now.AddDate(0, 0, days) }
	ns := []tenders.Notice{
		{ID: 1, Kind: tenders.NoticeTender, TenderID: 3, Title: "Roads", PublishedAt: at(-300)},
		{ID: 2, Kind: tenders.NoticeAward, TenderID: 3, ContractID: 7, Title: "Roads", PublishedAt: at(-210)},
		{ID: 3, Kind: tenders.NoticeDetails, TenderID: 3, ContractID: 7, Title: "Roads", PublishedAt: at(-180)},
		{ID: 4, Kind: tenders.NoticePerformance, TenderID: 3, ContractID: 7, Title: "Roads", PublishedAt: at(-30)},
		{ID: 5, Kind: tenders.NoticeChange, TenderID: 3, ContractID: 7, Title: "Roads", Facts: []tenders.Fact{{Label: "Change", Value: "Two more wards"}}, PublishedAt: at(-20)},
		{ID: 6, Kind: tenders.NoticeTermination, TenderID: 3, ContractID: 7, Title: "Roads", PublishedAt: at(-1)},
	}
	in := Input{Prefix: "ocds-x", BaseURL: "https://hub.example", Publisher: "Hub", Now: now, Notices: ns,
		Tenders: []tenders.Tender{{ID: 3, BuyerOrgID: 1, Status: tenders.Awarded, Title: "Roads", CreatedAt: at(-301), Deadline: at(-270),
			Procedure: tenders.ProcFlexible, ContractType: tenders.ContractWorks}},
		Awards:    map[int64]AwardInfo{3: {SupplierID: 2, ValuePence: 6_000_000_00, DecidedAt: at(-210)}},
		Contracts: map[int64]contracts.Contract{3: c},
		Orgs:      map[int64]orgs.Organisation{1: {ID: 1, LegalName: "Council"}, 2: {ID: 2, LegalName: "Supplier Ltd"}},
	}
	pkg, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Release{}
	for _, r := range pkg.Releases {
		byID[r.ID] = r
	}
	ten := byID["ocds-x-3-tender"].Tender
	if ten.ProcurementMethod != "selective" || ten.MainProcurementCategory != "works" || len(ten.Documents) != 1 || ten.Documents[0].DocumentType != "tenderNotice" ||
		ten.Documents[0].Title != "UK4: Tender notice" || ten.Documents[0].URL != "https://hub.example/notices/1" {
		t.Fatalf("tender = %+v", ten)
	}
	aw := byID["ocds-x-3-award"].Awards[0]
	if len(aw.Documents) != 1 || aw.Documents[0].DocumentType != "awardNotice" {
		t.Fatalf("award documents = %+v", aw.Documents)
	}
	rel := byID["ocds-x-3-contract"]
	if strings.Join(rel.Tag, " ") != "contract implementation contractAmendment contractTermination" || rel.Date != stamp(at(-1)) {
		t.Fatalf("contract release tags %v, date %s", rel.Tag, rel.Date)
	}
	oc := rel.Contracts[0]
	if oc.Status != "terminated" || oc.DateSigned != stamp(entered) || len(oc.Documents) != 4 || len(oc.Amendments) != 1 || oc.Amendments[0].Description != "Two more wards" {
		t.Fatalf("contract = %+v", oc)
	}
	b, _ := json.Marshal(pkg)
	if strings.Contains(string(b), `"documents":null`) {
		t.Fatal("null documents in the package")
	}
	// Before entering into the contract it is pending, without dateSigned.
	c.EnteredAt, c.TerminatedAt = nil, nil
	in.Contracts[3], in.Notices = c, ns[:2]
	pkg, _ = Build(in)
	for _, r := range pkg.Releases {
		if r.ID == "ocds-x-3-contract" && (r.Contracts[0].Status != "pending" || r.Contracts[0].DateSigned != "" || strings.Join(r.Tag, " ") != "contract") {
			t.Fatalf("pending contract = %+v %v", r.Contracts[0], r.Tag)
		}
	}
}
