package hub

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Geo is what matching needs of the geography: district centroids.
type Geo struct {
	Centroids map[string][2]float64 // district code → lon, lat
}

// Weights of the score's parts; they sum to 1.
const (
	WPriorities = 0.35
	WPlace      = 0.25
	WTiming     = 0.15
	WCapacity   = 0.25
)

// Part is one explained part of a score.
type Part struct {
	Name   string
	Value  float64 // 0–1
	Weight float64
	Why    string
}

// Score is how well an offer fits a need, with its reasons. Zero means
// they cannot be matched (different kind of help, or the timing cannot
// work), and Reason says why.
type Score struct {
	NeedID, OfferID int64
	Total           float64
	Parts           []Part
	Reason          string
}

// Compatible reports whether the pair can be matched at all.
func (s Score) Compatible() bool { return s.Total > 0 }

// ScoreOf scores an offer for a need. people holds the published People's
// Weights by priority code (any positive shares; nil means equal).
func ScoreOf(n Need, o Offer, people map[string]float64, g Geo, now time.Time) Score {
	s := Score{NeedID: n.ID, OfferID: o.ID}
	if n.Kind != o.Kind && n.Kind != "other" && o.Kind != "other" {
		s.Reason = fmt.Sprintf("different kind of help (%s, %s)", KindLabel(n.Kind), KindLabel(o.Kind))
		return s
	}
	if o.To != nil && o.To.Before(now.Truncate(24*time.Hour)) {
		s.Reason = "the offer has ended"
		return s
	}
	if n.By != nil && o.From != nil && o.From.After(*n.By) {
		s.Reason = "the offer starts after the date the need is for"
		return s
	}
	if n.Remaining <= 0 || o.Remaining <= 0 {
		s.Reason = "nothing left to give or to meet"
		return s
	}
	s.Parts = []Part{priorityPart(n, o, people), placePart(n, o, g), {Name: "Timing", Value: 1, Weight: WTiming, Why: "the dates work"}, capacityPart(n, o)}
	for _, p := range s.Parts {
		s.Total += p.Value * p.Weight
	}
	return s
}

func weightOf(people map[string]float64, code string) float64 {
	if people == nil {
		return 1
	}
	return people[code]
}

func priorityPart(n Need, o Offer, people map[string]float64) Part {
	p := Part{Name: "Shared priorities", Weight: WPriorities}
	if len(o.Priorities) == 0 {
		p.Value, p.Why = 0.5, "the offer names no priorities"
		return p
	}
	var all, shared float64
	var names []string
	for _, c := range n.Priorities {
		w := weightOf(people, c)
		all += w
		if slices.Contains(o.Priorities, c) {
			shared += w
			names = append(names, c)
		}
	}
	if all > 0 {
		p.Value = shared / all
	}
	p.Why = fmt.Sprintf("shares %d of the need's %d priorities (%s of their People's Weight)", len(names), len(n.Priorities), percent(p.Value))
	return p
}

// placeValue is the place part's value: 1 for the same area, 0.85 for the
// same district, 0.7 when either side is anywhere in GM, otherwise falling
// with the distance between district centroids (0.8 at 0 km, 0 at 40 km).
func placeValue(n Need, o Offer, g Geo) (float64, float64) {
	switch {
	case n.Area == "" || o.Area == "":
		return 0.7, -1
	case n.Area == o.Area:
		return 1, -1
	case n.DistrictCode != "" && n.DistrictCode == o.DistrictCode:
		return 0.85, -1
	}
	a, okA := g.Centroids[n.DistrictCode]
	b, okB := g.Centroids[o.DistrictCode]
	if !okA || !okB {
		return 0.5, -1
	}
	km := haversineKm(a, b)
	return math.Max(0, 1-km/40) * 0.8, km
}

