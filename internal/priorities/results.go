package priorities

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// MinGroup is the smallest group whose results are shown: smaller groups
// are suppressed so no one's ballot can be picked out.
const MinGroup = 10

// Record is one ballot as the results need it: no identity.
type Record struct {
	PublicID string
	District string
	// DistrictStated: the postcode was not in the loaded tables and the
	// voter chose their district from a list ("stated by the voter").
	DistrictStated bool
	// Ward is the ballot's ward code: found from the postcode, or chosen
	// by a voter who states their district (optional, so often ""). The
	// export gives only how it was known (ward_source), never the ward.
	Ward      string
	Channel   string
	IMDDecile int
	Points    []int        // in the round's priority order
	Answers   Demographics `json:"-"` // optional; never exported
}

// Group is the result for one slice of the ballots.
type Group struct {
	Label      string
	Ballots    int
	Suppressed bool
	Weights    []float64 // Independent Markets; nil when suppressed
}

// Participation compares a district's share of ballots with its share of
// the population.
type Participation struct {
	District string
	Name     string
	Ballots  int
	// Stated counts the district's ballots whose district was stated by
	// the voter rather than found from the postcode.
	Stated int
	// StatedWard counts the district's ballots whose ward was stated by
	// the voter (who stated their district and chose a ward).
	StatedWard      int
	BallotShare     float64
	PopulationShare float64
}

// Results is everything the results page shows.
type Results struct {
	Ballots        int
	Weights        []float64 // official: Independent Markets
	Mean           []float64
	Median         []float64
	PostStratified []float64 // nil when no ballot has a known district
	ByChannel      []Group
	ByDistrict     []Group
	// ByDistrictSource splits the ballots by how the district was known:
	// from the postcode, or stated by the voter.
	ByDistrictSource []Group
	// ByWardSource splits the ballots with a known ward by how the ward
	// was known: from the postcode, or stated by the voter.
	ByWardSource  []Group
	ByIMDQuintile []Group
	// ByAnswer holds, for each demographic question, a group per answer
	// given (only answers from consenting participants exist).
	ByAnswer      map[string][]Group
	Participation []Participation
}

func toBallots(m int, recs []Record) *Ballots {
	b := NewBallots(m, len(recs))
	values := make([]float64, m)
	for _, r := range recs {
		for j, p := range r.Points {
			values[j] = float64(p)
		}
		// Stored ballots always sum to 100, so Add cannot fail.
		_ = b.Add(values)
	}
	return b
}

func group(m int, label string, recs []Record) Group {
	g := Group{Label: label, Ballots: len(recs)}
	if len(recs) < MinGroup {
		g.Suppressed = true
		return g
	}
	g.Weights, _ = Aggregate(IndependentMarkets, toBallots(m, recs))
	return g
}

