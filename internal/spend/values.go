// Package spend reads councils' published "spend over £500" files — CSVs
// in many layouts and encodings — into payments, keeping every row it
// cannot read as a rejection with its line and reason.
package spend

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// ParseAmount reads an amount of money as whole pence: 1234.5, £1,234.56,
// " 1,234.56 ", (1,234.56) and -1,234.56 (credits), 1,234.56 CR. An
// amount written with more than two decimal places (a binary-float
// artefact such as 607.4799999999999, or a sub-penny 1530.995) is rounded
// to the penny, half away from zero, on the decimal digits as written
// (553.565 is 55357 pence); AmountRounded says whether it was.
func ParseAmount(s string) (int64, error) {
	p, _, err := AmountRounded(s)
	return p, err
}

// AmountRounded is ParseAmount, also saying whether the amount had more
// than two decimal places and was rounded to the penny.
func AmountRounded(s string) (int64, bool, error) {
	if p, ok := plainAmount(s); ok {
		return p, false, nil
	}
	return parseAmount(s)
}

// plainAmount reads the form nearly every line has, an optional minus,
// digits and up to two decimals ("3082.50", "-12.5"), without the general
// path's allocations; ok is false for anything else, which parseAmount
// then reads (FuzzParseAmount checks the two agree).
func plainAmount(s string) (int64, bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 15 || len(frac) > 2 || (hasDot && frac == "") {
		return 0, false
	}
	var p int64
	for i := 0; i < len(whole); i++ {
		c := whole[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		p = p*10 + int64(c-'0')
	}
	for i := 0; i < 2; i++ {
		p *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			p += int64(c - '0')
		}
	}
	if neg {
		p = -p
	}
	return p, true
}

func parseAmount(s string) (int64, bool, error) {
	orig := s
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	neg := false
	if up := strings.ToUpper(s); strings.HasSuffix(up, "CR") {
		neg, s = true, strings.TrimSpace(s[:len(s)-2])
	}
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = !neg, strings.TrimSpace(s[1:len(s)-1])
	}
	if strings.HasPrefix(s, "-") {
		neg, s = !neg, strings.TrimSpace(s[1:])
	} else if strings.HasPrefix(s, "+") {
		s = strings.TrimSpace(s[1:])
	}
	if rest, ok := strings.CutPrefix(s, "£"); ok {
		s = strings.TrimSpace(rest)
		if r, ok := strings.CutPrefix(s, "-"); ok && !neg { // £-12.00
			neg, s = true, r
		}
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	// Thousands separators must be in groups of three.
	groups := strings.Split(whole, ",")
	for i, g := range groups {
		if g == "" || (i > 0 && len(g) != 3) || (i == 0 && len(groups) > 1 && len(g) > 3) {
			return 0, false, fmt.Errorf("amount %q is not a number of pounds", orig)
		}
	}
	whole = strings.Join(groups, "")
	if hasDot && len(frac) == 0 {
		return 0, false, fmt.Errorf("amount %q has a decimal point but no pence after it", orig)
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, false, fmt.Errorf("amount %q is not a number of pounds", orig)
		}
	}
	if len(whole) > 15 {
		return 0, false, fmt.Errorf("amount %q is too large", orig)
	}
	// Past the penny: round half away from zero on the digits as
	// written (the sign is applied after), so 553.565 is 55357 pence and
	// 607.4799999999999 is 60748.
	up, rounded := false, len(frac) > 2
	if rounded {
		up, frac = frac[2] >= '5', frac[:2]
	}
	for len(frac) < 2 {
		frac += "0"
	}
	p, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("amount %q is not a number of pounds", orig)
	}
	if up {
		p++
	}
	if neg {
		p = -p
	}
	return p, rounded, nil
}

// DateOrder is how a file writes day and month in slashed dates.
type DateOrder string

const (
	DayFirst   DateOrder = "dd/mm/yyyy"
	MonthFirst DateOrder = "mm/dd/yyyy"
)

var months = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}

