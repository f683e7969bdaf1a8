package geo

import (
	"cmp"
	"slices"
)

// Coverage says how much of a district's postcodes the loaded tables hold.
// A complete district (every postcode, live and terminated, as in a full
// postcode directory or the shipped Trafford file) cannot hold a postcode
// the tables do not know. A sampled district holds a prefix of its
// postcodes in sorted order, so it could hold any unknown postcode that
// sorts after the last one it holds. A district with no coverage record is
// treated as able to hold anything.
type Coverage struct {
	District District
	Complete bool
	Last     string // the last postcode held, in byte order; "" = nothing known
}

// Evidence is what the tables know around an unknown postcode: the
// districts of the other postcodes in its sector and outward code, and the
// coverage of every district.
type Evidence struct {
	Sector, Outward []string // district codes, any order, duplicates allowed
	Coverage        []Coverage
}

// Fallback places a postcode the tables do not hold. It names a district
// only when every known postcode in the sector (or, with none there, the
// outward code) lies in that district AND no other district could hold the
// postcode unseen; otherwise the answer is Unknown with the candidate
// districts. It never guesses for a postcode outside the areas that reach
// Greater Manchester.
func Fallback(postcode string, ev Evidence) Place {
	p := Place{Postcode: postcode, Confidence: Unknown}
	if OutsideGM(postcode) {
		return p
	}
	byCode := map[string]District{}
	for _, c := range ev.Coverage {
		byCode[c.District.Code] = c.District
	}
	// unseen: districts that could hold this postcode without the tables
	// showing it.
	var unseen []string
	for _, c := range ev.Coverage {
		if !c.Complete && postcode > c.Last {
			unseen = append(unseen, c.District.Code)
		}
	}
	level, known := BySector, ev.Sector
	if len(known) == 0 {
		level, known = ByOutward, ev.Outward
	}
	cands := map[string]bool{}
	for _, d := range known {
		cands[d] = true
	}
	for _, d := range unseen {
		cands[d] = true
	}
	// Without a coverage record for every district the tables know, we
	// cannot tell which other districts could hold the postcode unseen, so
	// nothing is named.
	uncovered := len(ev.Coverage) == 0
	for _, c := range slices.Concat(ev.Sector, ev.Outward) {
		if _, ok := byCode[c]; !ok {
			byCode[c] = District{Code: c}
			cands[c], uncovered = true, true
		}
	}
	if len(known) > 0 && len(cands) == 1 && !uncovered {
		d := byCode[known[0]]
		p.Confidence, p.DistrictCode, p.DistrictName = level, d.Code, d.Name
		return p
	}
	for c := range cands {
		p.Candidates = append(p.Candidates, byCode[c])
	}
	slices.SortFunc(p.Candidates, func(a, b District) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code))
	})
	return p
}

// CoverageOf works out each district's coverage from a reference: complete
// for the districts named in complete, otherwise the last postcode held.
func CoverageOf(ref *Reference) []Coverage {
	last := map[string]string{}
	for _, pc := range ref.Postcodes {
		if pc.Postcode > last[pc.DistrictCode] {
			last[pc.DistrictCode] = pc.Postcode
		}
	}
	out := make([]Coverage, 0, len(ref.Districts))
	for _, d := range ref.Districts {
		out = append(out, Coverage{District: d, Complete: ref.Complete[d.Code], Last: last[d.Code]})
	}
	return out
}
