package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// The command line hashes a file while it is imported: the run records
// the hash given at the end, and a failure to hash rolls the whole import
// back.
func TestSpendImportHashGivenAtTheEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		file := "Date,Supplier,Amount\n01/05/2026,A,100.00\n02/05/2026,B,50.25\n"
		stream := func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error) {
			return spend.Stream(strings.NewReader(file), "may.csv", nil, each)
		}
		read := false
		boom := errors.New("read error while hashing")
		_, err := s.ImportSpendStreamSum(ctx, admin, buyer.ID, "may.csv", func() (string, error) {
			read = true
			return "", boom
		}, stream)
		if !errors.Is(err, boom) || !read {
			t.Fatalf("import with a failed hash: %v (hash asked for: %v)", err, read)
		}
		if n, net, err := s.SpendTotals(ctx, buyer.ID); err != nil || n != 0 || net != 0 {
			t.Fatalf("after the failed hash: %d payments, %d pence, %v; want nothing stored", n, net, err)
		}
		run, err := s.ImportSpendStreamSum(ctx, admin, buyer.ID, "may.csv", func() (string, error) { return "c0ffee", nil }, stream)
		if err != nil || run.SHA256 != "c0ffee" || run.RowsImported != 2 || run.TotalNetPence != 15025 {
			t.Fatalf("import: %+v %v", run, err)
		}
		stored, _, err := s.SpendRunByID(ctx, run.ID)
		if err != nil || stored.SHA256 != "c0ffee" || stored.RowsImported != 2 {
			t.Fatalf("stored run: %+v %v", stored, err)
		}
	})
}

// Each flush of rollups sends only the filter choices the import has not
// sent yet; when its memory of them is full (twice the groups of a flush:
// 2,000 here, for 6,000 choices), the rest are sent again and the table
// still holds each once.
func TestSpendChoicesAcrossFlushesWithFullMemory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		store.SmallSpendLoadForTest(s) // rollups flushed every 1,000 groups
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Council"}, 0)
		file, svc, typ := spendChoicesFile(6000, 3000, 3500, "")
		if len(svc)+len(typ) < 5000 {
			t.Fatalf("only %d choices in the file", len(svc)+len(typ))
		}
		if run, err := s.ImportSpend(ctx, admin, buyer.ID, readSpend(t, "big.csv", file), "a"); err != nil || run.RowsImported != 6000 {
			t.Fatalf("import: %+v %v", run, err)
		}
		gotS, gotT, err := s.SpendCategories(ctx, buyer.ID)
		if err != nil || !slices.Equal(gotS, svc) || !slices.Equal(gotT, typ) {
			t.Fatalf("choices: %d services (want %d), %d categories (want %d), %v", len(gotS), len(svc), len(gotT), len(typ), err)
		}
	})
}
