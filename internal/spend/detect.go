package spend

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Column detection: which column of a file is the payment date, the net
// amount and the supplier is decided by what the columns hold (the share
// of a sample of values that read as dates, as money, as organisation
// names) together with what their headers say, the same way for every
// layout. Header words alone are always one council behind.

// CoreRoles are the columns every spend file must have.
var CoreRoles = []string{"date", "amount", "supplier"}

// ColumnCandidate is one column considered for a role, with its score.
type ColumnCandidate struct {
	Column int     `json:"column"` // 1 for the first column
	Header string  `json:"header"`
	Score  float64 `json:"score"`
}

// ColumnChoice is the column chosen for a role and why.
type ColumnChoice struct {
	Column   int              `json:"column"` // 1 for the first column
	Header   string           `json:"header"`
	Score    float64          `json:"score"`
	Why      string           `json:"why"`
	RunnerUp *ColumnCandidate `json:"runner_up,omitempty"`
}

// Confidence thresholds: a role's column must score at least minScore in
// all, with at least minContent from what it holds (a column named "Date"
// holding no dates is not a date column).
const (
	minScore   = 0.85
	minContent = 0.5
	// headerLines is how many lines may come before the header (title
	// blocks, blank lines).
	headerLines = 50
	// sampleRows is how many rows below a header are looked at.
	sampleRows = 200
)

// DetectError is a file where no column is confidently one of the date,
// the amount and the supplier: it carries the three best candidates for
// each and the file's first rows, for a person to choose from.
type DetectError struct {
	File       string
	HeaderLine int      // the file's line taken as the header (1-based), 0 if none
	Header     []string // its cells
	Rows       [][]string
	Candidates map[string][]ColumnCandidate // role → up to three, best first
	Missing    []string                     // roles with no confident column
}

func (e *DetectError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %v: ", e.File, ErrNotSpend)
	if e.HeaderLine == 0 {
		first := ""
		if len(e.Rows) > 0 {
			first = rowText(e.Rows[0])
		}
		fmt.Fprintf(&b, "no row of the first %d looks like a header over columns of dates, amounts and names (the first row reads: %s)", min(len(e.Rows), headerLines), first)
	} else {
		fmt.Fprintf(&b, "taking line %d as the header (it reads: %s), no column is confidently the %s", e.HeaderLine, rowText(e.Header), strings.Join(roleWords(e.Missing), " or the "))
		for _, role := range CoreRoles {
			var parts []string
			for _, c := range e.Candidates[role] {
				if c.Score > 0.1 {
					parts = append(parts, fmt.Sprintf("\"%s\" (column %d, score %.2f)", Printable(strings.TrimSpace(c.Header), 20), c.Column, c.Score))
				}
			}
			if len(parts) > 0 {
				fmt.Fprintf(&b, "; best for the %s: %s", roleWord(role), strings.Join(parts, ", "))
			}
		}
	}
	b.WriteString("; name them with --map date=COLUMN supplier=COLUMN amount=COLUMN")
	return b.String()
}

func (e *DetectError) Unwrap() error { return ErrNotSpend }

// Mappable reports whether a person could choose the columns: a header
// row with at least three named columns and rows under it.
func (e *DetectError) Mappable() bool {
	named := 0
	for _, h := range e.Header {
		if strings.TrimSpace(h) != "" {
			named++
		}
	}
	return e.HeaderLine > 0 && named >= 3 && len(e.Rows) > 0
}

func roleWord(role string) string {
	switch role {
	case "date":
		return "payment date"
	case "amount":
		return "net amount"
	}
	return role
}

func roleWords(roles []string) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = roleWord(r)
	}
	return out
}

// colStats is what a column's sample values are.
type colStats struct {
	n          int // values with anything in them
	dates      int // read as a day or a period (not Excel serials)
	serials    int // whole numbers that are Excel dates
	smin, smax int
	money      int // read as an amount
	marks      int // amounts written with a decimal point, £, comma or sign
	digitsOnly int // whole numbers of five or more digits (identifiers, codes)
	text       int // words: letters and not a date or an amount
	orgWords   int // text with a word organisations' names carry
	distinct   int
}

