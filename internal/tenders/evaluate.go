package tenders

import (
	"fmt"
	"math/big"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/proxies"
)

// EvaluationFormat names the export format; `svhub tenders evaluate` refuses
// any other so an auditor never recomputes from a file it misreads.
const EvaluationFormat = "svhub-evaluation/1"

// Evaluation is everything the scores are computed from. It is exported as
// GET /tenders/{id}/evaluation.json and read back by `svhub tenders
// evaluate`; Evaluate(e) is the only scoring code, so the page, the export
// and the auditor's recomputation cannot disagree. Fractions (α, People's
// Weights, consensus marks, quantities) are exact decimal or "p/q" strings.
type Evaluation struct {
	Format   string          `json:"format"`
	Tender   EvalTender      `json:"tender"`
	Weights  ModelWeights    `json:"weights"`
	Alpha    string          `json:"alpha"`
	Method   string          `json:"method"`
	Criteria []EvalCriterion `json:"criteria"`
	People   EvalPeople      `json:"people_weights"`
	Measures []EvalMeasure   `json:"measures"`
	Gates    []string        `json:"gates"`
	Bids     []EvalBid       `json:"bids"`
	// Uplift, when given, moves every proxy value into one year's prices
	// with a price index before the monetised method adds them.
	Uplift  *EvalUplift `json:"uplift,omitempty"`
	Results []Result    `json:"results,omitempty"`
}

// EvalUplift is a price index (such as HM Treasury's GDP deflator) and the
// price year every proxy value is moved into: value × index[PriceYear] ÷
// index[the value's year], exactly.
type EvalUplift struct {
	Index     string            `json:"index"`
	Source    string            `json:"source"`
	Published string            `json:"published"`
	PriceYear string            `json:"price_year"`
	Years     map[string]string `json:"years"` // price year → index value, an exact decimal
}

// EvalTender identifies the tender in an export.
type EvalTender struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Buyer string `json:"buyer"`
}

// ModelWeights are the three top-level weights; they sum to 100.
type ModelWeights struct {
	Price       int `json:"price"`
	Quality     int `json:"quality"`
	SocialValue int `json:"social_value"`
}

// EvalCriterion is a quality criterion and its weight (of the 100).
type EvalCriterion struct {
	Key    string `json:"key"`
	Title  string `json:"title"`
	Weight int    `json:"weight"`
}

// EvalPeople is the People's Weights the tender uses: Equal is true when no
// round had been published, and every priority then weighs the same.
type EvalPeople struct {
	Source  string            `json:"source"`
	Equal   bool              `json:"equal"`
	Weights map[string]string `json:"weights"` // priority code → share
}

// EvalMeasure is a selected measure with its priority and optional proxy.
type EvalMeasure struct {
	Key         string `json:"key"`
	Title       string `json:"title"`
	Unit        string `json:"unit"`
	Priority    string `json:"priority"`
	ProxyPence  int64  `json:"proxy_pence,omitempty"`
	ProxySource string `json:"proxy_source,omitempty"`
	// ProxyPriceYear is the year whose prices ProxyPence is in (such as
	// 2012/13 or 2020); the monetised method never adds values of
	// different price years.
	ProxyPriceYear string `json:"proxy_price_year,omitempty"`
}

// EvalBid is one bid's inputs: the sealed content that matters for scoring
// plus the moderated consensus marks.
type EvalBid struct {
	ID          string            `json:"id"`
	Supplier    string            `json:"supplier"`
	PricePence  int64             `json:"price_pence"`
	SubmittedAt time.Time         `json:"submitted_at"`
	Gates       map[string]bool   `json:"gates"`
	Marks       map[string]string `json:"marks"` // criterion key → consensus mark 0–5
	Qualitative string            `json:"qualitative"`
	Quantities  map[string]string `json:"quantities"`
	Plans       map[string]string `json:"plans,omitempty"`
	// GateNotes says, by gate, why a declaration was failed (no verified
	// accreditation behind it) or stands (the buyer's override).
	GateNotes map[string]string `json:"gate_notes,omitempty"`
}

