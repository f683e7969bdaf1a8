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

// A ward the voter stated (with the district they stated, their postcode
// not being in the loaded tables) is read back and counted in its own
// class: the results' breakdown by how the ward was known, the
// participation table's count of stated wards, and the anonymised export's
// ward_source column (the ward itself is never exported). A ballot whose
// ward is not known has an empty ward_source and is left out of the
// breakdown.
func TestStatedWardBallots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		admin := mkUser(t, s, "admin@example.org", true)
		voter := mkUser(t, s, "voter@example.org", false)
		r := newRound(t, s, admin)
		const manchester, trafford = "E08000003", "E08000009"
		// Fallowfield (Manchester) and Gorse Hill (Trafford, M32 0JG's ward).
		ward := map[string]string{manchester: "E05011364", trafford: "E05000829"}
		now := time.Now()
		ballots := []store.Ballot{
			// Placed by the postcode, ward and all.
			{VoterKey: "user:1", Postcode: "M32 0JG", DistrictCode: trafford, WardCode: ward[trafford], Confidence: geo.Exact},
			// District and ward stated by the voter.
			{VoterKey: "user:2", Postcode: "M14 5RT", DistrictCode: manchester, WardCode: ward[manchester], Confidence: geo.Stated},
			// District stated, ward left as 'Not sure'.
			{VoterKey: "user:3", Postcode: "M15 4ZZ", DistrictCode: manchester, Confidence: geo.Stated},
			// District found from the postcode's sector, ward not known.
			{VoterKey: "user:4", Postcode: "M32 9ZZ", DistrictCode: trafford, Confidence: geo.BySector},
		}
		for _, b := range ballots {
			b.RoundID, b.Channel, b.Points = r.ID, priorities.Online, points(r, 50, 10, 10, 10, 10, 10)
			if _, err := s.SubmitBallot(ctx, voter, b, now); err != nil {
				t.Fatal(err)
			}
		}
		recs, err := s.RoundRecords(ctx, r.ID)
		if err != nil || len(recs) != 4 {
			t.Fatalf("records: %v %d", err, len(recs))
		}
		classes := map[string]int{}
		for _, rec := range recs {
			classes[rec.District+" "+priorities.DistrictSource(rec)+" "+rec.Ward+" "+priorities.WardSource(rec)]++
		}
		want := map[string]int{
			trafford + " postcode " + ward[trafford] + " postcode": 1,
			manchester + " stated " + ward[manchester] + " stated": 1,
			manchester + " stated  ":                               1,
			trafford + " postcode  ":                               1,
		}
		for k, n := range want {
			if classes[k] != n {
				t.Fatalf("classes read back: %v, want %v", classes, want)
			}
		}
		res, err := priorities.Compute(len(r.Priorities), recs, map[string]string{manchester: "Manchester", trafford: "Trafford"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.ByWardSource) != 2 || res.ByWardSource[0].Ballots != 1 || res.ByWardSource[0].Label != "Ward found from the postcode" ||
			res.ByWardSource[1].Ballots != 1 || !strings.HasPrefix(res.ByWardSource[1].Label, "Ward stated by the voter") {
			t.Fatalf("by ward source: %+v", res.ByWardSource)
		}
		for _, p := range res.Participation {
			if w := map[string][2]int{"Manchester": {2, 1}, "Trafford": {0, 0}}[p.Name]; p.Stated != w[0] || p.StatedWard != w[1] {
				t.Fatalf("participation %s: %d district and %d ward stated, want %v", p.Name, p.Stated, p.StatedWard, w)
			}
		}
		export, _ := priorities.ExportCSV([]string{"a", "b", "c", "d", "e", "f"}, recs)
		for row, n := range map[string]int{
			"ballot_id,district,district_source,ward_source,channel,a,b,c,d,e,f\n": 1,
			"," + manchester + ",stated,stated,online,50,":                         1,
			"," + manchester + ",stated,,online,50,":                               1,
			"," + trafford + ",postcode,postcode,online,50,":                       1,
			"," + trafford + ",postcode,,online,50,":                               1,
			ward[manchester]:                                                       0, // never the ward itself
			ward[trafford]:                                                         0,
		} {
			if strings.Count(export, row) != n {
				t.Fatalf("export holds %q %d times, want %d:\n%s", row, strings.Count(export, row), n, export)
			}
		}
		// The export reads back as ballots (ward_source is not a priority).
		tb, err := priorities.ReadCSV(strings.NewReader(export), "export.csv")
		if err != nil || len(tb.Columns) != 6 {
			t.Fatalf("read export back: %v %+v", err, tb)
		}
	})
}
