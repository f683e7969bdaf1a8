package tenders

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Summary is an evaluation said in plain words, for the top of the
// evaluation and award pages: who won, by how much, and the three parts of
// the score (price, quality, social value) ordered by how much each
// decided it. Figures are rounded for reading (points to one decimal place,
// shares to whole percentages); the exact values stay in the JSON export.
type Summary struct {
	Winner   string
	Total    string // winner's total, 1 decimal place, out of 100
	RunnerUp string // "" when there was only one compliant bid
	Margin   string // points ahead of the runner-up, 1 decimal place
	Headline string
	Deciders []string // up to three plain sentences, the biggest difference first
}

// Points rounds an exact score ("p/q", a decimal or a whole number, maybe
// marked "≈") to one decimal place, half away from zero. A value that is
// not a number is returned unchanged.
func Points(exact string) string {
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(strings.TrimSpace(exact), "≈"))
	if !ok {
		return exact
	}
	return r.FloatString(1)
}

// Percent rounds a share of a whole (such as 33/100 or 0.330243) to a whole
// percentage, half away from zero.
func Percent(share string) string {
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(strings.TrimSpace(share), "≈"))
	if !ok {
		return share
	}
	return r.Mul(r, big.NewRat(100, 1)).FloatString(0) + "%"
}

func ratOr0(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return new(big.Rat)
	}
	return r
}

// Summarise builds the plain summary of scored results with the model's
// weights. The winner is the given bid key when set (the award), else the
// first-ranked compliant bid; the runner-up is the best other compliant bid.
func Summarise(results []Result, w ModelWeights, winnerBid string) Summary {
	rs := ByRank(results)
	wi := slices.IndexFunc(rs, func(x Result) bool { return x.Compliant && (winnerBid == "" || x.Bid == winnerBid) })
	if wi < 0 {
		return Summary{Headline: "No bid was compliant, so none was scored."}
	}
	win := rs[wi]
	s := Summary{Winner: win.Supplier, Total: Points(win.Total)}
	ri := slices.IndexFunc(rs, func(x Result) bool { return x.Compliant && x.Bid != win.Bid })
	if ri < 0 {
		s.Headline = fmt.Sprintf("%s scored %s out of 100 and was the only compliant bid.", win.Supplier, s.Total)
		s.Deciders = partSentences(win, nil, w)
		return s
	}
	run := rs[ri]
	s.RunnerUp = run.Supplier
	margin := new(big.Rat).Sub(ratOr0(win.Total), ratOr0(run.Total))
	s.Margin = margin.FloatString(1)
	s.Deciders = partSentences(win, &run, w)
	switch margin.Sign() {
	case 1:
		s.Headline = fmt.Sprintf("%s scored %s out of 100, %s %s ahead of %s; %s decided it.", win.Supplier, s.Total, s.Margin, plural(s.Margin), run.Supplier, firstPart(win, run))
	case 0:
		s.Headline = fmt.Sprintf("%s scored %s out of 100, level with %s; the tie-break decided it.", win.Supplier, s.Total, run.Supplier)
	default: // an award to a bid that did not score highest
		s.Margin = new(big.Rat).Neg(margin).FloatString(1)
		s.Headline = fmt.Sprintf("%s scored %s out of 100, %s %s behind %s; the reason for the decision is below.", win.Supplier, s.Total, s.Margin, plural(s.Margin), run.Supplier)
	}
	return s
}

func plural(points string) string {
	if points == "1.0" {
		return "point"
	}
	return "points"
}

type part struct {
	name       string
	max        int
	win, other *big.Rat
}

func parts(win Result, other *Result, w ModelWeights) []part {
	ps := []part{{name: "price", max: w.Price, win: ratOr0(win.Price)}, {name: "quality", max: w.Quality, win: ratOr0(win.Quality)}, {name: "social value", max: w.SocialValue, win: ratOr0(win.SocialValue)}}
	if other != nil {
		ps[0].other, ps[1].other, ps[2].other = ratOr0(other.Price), ratOr0(other.Quality), ratOr0(other.SocialValue)
		// The biggest lead for the winner first; a part where it was behind last.
		slices.SortStableFunc(ps, func(a, b part) int {
			return new(big.Rat).Sub(b.win, b.other).Cmp(new(big.Rat).Sub(a.win, a.other))
		})
	}
	return ps
}

func firstPart(win, other Result) string {
	return parts(win, &other, ModelWeights{})[0].name
}