// Result is one bid's scores. Scores are exact fractions ("p/q" when they
// do not terminate); Total4 is the total rounded half away from zero to
// four decimals, for display. Ranking always uses the exact values.
type Result struct {
	Bid          string     `json:"bid"`
	Supplier     string     `json:"supplier"`
	Compliant    bool       `json:"compliant"`
	Excluded     string     `json:"excluded,omitempty"`
	Price        string     `json:"price_score"`
	Quality      string     `json:"quality_score"`
	SocialValue  string     `json:"social_value_score"`
	Total        string     `json:"total"`
	Total4       string     `json:"total_4dp"`
	Price4       string     `json:"price_score_4dp"`
	Quality4     string     `json:"quality_score_4dp"`
	SocialValue4 string     `json:"social_value_score_4dp"`
	Rank         int        `json:"rank,omitempty"`
	Flags        []string   `json:"flags,omitempty"`
	Explanations []string   `json:"explanation"`
	Lines        []LineExpl `json:"lines"`

	price, quality, sv, total *big.Rat
}

// LineExpl is one term of a score, for the evaluation page.
type LineExpl struct {
	Part    string `json:"part"` // price, quality, social_value
	Item    string `json:"item"`
	Input   string `json:"input"`
	Formula string `json:"formula"`
	Value   string `json:"value"`
}

// Exact scores for callers that need to compare or sum.
func (r Result) TotalRat() *big.Rat { return r.total }

func rat(s, what string) (*big.Rat, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return new(big.Rat), nil
	}
	v, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("%s: %q is not a number", what, s)
	}
	return v, nil
}

// milliOf reads a plain non-negative decimal with at most three places
// ("12", "4.5", "0.125") as thousandths; anything else is left to big.Rat.
func milliOf(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 15 || len(frac) > 3 {
		return 0, false
	}
	var n int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	for i := 0; i < 3; i++ {
		n *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n += int64(c - '0')
		}
	}
	return n, true
}

func ri(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }

func mul(a ...*big.Rat) *big.Rat {
	out := ri(1)
	for _, x := range a {
		out.Mul(out, x)
	}
	return out
}

func quo(a, b *big.Rat) *big.Rat { return new(big.Rat).Quo(a, b) }

func add(a ...*big.Rat) *big.Rat {
	out := new(big.Rat)
	for _, x := range a {
		out.Add(out, x)
	}
	return out
}

// Exact formats a rational as a terminating decimal when it is one, else
// p/q. A fraction terminates when its (reduced) denominator is 2^a × 5^b,
// and then needs exactly max(a, b) decimal places.
func Exact(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	den := r.Denom()
	twos := den.TrailingZeroBits()
	rest := new(big.Int).Rsh(den, twos)
	fives := uint(0)
	if rest.IsUint64() {
		d := rest.Uint64()
		for d%5 == 0 {
			d /= 5
			fives++
		}
		if d != 1 {
			return r.RatString()
		}
	} else {
		five, m := big.NewInt(5), new(big.Int)
		for {
			q, rem := new(big.Int).QuoRem(rest, five, m)
			if rem.Sign() != 0 {
				break
			}
			rest = q
			fives++
		}
		if rest.Cmp(big.NewInt(1)) != 0 {
			return r.RatString()
		}
	}
	return r.FloatString(int(max(twos, fives)))
}

// Show is for explanations: the exact decimal when it has at most six
// places, otherwise the value to six places marked "≈" (the exact value is
// in the export).
func Show(r *big.Rat) string {
	x := Exact(r)
	if dot := strings.IndexByte(x, '.'); !strings.Contains(x, "/") && (dot < 0 || len(x)-dot-1 <= 6) {
		return x
	}
	return "≈" + r.FloatString(6)
}

