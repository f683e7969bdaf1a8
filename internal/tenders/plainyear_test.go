package tenders

import (
	"strings"
	"testing"
)

// TestPlainLineKeepsPriceYears: a monetised line's price year, such as
// 2012/13, is a year and stays as written; a fraction is still rounded.
func TestPlainLineKeepsPriceYears(t *testing.T) {
	in := "4 × £9,800 (Unit Cost Database 1.4, E&E1.0, in 2012/13 prices); share 9466938/14727334"
	got := PlainLine(LineExpl{Part: "social_value", Item: "M1 jobs", Input: in, Value: "£39,200"}).Input
	if !strings.Contains(got, "in 2012/13 prices") || strings.Contains(got, "9466938/14727334") {
		t.Fatalf("PlainLine input = %q", got)
	}
	for s, want := range map[string]bool{"2012/13": true, "1999/00": true, "2012/14": false, "100/3": false, "2012/130": false} {
		if financialYear(s) != want {
			t.Errorf("financialYear(%q) = %v", s, !want)
		}
	}
}