func placePart(n Need, o Offer, g Geo) Part {
	p := Part{Name: "Place", Weight: WPlace}
	var km float64
	p.Value, km = placeValue(n, o, g)
	switch {
	case n.Area == "" || o.Area == "":
		p.Why = "one side is anywhere in Greater Manchester"
	case n.Area == o.Area:
		p.Why = "the same area"
	case km < 0 && p.Value == 0.85:
		p.Why = "the same district"
	case km < 0:
		p.Why = "distance unknown"
	default:
		p.Why = fmt.Sprintf("districts %.0f km apart", km)
	}
	return p
}

func capacityPart(n Need, o Offer) Part {
	p := Part{Name: "Capacity", Weight: WCapacity}
	p.Value = math.Min(1, float64(o.Remaining)/float64(n.Remaining))
	p.Why = fmt.Sprintf("%d of the %d %s still needed", min(o.Remaining, n.Remaining), n.Remaining, KindUnit(n.Kind))
	return p
}

func percent(x float64) string { return fmt.Sprintf("%.0f%%", x*100) }

func haversineKm(a, b [2]float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (b[1]-a[1])*rad, (b[0]-a[0])*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a[1]*rad)*math.Cos(b[1]*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// RankOffers ranks the offers for a need, best first, and explains the
// first limit of them (all when limit <= 0); ties go to the offer with more
// to give, then the older offer. Incompatible offers are left out.
func RankOffers(n Need, offers []Offer, people map[string]float64, g Geo, now time.Time, limit int) []Score {
	type scored struct {
		i int
		v float64
	}
	var all []scored
	for i, o := range offers {
		if !timingOK(n, o, now) || (n.Kind != o.Kind && n.Kind != "other" && o.Kind != "other") {
			continue
		}
		if v, ok := quickScore(n, o, people, g); ok {
			all = append(all, scored{i, v})
		}
	}
	slices.SortFunc(all, func(a, b scored) int {
		if a.v != b.v {
			return cmpDesc(a.v, b.v)
		}
		if ra, rb := offers[a.i].Remaining, offers[b.i].Remaining; ra != rb {
			return int(rb - ra)
		}
		return int(offers[a.i].ID - offers[b.i].ID)
	})
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	out := make([]Score, len(all))
	for k, x := range all {
		out[k] = ScoreOf(n, offers[x.i], people, g, now)
	}
	return out
}

// timingOK: the offer has not ended and does not start after the need's date.
func timingOK(n Need, o Offer, now time.Time) bool {
	if o.To != nil && o.To.Before(now.Truncate(24*time.Hour)) {
		return false
	}
	return n.By == nil || o.From == nil || !o.From.After(*n.By)
}

// RankNeeds scores every need for an offer, best first; ties go to the need
// in the more deprived area (lower IMD decile), then to top challenges,
// then to the older need.
func RankNeeds(o Offer, needs []Need, people map[string]float64, g Geo, now time.Time) []Score {
	out := make([]Score, 0, 64)
	byID := make(map[int64]Need, len(needs))
	for _, n := range needs {
		if s := ScoreOf(n, o, people, g, now); s.Compatible() {
			out = append(out, s)
			byID[n.ID] = n
		}
	}
	slices.SortFunc(out, func(a, b Score) int {
		if a.Total != b.Total {
			return cmpDesc(a.Total, b.Total)
		}
		na, nb := byID[a.NeedID], byID[b.NeedID]
		if da, db := decileKey(na.IMDDecile), decileKey(nb.IMDDecile); da != db {
			return da - db
		}
		if na.TopChallenge != nb.TopChallenge {
			if na.TopChallenge {
				return -1
			}
			return 1
		}
		return int(a.NeedID - b.NeedID)
	})
	return out
}

func cmpDesc(a, b float64) int {
	if a > b {
		return -1
	}
	return 1
}

// decileKey orders deprivation: decile 1 (most deprived) first, unknown last.
func decileKey(d int) int {
	if d <= 0 {
		return 11
	}
	return d
}
