package tenders

import "time"

// BankHolidaySource cites the bank holiday table.
const BankHolidaySource = "GOV.UK, UK bank holidays, England and Wales (https://www.gov.uk/bank-holidays, bank-holidays.json), Crown copyright, Open Government Licence v3.0"

// BankHolidays are the bank holidays in England and Wales, 2024 to 2028,
// with substitute days where a holiday falls at a weekend (GOV.UK, see
// BankHolidaySource). Dates after 2028 are not known to the table:
// StandstillEnd reports them as unknown rather than guess.
var BankHolidays = map[string]string{
	"2024-01-01": "New Year's Day", "2024-03-29": "Good Friday", "2024-04-01": "Easter Monday", "2024-05-06": "Early May bank holiday",
	"2024-05-27": "Spring bank holiday", "2024-08-26": "Summer bank holiday", "2024-12-25": "Christmas Day", "2024-12-26": "Boxing Day",
	"2025-01-01": "New Year's Day", "2025-04-18": "Good Friday", "2025-04-21": "Easter Monday", "2025-05-05": "Early May bank holiday",
	"2025-05-26": "Spring bank holiday", "2025-08-25": "Summer bank holiday", "2025-12-25": "Christmas Day", "2025-12-26": "Boxing Day",
	"2026-01-01": "New Year's Day", "2026-04-03": "Good Friday", "2026-04-06": "Easter Monday", "2026-05-04": "Early May bank holiday",
	"2026-05-25": "Spring bank holiday", "2026-08-31": "Summer bank holiday", "2026-12-25": "Christmas Day", "2026-12-28": "Boxing Day (substitute day)",
	"2027-01-01": "New Year's Day", "2027-03-26": "Good Friday", "2027-03-29": "Easter Monday", "2027-05-03": "Early May bank holiday",
	"2027-05-31": "Spring bank holiday", "2027-08-30": "Summer bank holiday", "2027-12-27": "Christmas Day (substitute day)", "2027-12-28": "Boxing Day (substitute day)",
	"2028-01-03": "New Year's Day (substitute day)", "2028-04-14": "Good Friday", "2028-04-17": "Easter Monday", "2028-05-01": "Early May bank holiday",
	"2028-05-29": "Spring bank holiday", "2028-08-28": "Summer bank holiday", "2028-12-25": "Christmas Day", "2028-12-26": "Boxing Day",
}

// bankHolidayYears are the years BankHolidays covers.
const bankHolidayFirst, bankHolidayLast = 2024, 2028

// StandstillWorkingDays is the standstill period of section 51(2): eight
// working days beginning with the day the contract award notice is
// published.
const StandstillWorkingDays = 8

// WorkingDay reports whether the date d (its London calendar date) is a
// working day: not a Saturday or Sunday and not a bank holiday (the Act's
// section 123 also names Christmas Day and Good Friday, which the table
// holds). ok is false when d's year is outside the table.
func WorkingDay(d time.Time) (working, ok bool) {
	c := civil(d)
	if c.Year() < bankHolidayFirst || c.Year() > bankHolidayLast {
		return false, false
	}
	if wd := c.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false, true
	}
	_, holiday := BankHolidays[c.Format(time.DateOnly)]
	return !holiday, true
}

// StandstillEnd returns the last day of the standstill period for a
// contract award notice published at published: the eighth working day
// counting the day of publication if it is a working day (s.51(2)). The
// contract may be entered into from the day after. ok is false when the
// period runs outside the bank holiday table.
func StandstillEnd(published time.Time) (end time.Time, ok bool) {
	d := civil(published)
	for n := 0; ; d = d.AddDate(0, 0, 1) {
		w, known := WorkingDay(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, London))
		if !known {
			return time.Time{}, false
		}
		if w {
			n++
			if n == StandstillWorkingDays {
				return d, true
			}
		}
	}
}

// StandstillOver reports whether the standstill ending on end (a date) is
// over at now: from midnight London time at the start of the next day.
func StandstillOver(end, now time.Time) bool {
	if end.IsZero() {
		return false
	}
	next := time.Date(end.Year(), end.Month(), end.Day()+1, 0, 0, 0, 0, London)
	return !now.Before(next)
}