// Compute aggregates a round's ballots. districtNames maps codes to names.
func Compute(m int, recs []Record, districtNames map[string]string) (*Results, error) {
	if len(recs) == 0 {
		return &Results{}, nil
	}
	b := toBallots(m, recs)
	res := &Results{Ballots: len(recs)}
	var err error
	if res.Weights, err = Aggregate(IndependentMarkets, b); err != nil {
		return nil, err
	}
	res.Mean, _ = Aggregate(Mean, b)
	res.Median, _ = Aggregate(Median, b)
	districts := make([]string, len(recs))
	for i, r := range recs {
		districts[i] = r.District
	}
	res.PostStratified, _ = PostStratifiedMean(b, districts, Population)

	split := func(key func(Record) string) map[string][]Record {
		out := map[string][]Record{}
		for _, r := range recs {
			k := key(r)
			out[k] = append(out[k], r)
		}
		return out
	}
	for _, ch := range []string{Online, Workshop} {
		if rs := split(func(r Record) string { return r.Channel })[ch]; len(rs) > 0 {
			label := "Online"
			if ch == Workshop {
				label = "Workshops (paper ballots through community groups)"
			}
			res.ByChannel = append(res.ByChannel, group(m, label, rs))
		}
	}
	byDistrict := split(func(r Record) string { return r.District })
	codes := make([]string, 0, len(districtNames))
	for c := range districtNames {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return districtNames[codes[i]] < districtNames[codes[j]] })
	popTotal := 0
	for _, p := range Population {
		popTotal += p
	}
	for _, c := range codes {
		rs := byDistrict[c]
		res.ByDistrict = append(res.ByDistrict, group(m, districtNames[c], rs))
		stated, statedWard := 0, 0
		for _, r := range rs {
			if r.DistrictStated {
				stated++
			}
			if WardSource(r) == SourceStated {
				statedWard++
			}
		}
		res.Participation = append(res.Participation, Participation{District: c, Name: districtNames[c], Ballots: len(rs), Stated: stated, StatedWard: statedWard,
			BallotShare: float64(len(rs)) / float64(len(recs)), PopulationShare: float64(Population[c]) / float64(popTotal)})
	}
	if rs := byDistrict[""]; len(rs) > 0 {
		res.ByDistrict = append(res.ByDistrict, group(m, "District not known", rs))
	}
	bySource := split(func(r Record) string { return DistrictSource(r) })
	for _, src := range []string{SourcePostcode, SourceStated} {
		if rs := bySource[src]; len(rs) > 0 {
			res.ByDistrictSource = append(res.ByDistrictSource, group(m, SourceLabel(src), rs))
		}
	}
	byWardSource := split(WardSource)
	for _, src := range []string{SourcePostcode, SourceStated} {
		if rs := byWardSource[src]; len(rs) > 0 {
			res.ByWardSource = append(res.ByWardSource, group(m, WardSourceLabel(src), rs))
		}
	}
	byQ := split(func(r Record) string {
		if r.IMDDecile == 0 {
			return "0"
		}
		return strconv.Itoa((r.IMDDecile + 1) / 2)
	})
	for q := 1; q <= 5; q++ {
		label := fmt.Sprintf("IMD quintile %d", q)
		switch q {
		case 1:
			label += " (most deprived 20%)"
		case 5:
			label += " (least deprived 20%)"
		}
		res.ByIMDQuintile = append(res.ByIMDQuintile, group(m, label, byQ[strconv.Itoa(q)]))
	}
	if rs := byQ["0"]; len(rs) > 0 {
		res.ByIMDQuintile = append(res.ByIMDQuintile, group(m, "Neighbourhood not known", rs))
	}
	res.ByAnswer = map[string][]Group{}
	for _, q := range Questions {
		by := split(func(r Record) string { return r.Answers[q.Key] })
		for _, a := range q.Answers {
			if rs := by[a.Value]; len(rs) > 0 {
				res.ByAnswer[q.Key] = append(res.ByAnswer[q.Key], group(m, a.Label, rs))
			}
		}
	}
	return res, nil
}

// How a ballot's district was known, as the export and breakdowns name it.
const (
	SourcePostcode = "postcode"
	SourceStated   = "stated"
)

// DistrictSource says how a ballot's district was known: SourceStated when
// the voter chose it, else SourcePostcode ("" for a ballot with no district).
func DistrictSource(r Record) string {
	switch {
	case r.DistrictStated:
		return SourceStated
	case r.District != "":
		return SourcePostcode
	}
	return ""
}

// WardSource says how a ballot's ward was known: SourceStated when the
// voter stated their district and chose their ward, SourcePostcode when it
// was found from the postcode, "" when the ward is not known.
func WardSource(r Record) string {
	switch {
	case r.Ward == "":
		return ""
	case r.DistrictStated:
		return SourceStated
	}
	return SourcePostcode
}

// WardSourceLabel names a ward source in plain words.
func WardSourceLabel(src string) string {
	if src == SourceStated {
		return "Ward stated by the voter (postcode not in our tables)"
	}
	return "Ward found from the postcode"
}

// SourceLabel names a district source in plain words.
func SourceLabel(src string) string {
	if src == SourceStated {
		return "District stated by the voter (postcode not in our tables)"
	}
	return "District found from the postcode"
}

// ExportCSV writes the anonymised ballots: random id, district, how the
// district was known (district_source: postcode or stated), how the ward
// was known (ward_source: postcode, stated, or empty when not known; the
// ward itself is not exported), channel and points per priority code. It holds no personal data and no demographics,
// and is what the published SHA-256 covers.
func ExportCSV(codes []string, recs []Record) (string, string) {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(append([]string{"ballot_id", "district", "district_source", "ward_source", "channel"}, codes...))
	row := make([]string, 5+len(codes))
	sorted := append([]Record(nil), recs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].PublicID < sorted[j].PublicID })
	for _, r := range sorted {
		row[0], row[1], row[2], row[3], row[4] = r.PublicID, r.District, DistrictSource(r), WardSource(r), r.Channel
		for j, p := range r.Points {
			row[5+j] = strconv.Itoa(p)
		}
		_ = w.Write(row)
	}
	w.Flush()
	sum := sha256.Sum256([]byte(b.String()))
	return b.String(), hex.EncodeToString(sum[:])
}