// excelEpoch is day 0 of Excel's 1900 date system (allowing for its
// fictitious 29 February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// ParseDate reads a payment date: ISO (with an optional time), dd/mm/yyyy
// (or mm/dd when the file says so), dd-Mon-yy, dd-Mon-yyyy, dd.mm.yyyy, or
// an Excel serial number.
func ParseDate(s string, order DateOrder) (time.Time, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("no date")
	}
	if t, err := time.Parse(time.DateOnly, firstN(s, 10)); err == nil && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
		if t.Year() < 1990 || t.Year() > 2100 {
			return time.Time{}, fmt.Errorf("date %q is outside the years a payment can have", orig)
		}
		return t, nil
	}
	if n, err := strconv.Atoi(s); err == nil && n > 20000 && n < 80000 {
		return excelEpoch.AddDate(0, 0, n), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 && !strings.ContainsAny(s, "/-") {
		return excelEpoch.AddDate(0, 0, int(f)), nil
	}
	s = strings.Fields(s)[0] // drop a time of day
	for _, sep := range []string{"/", ".", "-"} {
		parts := strings.Split(s, sep)
		if len(parts) != 3 {
			continue
		}
		d, errD := strconv.Atoi(parts[0])
		y, errY := strconv.Atoi(parts[2])
		if errD != nil || errY != nil {
			break
		}
		var m time.Month
		if mi, err := strconv.Atoi(parts[1]); err == nil {
			m = time.Month(mi)
			if sep == "/" && order == MonthFirst {
				d, m = int(m), time.Month(d)
			}
		} else if mm, ok := months[strings.ToLower(parts[1])]; ok {
			m = mm
		} else {
			break
		}
		if len(parts[2]) == 2 {
			y += 2000
			if y > time.Now().Year()+1 {
				y -= 100
			}
		} else if len(parts[2]) != 4 {
			break
		}
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if m < 1 || m > 12 || d < 1 || t.Day() != d || t.Month() != m {
			return time.Time{}, fmt.Errorf("date %q is not a real date", orig)
		}
		if y < 1990 || y > 2100 {
			return time.Time{}, fmt.Errorf("date %q is outside the years a payment can have", orig)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("date %q is not in a recognised form (like 2026-05-29, 29/05/2026, 29-May-26 or 29.05.2026)", orig)
}

func firstN(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// SlashedParts returns the two leading numbers of a slashed date, for
// working out a file's day/month order.
func SlashedParts(s string) (int, int, bool) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return 0, 0, false
	}
	parts := strings.Split(fields[0], "/")
	if len(parts) != 3 {
		return 0, 0, false
	}
	a, errA := strconv.Atoi(parts[0])
	b, errB := strconv.Atoi(parts[1])
	return a, b, errA == nil && errB == nil
}

// Text turns one field into clean UTF-8: a field that is not valid UTF-8
// is Windows-1252 (where £ is the byte 0xA3), as many councils' exports are.
func Text(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\ufffd")
	}
	return out
}

var redactions = []string{"redacted", "redacted personal information", "redacted under dp act", "personal information", "redacted - personal data", "personal data"}

// Redacted reports whether a payee name is a redaction marker.
func Redacted(name string) bool {
	// Every marker starts with r or p: most names are ruled out here,
	// before the normalising below allocates.
	if t := strings.TrimLeftFunc(name, unicode.IsSpace); t == "" || (t[0]|0x20 != 'r' && t[0]|0x20 != 'p') {
		return false
	}
	if ascii(name) {
		// Compared word by word in place: no lowered copy per name.
		for _, r := range redactions {
			if asciiWordsEqualFold(name, r) {
				return true
			}
		}
		return false
	}
	n := strings.ToLower(strings.Join(strings.Fields(name), " "))
	for _, r := range redactions {
		if n == r {
			return true
		}
	}
	return false
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// asciiWordsEqualFold reports whether ASCII s, with its runs of white
// space made single spaces and trimmed and its letters lowered, is want
// (lower case, single spaces): strings.ToLower(strings.Join(
// strings.Fields(s), " ")) == want without the copies.
func asciiWordsEqualFold(s, want string) bool {
	i, j := 0, 0
	for {
		for i < len(s) && asciiSpace(s[i]) {
			i++
		}
		if i == len(s) {
			return j == len(want)
		}
		if j > 0 {
			if j == len(want) || want[j] != ' ' {
				return false
			}
			j++
		}
		for ; i < len(s) && !asciiSpace(s[i]); i, j = i+1, j+1 {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if j == len(want) || want[j] != c {
				return false
			}
		}
	}
}

// formatPence writes non-negative pence as pounds with two decimals.
func formatPence(p int64) string {
	return fmt.Sprintf("%d.%02d", p/100, p%100)
}
