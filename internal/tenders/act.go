package tenders

import (
	"fmt"
	"strings"
	"time"
)

// The Procurement Act 2023 as data: procedure types, thresholds by contract
// type and the minimum time limits of section 54. Each table cites where it
// comes from, so a reviewer can check it against the source.

// Procedure types (Procurement Act 2023 s.20 competitive tendering
// procedures; s.41 and Schedule 5 direct award; Part 6 below-threshold
// contracts).
const (
	ProcOpen          = "open"
	ProcFlexible      = "competitive-flexible"
	ProcBelowThresh   = "below-threshold"
	ProcDirectAward   = "direct-award"
	ContractGoods     = "goods"
	ContractServices  = "services"
	ContractWorks     = "works"
	DefaultProcedure  = ProcOpen
	DefaultContractTy = ContractServices
)

// Procedures lists the procedure types in the order the form offers them.
var Procedures = []string{ProcOpen, ProcFlexible, ProcBelowThresh, ProcDirectAward}

// ContractTypes lists the contract types in the order the form offers them.
var ContractTypes = []string{ContractGoods, ContractServices, ContractWorks}

// ProcedureLabel is a procedure's plain name.
func ProcedureLabel(p string) string {
	switch p {
	case ProcOpen:
		return "Open procedure (section 20(2)(a))"
	case ProcFlexible:
		return "Competitive flexible procedure (section 20(2)(b))"
	case ProcBelowThresh:
		return "Below-threshold contract (Part 6)"
	case ProcDirectAward:
		return "Direct award (section 41 and Schedule 5)"
	}
	return p
}

// ContractTypeLabel is a contract type's plain name.
func ContractTypeLabel(c string) string {
	switch c {
	case ContractGoods:
		return "Goods"
	case ContractServices:
		return "Services"
	case ContractWorks:
		return "Works"
	}
	return c
}

// Threshold is the value (inclusive of VAT, in pence) at or above which a
// contract of a type is a public contract under the Act.
type Threshold struct {
	ContractType string
	Pence        int64
}

// ThresholdSource cites the threshold table.
const ThresholdSource = "Procurement Act 2023, Schedule 1, as amended by the Procurement Act 2023 (Threshold Amounts) (Amendment) Regulations 2025 (SI 2025/1200), in force from 1 January 2026 (PPN 023: 2026 threshold amounts); sub-central government authorities such as councils; amounts include VAT"

// Thresholds are the sub-central government authority thresholds from
// 1 January 2026. Councils in Greater Manchester are sub-central
// authorities; central government's lower goods and services threshold
// (£135,018) is not modelled.
var Thresholds = []Threshold{
	{ContractGoods, 207_720_00},
	{ContractServices, 207_720_00},
	{ContractWorks, 5_193_000_00},
}

// ThresholdFor returns the threshold of a contract type (services when the
// type is unknown).
func ThresholdFor(contractType string) int64 {
	for _, t := range Thresholds {
		if t.ContractType == contractType {
			return t.Pence
		}
	}
	return Thresholds[1].Pence
}

// AboveThreshold reports whether the tender is for a public contract, whose
// time limits and standstill are statutory. A tender marked below-threshold
// is below it only if its value is.
func (t Tender) AboveThreshold() bool {
	return t.thresholdValue() >= ThresholdFor(t.ContractType)
}

// DirectJustifications are the Schedule 5 grounds a direct award may rely on
// (paraphrased; the buyer also explains in words).
var DirectJustifications = []struct{ Code, Label string }{
	{"sch5-1", "Prototypes and development (Schedule 5, paragraph 1)"},
	{"sch5-5", "Single supplier: artistic, technical or exclusive rights (Schedule 5, paragraph 5)"},
	{"sch5-6", "Additional or repeat goods, services or works from the same supplier (Schedule 5, paragraphs 6 and 7)"},
	{"sch5-13", "Extreme and unavoidable urgency (Schedule 5, paragraph 13)"},
	{"sch5-14", "Protection of life (Schedule 5, paragraph 14)"},
	{"s41-5", "No suitable tenders in a competitive procedure (section 41(5), Schedule 5 paragraph 4)"},
}

// JustificationLabel names a direct award ground.
func JustificationLabel(code string) string {
	for _, j := range DirectJustifications {
		if j.Code == code {
			return j.Label
		}
	}
	return code
}

