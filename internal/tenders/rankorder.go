package tenders

import "slices"

// ByRank returns the results in rank order, first place first, with the
// excluded bids after every ranked one in their original order. Evaluate
// keeps results in bid order (the order of the evaluation's bids), which is
// not the order anyone reading a score table expects.
func ByRank(res []Result) []Result {
	out := slices.Clone(res)
	slices.SortStableFunc(out, func(a, b Result) int {
		switch {
		case a.Compliant && b.Compliant:
			return a.Rank - b.Rank
		case a.Compliant:
			return -1
		case b.Compliant:
			return 1
		}
		return 0
	})
	return out
}
