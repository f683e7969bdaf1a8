package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/store"
	"github.com/svhub/svhub/internal/storetest"
)

// A ballot whose district the voter stated (their postcode is not in the
// loaded tables) is stored as such, read back in its own class, counted
// apart in the results and marked in the anonymised export; replacing it
// with a ballot placed by postcode clears the mark.
func TestStatedDistrictBallots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		voter := mkUser(t, s, "voter@example.org", false)
		r := newRound(t, s, admin)
		now := time.Now()
		ballots := []store.Ballot{
			{VoterKey: "user:1", Postcode: "M32 0JG", DistrictCode: "E08000009", Confidence: geo.Exact},
			{VoterKey: "user:2", Postcode: "M14 5RT", DistrictCode: "E08000003", Confidence: geo.Stated},
			{VoterKey: "user:3", Postcode: "M15 4ZZ", DistrictCode: "E08000003", Confidence: geo.Stated},
		}
		for _, b := range ballots {
			b.RoundID, b.Channel, b.Points = r.ID, priorities.Online, points(r, 50, 10, 10, 10, 10, 10)
			if _, err := s.SubmitBallot(ctx, voter, b, now); err != nil {
				t.Fatal(err)
			}
		}
		recs, err := s.RoundRecords(ctx, r.ID)
		if err != nil || len(recs) != 3 {
			t.Fatalf("records: %v %d", err, len(recs))
		}
		stated := map[string]int{}
		for _, rec := range recs {
			stated[rec.District+" "+priorities.DistrictSource(rec)]++
		}
		if stated["E08000009 postcode"] != 1 || stated["E08000003 stated"] != 2 {
			t.Fatalf("classes read back: %v", stated)
		}
		names := map[string]string{"E08000003": "Manchester", "E08000009": "Trafford"}
		res, err := priorities.Compute(len(r.Priorities), recs, names)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.ByDistrictSource) != 2 || res.ByDistrictSource[0].Ballots != 1 || res.ByDistrictSource[1].Ballots != 2 ||
			!strings.Contains(res.ByDistrictSource[1].Label, "stated by the voter") {
			t.Fatalf("by district source: %+v", res.ByDistrictSource)
		}
		for _, p := range res.Participation {
			if want := map[string]int{"Manchester": 2, "Trafford": 0}[p.Name]; p.Stated != want {
				t.Fatalf("participation %s: %d stated, want %d", p.Name, p.Stated, want)
			}
		}
		export, _ := priorities.ExportCSV([]string{"a", "b", "c", "d", "e", "f"}, recs)
		if !strings.HasPrefix(export, "ballot_id,district,district_source,ward_source,channel,") || strings.Count(export, ",E08000003,stated,,online,") != 2 ||
			strings.Count(export, ",E08000009,postcode,,online,") != 1 {
			t.Fatalf("export:\n%s", export)
		}
		// The export reads back as ballots (district_source is not a priority).
		tb, err := priorities.ReadCSV(strings.NewReader(export), "export.csv")
		if err != nil || len(tb.Columns) != 6 {
			t.Fatalf("read export back: %v %+v", err, tb)
		}
		// The voter's postcode is later found: the replacement is placed by it.
		b := ballots[1]
		b.RoundID, b.Channel, b.Points, b.DistrictCode, b.Confidence = r.ID, priorities.Online, points(r, 0, 0, 0, 0, 0, 100), "E08000003", geo.Exact
		if replaced, err := s.SubmitBallot(ctx, voter, b, now); err != nil || !replaced {
			t.Fatalf("replace: %v %v", replaced, err)
		}
		recs, _ = s.RoundRecords(ctx, r.ID)
		n := 0
		for _, rec := range recs {
			if rec.DistrictStated {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("after replacing, %d ballots stated, want 1", n)
		}
	})
}
