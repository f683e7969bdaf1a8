package spend

import (
	"strconv"
	"strings"
	"time"
)

// ParsePeriod reads a date column's value that names a month or a quarter
// rather than a day, as some councils publish: "September 2010", "Sep-10",
// "Sep 2010", "201009", "2010-09", "09/2010", "July 2010-September 2010",
// "Q2 2010/11" (financial quarters: Q1 is April to June). It returns the
// period's last day (where the payment is placed) and the period in a
// standard form ("2010-09", or "2010-07/2010-09" for a range).
func ParsePeriod(s string) (time.Time, string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 5 || len(s) > 40 {
		return time.Time{}, "", false
	}
	if from, to, ok := periodRange(s); ok {
		return monthEnd(to), from.Format("2006-01") + "/" + to.Format("2006-01"), true
	}
	if m, ok := periodMonth(s); ok {
		return monthEnd(m), m.Format("2006-01"), true
	}
	if from, ok := financialQuarter(s); ok {
		to := from.AddDate(0, 2, 0)
		return monthEnd(to), from.Format("2006-01") + "/" + to.Format("2006-01"), true
	}
	return time.Time{}, "", false
}

func monthEnd(m time.Time) time.Time {
	return time.Date(m.Year(), m.Month()+1, 0, 0, 0, 0, 0, time.UTC)
}

func plausibleYear(y int) bool { return y >= 1990 && y <= 2100 }

// periodRange reads "July 2010-September 2010" or "July 2010 to
// September 2010": two months, the second not before the first and
// within a year of it.
func periodRange(s string) (time.Time, time.Time, bool) {
	low := strings.ToLower(s)
	for _, sep := range []string{" to ", " - ", "-", "–"} {
		a, b, ok := strings.Cut(low, sep)
		if !ok {
			continue
		}
		from, ok1 := periodMonth(strings.TrimSpace(a))
		to, ok2 := periodMonth(strings.TrimSpace(b))
		if ok1 && ok2 && !to.Before(from) && to.Before(from.AddDate(1, 0, 0)) {
			return from, to, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// periodMonth reads one month: "September 2010", "Sep 2010", "Sep-10",
// "Sept 10", "201009", "2010-09", "2010/09", "09/2010", "9-2010".
func periodMonth(s string) (time.Time, bool) {
	mk := func(y, m int) (time.Time, bool) {
		if m < 1 || m > 12 || !plausibleYear(y) {
			return time.Time{}, false
		}
		return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), true
	}
	if len(s) == 6 && allDigits(s) { // 201009
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[4:])
		return mk(y, m)
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '/' || r == '.' })
	if len(fields) != 2 {
		return time.Time{}, false
	}
	a, b := fields[0], fields[1]
	if m, ok := monthName(a); ok && allDigits(b) {
		y, _ := strconv.Atoi(b)
		switch len(b) {
		case 2:
			y += 2000
		case 4:
		default:
			return time.Time{}, false
		}
		return mk(y, int(m))
	}
	if allDigits(a) && allDigits(b) {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		switch {
		case len(a) == 4 && len(b) <= 2: // 2010-09
			return mk(x, y)
		case len(b) == 4 && len(a) <= 2: // 09/2010
			return mk(y, x)
		}
	}
	return time.Time{}, false
}

// monthName reads a month's name or its three- or four-letter
// abbreviation.
func monthName(s string) (time.Month, bool) {
	low := strings.ToLower(s)
	if m, ok := months[low]; ok {
		return m, true
	}
	if len(low) > 3 {
		if m, ok := months[low[:3]]; ok && strings.HasPrefix(strings.ToLower(m.String()), low) {
			return m, true
		}
	}
	return 0, false
}

// financialQuarter reads "Q2 2010/11", "Q2 2010-11", "2010/11 Q2" and
// "Q2 2010/2011": the UK public sector's year starts in April, so Q2
// 2010/11 is July to September 2010. It returns the quarter's first month.
func financialQuarter(s string) (time.Time, bool) {
	fields := strings.Fields(strings.ToUpper(s))
	if len(fields) != 2 {
		return time.Time{}, false
	}
	q, year := fields[0], fields[1]
	if !strings.HasPrefix(q, "Q") {
		q, year = year, q
	}
	if len(q) != 2 || q[0] != 'Q' || q[1] < '1' || q[1] > '4' {
		return time.Time{}, false
	}
	a, b, ok := strings.Cut(year, "/")
	if !ok {
		a, b, ok = strings.Cut(year, "-")
	}
	if !ok || len(a) != 4 || !allDigits(a) || !allDigits(b) || (len(b) != 2 && len(b) != 4) {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(a)
	next, _ := strconv.Atoi(b)
	if (len(b) == 2 && next != (y+1)%100) || (len(b) == 4 && next != y+1) || !plausibleYear(y) {
		return time.Time{}, false
	}
	return time.Date(y, time.April+time.Month(3*int(q[1]-'1')), 1, 0, 0, 0, 0, time.UTC), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