var orgWordSet = map[string]bool{"ltd": true, "limited": true, "plc": true, "llp": true, "llc": true, "inc": true, "co": true, "company": true, "council": true,
	"trust": true, "cic": true, "services": true, "service": true, "group": true, "association": true, "society": true, "partnership": true, "school": true,
	"academy": true, "university": true, "college": true, "nhs": true, "foundation": true, "charity": true, "centre": true, "uk": true, "&": true, "and": true,
	"solutions": true, "consulting": true, "care": true, "homes": true, "housing": true, "church": true, "club": true, "borough": true, "authority": true}

// valueKind is what one value reads as.
type valueKind struct {
	serial      int  // an Excel date serial, or 0
	digitsOnly  bool // a whole number of five or more digits
	date, money bool
	marks       bool // money written with a decimal point, £, comma or sign
	text, org   bool
}

func classifyValue(v string) valueKind {
	var k valueKind
	letters, digits := 0, 0
	for _, r := range v {
		switch {
		case (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			letters++
		case r >= '0' && r <= '9':
			digits++
		}
	}
	if digits > 0 {
		// Only a value with a digit can be a date, a period or money.
		if allDigits(v) {
			if n, err := strconv.Atoi(v); err == nil && n > 20000 && n < 80000 {
				k.serial = n
			}
			k.digitsOnly = len(v) >= 5
		}
		if !allDigits(v) {
			if _, err := ParseDate(v, DayFirst); err == nil {
				k.date = true
			} else if strings.Contains(v, "/") {
				_, err := ParseDate(v, MonthFirst)
				k.date = err == nil
			}
		}
		if !k.date && (len(v) == 6 || !allDigits(v)) {
			_, _, k.date = ParsePeriod(v)
		}
		if !k.date && letters <= 2 {
			if _, _, err := AmountRounded(v); err == nil {
				k.money, k.marks = true, strings.ContainsAny(v, ".,£()-")
			}
		}
	}
	if k.date || k.money {
		return k
	}
	// Names are mostly letters: "INV-77001" and "A1" are codes.
	if letters >= 2 && letters >= digits {
		k.text = true
		for _, w := range strings.FieldsFunc(strings.ToLower(v), func(r rune) bool { return r == ' ' || r == '.' || r == ',' || r == '(' || r == ')' }) {
			if orgWordSet[w] {
				k.org = true
				break
			}
		}
	}
	return k
}

// sampleStats reads a column's values in the sample rows, each distinct
// value classified once.
func sampleStats(rows [][]string, col int) colStats {
	var st colStats
	seen := map[string]valueKind{}
	st.smin = math.MaxInt
	for _, rec := range rows {
		if col >= len(rec) {
			continue
		}
		v := strings.TrimSpace(Text(rec[col]))
		if v == "" {
			continue
		}
		st.n++
		k, ok := seen[v]
		if !ok {
			k = classifyValue(v)
			seen[v] = k
			st.distinct++
		}
		if k.serial > 0 {
			st.serials++
			st.smin, st.smax = min(st.smin, k.serial), max(st.smax, k.serial)
		}
		if k.digitsOnly {
			st.digitsOnly++
		}
		switch {
		case k.date:
			st.dates++
		case k.money:
			st.money++
			if k.marks {
				st.marks++
			}
		case k.text:
			st.text++
			if k.org {
				st.orgWords++
			}
		}
	}
	return st
}

// contentScores are how much a column's values look like each role, from
// 0 to 1.
func (st colStats) contentScores() (date, amount, supplier float64) {
	if st.n == 0 {
		return 0, 0, 0
	}
	n := float64(st.n)
	dates := float64(st.dates)
	// Excel serial numbers count as dates only when they span less than
	// about two years, as a payments file's dates do and amounts don't.
	narrowSerials := st.serials > 0 && st.smax-st.smin <= 800
	if narrowSerials {
		dates += float64(st.serials)
	}
	date = math.Min(1, dates/n)
	amount = float64(st.money) / n * (0.7 + 0.3*float64(st.marks)/n)
	if narrowSerials && st.serials*10 >= st.n*9 {
		amount *= 0.3
	}
	if st.digitsOnly*10 >= st.n*9 && st.marks == 0 {
		amount *= 0.5 // long whole numbers: references more often than money
	}
	distinct := float64(st.distinct) / n
	supplier = float64(st.text) / n * (0.5 + 0.3*math.Min(1, 2*float64(st.orgWords)/n) + 0.2*distinct)
	return date, amount, supplier
}

// Header words for each role. A header that is exactly a known name of
// another field (Gross, VAT, Supplier ID, Transaction Number …) counts
// against the core roles.
var headerHints = map[string][]string{
	"date":     {"date", "paid", "posting", "posted", "period", "month", "when"},
	"amount":   {"amount", "net", "nett", "value", "total", "spend", "£", "gbp", "cost", "sum", "expenditure", "payment"},
	"supplier": {"supplier", "vendor", "payee", "beneficiary", "creditor", "merchant", "recipient", "name", "company", "organisation", "paid to", "trader", "contractor"},
}

var notRole = map[string][]string{
	"date":     {"amount", "value", "number", "ref", "id"},
	"amount":   {"gross", "vat", "tax", "incl", "date", "number", "no", "id", "code", "ref", "reference"},
	"supplier": {"id", "code", "number", "no", "ref", "reference", "postcode", "vat", "type", "category", "area", "service", "department", "directorate", "description", "purpose"},
}

// exactHeader is the score of a header that is a usual name for a role.
const exactHeader = 0.6

// headerScore is what a header says about a role, from -0.5 to 0.6.
func headerScore(role, header string) (float64, string, bool) {
	h := norm(header)
	if h == "" {
		return 0, "", false
	}
	for rank, syn := range synonyms[role] {
		if h == syn {
			// Earlier names win a tie (PaymentDate before EffectiveDate).
			return exactHeader - 0.01*float64(rank), "its header is a usual name for it", true
		}
	}
	for field, syns := range synonyms {
		if field == role {
			continue
		}
		for _, syn := range syns {
			if h == syn {
				return -0.5, "its header names another field", false
			}
		}
	}
	words := headerWords(header)
	score, why := 0.0, ""
	for _, w := range headerHints[role] {
		if words[w] || (strings.Contains(w, " ") && strings.Contains(strings.ToLower(header), w)) || (w == "£" && strings.Contains(header, "£")) {
			score, why = 0.35, fmt.Sprintf("its header says %q", w)
			break
		}
	}
	for _, w := range notRole[role] {
		if words[w] {
			return score - 0.4, fmt.Sprintf("its header says %q", w), false
		}
	}
	if role == "amount" && (words["net"] || words["nett"] || words["excl"] || words["exc"]) {
		score, why = score+0.15, "its header says net"
	}
	return score, why, false
}

func headerWords(h string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(Text(h)), func(r rune) bool {
		return !(r >= 'a' && r <= 'z') && !(r >= '0' && r <= '9')
	}) {
		out[w] = true
	}
	return out
}

