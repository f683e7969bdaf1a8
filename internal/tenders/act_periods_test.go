package tenders

import (
	"strings"
	"testing"
	"time"
)

// The rest of the section 54 table: a state of urgency (10 days) and a
// light touch contract (no minimum), counted in calendar days across
// weekends, bank holidays and the clocks changing.

func above(deadline time.Time, c string) Tender {
	return Tender{Procedure: ProcOpen, ContractType: ContractServices, ValuePence: 640_000_00, Deadline: deadline, PeriodCase: c, PeriodReason: "reason"}
}

func TestUrgencyPeriodOverChristmas(t *testing.T) {
	// Published on Wednesday 23 December 2026: ten calendar days run over
	// Christmas Day, Boxing Day (observed Monday 28 December), New Year's
	// Day and two weekends, and end on Saturday 2 January 2027. None of
	// them extends the period, and a Saturday end is not moved.
	pub := at("2026-12-23 10:00")
	tn := above(at("2027-01-02 10:00"), PeriodUrgency)
	c := tn.CheckTenderingPeriod(pub)
	if c.Short || c.Limit != LimitUrgency || c.Limit.Days != 10 || !c.Earliest.Equal(at("2027-01-02 10:00")) {
		t.Fatalf("ten days to Saturday 2 January: %+v", c)
	}
	tn.Deadline = at("2027-01-02 09:59")
	c = tn.CheckTenderingPeriod(pub)
	if !c.Refused || !strings.Contains(c.Message, "at least 10 days") || !strings.Contains(c.Message, "state of urgency") || !strings.Contains(c.Message, "10:00 on 2 January 2027") {
		t.Fatalf("one minute short: %+v", c)
	}
	// Without the urgency case the same deadline is far too short.
	tn = above(at("2027-01-02 10:00"), PeriodStandard)
	if c := tn.CheckTenderingPeriod(pub); !c.Refused || !strings.Contains(c.Message, "17 January 2027") {
		t.Fatalf("usual period: %+v", c)
	}
}

func TestUsualPeriodEndingOnASunday(t *testing.T) {
	// 25 days from Wednesday 2 December 2026 end on Sunday 27 December,
	// between two bank holidays: allowed as it is.
	pub := at("2026-12-02 12:00")
	tn := above(at("2026-12-27 12:00"), PeriodStandard)
	if c := tn.CheckTenderingPeriod(pub); c.Short || c.Earliest.Weekday() != time.Sunday {
		t.Fatalf("25 days to a Sunday: %+v", c)
	}
	tn.Deadline = at("2026-12-27 11:59")
	if c := tn.CheckTenderingPeriod(pub); !c.Refused || !strings.Contains(c.Message, "12:00 on 27 December 2026") {
		t.Fatalf("a minute short: %+v", c)
	}
}

func TestUrgencyPeriodOverEasterAndTheClocks(t *testing.T) {
	// Published at 10:00 on Saturday 20 March 2027 (GMT, given in UTC as a
	// server clock reads it); Good Friday is 26 March, the clocks go
	// forward on 28 March and Easter Monday is 29 March. The earliest
	// deadline is 10:00 London time on Tuesday 30 March: 09:00 UTC.
	pub := time.Date(2027, 3, 20, 10, 0, 0, 0, time.UTC)
	tn := above(time.Date(2027, 3, 30, 9, 0, 0, 0, time.UTC), PeriodUrgency)
	c := tn.CheckTenderingPeriod(pub)
	if c.Short || c.Earliest.In(London).Hour() != 10 || !c.Earliest.Equal(tn.Deadline) {
		t.Fatalf("ten days over Easter and the clocks: %+v (earliest %s)", c, c.Earliest.In(London))
	}
	tn.Deadline = tn.Deadline.Add(-time.Minute)
	if c := tn.CheckTenderingPeriod(pub); !c.Refused || !strings.Contains(c.Message, "10:00 on 30 March 2027") {
		t.Fatalf("a minute short: %+v", c)
	}
	// And back in the autumn: published 12:00 BST on Friday 22 October
	// 2027, the clocks go back on 31 October; 10 days later is 12:00 GMT
	// on Monday 1 November (12:00 UTC).
	pub = time.Date(2027, 10, 22, 11, 0, 0, 0, time.UTC)
	tn = above(time.Date(2027, 11, 1, 12, 0, 0, 0, time.UTC), PeriodUrgency)
	if c := tn.CheckTenderingPeriod(pub); c.Short || !c.Earliest.Equal(tn.Deadline) {
		t.Fatalf("ten days over the clocks going back: %+v", c)
	}
	tn.Deadline = tn.Deadline.Add(-time.Minute)
	if c := tn.CheckTenderingPeriod(pub); !c.Refused {
		t.Fatalf("a minute short in the autumn: %+v", c)
	}
}

