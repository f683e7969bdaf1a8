package tenders

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// OpenedBid is a bidder's final version, decrypted after the deadline.
type OpenedBid struct {
	OrgID       int64
	Supplier    string
	SubmittedAt time.Time
	Content     BidContent
}

// BidKey names a bid in an evaluation by its organisation.
func BidKey(orgID int64) string { return "org-" + strconv.FormatInt(orgID, 10) }

// People turns published People's Weights (shares by priority code, as
// published in JSON) into exact decimals to four places, so 0.1 is 1/10,
// not the binary double nearest it.
// With no published weights (nil), every priority weighs the same.
func People(published map[string]float64, priorityCodes []string, source string) EvalPeople {
	p := EvalPeople{Source: source, Weights: map[string]string{}}
	if published == nil {
		p.Equal = true
		p.Source = "Equal weights: no People's Weights had been published when this tender was set up"
		for _, c := range priorityCodes {
			p.Weights[c] = fmt.Sprintf("1/%d", len(priorityCodes))
		}
		return p
	}
	// The weights are used to four decimal places, as residents see them
	// (percentages to two places); ω renormalises over the selected
	// measures, so the rounding never makes the weights sum to more or
	// less than 1 where it matters.
	for _, c := range priorityCodes {
		p.Weights[c] = trimZeros(strconv.FormatFloat(published[c], 'f', 4, 64))
	}
	return p
}

// BuildEvaluation assembles the scoring inputs from the tender, its People's
// Weights, the opened bids and the consensus marks (by organisation, then
// criterion key).
func BuildEvaluation(t Tender, people EvalPeople, bids []OpenedBid, consensus map[int64]map[string]string) Evaluation {
	e := Evaluation{Format: EvaluationFormat, Tender: EvalTender{ID: t.ID, Title: t.Title, Buyer: t.BuyerName},
		Weights: ModelWeights{Price: t.WPrice, Quality: t.WQuality, SocialValue: t.WSV},
		Alpha:   Exact(ratPercent(t.AlphaPercent)), Method: t.Method, People: people, Gates: append([]string{}, t.Gates...), Uplift: t.Uplift}
	for i, c := range t.Criteria {
		e.Criteria = append(e.Criteria, EvalCriterion{Key: CriterionKey(i), Title: c.Title, Weight: c.Weight})
	}
	for _, m := range t.Measures {
		e.Measures = append(e.Measures, EvalMeasure{Key: m.Code, Title: m.Wording, Unit: m.Unit, Priority: m.PriorityCode, ProxyPence: m.ProxyPence, ProxySource: m.ProxySource, ProxyPriceYear: m.ProxyPriceYear})
	}
	for _, b := range bids {
		eb := EvalBid{ID: BidKey(b.OrgID), Supplier: b.Supplier, PricePence: b.Content.PricePence, SubmittedAt: b.SubmittedAt.UTC(),
			Gates: map[string]bool{}, Marks: map[string]string{}, Quantities: map[string]string{}, Plans: map[string]string{}}
		for _, g := range t.Gates {
			eb.Gates[g] = b.Content.Gates[g].Meets
		}
		for i := range t.Criteria {
			eb.Marks[CriterionKey(i)] = consensus[b.OrgID][CriterionKey(i)]
		}
		eb.Qualitative = consensus[b.OrgID][QualKey]
		for _, m := range t.Measures {
			c := b.Content.Commitments[m.Code]
			q, err := ParseQuantity(c.Quantity)
			if err != nil {
				q = 0 // validated at submission; an unreadable legacy value counts as none
			}
			eb.Quantities[m.Code] = Milli(q)
			eb.Plans[m.Code] = c.Plan
		}
		e.Bids = append(e.Bids, eb)
	}
	return e
}

// MeanMark is the default consensus: the exact mean of the evaluators' marks.
func MeanMark(marks []int) string {
	if len(marks) == 0 {
		return ""
	}
	sum := 0
	for _, m := range marks {
		sum += m
	}
	return Exact(big.NewRat(int64(sum), int64(len(marks))))
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
