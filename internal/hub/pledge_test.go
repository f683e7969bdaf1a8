package hub

import (
	"testing"
	"time"
)

func TestKiteMark(t *testing.T) {
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		f    Facts
		want string
	}{
		{Facts{}, ""},
		{Facts{Pledged: true}, "Committed"},
		{Facts{Pledged: true, LastReport: 2026, RealLivingWage: true, FairTaxMark: true}, "Achieving"},
		{Facts{Pledged: true, LastReport: 2023, RealLivingWage: true, FairTaxMark: true}, "Committed"},
		{Facts{Pledged: true, LastReport: 2025, RealLivingWage: true, CharterAny: true, CharterMember: true, BrokerageMet: 1}, "Leading"},
		// Leading's own rules met but Achieving's not: levels are cumulative.
		{Facts{Pledged: true, RealLivingWage: true, CharterAny: true, CharterMember: true, VerifiedDelivery: 3}, "Committed"},
		{Facts{RealLivingWage: true, CharterAny: true, CharterMember: true, LastReport: 2026, VerifiedDelivery: 3}, ""},
	} {
		got, checks := KiteMark(c.f, now)
		if got != c.want || len(checks) != 6 {
			t.Errorf("%+v: %q (%d checks), want %q", c.f, got, len(checks), c.want)
		}
	}
}