// Round4 rounds half away from zero to four decimals.
func Round4(r *big.Rat) string {
	return r.FloatString(4) // FloatString rounds half away from zero
}

// validate checks the export format and that the weights add up.
func (e Evaluation) validate() error {
	if e.Format != EvaluationFormat {
		return fmt.Errorf("format is %q; expected %q", e.Format, EvaluationFormat)
	}
	w := e.Weights
	if w.Price+w.Quality+w.SocialValue != 100 {
		return fmt.Errorf("weights price %d + quality %d + social value %d do not sum to 100", w.Price, w.Quality, w.SocialValue)
	}
	sum := 0
	for _, c := range e.Criteria {
		sum += c.Weight
	}
	if len(e.Criteria) > 0 && sum != w.Quality {
		return fmt.Errorf("quality criteria weights sum to %d, not the quality weight %d", sum, w.Quality)
	}
	return nil
}

// Evaluate computes every bid's scores and the ranking. It is pure: the
// same Evaluation always gives the same results, digit for digit.
func Evaluate(e Evaluation) ([]Result, error) {
	if err := e.validate(); err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	alpha, err := rat(e.Alpha, "alpha")
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	if alpha.Sign() < 0 || alpha.Cmp(ri(1)) > 0 {
		return nil, fmt.Errorf("evaluate: alpha %s is not between 0 and 1", e.Alpha)
	}
	omega, err := MeasureWeights(e.People, e.Measures)
	if err != nil {
		return nil, fmt.Errorf("evaluate: %w", err)
	}
	five := ri(5)
	res := make([]Result, len(e.Bids))
	qty := make([]map[string]*big.Rat, len(e.Bids))
	var lowest *big.Rat
	maxQ := map[string]*big.Rat{}
	for _, m := range e.Measures {
		maxQ[m.Key] = new(big.Rat)
	}
	anyProxy := false
	for _, m := range e.Measures {
		anyProxy = anyProxy || m.ProxyPence > 0
	}
	unit, upliftNote, err := unitValues(e)
	if err != nil {
		return nil, err
	}
	// Parse every bid's quantities and its monetised sum (for the monetised
	// method and the plausibility flag), in parallel.
	money := make([]*big.Rat, len(e.Bids))
	milli := make([][]int64, len(e.Bids)) // quantity in thousandths, or -1
	if err := parallel(len(e.Bids), func(i int) error {
		b := e.Bids[i]
		r := Result{Bid: b.ID, Supplier: b.Supplier, Compliant: true}
		if b.PricePence <= 0 {
			return fmt.Errorf("evaluate: bid %s: price must be more than zero", b.ID)
		}
		for _, g := range e.Gates {
			if !b.Gates[g] {
				r.Compliant = false
				r.Excluded = "Does not meet the pass/fail gate: " + GateLabel(g)
				if n := b.GateNotes[g]; n != "" {
					r.Excluded += " (" + n + ")"
				}
				break
			}
		}
		qty[i] = map[string]*big.Rat{}
		milli[i] = make([]int64, len(e.Measures))
		money[i] = new(big.Rat)
		// Quantities are almost always in thousandths (the bid form's
		// precision): then they also get an integer key for sorting, and the
		// monetised sum is an integer in thousandths of a penny.
		sum, t, allMilli := new(big.Int), new(big.Int), true
		for mi, m := range e.Measures {
			raw := b.Quantities[m.Key]
			var q *big.Rat
			if n, ok := milliOf(raw); ok {
				q, milli[i][mi] = big.NewRat(n, 1000), n
			} else {
				var err error
				if q, err = rat(raw, "bid "+b.ID+" quantity for "+m.Key); err != nil {
					return fmt.Errorf("evaluate: %w", err)
				}
				if q.Sign() < 0 {
					return fmt.Errorf("evaluate: bid %s quantity for %s is negative", b.ID, m.Key)
				}
				milli[i][mi], allMilli = -1, false
			}
			qty[i][m.Key] = q
			if m.ProxyPence > 0 {
				if allMilli && unit[mi].IsInt() {
					sum.Add(sum, t.Mul(unit[mi].Num(), big.NewInt(milli[i][mi])))
				} else {
					money[i].Add(money[i], mul(unit[mi], q))
				}
			}
		}
		money[i].Add(money[i], new(big.Rat).SetFrac(sum, big.NewInt(1000)))
		res[i] = r
		return nil
	}); err != nil {
		return nil, err
	}
	maxMoney := new(big.Rat)
	for i, b := range e.Bids {
		if !res[i].Compliant {
			continue
		}
		for _, m := range e.Measures {
			if q := qty[i][m.Key]; q.Cmp(maxQ[m.Key]) > 0 {
				maxQ[m.Key] = q
			}
		}
		if p := ri(b.PricePence); lowest == nil || p.Cmp(lowest) < 0 {
			lowest = p
		}
		if money[i].Cmp(maxMoney) > 0 {
			maxMoney = money[i]
		}
	}
	if e.Method == MethodMonetised && !anyProxy {
		return nil, fmt.Errorf("evaluate: the monetised method needs measures with proxy values")
	}
	if e.Method == MethodMonetised && e.Uplift == nil {
		if years := proxyPriceYears(e.Measures); len(years) > 1 {
			return nil, fmt.Errorf("evaluate: the monetised method cannot add proxy values in different years' prices (%s) without an uplift index", strings.Join(years, ", "))
		}
	}
	// Each measure's compliant quantities, sorted once, for the "three times
	// the median of the other bids" flag.
	// at[m][j] is bid j's position in that order, so removing it is free.
	medians, at := make([]*medianCache, len(e.Measures)), make([][]int, len(e.Measures))
	_ = parallel(len(e.Measures), func(mi int) error {
		key := e.Measures[mi].Key
		var idx []int
		for j := range e.Bids {
			if res[j].Compliant {
				idx = append(idx, j)
			}
		}
		ints := true
		for _, j := range idx {
			ints = ints && milli[j][mi] >= 0
		}
		if ints {
			sort.Slice(idx, func(a, b int) bool { return milli[idx[a]][mi] < milli[idx[b]][mi] })
		} else {
			sort.Slice(idx, func(a, b int) bool { return qty[idx[a]][key].Cmp(qty[idx[b]][key]) < 0 })
		}
		xs, pos := make([]*big.Rat, len(idx)), make([]int, len(e.Bids))
		for k, j := range idx {
			xs[k], pos[j] = qty[j][key], k
		}
		medians[mi], at[mi] = &medianCache{sorted: xs}, pos
		medians[mi].fill()
		return nil
	})
	// coef is ω ÷ highest compliant quantity per measure (0 when that is 0),
	// so each bid's term is one multiplication; the texts are formatted once.
	coef, maxText, omegaText := map[string]*big.Rat{}, map[string]string{}, map[string]string{}
	for _, m := range e.Measures {
		coef[m.Key] = new(big.Rat)
		if maxQ[m.Key].Sign() > 0 {
			coef[m.Key] = quo(omega[m.Key], maxQ[m.Key])
		}
		maxText[m.Key], omegaText[m.Key] = Show(maxQ[m.Key]), Show(omega[m.Key])
	}
	cs := make([]*big.Rat, len(e.Measures))
	for mi, m := range e.Measures {
		cs[mi] = coef[m.Key]
	}
	coefSum := newLinear(cs)
	wP, wS := ri(int64(e.Weights.Price)), ri(int64(e.Weights.SocialValue))
	// Each bid's score depends only on the shared, read-only values above,
	// so bids are scored in parallel; results land in their own slots and
	// the first error by bid order is reported, as a sequential loop would.
	score := func(i int) error {
		b := e.Bids[i]
		r := &res[i]
		if !r.Compliant {
			r.Price, r.Quality, r.SocialValue, r.Total, r.Total4 = "0", "0", "0", "0", "0.0000"
			r.Price4, r.Quality4, r.SocialValue4 = "0.0000", "0.0000", "0.0000"
			r.price, r.quality, r.sv, r.total = new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat)
			r.Explanations = append(r.Explanations, r.Excluded+". Excluded bids are not scored, and their prices and quantities are left out of every comparison.")
			return nil
		}
		p := ri(b.PricePence)
		r.price = mul(wP, quo(lowest, p))
		r.Lines = append(r.Lines, LineExpl{Part: "price", Item: "Price", Input: pounds(b.PricePence) + " (lowest compliant " + pounds(lowest.Num().Int64()) + ")",
			Formula: fmt.Sprintf("%d × lowest ÷ price", e.Weights.Price), Value: Show(r.price)})
		r.quality = new(big.Rat)
		for _, c := range e.Criteria {
			mk, err := rat(b.Marks[c.Key], "bid "+b.ID+" mark for "+c.Key)
			if err != nil {
				return fmt.Errorf("evaluate: %w", err)
			}
			if err := markRange(mk, "bid "+b.ID+" mark for "+c.Key); err != nil {
				return err
			}
			term := mul(ri(int64(c.Weight)), quo(mk, five))
			r.quality.Add(r.quality, term)
			r.Lines = append(r.Lines, LineExpl{Part: "quality", Item: c.Key + " " + c.Title, Input: "consensus mark " + Show(mk) + " of 5",
				Formula: fmt.Sprintf("%d × mark ÷ 5", c.Weight), Value: Show(term)})
		}
		qual, err := rat(b.Qualitative, "bid "+b.ID+" qualitative social value mark")
		if err != nil {
			return fmt.Errorf("evaluate: %w", err)
		}
		if err := markRange(qual, "bid "+b.ID+" qualitative social value mark"); err != nil {
			return err
		}
		quant := new(big.Rat)
		if e.Method == MethodMonetised {
			if maxMoney.Sign() > 0 {
				quant = quo(money[i], maxMoney)
			}
			for mi, m := range e.Measures {
				r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: m.Key + " " + m.Title, Input: Exact(qty[i][m.Key]) + " " + m.Unit + " × " + pounds(m.ProxyPence) + " (" + m.ProxySource + priceYearNote(m.ProxyPriceYear) + ")" + upliftNote[mi],
					Formula: "quantity × proxy value", Value: ratPounds(mul(unit[mi], qty[i][m.Key]))})
			}
			r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: "Monetised commitments", Input: "this bid's total " + ratPounds(money[i]) + " ÷ highest compliant total " + ratPounds(maxMoney),
				Formula: "Σ value × quantity ÷ max", Value: Show(quant)})
		} else {
			qs := make([]*big.Rat, len(e.Measures))
			for mi, m := range e.Measures {
				qs[mi] = qty[i][m.Key]
			}
			var terms []string
			quant, terms = coefSum.of(qs)
			for mi, m := range e.Measures {
				r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: m.Key + " " + m.Title,
					Input:   Exact(qs[mi]) + " " + m.Unit + " (highest compliant " + maxText[m.Key] + "); measure weight ω = " + omegaText[m.Key],
					Formula: "ω × quantity ÷ highest", Value: terms[mi]})
			}
		}
		qualShare := quo(qual, five)
		oneMinus := new(big.Rat).Sub(ri(1), alpha)
		r.sv = mul(wS, add(mul(alpha, quant), mul(oneMinus, qualShare)))
		r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: "Qualitative social value answer", Input: "consensus mark " + Show(qual) + " of 5",
			Formula: "(1 − α) × mark ÷ 5", Value: Show(mul(oneMinus, qualShare))})
		r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: "Social value score", Input: "α = " + Show(alpha) + ", commitments " + Show(quant),
			Formula: fmt.Sprintf("%d × [α × commitments + (1 − α) × mark ÷ 5]", e.Weights.SocialValue), Value: Show(r.sv)})
		r.total = add(r.price, r.quality, r.sv)
		r.Price, r.Quality, r.SocialValue, r.Total, r.Total4 = Exact(r.price), Exact(r.quality), Exact(r.sv), Exact(r.total), Round4(r.total)
		r.Price4, r.Quality4, r.SocialValue4 = Round4(r.price), Round4(r.quality), Round4(r.sv)
		// Plausibility flags: for evaluators to look at, never exclusions.
		if anyProxy && money[i].Cmp(quo(p, ri(2))) > 0 {
			r.Flags = append(r.Flags, fmt.Sprintf("Monetised social value %s is more than half the bid price", ratPounds(money[i])))
		}
		for mi, m := range e.Measures {
			if med, three := medians[mi].without(at[mi][i]); med != nil && med.Sign() > 0 && qty[i][m.Key].Cmp(three) > 0 {
				r.Flags = append(r.Flags, fmt.Sprintf("%s: %s is more than three times the median of the other compliant bids (%s)", m.Key, Exact(qty[i][m.Key]), Exact(med)))
			}
			if qty[i][m.Key].Sign() > 0 && strings.TrimSpace(b.Plans[m.Key]) == "" {
				r.Flags = append(r.Flags, m.Key+": a commitment with no delivery plan")
			}
		}
		return nil
	}
	if err := parallel(len(e.Bids), score); err != nil {
		return nil, err
	}
	rank(e.Bids, res)
	return res, nil
}

