package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/tenders"
)

// The Procurement Act 2023 on the tender form and on publishing: procedure
// and contract type, a direct award's ground, a planned procurement notice,
// and the section 54 time limit checked when the tender is published.

// addActOptions adds the Act's choices to the tender form's data.
func addActOptions(data map[string]any) {
	var procs, types, grounds []orgs.Option
	for _, p := range tenders.Procedures {
		procs = append(procs, orgs.Option{Value: p, Label: tenders.ProcedureLabel(p)})
	}
	for _, c := range tenders.ContractTypes {
		types = append(types, orgs.Option{Value: c, Label: fmt.Sprintf("%s (threshold %s including VAT)", tenders.ContractTypeLabel(c), fund.Pounds(tenders.ThresholdFor(c)))})
	}
	for _, j := range tenders.DirectJustifications {
		grounds = append(grounds, orgs.Option{Value: j.Code, Label: j.Label})
	}
	var cases []orgs.Option
	for _, c := range tenders.PeriodCases {
		v := c.Code
		if v == tenders.PeriodStandard {
			v = "usual" // a radio needs a value; parseAct reads it back as ""
		}
		cases = append(cases, orgs.Option{Value: v, Label: c.Label})
	}
	data["PeriodCases"] = cases
	data["Procedures"], data["ContractTypes"], data["DirectGrounds"] = procs, types, grounds
	data["ThresholdSource"] = tenders.ThresholdSource
}

// parseAct reads the Act's fields of the tender form.
func parseAct(f url.Values, t *tenders.Tender, v *problem.Invalid) {
	t.Procedure, t.ContractType = f.Get("procedure"), f.Get("contract_type")
	if t.Procedure == tenders.ProcDirectAward {
		t.DirectGround, t.DirectReason = f.Get("direct_ground"), strings.TrimSpace(f.Get("direct_reason"))
	}
	if t.PeriodCase = f.Get("period_case"); t.PeriodCase == "usual" {
		t.PeriodCase = tenders.PeriodStandard
	}
	if t.PeriodCase != tenders.PeriodStandard {
		t.PeriodReason = strings.TrimSpace(f.Get("period_reason"))
	}
	if p := strings.TrimSpace(f.Get("planned_notice")); p != "" {
		d, err := time.Parse(time.DateOnly, p)
		if err != nil {
			v.Add("planned_notice", "Enter the date the planned procurement notice was published, like 2026-01-15")
		} else {
			t.PlannedNotice = &d
		}
	}
}

// actForm puts the Act's fields of a tender back into form values.
func actForm(f url.Values, t tenders.Tender) {
	f.Set("procedure", t.Procedure)
	f.Set("contract_type", t.ContractType)
	f.Set("direct_ground", t.DirectGround)
	f.Set("direct_reason", t.DirectReason)
	f.Set("period_case", t.PeriodCase)
	if t.PeriodCase == tenders.PeriodStandard {
		f.Set("period_case", "usual")
	}
	f.Set("period_reason", t.PeriodReason)
	if t.PlannedNotice != nil {
		f.Set("planned_notice", t.PlannedNotice.Format(time.DateOnly))
	}
}

// publishTender publishes a draft after checking its tendering period
// against section 54. Above the threshold a short period is refused: the
// edit form comes back with the deadline in error, naming the minimum, the
// section and the earliest allowed deadline. Below it the tender is
// published with the warning shown and kept.
func (s *Server) publishTender(w http.ResponseWriter, r *http.Request, t tenders.Tender, a auth.Actor) error {
	now := s.now()
	c := t.CheckTenderingPeriod(now)
	if c.Refused {
		_ = s.Store.RecordRefusal(r.Context(), a, "tender.publish.refused", "tender", fmt.Sprint(t.ID), c.Message)
		data, _, err := s.tenderFormData(r)
		if err != nil {
			return err
		}
		data["Action"] = fmt.Sprintf("/tenders/%d/edit", t.ID)
		data["PublishRefused"] = true
		return s.invalid(w, r, problem.Field("deadline", "%s", c.Message), "tender-form", &page{Title: "Edit tender", Form: tenderForm(t), Data: data})
	}
	warning := ""
	if c.Short {
		warning = c.Message
	}
	facts := tenderNoticeFacts(t, now, c)
	if t.HasLots() {
		lots, err := s.Store.Lots(r.Context(), t.ID, now)
		if err != nil {
			return err
		}
		facts = append(facts[:len(facts)-1], append(lotFacts(lots), facts[len(facts)-1])...)
	}
	if err := s.Store.PublishTender(r.Context(), a, t.ID, warning, facts, now); err != nil {
		return err
	}
	msg := "Tender published: suppliers can now bid. The tender notice is published."
	if warning != "" {
		msg += " Warning: " + warning
	}
	setFlash(w, msg)
	return redirect(w, r, fmt.Sprintf("/tenders/%d", t.ID))
}

