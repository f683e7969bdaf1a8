package tenders

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"
	"time"
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
	Results  []Result        `json:"results,omitempty"`
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

// Exact formats a rational as a terminating decimal when it is one, else p/q.
func Exact(r *big.Rat) string {
	d := new(big.Int).Set(r.Denom())
	for _, p := range []int64{2, 5} {
		bp := big.NewInt(p)
		m := new(big.Int)
		for {
			q, rem := new(big.Int).QuoRem(d, bp, m)
			if rem.Sign() != 0 {
				break
			}
			d = q
		}
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return r.RatString()
	}
	// Enough digits for any terminating decimal with this denominator.
	digits := len(r.Denom().String()) * 4
	s := r.FloatString(digits)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Round4 rounds half away from zero to four decimals.
func Round4(r *big.Rat) string {
	return r.FloatString(4) // FloatString rounds half away from zero
}

// ModelWeightsValid checks the top-level weights against the policy minimum.
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
	for i, b := range e.Bids {
		r := Result{Bid: b.ID, Supplier: b.Supplier, Compliant: true}
		if b.PricePence <= 0 {
			return nil, fmt.Errorf("evaluate: bid %s: price must be more than zero", b.ID)
		}
		for _, g := range e.Gates {
			if !b.Gates[g] {
				r.Compliant = false
				r.Excluded = "Does not meet the pass/fail gate: " + GateLabel(g)
				break
			}
		}
		qty[i] = map[string]*big.Rat{}
		for _, m := range e.Measures {
			q, err := rat(b.Quantities[m.Key], "bid "+b.ID+" quantity for "+m.Key)
			if err != nil {
				return nil, fmt.Errorf("evaluate: %w", err)
			}
			if q.Sign() < 0 {
				return nil, fmt.Errorf("evaluate: bid %s quantity for %s is negative", b.ID, m.Key)
			}
			qty[i][m.Key] = q
			if r.Compliant && q.Cmp(maxQ[m.Key]) > 0 {
				maxQ[m.Key] = q
			}
		}
		if r.Compliant {
			p := ri(b.PricePence)
			if lowest == nil || p.Cmp(lowest) < 0 {
				lowest = p
			}
		}
		res[i] = r
	}
	// Monetised sums, and the highest compliant one, for the monetised method
	// and the plausibility flag.
	money := make([]*big.Rat, len(e.Bids))
	maxMoney := new(big.Rat)
	anyProxy := false
	for _, m := range e.Measures {
		anyProxy = anyProxy || m.ProxyPence > 0
	}
	for i := range e.Bids {
		money[i] = new(big.Rat)
		for _, m := range e.Measures {
			money[i].Add(money[i], mul(ri(m.ProxyPence), qty[i][m.Key]))
		}
		if res[i].Compliant && money[i].Cmp(maxMoney) > 0 {
			maxMoney = money[i]
		}
	}
	if e.Method == MethodMonetised && !anyProxy {
		return nil, fmt.Errorf("evaluate: the monetised method needs measures with proxy values")
	}
	wP, wS := ri(int64(e.Weights.Price)), ri(int64(e.Weights.SocialValue))
	for i, b := range e.Bids {
		r := &res[i]
		if !r.Compliant {
			r.Price, r.Quality, r.SocialValue, r.Total, r.Total4 = "0", "0", "0", "0", "0.0000"
			r.price, r.quality, r.sv, r.total = new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat)
			r.Explanations = append(r.Explanations, r.Excluded+". Excluded bids are not scored, and their prices and quantities are left out of every comparison.")
			continue
		}
		p := ri(b.PricePence)
		r.price = mul(wP, quo(lowest, p))
		r.Lines = append(r.Lines, LineExpl{Part: "price", Item: "Price", Input: pounds(b.PricePence) + " (lowest compliant " + pounds(lowest.Num().Int64()) + ")",
			Formula: fmt.Sprintf("%d × lowest ÷ price", e.Weights.Price), Value: Exact(r.price)})
		r.quality = new(big.Rat)
		for _, c := range e.Criteria {
			mk, err := rat(b.Marks[c.Key], "bid "+b.ID+" mark for "+c.Key)
			if err != nil {
				return nil, fmt.Errorf("evaluate: %w", err)
			}
			if err := markRange(mk, "bid "+b.ID+" mark for "+c.Key); err != nil {
				return nil, err
			}
			term := mul(ri(int64(c.Weight)), quo(mk, five))
			r.quality.Add(r.quality, term)
			r.Lines = append(r.Lines, LineExpl{Part: "quality", Item: c.Key + " " + c.Title, Input: "consensus mark " + Exact(mk) + " of 5",
				Formula: fmt.Sprintf("%d × mark ÷ 5", c.Weight), Value: Exact(term)})
		}
		qual, err := rat(b.Qualitative, "bid "+b.ID+" qualitative social value mark")
		if err != nil {
			return nil, fmt.Errorf("evaluate: %w", err)
		}
		if err := markRange(qual, "bid "+b.ID+" qualitative social value mark"); err != nil {
			return nil, err
		}
		quant := new(big.Rat)
		if e.Method == MethodMonetised {
			if maxMoney.Sign() > 0 {
				quant = quo(money[i], maxMoney)
			}
			for _, m := range e.Measures {
				r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: m.Key + " " + m.Title, Input: Exact(qty[i][m.Key]) + " " + m.Unit + " × " + pounds(m.ProxyPence) + " (" + m.ProxySource + ")",
					Formula: "quantity × proxy value", Value: ratPounds(mul(ri(m.ProxyPence), qty[i][m.Key]))})
			}
			r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: "Monetised commitments", Input: "this bid's total ÷ highest compliant total",
				Formula: "Σ value × quantity ÷ max", Value: Exact(quant)})
		} else {
			for _, m := range e.Measures {
				s := new(big.Rat)
				if maxQ[m.Key].Sign() > 0 {
					s = quo(qty[i][m.Key], maxQ[m.Key])
				}
				term := mul(omega[m.Key], s)
				quant.Add(quant, term)
				r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: m.Key + " " + m.Title,
					Input:   fmt.Sprintf("%s %s (highest compliant %s); measure weight ω = %s", Exact(qty[i][m.Key]), m.Unit, Exact(maxQ[m.Key]), Exact(omega[m.Key])),
					Formula: "ω × quantity ÷ highest", Value: Exact(term)})
			}
		}
		qualShare := quo(qual, five)
		oneMinus := new(big.Rat).Sub(ri(1), alpha)
		r.sv = mul(wS, add(mul(alpha, quant), mul(oneMinus, qualShare)))
		r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: "Qualitative social value answer", Input: "consensus mark " + Exact(qual) + " of 5",
			Formula: "(1 − α) × mark ÷ 5", Value: Exact(mul(oneMinus, qualShare))})
		r.Lines = append(r.Lines, LineExpl{Part: "social_value", Item: "Social value score", Input: "α = " + Exact(alpha) + ", commitments " + Exact(quant),
			Formula: fmt.Sprintf("%d × [α × commitments + (1 − α) × mark ÷ 5]", e.Weights.SocialValue), Value: Exact(r.sv)})
		r.total = add(r.price, r.quality, r.sv)
		r.Price, r.Quality, r.SocialValue, r.Total, r.Total4 = Exact(r.price), Exact(r.quality), Exact(r.sv), Exact(r.total), Round4(r.total)
		// Plausibility flags: for evaluators to look at, never exclusions.
		if anyProxy && money[i].Cmp(quo(p, ri(2))) > 0 {
			r.Flags = append(r.Flags, fmt.Sprintf("Monetised social value %s is more than half the bid price", ratPounds(money[i])))
		}
		for _, m := range e.Measures {
			var others []*big.Rat
			for j := range e.Bids {
				if j != i && res[j].Compliant {
					others = append(others, qty[j][m.Key])
				}
			}
			if med := median(others); med != nil && med.Sign() > 0 && qty[i][m.Key].Cmp(mul(ri(3), med)) > 0 {
				r.Flags = append(r.Flags, fmt.Sprintf("%s: %s is more than three times the median of the other compliant bids (%s)", m.Key, Exact(qty[i][m.Key]), Exact(med)))
			}
			if qty[i][m.Key].Sign() > 0 && strings.TrimSpace(b.Plans[m.Key]) == "" {
				r.Flags = append(r.Flags, m.Key+": a commitment with no delivery plan")
			}
		}
	}
	rank(e.Bids, res)
	return res, nil
}

func markRange(m *big.Rat, what string) error {
	if m.Sign() < 0 || m.Cmp(ri(5)) > 0 {
		return fmt.Errorf("evaluate: %s %s is not between 0 and 5", what, Exact(m))
	}
	return nil
}

func median(xs []*big.Rat) *big.Rat {
	if len(xs) == 0 {
		return nil
	}
	s := slices.Clone(xs)
	sort.Slice(s, func(i, j int) bool { return s[i].Cmp(s[j]) < 0 })
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return quo(add(s[n/2-1], s[n/2]), ri(2))
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
			return nil, fmt.Errorf("People's Weight for %s is negative", m.Priority)
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

func pounds(p int64) string {
	neg := p < 0
	if neg {
		p = -p
	}
	whole := fmt.Sprintf("%d", p/100)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	s := "£" + b.String()
	if p%100 != 0 {
		s += fmt.Sprintf(".%02d", p%100)
	}
	if neg {
		s = "-" + s
	}
	return s
}

func ratPercent(p int) *big.Rat { return big.NewRat(int64(p), 100) }

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