// TimeLimit is one row of the section 54 minimum tendering period table.
type TimeLimit struct {
	Case    string // plain description of when the row applies
	Days    int    // minimum calendar days from the tender notice to the deadline
	Section string
}

// Section 54 minimum tendering periods (Procurement Act 2023 s.54(4) and
// (5)). The hub takes every tender electronically and publishes the tender
// documents with the tender notice, so the 25-day row is the usual one.
var (
	LimitElectronic = TimeLimit{"tenders are submitted electronically and the tender documents are available with the tender notice", 25, "section 54(4)"}
	LimitPaper      = TimeLimit{"tenders are not submitted electronically, or the tender documents are not available with the tender notice", 30, "section 54(4)"}
	LimitPlanned    = TimeLimit{"a qualifying planned procurement notice was published at least 40 days and no more than a year before the tender notice", 10, "section 54(4) and (5)"}
)

// The rest of the tendering period table. Sources read: the Procurement
// Act 2023, section 54 (the tables in subsections (3) and (4)), and the
// Cabinet Office guidance "Time Periods" (Procurement Act 2023 guidance
// documents, procure phase; updated 3 December 2024, paragraph 6: the
// minimum periods are reduced for a state of urgency or after a qualifying
// planned procurement notice, and longer when tenders are not electronic
// or the documents are not with the tender notice). Light touch contracts
// (section 9; the services in Schedule 1 to the Procurement Regulations
// 2024) have no mandatory minimum. The hub runs single-stage tenders: the
// period after a competitive flexible procedure's participation stage (from
// the invitation to tender, which the Act lets a utility or a
// non-central-government authority agree with the selected suppliers) is
// not modelled, and neither is the participation period itself.
var (
	LimitUrgency    = TimeLimit{"the buyer considers that a state of urgency makes the usual period impractical", 10, "section 54(4)"}
	LimitLightTouch = TimeLimit{"the contract is a light touch contract (section 9): the Act sets no minimum, but section 54(1) still asks for time that fits the contract's nature and complexity", 0, "section 54(3) and (4)"}
)

// Which row of the table the buyer says applies (Tender.PeriodCase), kept
// with the buyer's reason (Tender.PeriodReason) and shown on the tender
// notice. The usual row needs no reason.
const (
	PeriodStandard   = ""
	PeriodUrgency    = "urgency"
	PeriodLightTouch = "light-touch"
)

// PeriodCases lists the cases in the order the form offers them.
var PeriodCases = []struct{ Code, Label string }{
	{PeriodStandard, "The usual period: 25 days, or 10 days after a qualifying planned procurement notice (section 54(4) and (5))"},
	{PeriodUrgency, "A state of urgency makes 25 days impractical: at least 10 days (section 54(4))"},
	{PeriodLightTouch, "A light touch contract (section 9): no statutory minimum"},
}