// tenderNoticeFacts are what the tender notice (UK4) publishes.
func tenderNoticeFacts(t tenders.Tender, now time.Time, c tenders.PeriodCheck) []tenders.Fact {
	facts := []tenders.Fact{
		{Label: "Buyer", Value: t.BuyerName},
		{Label: "What is being bought", Value: t.Description},
		{Label: "Procedure", Value: tenders.ProcedureLabel(t.Procedure)},
		{Label: "Contract type", Value: tenders.ContractTypeLabel(t.ContractType)},
		{Label: "Estimated value", Value: fund.Pounds(t.ValuePence)},
		{Label: "Threshold", Value: thresholdWords(t)},
		{Label: "Submission deadline", Value: t.Deadline.In(london).Format("15:04 on 2 January 2006")},
	}
	if t.CPV != "" {
		facts = append(facts, tenders.Fact{Label: "CPV code", Value: t.CPV})
	}
	if c.Limit.Days > 0 {
		facts = append(facts, tenders.Fact{Label: "Minimum tendering period", Value: fmt.Sprintf("%d days (%s: %s)", c.Limit.Days, c.Limit.Section, c.Limit.Case)})
	} else if c.Limit.Case != "" {
		facts = append(facts, tenders.Fact{Label: "Minimum tendering period", Value: fmt.Sprintf("None (%s: %s)", c.Limit.Section, c.Limit.Case)})
	}
	if t.PeriodCase != tenders.PeriodStandard && t.Procedure != tenders.ProcDirectAward {
		facts = append(facts, tenders.Fact{Label: "Why this period applies", Value: t.PeriodReason})
	}
	if t.Procedure == tenders.ProcDirectAward {
		facts = append(facts, tenders.Fact{Label: "Direct award ground", Value: tenders.JustificationLabel(t.DirectGround)}, tenders.Fact{Label: "Why it applies", Value: t.DirectReason})
	}
	if t.PlannedNotice != nil {
		facts = append(facts, tenders.Fact{Label: "Planned procurement notice", Value: t.PlannedNotice.Format("2 January 2006")})
	}
	if c.Short {
		facts = append(facts, tenders.Fact{Label: "Time limit warning", Value: c.Message})
	}
	return append(facts, tenders.Fact{Label: "Bids", Value: "Submitted electronically on Social Value Hub, sealed until the deadline"})
}

// lotFacts are the tender notice's lines for a tender divided into lots:
// each lot's name, estimated value and weights, as Find a Tender lists
// them.
func lotFacts(lots []tenders.Tender) []tenders.Fact {
	facts := []tenders.Fact{{Label: "Lots", Value: fmt.Sprintf("%d lots; suppliers bid for each lot separately and each is awarded on its own", len(lots))}}
	for _, l := range lots {
		facts = append(facts, tenders.Fact{Label: l.LotLabel(), Value: fmt.Sprintf("Estimated value %s; weights: price %d%%, quality %d%%, social value %d%%", fund.Pounds(l.ValuePence), l.WPrice, l.WQuality, l.WSV)})
	}
	return facts
}

// thresholdWords says whether a tender is above the threshold.
func thresholdWords(t tenders.Tender) string {
	th := fund.Pounds(tenders.ThresholdFor(t.ContractType))
	if t.AboveThreshold() {
		return fmt.Sprintf("Above the %s threshold for %s contracts: a public contract under the Procurement Act 2023", th, strings.ToLower(tenders.ContractTypeLabel(t.ContractType)))
	}
	return fmt.Sprintf("Below the %s threshold for %s contracts", th, strings.ToLower(tenders.ContractTypeLabel(t.ContractType)))
}