func TestLightTouchHasNoMinimum(t *testing.T) {
	pub := at("2026-12-24 16:00")
	tn := above(at("2026-12-29 09:00"), PeriodLightTouch) // over Christmas, five days
	c := tn.CheckTenderingPeriod(pub)
	if c.Short || c.Refused || c.Limit != LimitLightTouch || c.Limit.Days != 0 || !strings.Contains(c.Limit.Case, "light touch") {
		t.Fatalf("light touch: %+v", c)
	}
	// Below the threshold, no warning either.
	tn.ValuePence, tn.Procedure = 40_000_00, ProcBelowThresh
	if c := tn.CheckTenderingPeriod(pub); c.Short || c.Message != "" {
		t.Fatalf("light touch below the threshold: %+v", c)
	}
}

func TestUrgencyBelowThresholdWarns(t *testing.T) {
	pub := at("2026-12-23 10:00")
	tn := Tender{Procedure: ProcBelowThresh, ContractType: ContractServices, ValuePence: 60_000_00, Deadline: at("2026-12-30 10:00"), PeriodCase: PeriodUrgency, PeriodReason: "r"}
	c := tn.CheckTenderingPeriod(pub)
	if !c.Short || c.Refused || !strings.Contains(c.Message, "7 days") || !strings.Contains(c.Message, "10 days") {
		t.Fatalf("urgent below-threshold tender of 7 days: %+v", c)
	}
}

func TestUrgencyWithPlannedNotice(t *testing.T) {
	// Both rows give 10 days; the buyer's urgency case is the one shown.
	ppn := at("2026-10-01 00:00")
	tn := above(at("2027-01-02 10:00"), PeriodUrgency)
	tn.PlannedNotice = &ppn
	if l := tn.MinimumTenderingPeriod(at("2026-12-23 10:00")); l != LimitUrgency {
		t.Fatalf("row: %+v", l)
	}
	tn.PeriodCase = PeriodStandard
	if l := tn.MinimumTenderingPeriod(at("2026-12-23 10:00")); l != LimitPlanned {
		t.Fatalf("row without urgency: %+v", l)
	}
}

func TestPeriodCaseValidation(t *testing.T) {
	check := func(tn Tender) map[string]string {
		got := map[string]string{}
		tn.validateAct(func(field, format string, args ...any) { got[field] = format })
		return got
	}
	ok := Tender{Procedure: ProcOpen, ContractType: ContractServices, ValuePence: 640_000_00}
	for name, c := range map[string]struct {
		kase, reason, field, msg string
	}{
		"urgency without reason":     {PeriodUrgency, "  ", "period_reason", "state of urgency"},
		"light touch without reason": {PeriodLightTouch, "", "period_reason", "light touch service"},
		"reason too long":            {PeriodUrgency, strings.Repeat("x", 2001), "period_reason", "2,000 characters"},
		"unknown case":               {"accelerated", "x", "period_case", "Choose which minimum tendering period applies"},
	} {
		tn := ok
		tn.PeriodCase, tn.PeriodReason = c.kase, c.reason
		if got := check(tn); !strings.Contains(got[c.field], c.msg) {
			t.Errorf("%s: %v", name, got)
		}
	}
	for _, kase := range []string{PeriodStandard, PeriodUrgency, PeriodLightTouch} {
		tn := ok
		tn.PeriodCase, tn.PeriodReason = kase, "Flooding closed the only care home in the district"
		if got := check(tn); len(got) != 0 {
			t.Errorf("%q: %v", kase, got)
		}
	}
	// A direct award has no tendering period: its case needs no reason.
	da := Tender{Procedure: ProcDirectAward, ContractType: ContractServices, DirectGround: "sch5-13", DirectReason: "r", PeriodCase: PeriodUrgency}
	if got := check(da); len(got) != 0 {
		t.Errorf("direct award: %v", got)
	}
}
