package tenders

import (
	"strings"
	"testing"
)

func TestCheckGatesFlagsUnverifiedDeclarations(t *testing.T) {
	tn := Tender{Gates: []string{GateRLW, GateCRP, GateFTM, GateExclusion}}
	decl := func(meets ...string) BidContent {
		c := BidContent{Gates: map[string]Declaration{}}
		for _, g := range tn.Gates {
			c.Gates[g] = Declaration{}
		}
		for _, g := range meets {
			c.Gates[g] = Declaration{Meets: true}
		}
		return c
	}
	bids := []OpenedBid{
		{OrgID: 1, Supplier: "Verified Ltd", Content: decl(GateRLW, GateCRP, GateExclusion)},
		{OrgID: 2, Supplier: "Says So Ltd", Content: decl(GateRLW, GateCRP, GateFTM, GateExclusion)},
		{OrgID: 3, Supplier: "Honest Ltd", Content: decl(GateExclusion)},
	}
	verified := map[int64]map[string]bool{1: {"real_living_wage": true, "carbon_reduction_plan": true}, 2: {"carbon_reduction_plan": true}}
	overrides := []GateOverride{{OrgID: 2, Gate: GateFTM, Reason: "Certificate seen"}}
	flags := CheckGates(tn, bids, verified, overrides)
	if len(flags) != 2 || flags[0].OrgID != 2 || flags[0].Gate != GateRLW || flags[0].Override != nil || flags[1].Gate != GateFTM || flags[1].Override == nil {
		t.Fatalf("flags: %+v", flags)
	}
	if !strings.Contains(flags[0].Reason, "no verified Real Living Wage accreditation") {
		t.Fatalf("reason %q", flags[0].Reason)
	}
	e := Evaluation{Gates: tn.Gates}
	for _, b := range bids {
		eb := EvalBid{ID: BidKey(b.OrgID), Gates: map[string]bool{}}
		for _, g := range tn.Gates {
			eb.Gates[g] = b.Content.Gates[g].Meets
		}
		e.Bids = append(e.Bids, eb)
	}
	ApplyGateFlags(&e, flags)
	if e.Bids[1].Gates[GateRLW] || !e.Bids[1].Gates[GateFTM] || !e.Bids[0].Gates[GateRLW] {
		t.Fatalf("gates after flags: %+v", e.Bids)
	}
	if !strings.Contains(e.Bids[1].GateNotes[GateFTM], "accepted by the buyer: Certificate seen") {
		t.Fatalf("override note %q", e.Bids[1].GateNotes[GateFTM])
	}
}

func TestGateOverrideNeedsReason(t *testing.T) {
	for _, c := range []struct {
		o     GateOverride
		field string
	}{
		{GateOverride{Gate: GateRLW, Reason: "  "}, "reason"},
		{GateOverride{Gate: GateExclusion, Reason: "x"}, "gate"},
		{GateOverride{Gate: GateRLW, Reason: strings.Repeat("x", MaxOverrideReason+1)}, "reason"},
	} {
		err := c.o.Validate()
		if err == nil || !strings.Contains(err.Error(), c.field) && !strings.Contains(err.Error(), "Reason") {
			t.Fatalf("%+v: %v", c.o, err)
		}
	}
	if err := (GateOverride{Gate: GateCharter, Reason: "Member since May"}).Validate(); err != nil {
		t.Fatal(err)
	}
}