// detection is the outcome of scoring one header row.
type detection struct {
	chosen     map[string]ColumnChoice
	candidates map[string][]ColumnCandidate
	missing    []string
	total      float64
	byContent  bool // some role was chosen by content, not by a usual header name
}

// detect scores the columns under one header row and chooses a column for
// each core role; fixed names columns the caller chose (by --map or a
// remembered mapping).
func detect(header []string, sample [][]string, fixed map[string]int) detection {
	width := len(header)
	for _, r := range sample {
		width = max(width, len(r))
	}
	type cell struct {
		score, content float64
		why            string
		exact          bool // the header is a usual name for the role
	}
	scores := map[string][]cell{}
	for _, role := range CoreRoles {
		scores[role] = make([]cell, width)
	}
	for c := 0; c < width; c++ {
		st := sampleStats(sample, c)
		d, a, s := st.contentScores()
		h := ""
		if c < len(header) {
			h = header[c]
		}
		for role, content := range map[string]float64{"date": d, "amount": a, "supplier": s} {
			hs, hwhy, exact := headerScore(role, h)
			why := fmt.Sprintf("%.0f%% of its values read as %s", 100*content, map[string]string{"date": "dates", "amount": "money", "supplier": "names"}[role])
			if role == "supplier" {
				why = fmt.Sprintf("%.0f%% of its values read as names", 100*float64(st.text)/math.Max(1, float64(st.n)))
			}
			if hwhy != "" {
				why += "; " + hwhy
			}
			scores[role][c] = cell{score: math.Round(100*(content+hs)) / 100, content: content, why: why, exact: exact}
		}
	}
	det := detection{chosen: map[string]ColumnChoice{}, candidates: map[string][]ColumnCandidate{}}
	name := func(c int) string {
		if c < len(header) {
			return strings.TrimSpace(Text(header[c]))
		}
		return ""
	}
	taken := map[int]bool{}
	for role, c := range fixed {
		taken[c] = true
		det.chosen[role] = ColumnChoice{Column: c + 1, Header: name(c), Score: 1, Why: "named in the column mapping"}
	}
	for _, role := range CoreRoles {
		var cs []ColumnCandidate
		for c := 0; c < width; c++ {
			cs = append(cs, ColumnCandidate{Column: c + 1, Header: name(c), Score: scores[role][c].score})
		}
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Score > cs[j].Score })
		det.candidates[role] = cs[:min(3, len(cs))]
	}
	// Greedy: the most certain role-and-column pair first, so a column
	// that is plainly the amount is not taken as the date.
	for {
		best, bestRole, bestCol := -math.MaxFloat64, "", -1
		for _, role := range CoreRoles {
			if _, ok := det.chosen[role]; ok {
				continue
			}
			for c := 0; c < width; c++ {
				if !taken[c] && scores[role][c].score > best {
					best, bestRole, bestCol = scores[role][c].score, role, c
				}
			}
		}
		if bestRole == "" {
			break
		}
		cl := scores[bestRole][bestCol]
		// A column under a usual name for the role is taken whatever it
		// holds (its bad values become rejected rows, each with its reason),
		// unless another column scores higher.
		if !cl.exact && (cl.score < minScore || cl.content < minContent) {
			// No confident column for the rest of the roles.
			for _, role := range CoreRoles {
				if _, ok := det.chosen[role]; !ok {
					det.missing = append(det.missing, role)
				}
			}
			break
		}
		taken[bestCol] = true
		ch := ColumnChoice{Column: bestCol + 1, Header: name(bestCol), Score: cl.score, Why: cl.why}
		for _, cand := range det.candidates[bestRole] {
			if cand.Column != bestCol+1 {
				ru := cand
				ch.RunnerUp = &ru
				break
			}
		}
		det.chosen[bestRole] = ch
		det.total += cl.score
		if !cl.exact {
			det.byContent = true
		}
	}
	return det
}

