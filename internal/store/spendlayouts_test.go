package store_test

import (
	"errors"
	"testing"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

func importFixture(t *testing.T, s *store.Store, admin auth.Actor, buyerID int64, path string, overrides map[string]string) (store.SpendRun, error) {
	t.Helper()
	return s.ImportSpendStream(ctx, admin, buyerID, path, "sha-"+path, func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error) {
		return spend.StreamFile(path, overrides, "", each)
	})
}

// A run records the columns chosen (with scores and runners-up), the
// amounts rounded to the penny and the rows dated by a period, and reads
// them back; a file whose columns cannot be detected stores nothing.
func TestSpendRunNotesAndColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Anytown Council"}, 0)
		run, err := importFixture(t, s, admin, buyer.ID, "../spend/testdata/layouts/float-artefacts.csv", nil)
		if err != nil {
			t.Fatal(err)
		}
		if run.RowsImported != 6 || run.RowsRejected != 1 || run.TotalNetPence != 60748+43600+153100+55357-55357+100010 || run.RoundedAmounts != 5 {
			t.Fatalf("%+v", run)
		}
		got, _, err := s.SpendRunByID(ctx, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.RoundedAmounts != 5 || len(got.Notes) != 1 || got.Notes[0] != "5 amounts rounded to the penny (written with more than two decimal places)" {
			t.Fatalf("notes %+v", got)
		}
		amt := got.Columns["amount"]
		if amt.Header != "Amount" || amt.Column != 3 || amt.Score < 1 || amt.RunnerUp == nil || amt.Why == "" {
			t.Fatalf("columns %+v", got.Columns)
		}
		per, err := importFixture(t, s, admin, buyer.ID, "../spend/testdata/layouts/period-only.csv", nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _, _ = s.SpendRunByID(ctx, per.ID)
		if got.PeriodRows != 4 || got.Periods["2010-09"] != 2 || got.Periods["2010-07/2010-09"] != 2 || got.DateTo != "2010-09-30" || len(got.Notes) != 1 {
			t.Fatalf("periods %+v", got)
		}
		// Nothing stored for a file that is not payments.
		n0, total0, _ := s.SpendTotals(ctx, buyer.ID)
		_, err = importFixture(t, s, admin, buyer.ID, "../spend/testdata/layouts/not-payments.csv", nil)
		if _, ok := spend.IsDetectError(err); !ok || !errors.Is(err, spend.ErrNotSpend) {
			t.Fatalf("not payments: %v", err)
		}
		if n, total, _ := s.SpendTotals(ctx, buyer.ID); n != n0 || total != total0 {
			t.Fatal("a refused file stored payments")
		}
	})
}

// A mapping chosen for a layout is remembered per buyer and replaced by a
// later choice.
func TestSpendLayoutRemembered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		a, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "A Council"}, 0)
		b, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "B Council"}, 0)
		sig := "code|description|quantity"
		if m, err := s.SpendLayout(ctx, a.ID, sig); err != nil || m != nil {
			t.Fatalf("before: %v %v", m, err)
		}
		if err := s.SaveSpendLayout(ctx, admin, a.ID, sig, map[string]string{"date": "Code", "supplier": "Description", "amount": "Quantity"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveSpendLayout(ctx, admin, a.ID, sig, map[string]string{"date": "Code", "supplier": "Description", "amount": "Quantity", "service": "Code"}); err != nil {
			t.Fatal(err)
		}
		m, err := s.SpendLayout(ctx, a.ID, sig)
		if err != nil || m["amount"] != "Quantity" || m["service"] != "Code" {
			t.Fatalf("after: %v %v", m, err)
		}
		if m, _ := s.SpendLayout(ctx, b.ID, sig); m != nil {
			t.Fatalf("another buyer sees it: %v", m)
		}
		if err := s.SaveSpendLayout(ctx, admin, a.ID, "", map[string]string{"date": "x"}); err == nil {
			t.Fatal("an empty layout was saved")
		}
	})
}

// An upload waiting for its columns takes a mapping once: the layout is
// remembered and the import queued again in one transaction; an upload not
// waiting is a conflict.
func TestMapSpendUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		buyer, _ := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.PublicBody, LegalName: "Anytown Council"}, 0)
		id, err := s.CreateSpendUpload(ctx, admin, buyer.ID, "april.csv", []byte("Posted,Detail,Sum\n01/04/2026,J Smith,1.00\n"))
		if err != nil {
			t.Fatal(err)
		}
		mapping := map[string]string{"date": "Posted", "supplier": "Detail", "amount": "Sum"}
		if err := s.MapSpendUpload(ctx, admin, id, "posted|detail|sum", mapping); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("queued upload mapped: %v", err)
		}
		if err := s.SetSpendUploadStatus(ctx, id, store.SpendUploadMapping, "choose", 0); err != nil {
			t.Fatal(err)
		}
		if err := s.MapSpendUpload(ctx, admin, id, "posted|detail|sum", mapping); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.SpendUploadByID(ctx, id); u.Status != "queued" {
			t.Fatalf("status %q", u.Status)
		}
		if m, _ := s.SpendLayout(ctx, buyer.ID, "posted|detail|sum"); m["supplier"] != "Detail" {
			t.Fatalf("layout %v", m)
		}
		if err := s.MapSpendUpload(ctx, admin, id, "posted|detail|sum", mapping); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("mapped twice: %v", err)
		}
		if err := s.MapSpendUpload(ctx, admin, 999999, "x", mapping); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("missing upload: %v", err)
		}
	})
}