// linear is Σ c_m × q_m with the coefficients over one common denominator
// L, found once: a bid's sum is then integer multiply-adds and a single
// reduction, not one gcd per term (which dominated scoring 200 bids × 40
// measures). It is exact; only the per-term display values are rounded.
type linear struct {
	num []*big.Int // c_m × L
	den *big.Int   // L
}

func newLinear(cs []*big.Rat) linear {
	l := big.NewInt(1)
	for _, c := range cs {
		l = lcm(l, c.Denom())
	}
	nums := make([]*big.Int, len(cs))
	for i, c := range cs {
		nums[i] = new(big.Int).Mul(c.Num(), new(big.Int).Quo(l, c.Denom()))
	}
	return linear{num: nums, den: l}
}

func lcm(a, b *big.Int) *big.Int {
	g := new(big.Int).GCD(nil, nil, a, b)
	return new(big.Int).Mul(a, new(big.Int).Quo(b, g))
}

// of returns the exact sum for quantities qs and each term to 6 decimal
// places (rounded half away from zero), for the explanation.
func (l linear) of(qs []*big.Rat) (*big.Rat, []string) {
	d := big.NewInt(1) // the quantities' common denominator: small (thousandths)
	for _, q := range qs {
		if !q.IsInt() {
			d = lcm(d, q.Denom())
		}
	}
	den := new(big.Int).Mul(l.den, d)
	sum := new(big.Int)
	terms := make([]string, len(qs))
	t := new(big.Int)
	for i, q := range qs {
		t.Mul(l.num[i], q.Num())
		t.Mul(t, new(big.Int).Quo(d, q.Denom()))
		sum.Add(sum, t)
		terms[i] = decimal(t, den, 6)
	}
	return new(big.Rat).SetFrac(sum, den), terms
}