// looksLikeHeader is a row that could be a header: at least two cells
// with something in them, most of them words rather than numbers or dates.
func looksLikeHeader(rec []string) bool {
	filled, data := 0, 0
	for _, v := range rec {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		filled++
		if _, err := ParseAmount(v); err == nil {
			data++
		} else if _, err := ParseDate(v, DayFirst); err == nil {
			data++
		}
	}
	return filled >= 2 && data*2 < filled
}

// findHeader chooses the header row among the first rows of a file (up to
// headerLines of them) and the columns of the core roles under it: the
// first row whose columns are confidently a date, an amount and a
// supplier, with the row under it reading as a payment. fixed maps roles
// to header names chosen by a person; a row must have them all. It
// returns the header's index in rows, or a *DetectError.
func findHeader(file string, rows [][]string, fixed map[string]string) (int, map[string]ColumnChoice, error) {
	var best *detection
	bestAt := -1
	var missingNames []string
	for i := 0; i < len(rows) && i < headerLines; i++ {
		if !looksLikeHeader(rows[i]) {
			continue
		}
		cols := map[string]int{}
		var missing []string
		for role, name := range fixed {
			found := false
			for c, h := range rows[i] {
				if norm(h) == norm(name) && norm(name) != "" {
					cols[role], found = c, true
					break
				}
			}
			if !found {
				missing = append(missing, fmt.Sprintf("%s=%s", role, name))
			}
		}
		if len(missing) > 0 {
			if missingNames == nil {
				missingNames = missing
			}
			continue
		}
		sample := rows[i+1:]
		sample = sample[:min(len(sample), sampleRows)]
		if !anyFilled(sample) {
			// A header and nothing under it: known names are enough to
			// say it is a spend file (with no payments).
			if c, ok := mapHeader(rows[i], fixed); ok {
				chosen := map[string]ColumnChoice{}
				for _, role := range CoreRoles {
					chosen[role] = ColumnChoice{Column: c.Index[role] + 1, Header: c.Name[role], Why: "its header is a usual name for it"}
				}
				return i, chosen, nil
			}
		}
		det := detect(rows[i], sample, cols)
		if len(det.missing) == 0 && (!det.byContent || firstRowFits(rows[i+1:], det.chosen)) {
			return i, det.chosen, nil
		}
		if best == nil || det.total > best.total {
			best, bestAt = &det, i
		}
	}
	if best == nil && missingNames != nil && len(fixed) > 0 {
		sort.Strings(missingNames)
		return 0, nil, fmt.Errorf("%s: %w: no row of the first %d has the columns named in the mapping (%s)", file, ErrNotSpend, min(len(rows), headerLines), strings.Join(missingNames, ", "))
	}
	de := &DetectError{File: file, Rows: rows[:min(len(rows), 20):min(len(rows), 20)]}
	if best != nil {
		de.HeaderLine, de.Header, de.Candidates, de.Missing = bestAt+1, rows[bestAt], best.candidates, best.missing
		if len(de.Missing) == 0 {
			de.Missing = CoreRoles // chosen, but the row under the header is not a payment
		}
		de.Rows = rows[bestAt+1 : min(len(rows), bestAt+21) : min(len(rows), bestAt+21)]
	}
	return 0, nil, de
}