// actRows are the tender page's lines about the Act.
func actRows(t tenders.Tender, now time.Time) []tenders.Fact {
	rows := []tenders.Fact{
		{Label: "Procedure", Value: tenders.ProcedureLabel(t.Procedure)},
		{Label: "Contract type", Value: tenders.ContractTypeLabel(t.ContractType)},
		{Label: "Threshold", Value: thresholdWords(t)},
	}
	if t.Procedure == tenders.ProcDirectAward {
		rows = append(rows, tenders.Fact{Label: "Direct award ground", Value: tenders.JustificationLabel(t.DirectGround) + ". " + t.DirectReason})
	} else {
		from := now
		if t.PublishedAt != nil {
			from = *t.PublishedAt
		}
		l := t.MinimumTenderingPeriod(from)
		if l.Days > 0 {
			rows = append(rows, tenders.Fact{Label: "Minimum tendering period", Value: fmt.Sprintf("%d days from the tender notice (%s, when %s)", l.Days, l.Section, l.Case)})
		} else {
			rows = append(rows, tenders.Fact{Label: "Minimum tendering period", Value: fmt.Sprintf("None (%s: %s)", l.Section, l.Case)})
		}
		if t.PeriodCase != tenders.PeriodStandard {
			rows = append(rows, tenders.Fact{Label: "Why this period applies", Value: t.PeriodReason})
		}
	}
	if t.PeriodWarning != "" {
		rows = append(rows, tenders.Fact{Label: "Time limit warning", Value: t.PeriodWarning})
	}
	return rows
}

// awardStandstill is the last day of the standstill for an award made at
// now ("" when none applies: below the threshold the Act sets none).
func awardStandstill(t tenders.Tender, now time.Time) (string, error) {
	if t.Procedure == tenders.ProcBelowThresh || !t.AboveThreshold() {
		return "", nil
	}
	end, ok := tenders.StandstillEnd(now)
	if !ok {
		return "", fmt.Errorf("the standstill cannot be computed: the bank holiday table (%s) does not cover the dates after %s; add the next year's bank holidays", tenders.BankHolidaySource, now.In(london).Format("2 January 2006"))
	}
	return end.Format(time.DateOnly), nil
}

// dateWords writes a YYYY-MM-DD date as "Friday 10 April 2026".
func dateWords(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("Monday 2 January 2006")
}

// awardNoticeFacts are what the contract award notice (UK6) publishes. The
// assessment summaries go to every bidder with the award (s.50(2) asks for
// them before the notice); the award page holds each bidder's summary.
func awardNoticeFacts(t tenders.Tender, winner tenders.Result, pence int64, standstill string, bids int) []tenders.Fact {
	facts := []tenders.Fact{
		{Label: "Buyer", Value: t.BuyerName},
		{Label: "Supplier", Value: winner.Supplier},
		{Label: "Contract value", Value: fund.Pounds(pence)},
		{Label: "Procedure", Value: tenders.ProcedureLabel(t.Procedure)},
		{Label: "Assessed tenders", Value: fmt.Sprint(bids)},
		{Label: "Assessment summaries", Value: "Provided to every supplier that submitted an assessed tender before this notice, with the winner's scores per criterion"},
	}
	if standstill != "" {
		facts = append(facts, tenders.Fact{Label: "Standstill period", Value: fmt.Sprintf("Eight working days (section 51), ending on %s; the contract will not be entered into before then", dateWords(standstill))})
	} else {
		facts = append(facts, tenders.Fact{Label: "Standstill period", Value: "None: below the threshold the Act sets no standstill"})
	}
	return facts
}

// criterionRow compares one scored item of a bidder's assessment summary
// with the winning bid's points for it (the winner's inputs stay
// confidential; only its points per criterion are given).
type criterionRow struct {
	Item, Yours, Winner string
}

// assessmentSummary is an unsuccessful bid's result with its scores per
// criterion against the winner's (s.50: the summary gives the winning
// tender's score for each award criterion).
type assessmentSummary struct {
	shownResult
	Criteria []criterionRow
}

func withCriteria(mine []shownResult, winner shownResult) []assessmentSummary {
	won := map[string]string{}
	for _, l := range winner.Plain {
		won[l.Item] = l.Value
	}
	out := make([]assessmentSummary, 0, len(mine))
	for _, m := range mine {
		s := assessmentSummary{shownResult: m}
		seen := map[string]bool{}
		for _, l := range m.Plain {
			if seen[l.Item] {
				continue
			}
			seen[l.Item] = true
			w, ok := won[l.Item]
			if !ok {
				w = "0"
			}
			s.Criteria = append(s.Criteria, criterionRow{Item: l.Item, Yours: l.Value, Winner: w})
		}
		out = append(out, s)
	}
	return out
}