// decimal formats p/q (p ≥ 0, q > 0) to places decimals, rounding half
// away from zero and marking a rounded value "≈", without reducing the
// fraction.
func decimal(p, q *big.Int, places int) string {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	n := new(big.Int).Mul(p, scale)
	prefix := ""
	if new(big.Int).Rem(n, q).Sign() != 0 {
		prefix = "≈" // rounded, as Show marks it
	}
	n.Mul(n, big.NewInt(2)).Add(n, q)
	n.Quo(n, new(big.Int).Mul(q, big.NewInt(2)))
	s := n.String()
	if len(s) <= places {
		s = strings.Repeat("0", places-len(s)+1) + s
	}
	return prefix + s[:len(s)-places] + "." + s[len(s)-places:]
}

// parallel runs fn for 0…n-1 on up to GOMAXPROCS goroutines and returns
// the error of the lowest index that failed, as a sequential loop would.
func parallel(n int, fn func(i int) error) error {
	errs := make([]error, n)
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				errs[i] = fn(i)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func markRange(m *big.Rat, what string) error {
	if m.Sign() < 0 || m.Cmp(ri(5)) > 0 {
		return fmt.Errorf("evaluate: %s %s is not between 0 and 5", what, Exact(m))
	}
	return nil
}

// medianCache gives the median of a sorted list without its element k
// (the other bids' quantities), and three times it. Removing one element
// shifts the indices after it by one, so there are at most three distinct
// answers; fill computes them all before bids are scored in parallel.
type medianCache struct {
	sorted []*big.Rat
	memo   map[[2]int][2]*big.Rat // → median, 3 × median
}

func (c *medianCache) key(k int) ([2]int, bool) {
	n := len(c.sorted) - 1
	if n <= 0 {
		return [2]int{}, false
	}
	at := func(j int) int {
		if j >= k {
			return j + 1
		}
		return j
	}
	key := [2]int{at(n / 2), at(n / 2)}
	if n%2 == 0 {
		key[0] = at(n/2 - 1)
	}
	return key, true
}

func (c *medianCache) fill() {
	c.memo = map[[2]int][2]*big.Rat{}
	for k := range c.sorted {
		key, ok := c.key(k)
		if _, done := c.memo[key]; !ok || done {
			continue
		}
		m := c.sorted[key[1]]
		if key[0] != key[1] {
			m = quo(add(c.sorted[key[0]], c.sorted[key[1]]), ri(2))
		}
		c.memo[key] = [2]*big.Rat{m, mul(ri(3), m)}
	}
}

// without returns the median without element k and three times it, or
// nils when no other element remains.
func (c *medianCache) without(k int) (med, three *big.Rat) {
	key, ok := c.key(k)
	if !ok {
		return nil, nil
	}
	v := c.memo[key]
	return v[0], v[1]
}

// rank orders compliant bids by total, then higher quality, then lower
// price, then earlier final submission; excluded bids get no rank.
func rank(bids []EvalBid, res []Result) {
	idx := []int{}
	for i := range res {
		if res[i].Compliant {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := idx[a], idx[b]
		if c := res[x].total.Cmp(res[y].total); c != 0 {
			return c > 0
		}
		if c := res[x].quality.Cmp(res[y].quality); c != 0 {
			return c > 0
		}
		if bids[x].PricePence != bids[y].PricePence {
			return bids[x].PricePence < bids[y].PricePence
		}
		return bids[x].SubmittedAt.Before(bids[y].SubmittedAt)
	})
	for n, i := range idx {
		res[i].Rank = n + 1
	}
}

// MeasureWeights gives each selected measure ω_m = π_p ÷ (selected measures
// in p), renormalised to sum to 1. When every π_p is zero the measures
// weigh the same.
func MeasureWeights(p EvalPeople, ms []EvalMeasure) (map[string]*big.Rat, error) {
	count := map[string]int64{}
	for _, m := range ms {
		count[m.Priority]++
	}
	out := map[string]*big.Rat{}
	sum := new(big.Rat)
	for _, m := range ms {
		pi, err := rat(p.Weights[m.Priority], "People's Weight for "+m.Priority)
		if err != nil {
			return nil, err
		}
		if pi.Sign() < 0 {
			return nil, fmt.Errorf("the People's Weight for %s is negative", m.Priority)
		}
		out[m.Key] = quo(pi, ri(count[m.Priority]))
		sum.Add(sum, out[m.Key])
	}
	for _, m := range ms {
		if sum.Sign() == 0 {
			out[m.Key] = quo(ri(1), ri(int64(len(ms))))
		} else {
			out[m.Key] = quo(out[m.Key], sum)
		}
	}
	return out, nil
}

// ratPounds shows a pence amount that may carry a fraction, to the penny below.
func ratPounds(r *big.Rat) string {
	return pounds(new(big.Int).Quo(r.Num(), r.Denom()).Int64())
}

// pounds shows whole pounds without pence, as prices in explanations.
func pounds(p int64) string { return fund.Pounds(p) }

func ratPercent(p int) *big.Rat { return big.NewRat(int64(p), 100) }

// UpliftFrom copies a price index for a tender: its description, the
// price year to move values into, and each year's value as an exact
// decimal (or p/q).
func UpliftFrom(ix proxies.Index, priceYear string) *EvalUplift {
	u := &EvalUplift{Index: ix.Name, Source: ix.Source, Published: ix.Published, PriceYear: priceYear, Years: map[string]string{}}
	for y, v := range ix.Years {
		u.Years[y] = Exact(v)
	}
	return u
}

// unitValues is each measure's proxy value in pence, moved into the
// uplift's price year when the evaluation has one, with a note saying how.
func unitValues(e Evaluation) ([]*big.Rat, []string, error) {
	unit, notes := make([]*big.Rat, len(e.Measures)), make([]string, len(e.Measures))
	var to *big.Rat
	if u := e.Uplift; u != nil {
		var err error
		if to, err = rat(u.Years[u.PriceYear], "uplift index value for "+u.PriceYear); err != nil || to.Sign() <= 0 {
			return nil, nil, fmt.Errorf("evaluate: the uplift index %s has no value above zero for %s, the price year asked for", u.Index, u.PriceYear)
		}
	}
	for mi, m := range e.Measures {
		unit[mi] = ri(m.ProxyPence)
		if to == nil || m.ProxyPence <= 0 || m.ProxyPriceYear == e.Uplift.PriceYear {
			continue
		}
		u := e.Uplift
		from, err := rat(u.Years[m.ProxyPriceYear], "uplift index value for "+m.ProxyPriceYear)
		if err != nil || from.Sign() <= 0 {
			return nil, nil, fmt.Errorf("evaluate: the uplift index %s has no value above zero for %s, the price year of %s's proxy value", u.Index, m.ProxyPriceYear, m.Key)
		}
		unit[mi] = quo(mul(unit[mi], to), from)
		notes[mi] = fmt.Sprintf(" × %s ÷ %s (%s, %s, published %s: %s prices moved to %s prices)", u.Years[u.PriceYear], u.Years[m.ProxyPriceYear], u.Index, u.Source, u.Published, m.ProxyPriceYear, u.PriceYear)
	}
	return unit, notes, nil
}

// proxyPriceYears lists the distinct price years of the measures' proxy
// values, in order ("" is a value whose year was not recorded).
func proxyPriceYears(ms []EvalMeasure) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		if m.ProxyPence > 0 && !seen[m.ProxyPriceYear] {
			seen[m.ProxyPriceYear] = true
			out = append(out, m.ProxyPriceYear)
		}
	}
	sort.Strings(out)
	return out
}

func priceYearNote(y string) string {
	if y == "" {
		return ""
	}
	return ", in " + y + " prices"
}

// PriceRat, QualityRat and SocialValueRat are the exact part scores (zero
// for excluded bids).
func (r Result) PriceRat() *big.Rat       { return orZero(r.price, r.Price) }
func (r Result) QualityRat() *big.Rat     { return orZero(r.quality, r.Quality) }
func (r Result) SocialValueRat() *big.Rat { return orZero(r.sv, r.SocialValue) }

// orZero prefers the computed value, else parses the exported string.
func orZero(v *big.Rat, s string) *big.Rat {
	if v != nil {
		return v
	}
	if x, ok := new(big.Rat).SetString(s); ok {
		return x
	}
	return new(big.Rat)
}