func anyFilled(rows [][]string) bool {
	for _, r := range rows {
		for _, v := range r {
			if strings.TrimSpace(v) != "" {
				return true
			}
		}
	}
	return false
}

// firstRowFits: the first row with anything in it under a header reads as
// a payment in the chosen date and amount columns, so a title line just
// above the real header is not taken for it.
func firstRowFits(rows [][]string, chosen map[string]ColumnChoice) bool {
	for _, r := range rows {
		blank := true
		for _, v := range r {
			if strings.TrimSpace(v) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		cell := func(role string) string {
			c := chosen[role].Column - 1
			if c < 0 || c >= len(r) {
				return ""
			}
			return strings.TrimSpace(Text(r[c]))
		}
		_, errA := ParseAmount(cell("amount"))
		d := cell("date")
		_, errD := ParseDate(d, DayFirst)
		if errD != nil {
			_, errD = ParseDate(d, MonthFirst)
		}
		if errD != nil {
			if _, _, ok := ParsePeriod(d); ok {
				errD = nil
			}
		}
		return errA == nil && errD == nil
	}
	return false
}

// IsDetectError reports whether err is a file whose columns could not be
// detected, and its details.
func IsDetectError(err error) (*DetectError, bool) {
	var de *DetectError
	ok := errors.As(err, &de)
	return de, ok
}
