package store_test

import (
	"io"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// directoryRows yields the given rows, then io.EOF.
func directoryRows(rows ...geo.DirectoryRow) func() (geo.DirectoryRow, error) {
	i := 0
	return func() (geo.DirectoryRow, error) {
		if i == len(rows) {
			return geo.DirectoryRow{}, io.EOF
		}
		i++
		return rows[i-1], nil
	}
}

// runReplaces runs every queued re-placing run, oldest first, and returns
// the last.
func runReplaces(t *testing.T, s *store.Store) store.GeoRun {
	t.Helper()
	runs, err := s.LatestGeoRuns(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	var last store.GeoRun
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Kind != store.GeoRunReplace || runs[i].Finished() {
			continue
		}
		if err := s.Replace(ctx, runs[i].ID); err != nil {
			t.Fatal(err)
		}
		if last, err = s.GeoRunByID(ctx, runs[i].ID); err != nil || last.Status != "done" {
			t.Fatalf("re-placing run: %v %+v", err, last)
		}
	}
	return last
}

// Importing a second release that moves a postcode to another district
// queues a re-placing run; running it moves every holder of the postcode
// (organisation site, register entry, ballot) while a ballot whose district
// the voter stated keeps it, and published People's Weights stay as they
// were, naming the release they were placed with.
func TestReplaceAfterImport(t *testing.T) {
	ref, err := geo.Load(geo.ShippedFS())
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if err := s.ImportGeo(ctx, "test", ref, nil); err != nil {
			t.Fatal(err)
		}
		admin := mkUser(t, s, "admin@example.org", true)
		voter := mkUser(t, s, "voter@example.org", false)
		const moving, staying = "M32 0JG", "BL3 1SX"
		trafford, manchester, bolton := "E08000009", "E08000003", "E08000001"
		releaseA := []geo.DirectoryRow{
			{Postcode: moving, LAD: trafford, Ward: "E05000820", LSOA11: "E01006080", Region: "E12000002", IMDDecile: 3},
			{Postcode: staying, LAD: bolton, Region: "E12000002", IMDDecile: 2},
		}
		if _, err := s.ImportDirectory(ctx, "test", "ONSPD February 2025", "a.zip", nil, directoryRows(releaseA...), nil); err != nil {
			t.Fatal(err)
		}
		runReplaces(t, s)

		// Place things with release A.
		p, err := s.ResolvePostcode(ctx, moving)
		if err != nil || p.DistrictCode != trafford {
			t.Fatalf("release A: %v %+v", err, p)
		}
		org, err := s.CreateOrganisation(ctx, admin, orgs.Organisation{Kind: orgs.Business, LegalName: "Firm"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddSite(ctx, admin, orgs.Site{OrgID: org.ID, Kind: "registered_office", Postcode: moving, DistrictCode: p.DistrictCode, WardCode: p.WardCode, LSOACode: p.LSOACode}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportRegister(ctx, admin, "charities.csv", []spend.RegisterEntry{{Source: spend.CharityRegister, Number: "1", Name: "Charity", Postcode: moving}}); err != nil {
			t.Fatal(err)
		}
		published := newRound(t, s, admin)
		open := published
		open.ID, open.Title = 0, "Another round"
		id, err := s.CreateRound(ctx, admin, open)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MoveRound(ctx, admin, id, priorities.Open, time.Now()); err != nil {
			t.Fatal(err)
		}
		if open, err = s.Round(ctx, id); err != nil {
			t.Fatal(err)
		}
		for i, rd := range []priorities.Round{published, open} {
			for j, b := range []store.Ballot{
				{Postcode: moving, DistrictCode: p.DistrictCode, WardCode: p.WardCode, IMDDecile: p.IMDDecile, Confidence: p.Confidence},
				{Postcode: "M14 9ZZ", DistrictCode: trafford, Confidence: geo.Stated},
			} {
				b.RoundID, b.VoterKey, b.Channel, b.Points = rd.ID, []string{"a", "b"}[j], priorities.Online, points(rd, 50, 10, 10, 10, 10, 10)
				if _, err := s.SubmitBallot(ctx, voter, b, time.Now()); err != nil {
					t.Fatal(i, j, err)
				}
			}
		}
		if err := s.MoveRound(ctx, admin, published.ID, priorities.Closed, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishRound(ctx, admin, store.PeopleWeights{RoundID: published.ID, Method: "m", BallotCount: 2, Weights: `{"P1":0.5}`, Results: `{"frozen":true}`, ExportCSV: "x", ExportSHA256: "y", PublishedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		before, err := s.PublishedWeights(ctx, published.ID)
		if err != nil || before.PostcodeRelease != "ONSPD February 2025" || before.IMDEdition != geo.IMD2019 {
			t.Fatalf("published weights: %v %+v", err, before)
		}

		// Release B moves the postcode to Manchester.
		releaseB := []geo.DirectoryRow{
			{Postcode: moving, LAD: manchester, Ward: "E05011368", LSOA11: "E01005062", Region: "E12000002", IMDDecile: 1},
			{Postcode: staying, LAD: bolton, Region: "E12000002", IMDDecile: 2},
		}
		if _, err := s.ImportDirectory(ctx, "test", "ONSPD May 2025", "b.zip", nil, directoryRows(releaseB...), nil); err != nil {
			t.Fatal(err)
		}
		run := runReplaces(t, s)
		if run.Release != "ONSPD May 2025" || run.RowsTotal != 4 || run.RowsDone != 4 || run.Moved != 4 || run.Percent() != 100 {
			t.Fatalf("re-placing run: %+v", run)
		}
		// Running it again (a retried job) changes nothing.
		if err := s.Replace(ctx, run.ID); err != nil {
			t.Fatal(err)
		}

		got, err := s.OrganisationByID(ctx, org.ID)
		if err != nil || len(got.Sites) != 1 || got.Sites[0].DistrictCode != manchester || got.Sites[0].WardCode != "E05011368" || got.Sites[0].LSOACode != "E01005062" {
			t.Fatalf("site after re-placing: %v %+v", err, got.Sites)
		}
		regs, err := s.RegisterOrgs(ctx)
		if err != nil || len(regs) != 1 || len(regs[0].Districts) != 1 || regs[0].Districts[0] != manchester {
			t.Fatalf("register entry after re-placing: %v %+v", err, regs)
		}
		for _, rd := range []priorities.Round{published, open} {
			recs, err := s.RoundRecords(ctx, rd.ID)
			if err != nil || len(recs) != 2 {
				t.Fatalf("ballots: %v %d", err, len(recs))
			}
			for _, rec := range recs {
				want := manchester
				if rec.DistrictStated {
					want = trafford // stated by the voter: kept
				}
				if rec.District != want {
					t.Fatalf("round %d ballot after re-placing: %+v, want %s", rd.ID, rec, want)
				}
			}
		}
		after, err := s.PublishedWeights(ctx, published.ID)
		if err != nil || after.Results != before.Results || after.Weights != before.Weights || after.PostcodeRelease != "ONSPD February 2025" {
			t.Fatalf("published weights changed: %v %+v", err, after)
		}
		if p, err := s.ResolvePostcode(ctx, staying); err != nil || p.DistrictCode != bolton {
			t.Fatalf("%s: %v %+v", staying, err, p)
		}
	})
}
