package tenders

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, London)
	if err != nil {
		panic(err)
	}
	return t
}

func TestThresholdsTable(t *testing.T) {
	if ThresholdFor(ContractServices) != 207_720_00 || ThresholdFor(ContractGoods) != 207_720_00 || ThresholdFor(ContractWorks) != 5_193_000_00 {
		t.Fatalf("thresholds: %v", Thresholds)
	}
	cases := []struct {
		typ   string
		pence int64
		above bool
	}{
		{ContractServices, 207_719_99, false}, {ContractServices, 207_720_00, true},
		{ContractWorks, 750_000_00, false}, {ContractWorks, 5_193_000_00, true},
	}
	for _, c := range cases {
		if got := (Tender{ContractType: c.typ, ValuePence: c.pence}).AboveThreshold(); got != c.above {
			t.Errorf("%s %d: above = %v", c.typ, c.pence, got)
		}
	}
}

func TestTenderingPeriodAboveThresholdRefused(t *testing.T) {
	pub := at("2026-03-02 09:00")
	tn := Tender{Procedure: ProcOpen, ContractType: ContractServices, ValuePence: 640_000_00, Deadline: pub.Add(5 * time.Minute)}
	c := tn.CheckTenderingPeriod(pub)
	if !c.Short || !c.Refused {
		t.Fatalf("five-minute period: %+v", c)
	}
	for _, want := range []string{"Section 54(4)", "at least 25 days", "09:00 on 27 March 2026", "less than a day"} {
		if !strings.Contains(c.Message, want) {
			t.Errorf("message %q lacks %q", c.Message, want)
		}
	}
	// Exactly 25 days later (across the clocks going forward on 29 March) is allowed.
	tn.Deadline = at("2026-03-27 09:00")
	if c := tn.CheckTenderingPeriod(pub); c.Short {
		t.Errorf("25 days refused: %+v", c)
	}
	tn.Deadline = at("2026-03-27 08:59")
	if c := tn.CheckTenderingPeriod(pub); !c.Refused || !strings.Contains(c.Message, "24 days") {
		t.Errorf("one minute short: %+v", c)
	}
}

func TestTenderingPeriodBelowThresholdWarns(t *testing.T) {
	pub := at("2026-03-02 09:00")
	for _, tn := range []Tender{
		{Procedure: ProcBelowThresh, ContractType: ContractServices, ValuePence: 50_000_00, Deadline: pub.AddDate(0, 0, 7)},
		{Procedure: ProcOpen, ContractType: ContractWorks, ValuePence: 900_000_00, Deadline: pub.AddDate(0, 0, 7)},
	} {
		c := tn.CheckTenderingPeriod(pub)
		if !c.Short || c.Refused || !strings.Contains(c.Message, "7 days") || !strings.Contains(c.Message, "Below the threshold") {
			t.Errorf("%s %d: %+v", tn.Procedure, tn.ValuePence, c)
		}
	}
	// A direct award has no tendering period.
	if c := (Tender{Procedure: ProcDirectAward, ContractType: ContractServices, ValuePence: 640_000_00, Deadline: pub.Add(time.Hour)}).CheckTenderingPeriod(pub); c.Short {
		t.Errorf("direct award: %+v", c)
	}
}

func TestQualifyingPlannedNoticeShortensPeriod(t *testing.T) {
	pub := at("2026-03-02 09:00")
	tn := Tender{Procedure: ProcOpen, ContractType: ContractServices, ValuePence: 640_000_00, Deadline: pub.AddDate(0, 0, 10)}
	cases := []struct {
		ppn  time.Time
		days int
	}{
		{at("2026-01-21 12:00"), 10}, // 40 days before: qualifies
		{at("2026-01-22 12:00"), 25}, // 39 days: too late to qualify
		{at("2025-03-02 12:00"), 10}, // 365 days: qualifies
		{at("2025-03-01 12:00"), 25}, // 366 days: too old
	}
	for _, c := range cases {
		ppn := c.ppn
		tn.PlannedNotice = &ppn
		if got := tn.MinimumTenderingPeriod(pub); got.Days != c.days {
			t.Errorf("notice %s: %d days, want %d", ppn.Format(time.DateOnly), got.Days, c.days)
		}
	}
	ppn := at("2026-01-01 12:00")
	tn.PlannedNotice = &ppn
	if c := tn.CheckTenderingPeriod(pub); c.Short {
		t.Errorf("10 days after a qualifying notice refused: %+v", c)
	}
}

func TestValidateAct(t *testing.T) {
	base := Tender{Title: "x", Description: "y", ValuePence: 640_000_00, Deadline: time.Now(), WPrice: 40, WQuality: 40, WSV: 20, Method: MethodRelative,
		Criteria: []Criterion{{Title: "a", Weight: 40}}, Measures: []Measure{{Code: "M"}}}
	cases := []struct {
		name  string
		edit  func(*Tender)
		field string
	}{
		{"unknown procedure", func(t *Tender) { t.Procedure, t.ContractType = "restricted", ContractServices }, "procedure"},
		{"unknown type", func(t *Tender) { t.Procedure, t.ContractType = ProcOpen, "concession" }, "contract_type"},
		{"below threshold too big", func(t *Tender) { t.Procedure, t.ContractType = ProcBelowThresh, ContractServices }, "procedure"},
		{"direct award no ground", func(t *Tender) {
			t.Procedure, t.ContractType, t.DirectReason = ProcDirectAward, ContractServices, "urgent"
		}, "direct_ground"},
		{"direct award no reason", func(t *Tender) {
			t.Procedure, t.ContractType, t.DirectGround = ProcDirectAward, ContractServices, "sch5-13"
		}, "direct_reason"},
	}
	for _, c := range cases {
		tn := base
		c.edit(&tn)
		err := tn.Validate()
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !fieldErr(err, c.field) {
			t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
		}
	}
	ok := base
	ok.Procedure, ok.ContractType = ProcOpen, ContractServices
	if err := ok.Validate(); err != nil {
		t.Errorf("valid open tender: %v", err)
	}
	ok.Procedure, ok.ContractType, ok.ValuePence = ProcBelowThresh, ContractWorks, 900_000_00
	if err := ok.Validate(); err != nil {
		t.Errorf("below-threshold works: %v", err)
	}
}

func fieldErr(err error, field string) bool {
	var inv *problem.Invalid
	return errors.As(err, &inv) && inv.Has(field)
}
