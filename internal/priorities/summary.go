package priorities

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Summary is a round's results said in plain words, for the top of the
// results page: how many people took part and the priorities with the most
// weight, in whole percentages. The exact weights are in the table and the
// JSON download.
type Summary struct {
	Headline string
	Top      []string // up to three, "Good jobs: 31%", the heaviest first
}

// WholePercent shows a share (0.3127) as a whole percentage ("31%"),
// rounded half away from zero.
func WholePercent(share float64) string {
	return fmt.Sprintf("%d%%", int(math.Round(share*100)))
}

// Summarise builds the plain summary of a results document.
func Summarise(d Document) Summary {
	people := "1 person"
	if d.Ballots != 1 {
		people = fmt.Sprintf("%d people", d.Ballots)
	}
	rows := d.Rows()
	slices.SortStableFunc(rows, func(a, b Row) int { return cmp.Compare(b.Weight, a.Weight) })
	rows = rows[:min(3, len(rows))]
	var s Summary
	var named []string
	for _, r := range rows {
		s.Top = append(s.Top, fmt.Sprintf("%s: %s", r.Title, WholePercent(r.Weight)))
		named = append(named, fmt.Sprintf("%s (%s)", r.Title, WholePercent(r.Weight)))
	}
	took := people + " took part."
	switch len(named) {
	case 0:
		s.Headline = took
	case 1:
		s.Headline = fmt.Sprintf("%s Their top priority was %s.", took, named[0])
	default:
		s.Headline = fmt.Sprintf("%s Their top %s were %s and %s.", took, number(len(named)), strings.Join(named[:len(named)-1], ", "), named[len(named)-1])
	}
	return s
}

func number(n int) string {
	if n == 2 {
		return "two priorities"
	}
	return "three priorities"
}
