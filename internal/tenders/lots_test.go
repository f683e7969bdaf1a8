package tenders

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/svhub/svhub/internal/problem"
)

func lotFixture(c Tender, n int, value int64) Tender {
	l := c.Lot(Tender{Title: "Lot title", Description: "Part of the work", ValuePence: value, WPrice: 50, WQuality: 30, WSV: 20, AlphaPercent: 50, Method: MethodRelative,
		Criteria: []Criterion{{Title: "Method", Weight: 30}}, Measures: []Measure{{ID: 1, Code: "M1"}}})
	l.LotNumber = n
	return l
}

func TestCheckLots(t *testing.T) {
	c := Tender{ID: 7, BuyerOrgID: 3, Status: Draft, Deadline: time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC), Procedure: ProcOpen, ContractType: "services"}
	if err := CheckLots(c, nil); err != nil {
		t.Fatalf("a tender without lots: %v", err)
	}
	one := []Tender{lotFixture(c, 1, 100_000_00)}
	err := CheckLots(c, one)
	var inv *problem.Invalid
	if !errors.As(err, &inv) || !strings.Contains(inv.Message("lots"), "at least 2 lots; it has 1") {
		t.Fatalf("one lot: %v", err)
	}
	two := append(one, lotFixture(c, 2, 150_000_00))
	if err := CheckLots(c, two); err != nil {
		t.Fatalf("two good lots: %v", err)
	}
	bad := lotFixture(c, 2, 0)
	bad.WSV = 25 // weights sum to 105
	err = CheckLots(c, []Tender{one[0], bad})
	if !errors.As(err, &inv) {
		t.Fatalf("bad lot: %v", err)
	}
	msgs := inv.Error()
	for _, want := range []string{"Lot 2 (Lot title): Enter the estimated value", "Lot 2 (Lot title): Price, quality and social value weights must sum to 100; they sum to 105"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("missing %q in %s", want, msgs)
		}
	}
	other := lotFixture(Tender{ID: 99, Deadline: c.Deadline}, 3, 1)
	if err := CheckLots(c, []Tender{one[0], other}); err == nil || !strings.Contains(err.Error(), "Lot 3 belongs to another tender") {
		t.Fatalf("another tender's lot: %v", err)
	}
}

func TestLotThresholdIsTheWholeProcurement(t *testing.T) {
	// Two lots of £120,000 each are under the services threshold alone and
	// above it together: the Act's time limits and standstill apply.
	c := Tender{ID: 1, ContractType: "services", ValuePence: 240_000_00, ProcurementPence: 240_000_00}
	l := c.Lot(Tender{ValuePence: 120_000_00})
	l.ProcurementPence = 240_000_00
	if !l.AboveThreshold() || !c.AboveThreshold() {
		t.Fatal("the lots together are above the threshold")
	}
	l.ProcurementPence = 0
	if l.AboveThreshold() {
		t.Fatal("one lot alone is below it")
	}
}

func TestCanAddLot(t *testing.T) {
	if err := (Tender{Status: Draft}).CanAddLot(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []Tender{{Status: Published}, {Status: Draft, ParentID: 4}, {Status: Draft, Lots: MaxLots}} {
		if err := c.CanAddLot(); !errors.Is(err, problem.ErrConflict) {
			t.Errorf("%+v: %v", c, err)
		}
	}
}
