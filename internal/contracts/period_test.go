package contracts

import (
	"strings"
	"testing"
	"time"
)

func TestReportPeriod(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		start, end, want string
	}{
		{"2025-01-01", "2028-01-01", "2026-07-01 2026-09-30"}, // the last complete quarter
		{"2026-08-10", "2028-01-01", "2026-08-10 2026-09-30"}, // cut to the start
		{"2026-11-15", "2028-01-01", "2026-11-15 2026-12-07"}, // started since: up to today
		{"2027-02-01", "2028-01-01", "2027-02-01 2027-03-31"}, // not started: its first quarter
		{"2025-01-01", "2026-08-31", "2026-07-01 2026-08-31"}, // cut to the end
	} {
		s, e := ReportPeriod(Contract{Start: tc.start, End: tc.end}, now)
		if got := s + " " + e; got != tc.want {
			t.Errorf("contract %s to %s: %s, want %s", tc.start, tc.end, got, tc.want)
		}
		if err := ValidReportPeriod(Contract{Start: tc.start, End: tc.end}, s, e); err != nil {
			t.Errorf("contract %s to %s: the offered period is refused: %v", tc.start, tc.end, err)
		}
	}
}

func TestValidReportPeriod(t *testing.T) {
	c := Contract{Start: "2026-04-01", End: "2027-03-31"}
	for _, tc := range []struct{ start, end, want string }{
		{"2026-04-01", "2026-06-30", ""},
		{"2026-01-01", "2026-03-31", "The contract started on 1 April 2026"},
		{"2026-03-31", "2026-06-30", "The contract started on 1 April 2026"},
		{"2027-01-01", "2027-04-30", "The contract ended on 31 March 2027"},
		{"2026-06-30", "2026-04-01", "must end on or after its start"},
		{"soon", "2026-04-01", "Enter the period start as a date"},
	} {
		err := ValidReportPeriod(c, tc.start, tc.end)
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s to %s: %v, want %q", tc.start, tc.end, err, tc.want)
		}
	}
}

func TestValidateLineNamesTheMeasure(t *testing.T) {
	err := ValidateLine("29", "GM-P1-01: Local people employed", Line{QuantityMilli: -1})
	if err == nil {
		t.Fatal("an empty line passed")
	}
	for _, want := range []string{"qty_29", "evidence_29", "for GM-P1-01: Local people employed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "line 29") || strings.Contains(err.Error(), "line 30") {
		t.Errorf("%v names a line number", err)
	}
}