func partSentences(win Result, other *Result, w ModelWeights) []string {
	var out []string
	for _, p := range parts(win, other, w) {
		if p.max == 0 {
			continue
		}
		of := fmt.Sprintf("%s of %d points (%s)", p.win.FloatString(1), p.max, share(p.win, p.max))
		if p.other == nil {
			out = append(out, fmt.Sprintf("%s: %s", capital(p.name), of))
			continue
		}
		d := new(big.Rat).Sub(p.win, p.other)
		how := "level with"
		switch d.Sign() {
		case 1:
			how = d.FloatString(1) + " " + plural(d.FloatString(1)) + " ahead of"
		case -1:
			nd := new(big.Rat).Neg(d).FloatString(1)
			how = nd + " " + plural(nd) + " behind"
		}
		out = append(out, fmt.Sprintf("%s: %s, %s %s (%s, %s)", capital(p.name), of, how, other.Supplier, p.other.FloatString(1), share(p.other, p.max)))
	}
	return out
}

func share(x *big.Rat, max int) string {
	return new(big.Rat).Mul(x, big.NewRat(100, int64(max))).FloatString(0) + "%"
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

var (
	numberRe = regexp.MustCompile(`≈?\d+(?:\.\d+)?(?:/\d+)?`)
	omegaRe  = regexp.MustCompile(`measure weight ω = (≈?[0-9./]+)`)
	alphaRe  = regexp.MustCompile(`α = (≈?[0-9./]+), commitments (≈?[0-9./]+)`)
	poundsRe = regexp.MustCompile(`\b(\d+) £(?: \(highest compliant (\d+)\))?`)
)

// grouped writes a whole number of pounds with thousands separators.
func grouped(digits string) string {
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + "," + digits[i:]
	}
	return digits
}

// PlainLine is a score line for the page: its points rounded to one decimal
// place, quantities and marks rounded, a measure's weight as a whole
// percentage and symbols (ω, α, Σ) in words. The exact line stays in the
// JSON export.
func PlainLine(l LineExpl) LineExpl {
	l.Input = omegaRe.ReplaceAllStringFunc(l.Input, func(m string) string {
		return "measure weight " + Percent(omegaRe.FindStringSubmatch(m)[1])
	})
	l.Input = alphaRe.ReplaceAllStringFunc(l.Input, func(m string) string {
		g := alphaRe.FindStringSubmatch(m)
		return "share for commitments " + Percent(g[1]) + ", commitments score " + Percent(g[2])
	})
	l.Input = poundsRe.ReplaceAllStringFunc(l.Input, func(m string) string {
		g := poundsRe.FindStringSubmatch(m)
		if g[2] != "" {
			return "£" + grouped(g[1]) + " (highest compliant £" + grouped(g[2]) + ")"
		}
		return "£" + grouped(g[1])
	})
	l.Input = numberRe.ReplaceAllStringFunc(l.Input, roundNumber)
	switch {
	case strings.HasPrefix(l.Value, "£"):
	case l.Part == "social_value" && (strings.Contains(l.Formula, "ω") || strings.HasPrefix(l.Formula, "(1 − α)") || strings.HasPrefix(l.Formula, "Σ")):
		// A share of the commitments score (a measure's term, or all of
		// them) or of the social value points (the qualitative answer).
		l.Value = Percent(l.Value)
	default:
		l.Value = Points(l.Value)
	}
	l.Formula = strings.NewReplacer("ω", "measure weight", "(1 − α)", "(1 − share for commitments)", "α", "share for commitments", "Σ", "sum of").Replace(l.Formula)
	return l
}

// roundNumber shows a number in a line's inputs: whole numbers and
// decimals of up to two places (marks, pounds and pence) as they are; a
// fraction, a rounded value or a longer decimal to one decimal place.
func roundNumber(s string) string {
	if financialYear(s) {
		return s // a price year such as 2012/13, not a fraction
	}
	plain := strings.TrimPrefix(s, "≈")
	if !strings.Contains(plain, "/") && plain == s {
		if dot := strings.IndexByte(plain, '.'); dot < 0 || len(plain)-dot-1 <= 2 {
			return s
		}
	}
	return Points(plain)
}

// financialYear reports whether s is a financial year as price years are
// written, such as 2012/13: four digits, a slash and the next year's last
// two digits.
func financialYear(s string) bool {
	if len(s) != 7 || s[4] != '/' {
		return false
	}
	y, err1 := strconv.Atoi(s[:4])
	n, err2 := strconv.Atoi(s[5:])
	return err1 == nil && err2 == nil && y >= 1900 && n == (y+1)%100
}
