package spend

import (
	"fmt"
	"math/big"
	"time"

	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/problem"
)

// SurveyAnswer is one supplier's answer to the re-spend survey, in tenths
// of a percent (625 = 62.5%): the shares of its income from the contract
// spent on wages and on purchases, and the shares of those wages paid to
// staff living, and of those purchases made from suppliers based, in the
// buyer's district and in Greater Manchester (which includes the district).
type SurveyAnswer struct {
	WageShare, WageDistrict, WageGM             int
	PurchaseShare, PurchaseDistrict, PurchaseGM int
}

// Validate checks the answer; field names follow the survey form.
func (a SurveyAnswer) Validate() error {
	v := &problem.Invalid{}
	for _, f := range []struct {
		name string
		val  int
	}{{"wage_share", a.WageShare}, {"wage_district", a.WageDistrict}, {"wage_gm", a.WageGM}, {"purchase_share", a.PurchaseShare}, {"purchase_district", a.PurchaseDistrict}, {"purchase_gm", a.PurchaseGM}} {
		if f.val < 0 || f.val > 1000 {
			v.Add(f.name, "Enter a percentage from 0 to 100%%")
		}
	}
	if a.WageShare+a.PurchaseShare > 1000 {
		v.Add("purchase_share", "Wages and purchases together cannot be more than 100%% of the income")
	}
	if a.WageDistrict > a.WageGM {
		v.Add("wage_gm", "The Greater Manchester share includes the district, so it cannot be smaller")
	}
	if a.PurchaseDistrict > a.PurchaseGM {
		v.Add("purchase_gm", "The Greater Manchester share includes the district, so it cannot be smaller")
	}
	return v.Err()
}

// Respondent is a supplier that answered, with the buyer's spend with it.
type Respondent struct {
	SpendPence int64
	Answer     SurveyAnswer
}

// LM3Result is Local Multiplier 3 for one area (the district or GM).
type LM3Result struct {
	Area             string `json:"area"`
	R1Pence          int64  `json:"r1_pence"`
	R2Pence          int64  `json:"r2_pence"`
	R3Pence          int64  `json:"r3_pence"`
	R3FromAnswers    int64  `json:"r3_from_answers_pence"`
	R3Estimated      int64  `json:"r3_estimated_pence"`
	RespendPerPound  string `json:"respend_pence_per_pound"`
	LM3              string `json:"lm3"`
	Respondents      int    `json:"respondents"`
	RespondentsPence int64  `json:"respondents_spend_pence"`
	Note             string `json:"note,omitempty"`
}

// LM3 computes the New Economics Foundation's Local Multiplier 3 for a
// buyer and period, for one area:
//
//   - R1 is the buyer's total spend in the period (every payment, including
//     redacted payees).
//   - R2 is its spend with suppliers based or branched in the area (from the
//     spend analysis; suppliers of unknown location are not counted).
//   - R3 is what those suppliers re-spend in the area. For a supplier that
//     answered: spend × (wage share × share of wages paid to staff living in
//     the area + purchase share × share of purchases from suppliers based
//     there). Spend with local suppliers that did not answer (or were not
//     asked) is assumed to be re-spent at the respondents' spend-weighted
//     average rate. With no respondents, R3 is 0 and the result is a lower
//     bound.
//
// LM3 = (R1 + R2 + R3) ÷ R1; re-spend is R3 ÷ R2 in pence per pound.
// Arithmetic is exact; pence round half up and LM3 shows 4 decimals.
func LM3(area string, r1, r2 int64, resp []Respondent, gm bool) LM3Result {
	out := LM3Result{Area: area, R1Pence: r1, R2Pence: r2, Respondents: len(resp)}
	answered, spendAnswered := new(big.Rat), int64(0)
	for _, r := range resp {
		a := r.Answer
		wage, purchase := a.WageDistrict, a.PurchaseDistrict
		if gm {
			wage, purchase = a.WageGM, a.PurchaseGM
		}
		// per mille × per mille → per million
		rate := big.NewRat(int64(a.WageShare*wage+a.PurchaseShare*purchase), 1_000_000)
		answered.Add(answered, new(big.Rat).Mul(rate, big.NewRat(r.SpendPence, 1)))
		spendAnswered += r.SpendPence
	}
	out.RespondentsPence = spendAnswered
	r3 := new(big.Rat).Set(answered)
	estimated := new(big.Rat)
	switch {
	case spendAnswered == 0:
		out.Note = "No supplier has answered yet, so re-spend is not counted: LM3 is a lower bound."
	case r2 > spendAnswered:
		avg := new(big.Rat).Quo(answered, big.NewRat(spendAnswered, 1))
		estimated.Mul(avg, big.NewRat(r2-spendAnswered, 1))
		r3.Add(r3, estimated)
		out.Note = fmt.Sprintf("Re-spend for %s of local spend with suppliers that did not answer is estimated at the respondents' average rate.", penceText(r2-spendAnswered))
	}
	out.R3FromAnswers, out.R3Estimated, out.R3Pence = roundPence(answered), roundPence(estimated), roundPence(r3)
	if r2 > 0 {
		out.RespendPerPound = new(big.Rat).Quo(new(big.Rat).Mul(r3, big.NewRat(100, 1)), big.NewRat(r2, 1)).FloatString(1)
	} else {
		out.RespendPerPound = "0.0"
	}
	if r1 > 0 {
		sum := new(big.Rat).Add(big.NewRat(r1+r2, 1), r3)
		out.LM3 = sum.Quo(sum, big.NewRat(r1, 1)).FloatString(4)
	}
	return out
}

func roundPence(r *big.Rat) int64 {
	x := new(big.Rat).Add(r, big.NewRat(1, 2))
	return new(big.Int).Quo(x.Num(), x.Denom()).Int64()
}

// penceText writes an estimate in whole pounds in the one money format
// (fund.Pounds): £12,345.
func penceText(p int64) string { return fund.Pounds(p / 100 * 100) }

// Survey statuses of a supplier.
const (
	SurveySent     = "sent"       // on the hub: its members can answer
	SurveyAnswered = "answered"   // answered
	SurveyNotOnHub = "not_on_hub" // not a directory organisation: counted as not answering
)

// Survey is a re-spend survey of a buyer's top local suppliers.
type Survey struct {
	ID         int64
	BuyerOrgID int64
	BuyerName  string
	BuyerSlug  string
	From, To   string
	Top        int
	CreatedAt  time.Time
	Suppliers  []SurveySupplier
}

// SurveySupplier is one supplier asked, and its answer once given.
type SurveySupplier struct {
	Key, Name  string
	OrgID      int64
	SpendPence int64
	Location   string // district or gm
	Status     string
	Answer     SurveyAnswer
}

// Respondents returns the answers of suppliers located in the district
// (for the district's LM3) or anywhere in GM (for GM's).
func (s Survey) Respondents(gm bool) []Respondent {
	var out []Respondent
	for _, x := range s.Suppliers {
		if x.Status == SurveyAnswered && (x.Location == "district" || gm && x.Location == "gm") {
			out = append(out, Respondent{x.SpendPence, x.Answer})
		}
	}
	return out
}
