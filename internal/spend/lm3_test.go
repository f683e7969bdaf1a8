package spend

import "testing"

// Worked by hand: R1 £1,000,000, R2 £400,000. Respondent A (£100,000):
// wages 50% of income, 80% of them local; purchases 30%, 50% local:
// rate 0.5×0.8 + 0.3×0.5 = 0.55 → £55,000. Respondent B (£100,000):
// 40%×50% + 40%×25% = 0.30 → £30,000. Average rate 85,000/200,000 =
// 0.425, applied to the other £200,000 of local spend → £85,000.
// R3 = £170,000; re-spend 42.5p per £; LM3 = 1,570,000/1,000,000 = 1.57.
func TestLM3HandComputed(t *testing.T) {
	a := SurveyAnswer{WageShare: 500, WageDistrict: 800, WageGM: 900, PurchaseShare: 300, PurchaseDistrict: 500, PurchaseGM: 700}
	b := SurveyAnswer{WageShare: 400, WageDistrict: 500, WageGM: 600, PurchaseShare: 400, PurchaseDistrict: 250, PurchaseGM: 500}
	got := LM3("Trafford", 1_000_000_00, 400_000_00, []Respondent{{100_000_00, a}, {100_000_00, b}}, false)
	if got.R3FromAnswers != 85_000_00 || got.R3Estimated != 85_000_00 || got.R3Pence != 170_000_00 || got.RespendPerPound != "42.5" || got.LM3 != "1.5700" {
		t.Fatalf("%+v", got)
	}
	none := LM3("Trafford", 1_000_000_00, 400_000_00, nil, false)
	if none.R3Pence != 0 || none.LM3 != "1.4000" || none.Note == "" {
		t.Fatalf("no respondents: %+v", none)
	}
	gm := LM3("Greater Manchester", 1_000_000_00, 200_000_00, []Respondent{{100_000_00, a}, {100_000_00, b}}, true)
	// GM rates: A 0.5×0.9 + 0.3×0.7 = 0.66; B 0.4×0.6 + 0.4×0.5 = 0.44 → £110,000, nothing to estimate.
	if gm.R3Pence != 110_000_00 || gm.R3Estimated != 0 || gm.LM3 != "1.3100" {
		t.Fatalf("gm: %+v", gm)
	}
}

func TestSurveyAnswerValidate(t *testing.T) {
	for _, bad := range []SurveyAnswer{{WageShare: 700, PurchaseShare: 400}, {WageShare: -1}, {WageDistrict: 600, WageGM: 500}, {PurchaseGM: 1001}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if err := (SurveyAnswer{WageShare: 500, WageDistrict: 300, WageGM: 800, PurchaseShare: 200, PurchaseDistrict: 100, PurchaseGM: 400}).Validate(); err != nil {
		t.Fatal(err)
	}
}
