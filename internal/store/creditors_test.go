package store_test

import (
	"archive/zip"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// traffordYear reads the shipped cut of Trafford's 2024-25 spend.
func traffordYear(t *testing.T) *spend.Result {
	t.Helper()
	zr, err := zip.OpenReader("../spend/testdata/councils/trafford/trafford-supplier-spend-2024-25.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return readSpend(t, zr.File[0].Name, string(raw))
}

// traffordReport builds the Trafford buyer's report as the pages do.
func traffordReport(t *testing.T, s *store.Store, buyer int64) spend.Report {
	t.Helper()
	rows, err := s.SpendBySupplier(ctx, store.SpendFilter{BuyerIDs: []int64{buyer}, From: "1990-01-01", To: "2100-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	cands, err := s.SupplierCandidatesFor(ctx, rows)
	if err != nil {
		t.Fatal(err)
	}
	gm := map[string]bool{}
	for _, d := range []string{"E08000001", "E08000002", "E08000003", "E08000004", "E08000005", "E08000006", "E08000007", "E08000008", "E08000009", "E08000010"} {
		gm[d] = true
	}
	return spend.BuildReport(rows, cands, "E08000009", gm, 300)
}

// The acceptance test of the creditor file: before it, Trafford's year is
// almost all unplaced and its shares provisional; with it, at least 95%
// of the spend to named payees is placed and the shares are findings. The
// contradiction in the file (one supplier id, two postcodes) is reported
// and that supplier left unplaced. Importing the same file again changes
// nothing; both engines.
func TestCreditorFilePlacesTraffordYear(t *testing.T) {
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.Open("../spend/testdata/creditors/trafford-creditors-2024-25.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	cf, err := spend.ReadCreditors(raw, "trafford-creditors-2024-25.csv", spend.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Trafford Council"}, 0)
		if _, err := s.ImportSpend(ctx, admin, buyer.ID, traffordYear(t), "t"); err != nil {
			t.Fatal(err)
		}
		before := traffordReport(t, s, buyer.ID)
		if !before.Provisional || before.PlacedShare > 0.05 || !strings.HasPrefix(before.LocationNote, "provisional — only ") {
			t.Fatalf("without a creditor file: placed %.3f provisional %v %q", before.PlacedShare, before.Provisional, before.LocationNote)
		}
		res, err := s.ImportCreditors(ctx, admin, buyer.ID, "trafford-creditors-2024-25.csv", "sha-1", cf)
		if err != nil {
			t.Fatal(err)
		}
		if res.Entries != 98 || len(res.Conflicts) != 1 || !strings.Contains(res.Conflicts[0], "supplier id 134848") || res.ByID < 90 {
			t.Fatalf("import: %+v", res)
		}
		after := traffordReport(t, s, buyer.ID)
		if after.PlacedShare < 0.95 || after.Provisional || after.LocationNote != "" || after.Known.TopPlacedShare < 0.95 {
			t.Fatalf("with the creditor file: %+v", after.Known)
		}
		if after.Known.SizeShare <= 0 || after.Known.VCSEShare <= 0.5 {
			t.Fatalf("classified shares: %+v", after.Known)
		}
		var byID, district, outside bool
		for _, sp := range after.Top {
			switch {
			case strings.HasPrefix(sp.Name, "Security Plus") && sp.Location != spend.Unknown:
				t.Fatalf("a contradicted postcode was guessed: %+v", sp)
			case strings.HasPrefix(sp.Name, "JEMCARE") || strings.HasPrefix(sp.Name, "Jemcare"):
				byID = sp.MatchedBy == "supplier id (buyer's creditor file)"
			}
			district = district || sp.Location == spend.InDistrict
			outside = outside || sp.Location == spend.OutsideGM
		}
		if !byID || !district || !outside {
			t.Fatalf("matching: by id %v, in district %v, outside %v", byID, district, outside)
		}
		again, err := s.ImportCreditors(ctx, admin, buyer.ID, "trafford-creditors-2024-25.csv", "sha-1", cf)
		if err != nil || !again.Unchanged {
			t.Fatalf("re-import: %+v %v", again, err)
		}
		f, ok, err := s.LatestCreditorFile(ctx, buyer.ID)
		if err != nil || !ok || f.Entries != 98 || len(f.Conflicts) != 1 {
			t.Fatalf("file in force: %+v %v %v", f, ok, err)
		}
	})
}
