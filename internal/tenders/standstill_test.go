package tenders

import (
	"testing"
	"time"
)

func TestBankHolidayTable(t *testing.T) {
	perYear := map[int]int{}
	for d, name := range BankHolidays {
		day, err := time.Parse(time.DateOnly, d)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s (%s) falls on a %s: substitute days belong in the table", d, name, wd)
		}
		perYear[day.Year()]++
	}
	for y := bankHolidayFirst; y <= bankHolidayLast; y++ {
		if perYear[y] != 8 {
			t.Errorf("%d has %d bank holidays in England and Wales, want 8", y, perYear[y])
		}
	}
}

// Standstill: eight working days beginning with the day the contract award
// notice is published (s.51(2)); weekends and bank holidays do not count.
func TestStandstillEnd(t *testing.T) {
	cases := []struct{ name, published, end string }{
		{"plain fortnight: Monday", "2026-03-09 10:00", "2026-03-18"},
		{"published on a Saturday starts on Monday", "2026-03-07 10:00", "2026-03-18"},
		{"published on a Sunday night", "2026-03-08 23:30", "2026-03-18"},
		{"Easter 2026: Good Friday 3 April and Easter Monday 6 April skipped", "2026-03-30 09:00", "2026-04-10"},
		{"early May 2026: Monday 4 May skipped", "2026-04-28 09:00", "2026-05-08"},
		{"Christmas 2026: 25 and 28 December, 1 January skipped", "2026-12-21 09:00", "2027-01-04"},
		{"Christmas 2027: substitute days 27 and 28 December, New Year's substitute 3 January", "2027-12-23 09:00", "2028-01-06"},
		{"Easter 2027 in March: 26 and 29 March skipped", "2027-03-22 09:00", "2027-04-02"},
		{"late evening in summer time is still that London day", "2026-06-01 23:30", "2026-06-10"},
	}
	for _, c := range cases {
		pub, err := time.ParseInLocation("2006-01-02 15:04", c.published, London)
		if err != nil {
			t.Fatal(err)
		}
		end, ok := StandstillEnd(pub)
		if !ok || end.Format(time.DateOnly) != c.end {
			t.Errorf("%s: published %s, standstill ends %s (ok %v), want %s", c.name, c.published, end.Format(time.DateOnly), ok, c.end)
		}
	}
	// A UTC instant that is already the next day in London counts as that day.
	if end, _ := StandstillEnd(time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC)); end.Format(time.DateOnly) != "2026-06-11" {
		t.Errorf("00:30 BST on 2 June: %s", end.Format(time.DateOnly))
	}
	if _, ok := StandstillEnd(time.Date(2028, 12, 22, 9, 0, 0, 0, London)); ok {
		t.Error("a standstill running into 2029 was computed without a bank holiday table for 2029")
	}
}

func TestStandstillOver(t *testing.T) {
	end := time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		now  time.Time
		over bool
	}{
		{time.Date(2026, 4, 10, 23, 59, 0, 0, London), false},
		{time.Date(2026, 4, 11, 0, 0, 0, 0, London), true},
		{time.Date(2026, 4, 10, 23, 30, 0, 0, time.UTC), true}, // 00:30 BST on the 11th
	} {
		if got := StandstillOver(end, c.now); got != c.over {
			t.Errorf("at %s: over = %v", c.now, got)
		}
	}
	if StandstillOver(time.Time{}, time.Now()) {
		t.Error("no standstill end: over")
	}
}