// PeriodCaseLabel names a case.
func PeriodCaseLabel(code string) string {
	for _, c := range PeriodCases {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// PlannedNoticeMinDays and PlannedNoticeMaxDays bound when a planned
// procurement notice qualifies (s.54(5)): published at least 40 days and no
// more than one year before the tender notice.
const (
	PlannedNoticeMinDays = 40
	PlannedNoticeMaxDays = 365
)

// QualifyingPlannedNotice reports whether a planned procurement notice
// published on ppn (a date) qualifies for a tender notice published at
// published.
func QualifyingPlannedNotice(ppn, published time.Time) bool {
	if ppn.IsZero() {
		return false
	}
	pd, td := civil(ppn), civil(published)
	return !pd.AddDate(0, 0, PlannedNoticeMinDays).After(td) && !pd.AddDate(0, 0, PlannedNoticeMaxDays).Before(td)
}

// MinimumTenderingPeriod returns the section 54 row that applies to a
// tender published at published: the buyer's light touch or urgency case,
// else the planned notice row when one qualifies, else the electronic row
// (bids on the hub are electronic, and documents are uploaded before
// publishing).
func (t Tender) MinimumTenderingPeriod(published time.Time) TimeLimit {
	switch t.PeriodCase {
	case PeriodLightTouch:
		return LimitLightTouch
	case PeriodUrgency:
		return LimitUrgency
	}
	if t.PlannedNotice != nil && QualifyingPlannedNotice(*t.PlannedNotice, published) {
		return LimitPlanned
	}
	return LimitElectronic
}

// PeriodCheck is the outcome of checking a tender's period on publishing.
type PeriodCheck struct {
	Limit    TimeLimit
	Earliest time.Time // the earliest deadline the limit allows
	Short    bool      // the deadline is before Earliest
	Refused  bool      // Short and statutory (above threshold): publishing is refused
	Message  string
}

// CheckTenderingPeriod compares the deadline with the minimum tendering
// period counted from publication at now. Above the threshold a short
// period is refused (s.54 is mandatory for public contracts); below it, or
// for a direct award, it is only a warning. The period runs in calendar
// days, weekends and bank holidays included (the Act counts days, not
// working days): the earliest deadline is the same London time of day N
// days after the tender notice, across a change of the clocks too. A
// light touch contract has no minimum to check.
func (t Tender) CheckTenderingPeriod(now time.Time) PeriodCheck {
	if t.Procedure == ProcDirectAward {
		return PeriodCheck{}
	}
	l := t.MinimumTenderingPeriod(now)
	if l.Days == 0 {
		return PeriodCheck{Limit: l}
	}
	c := PeriodCheck{Limit: l, Earliest: now.In(London).AddDate(0, 0, l.Days)}
	if !t.Deadline.Before(c.Earliest) {
		return c
	}
	c.Short = true
	given := int(t.Deadline.Sub(now).Hours() / 24)
	earliest := c.Earliest.In(London).Format("15:04 on 2 January 2006")
	if t.Procedure != ProcBelowThresh && t.AboveThreshold() {
		c.Refused = true
		c.Message = fmt.Sprintf("The tendering period is too short: %s requires at least %d days from the tender notice when %s, and this tender gives %s. Set the deadline to %s or later.",
			capitalise(l.Section), l.Days, l.Case, days(given), earliest)
	} else {
		c.Message = fmt.Sprintf("The tendering period of %s is shorter than the %d days %s requires above the threshold. Below the threshold this is allowed, but suppliers must have reasonable time to bid; %s would meet the statutory minimum.",
			days(given), l.Days, l.Section, earliest)
	}
	return c
}

func days(n int) string {
	if n < 1 {
		return "less than a day"
	}
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// London is the time zone of deadlines, working days and standstill.
var London = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

// civil is t's date in London at midnight UTC, for counting whole days.
func civil(t time.Time) time.Time {
	y, m, d := t.In(London).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// validateAct checks the Act's fields of a tender.
func (t Tender) validateAct(add func(field, format string, args ...any)) {
	known := func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	if !known(Procedures, t.Procedure) {
		add("procedure", "Choose a procedure type")
	}
	if !known(ContractTypes, t.ContractType) {
		add("contract_type", "Choose whether the contract is for goods, services or works")
	}
	if t.Procedure == ProcBelowThresh && t.ValuePence > 0 && known(ContractTypes, t.ContractType) && t.AboveThreshold() {
		add("procedure", "A %s contract worth %s or more is above the threshold, so it cannot use the below-threshold procedure; choose the open or competitive flexible procedure", strings.ToLower(ContractTypeLabel(t.ContractType)), poundsWhole(ThresholdFor(t.ContractType)))
	}
	if PeriodCaseLabel(t.PeriodCase) == t.PeriodCase && t.PeriodCase != PeriodStandard {
		add("period_case", "Choose which minimum tendering period applies")
	} else if t.PeriodCase != PeriodStandard && t.Procedure != ProcDirectAward {
		switch n := len(strings.TrimSpace(t.PeriodReason)); {
		case n == 0 && t.PeriodCase == PeriodUrgency:
			add("period_reason", "Explain the state of urgency that makes a 25-day tendering period impractical; it is published on the tender notice")
		case n == 0:
			add("period_reason", "Say which light touch service the contract is for (Schedule 1 to the Procurement Regulations 2024); it is published on the tender notice")
		case n > 2000:
			add("period_reason", "The reason must be 2,000 characters or fewer")
		}
	}
	if t.Procedure == ProcDirectAward {
		if JustificationLabel(t.DirectGround) == t.DirectGround {
			add("direct_ground", "Choose the Schedule 5 ground that justifies a direct award")
		}
		if strings.TrimSpace(t.DirectReason) == "" {
			add("direct_reason", "Explain why the direct award ground applies")
		} else if len(t.DirectReason) > 2000 {
			add("direct_reason", "The explanation must be 2,000 characters or fewer")
		}
	}
}

// poundsWhole writes pence as £1,234 (whole pounds).
func poundsWhole(p int64) string {
	s := fmt.Sprint(p / 100)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return "£" + b.String()
}
