package spend

import (
	"cmp"
	"slices"
	"strings"
)

// AutoMatchThreshold is the name similarity (Dice coefficient of
// trigrams of normalised names) at or above which a payee no identifier
// or exact name matched is taken to be the organisation without asking:
// "Claremont Residential Home Uk Ltd" and "CLAREMONT RESIDENTIAL HOMES
// LIMITED" (0.945). Below it, down to CandidateThreshold, a match is only
// proposed in the review queue. Chosen on Trafford's and the demo's names:
// a one-letter slip in a short name ("Irwel Valley Joinery", 0.93) or a
// plural that may be another firm ("Manchester Care" and "Manchester
// Cares", 0.91) is asked about, not assumed.
const AutoMatchThreshold = 0.94

// autoMatchLimit bounds how many unmatched payees (largest spend first)
// are compared by similarity in one report, so a report costs the same
// however long its tail of small payees.
const autoMatchLimit = CoverageTop

type autoMatch struct {
	org   *Org
	score float64
}

// autoMatches finds, for the largest unmatched payee keys (spend by
// normalised name), the organisation (directory, creditor file or
// register entry) whose name or other name is most similar, when at least
// AutoMatchThreshold. Ties go to the earlier organisation.
func autoMatches(unmatched map[string]int64, orgs []Org) map[string]autoMatch {
	if len(unmatched) == 0 {
		return nil
	}
	keys := make([]string, 0, len(unmatched))
	for k := range unmatched {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(unmatched[b], unmatched[a]), strings.Compare(a, b)) })
	if len(keys) > autoMatchLimit {
		keys = keys[:autoMatchLimit]
	}
	type named struct {
		org  int
		size int
	}
	var names []named
	index := map[string][]int32{}
	add := func(i int, name string) {
		tris := trigrams(name)
		for t := range tris {
			index[t] = append(index[t], int32(len(names)))
		}
		names = append(names, named{i, len(tris)})
	}
	for i := range orgs {
		if orgs[i].ID == 0 {
			continue
		}
		add(i, orgs[i].Name)
		for _, n := range orgs[i].OtherNames {
			add(i, n)
		}
	}
	out := map[string]autoMatch{}
	shared := make([]int32, len(names))
	var touched []int32
	for _, k := range keys {
		st := trigrams(k)
		touched = touched[:0]
		for t := range st {
			for _, n := range index[t] {
				if shared[n] == 0 {
					touched = append(touched, n)
				}
				shared[n]++
			}
		}
		best, bestScore := -1, 0.0
		for _, n := range touched {
			sc := 2 * float64(shared[n]) / float64(len(st)+names[n].size)
			shared[n] = 0
			if sc > bestScore || (sc == bestScore && names[n].org < best) {
				best, bestScore = names[n].org, sc
			}
		}
		if best >= 0 && bestScore >= AutoMatchThreshold {
			out[k] = autoMatch{&orgs[best], bestScore}
		}
	}
	return out
}

// NearTop is how many of the largest payees no exact name matched are
// looked up in the registers by a near name (the same payees autoMatches
// compares).
const NearTop = autoMatchLimit

// NamePrefix is the start of a normalised name by which a register is
// searched for names near it: the first word and the first three letters
// of the second ("claremont res" for "claremont residential home uk"),
// or the one word of a one-word name. A name near enough to be proposed
// (CandidateThreshold) almost always keeps its first word and the start
// of its second; a slip there is left to the creditor file or a person.
func NamePrefix(key string) string {
	first, rest, ok := strings.Cut(key, " ")
	if !ok || rest == "" {
		return first
	}
	second, _, _ := strings.Cut(rest, " ")
	r := []rune(second)
	return first + " " + string(r[:min(3, len(r))])
}
