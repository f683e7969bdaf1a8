package spend

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
)

// Fields the importer maps, with the column names councils use for them
// (compared with case, spaces and punctuation removed).
var synonyms = map[string][]string{
	"date":           {"paymentdate", "date", "datepaid", "transactiondate", "invoicepaymentdate", "paiddate", "effectivedate"},
	"supplier":       {"beneficiaryname", "suppliername", "supplier", "payee", "payeename", "vendorname", "vendor", "beneficiary", "creditorname", "merchantname"},
	"amount":         {"amount", "netamount", "net", "netamountgbp", "amountexclvat", "amountexvat", "netvalue", "value", "totalnet"},
	"gross":          {"grossamount", "gross", "amountinclvat", "grossvalue"},
	"vat":            {"vat", "vatamount", "vatvalue"},
	"transaction":    {"transactionnumber", "transactionno", "transactionid", "transactionref", "documentnumber", "documentno", "transno", "reference"},
	"supplier_id":    {"supplierid", "beneficiaryotherid", "vendorid", "suppliercode", "creditorid", "supplierno"},
	"vat_number":     {"vatregistrationnumber", "vatregno", "vatnumber", "vatregistrationno"},
	"company_number": {"companynumber", "companiesregno", "companyregistrationnumber", "companyno"},
	"postcode":       {"postcode", "supplierpostcode", "beneficiarypostcode"},
	"service":        {"organisationalunit", "servicearea", "directorate", "service", "expensearea", "department", "servicelabel", "costcentre"},
	"expense_type":   {"expensetype", "purpose", "category", "expensedescription", "proclasslabel", "expenditurecategory", "expensecategory"},
	"merchant":       {"merchantcategory", "merchantcategorycode"},
}

// Preference when one column name could be two fields ("date" before
// "effectivedate"): earlier synonyms win, and a field already taken keeps
// its column.
var fieldOrder = []string{"date", "supplier", "amount", "gross", "vat", "transaction", "supplier_id", "vat_number", "company_number", "postcode", "service", "expense_type", "merchant"}

func norm(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(Text(h)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Columns maps fields to column positions in a file.
type Columns struct {
	Index map[string]int    // field → column
	Name  map[string]string // field → the file's header text
	Extra map[int]string    // unmapped columns, kept as raw JSON
	// Chosen says, for the date, amount and supplier, which column was
	// chosen, its score and why, and the runner-up.
	Chosen map[string]ColumnChoice
	// Signature identifies the file's layout: its header's names,
	// normalised, in order (for remembering a mapping).
	Signature string
}

// LayoutSignature is a header row's layout: its names normalised (case,
// spaces and punctuation removed) and joined in order, so next month's
// file with the same columns has the same signature.
func LayoutSignature(header []string) string {
	parts := make([]string, 0, len(header))
	for _, h := range header {
		parts = append(parts, norm(h))
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, "|")
}

// columnsFor maps a header row to fields: the core roles to the chosen
// columns, then the other fields named in overrides, then the rest by
// their usual names.
func columnsFor(header []string, chosen map[string]ColumnChoice, overrides map[string]string) Columns {
	fixed := map[string]string{}
	for field, col := range overrides {
		if _, core := chosen[field]; !core {
			fixed[field] = col
		}
	}
	for role, ch := range chosen {
		if ch.Column-1 < len(header) {
			fixed[role] = header[ch.Column-1]
		}
	}
	c, _ := mapHeader(header, fixed)
	for role, ch := range chosen {
		c.Index[role] = ch.Column - 1
		if ch.Column-1 >= len(header) {
			c.Name[role] = ch.Header
		}
		delete(c.Extra, ch.Column-1)
	}
	c.Chosen = chosen
	c.Signature = LayoutSignature(header)
	return c
}

// ExtraNames lists the unmapped columns' names in file order: the names
// of the values in each payment's Extra array.
func (c Columns) ExtraNames() []string {
	cols := make([]int, 0, len(c.Extra))
	for i := range c.Extra {
		cols = append(cols, i)
	}
	sort.Ints(cols)
	names := make([]string, len(cols))
	for k, i := range cols {
		names[k] = c.Extra[i]
	}
	return names
}

// mapHeader matches a header row to fields; overrides (field → column
// name) win. It reports whether date, supplier and amount were all found.
func mapHeader(header []string, overrides map[string]string) (Columns, bool) {
	c := Columns{Index: map[string]int{}, Name: map[string]string{}, Extra: map[int]string{}}
	normed := make([]string, len(header))
	for i, h := range header {
		normed[i] = norm(h)
	}
	taken := map[int]bool{}
	for field, col := range overrides {
		for i, h := range normed {
			if h == norm(col) {
				c.Index[field], c.Name[field], taken[i] = i, strings.TrimSpace(Text(header[i])), true
			}
		}
	}
	for _, field := range fieldOrder {
		if _, ok := c.Index[field]; ok {
			continue
		}
	syn:
		for _, want := range synonyms[field] {
			for i, h := range normed {
				if h == want && !taken[i] {
					c.Index[field], c.Name[field], taken[i] = i, strings.TrimSpace(Text(header[i])), true
					break syn
				}
			}
		}
	}
	// Unmapped columns keep their names; a repeated name gets a number so
	// no column's values are lost from the JSON.
	seen := map[string]int{}
	for i, h := range header {
		if !taken[i] && strings.TrimSpace(h) != "" {
			name := strings.TrimSpace(Text(h))
			if seen[name]++; seen[name] > 1 {
				name = fmt.Sprintf("%s (%d)", name, seen[name])
			}
			c.Extra[i] = name
		}
	}
	_, d := c.Index["date"]
	_, s := c.Index["supplier"]
	_, a := c.Index["amount"]
	return c, d && s && a
}

// Payment is one imported line.
type Payment struct {
	Line          int
	Date          time.Time
	Supplier      string
	Redacted      bool
	NetPence      int64
	GrossPence    *int64
	Transaction   string
	SupplierID    string
	VATNumber     string
	CompanyNumber string
	Postcode      string
	Service       string
	ExpenseType   string
	Merchant      string
	// Period is set when the file gave a month or a quarter instead of a
	// day ("2010-09", "2010-07/2010-09"): Date is then its last day.
	Period string
	// Rounded: the amount had more than two decimal places and was
	// rounded to the penny.
	Rounded bool
	// Extra holds the unmapped columns' values in file order (their
	// names, once per file, are Columns.ExtraNames), or nil when all are
	// blank: the names would be most of the bytes of a stored payment if
	// repeated on every row.
	Extra []string
	// Key identifies the payment for de-duplication (the first 16 bytes of
	// the SHA-256 of every mapped field); the buyer is added by the store.
	// Two identical lines have the same key and are both kept.
	Key [16]byte
}

// Reject is a line that could not be imported.
type Reject struct {
	Line   int
	Field  string
	Reason string
	Raw    string
}

// Result is what reading a file produced.
type Result struct {
	File      string
	Columns   Columns
	DateOrder DateOrder
	Preamble  int // lines skipped before the header
	Blank     int
	Payments  []Payment
	Rejects   []Reject

	layout *layout  // resolved from Columns on the first row
	buf    []byte   // scratch for each row's key
	slab   []string // room for rows' unmapped values
	// the last date read and its value
	lastDate   string
	lastTime   time.Time
	lastPeriod string
}

// ErrNotSpend means no header with date, supplier and amount columns was found.
var ErrNotSpend = errors.New("not a spend file")

// ErrNoRows means a spend file has a header but no rows after it with
// anything in them; nothing is imported and no run is recorded.
var ErrNoRows = errors.New("no payment rows")

// stripBOM removes a UTF-8 byte-order mark, also when it was itself
// mis-encoded as the text "ï»¿".
func stripBOM(br *bufio.Reader) {
	for _, bom := range [][]byte{[]byte("\ufeff"), []byte("ï»¿")} {
		if b, err := br.Peek(len(bom)); err == nil && bytes.Equal(b, bom) {
			_, _ = br.Discard(len(bom))
		}
	}
}

// Meta describes a file as read: its columns, date order and the lines it
// skipped.
type Meta struct {
	File      string
	Sheet     string // the worksheet read, for a workbook ("" for the first)
	Columns   Columns
	DateOrder DateOrder
	Preamble  int
	Blank     int
}

// orderWindow is how many data rows decide a file's day/month order before
// the rest streams through with that one order.
const orderWindow = 20000

// orderWindowBytes bounds the text of the rows held to settle the order.
const orderWindowBytes = 32 << 20

// detectBytes bounds the text of the first rows read ahead to find the
// header and choose the columns.
const detectBytes = 8 << 20

// Stream reads a spend file row by row, calling each with a payment or a
// reject, so a file of any size is read in bounded memory. The day/month
// order is settled on the first rows and then used for the whole file; a
// later date that does not fit it is rejected with the reason. The
// payment passed to each is reused for the next row: copy it to keep it.
// The file is read within DefaultLimits.
func Stream(r io.Reader, file string, overrides map[string]string, each func(*Payment, *Reject) error) (Meta, error) {
	return StreamLimits(r, file, overrides, Limits{}, each)
}

// StreamLimits is Stream within the given limits: a row, cell, cell count,
// row count or size past them stops the read with a *LimitError before
// the row is held in memory.
func StreamLimits(r io.Reader, file string, overrides map[string]string, lim Limits, each func(*Payment, *Reject) error) (Meta, error) {
	lim = lim.withDefaults()
	br := bufio.NewReaderSize(newCSVGuard(r, lim), 1<<20)
	stripBOM(br)
	// Records as encoding/csv with LazyQuotes splits them; the record
	// slice is reused (each row is parsed before the next is read; the
	// window below copies).
	cr := newCSVReader(br)
	meta := Meta{File: file, DateOrder: DayFirst}
	res := &Result{File: file, DateOrder: DayFirst}
	// The first rows are read ahead: the header may sit below a title
	// block, and the columns are chosen by what the rows under it hold.
	type row struct {
		line  int
		rec   []string
		valid bool // all of rec is valid UTF-8
	}
	var ahead []row
	aheadBytes := 0
	for len(ahead) < headerLines+sampleRows && aheadBytes < detectBytes {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return meta, fmt.Errorf("%s: %w", file, err)
		}
		rec = slices.Clone(rec)
		ahead = append(ahead, row{cr.Line(), rec, cr.valid})
		for _, f := range rec {
			aheadBytes += len(f) + 16
		}
	}
	recs := make([][]string, len(ahead))
	for i, rw := range ahead {
		recs[i] = rw.rec
	}
	h, chosen, err := findHeader(file, recs, overrides)
	if de, ok := IsDetectError(err); ok && de.HeaderLine > 0 {
		de.HeaderLine = ahead[de.HeaderLine-1].line // the row's line in the file
	}
	if err != nil {
		if len(ahead) == 0 {
			return meta, fmt.Errorf("%s: %w: the file is empty", file, ErrNotSpend)
		}
		return meta, err
	}
	res.Columns = columnsFor(recs[h], chosen, overrides)
	meta.Preamble = h
	pending := ahead[h+1:]
	meta.Columns = res.Columns
	var records int64
	// next reads a record; a failure to read the file is fatal (with
	// LazyQuotes no text is malformed CSV).
	next := func() (row, bool, error) {
		if len(pending) > 0 {
			rw := pending[0]
			pending = pending[1:]
			if records++; records > lim.Rows {
				return row{}, false, fmt.Errorf("%s: %w", file, &LimitError{Where: fmt.Sprintf("line %d", rw.line), What: fmt.Sprintf("the file has more than %d rows", lim.Rows), Limit: "rows in a file", Max: lim.Rows, Flag: "--max-rows"})
			}
			return rw, true, nil
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return row{}, false, nil
		}
		if err != nil {
			return row{}, false, fmt.Errorf("%s: %w", file, err)
		}
		if records++; records > lim.Rows {
			return row{}, false, fmt.Errorf("%s: %w", file, &LimitError{Where: fmt.Sprintf("line %d", cr.Line()), What: fmt.Sprintf("the file has more than %d rows", lim.Rows), Limit: "rows in a file", Max: lim.Rows, Flag: "--max-rows"})
		}
		return row{cr.Line(), rec, cr.valid}, true, nil
	}
	var p Payment // one for the whole file, not one allocation per row
	filled := 0   // rows with anything in them
	emit := func(rw row) error {
		filled++
		var rej *Reject
		var blank bool
		p, rej, blank = res.parseRow(rw.line, rw.rec, rw.valid)
		switch {
		case blank:
			meta.Blank++
			filled--
			return nil
		case rej != nil:
			return each(nil, rej)
		}
		return each(&p, nil)
	}
	var window []row
	held := 0
	for len(window) < orderWindow && held < orderWindowBytes {
		rw, ok, err := next()
		if err != nil {
			return meta, err
		}
		if !ok {
			break
		}
		rw.rec = slices.Clone(rw.rec)
		window = append(window, rw)
		for _, f := range rw.rec {
			held += len(f) + 16
		}
	}
	dc := res.Columns.Index["date"]
	dayOver, monthOver := false, false
	for _, rw := range window {
		if dc < len(rw.rec) {
			if a, b, ok := SlashedParts(rw.rec[dc]); ok {
				dayOver = dayOver || a > 12
				monthOver = monthOver || b > 12
			}
		}
	}
	if monthOver && !dayOver {
		res.DateOrder = MonthFirst
	}
	meta.DateOrder = res.DateOrder
	for _, rw := range window {
		if err := emit(rw); err != nil {
			return meta, err
		}
	}
	window = nil
	for {
		rw, ok, err := next()
		if err != nil {
			return meta, err
		}
		if !ok {
			if filled == 0 {
				return meta, fmt.Errorf("%s: %w after the header on line %d, so nothing was imported", file, ErrNoRows, meta.Preamble+1)
			}
			return meta, nil
		}
		if err := emit(rw); err != nil {
			return meta, err
		}
	}
}

// Read parses a whole spend file into memory (small files and tests).
func Read(r io.Reader, file string, overrides map[string]string) (*Result, error) {
	res := &Result{File: file}
	meta, err := Stream(r, file, overrides, func(p *Payment, rej *Reject) error {
		if p != nil {
			res.Payments = append(res.Payments, *p)
		} else {
			res.Rejects = append(res.Rejects, *rej)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Columns, res.DateOrder, res.Preamble, res.Blank = meta.Columns, meta.DateOrder, meta.Preamble, meta.Blank
	sort.SliceStable(res.Rejects, func(i, j int) bool { return res.Rejects[i].Line < res.Rejects[j].Line })
	return res, nil
}

// layout is a file's columns resolved once for the per-row hot path:
// the column of each field in fieldOrder (-1 when absent) and the
// unmapped columns in file order.
type layout struct {
	col   [nFields]int
	extra []int
}

// Positions in fieldOrder, for layout.col.
const (
	fDate = iota
	fSupplier
	fAmount
	fGross
	fVAT
	fTransaction
	fSupplierID
	fVATNumber
	fCompanyNumber
	fPostcode
	fService
	fExpenseType
	fMerchant
	nFields
)

func (c Columns) layout() *layout {
	l := &layout{}
	for f, name := range fieldOrder {
		l.col[f] = -1
		if i, ok := c.Index[name]; ok {
			l.col[f] = i
		}
	}
	for i := range c.Extra {
		l.extra = append(l.extra, i)
	}
	sort.Ints(l.extra)
	return l
}

// parseRow reads one record; valid says all its text is valid UTF-8
// (so no field needs decoding from Windows-1252).
func (res *Result) parseRow(line int, rec []string, valid bool) (Payment, *Reject, bool) {
	if res.layout == nil {
		res.layout = res.Columns.layout()
	}
	l := res.layout
	// Each mapped field is read (decoded, trimmed) once: the key reads
	// them all again.
	var vals [nFields]string
	for f, i := range l.col {
		if i >= 0 && i < len(rec) {
			if valid {
				vals[f] = strings.TrimSpace(rec[i])
			} else {
				vals[f] = strings.TrimSpace(Text(rec[i]))
			}
		}
	}
	get := func(f int) string { return vals[f] }
	blank := true
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			blank = false
			break
		}
	}
	if blank {
		return Payment{}, nil, true
	}
	reject := func(field, format string, args ...any) (Payment, *Reject, bool) {
		return Payment{}, &Reject{Line: line, Field: field, Reason: fmt.Sprintf(format, args...), Raw: Text(strings.Join(rec, ","))}, false
	}
	supplier, date, amount := get(fSupplier), get(fDate), get(fAmount)
	if supplier == "" && date == "" {
		if amount != "" {
			return reject("supplier", "no date and no supplier: looks like a total or summary row")
		}
		return reject("supplier", "no date, supplier or amount")
	}
	p := Payment{Line: line, Supplier: supplier, Transaction: get(fTransaction), SupplierID: get(fSupplierID), VATNumber: get(fVATNumber),
		CompanyNumber: get(fCompanyNumber), Postcode: get(fPostcode), Service: get(fService), ExpenseType: get(fExpenseType), Merchant: get(fMerchant)}
	if supplier == "" {
		return reject("supplier", "no supplier name")
	}
	p.Redacted = Redacted(supplier)
	// Files run in date order, so most lines repeat the previous date.
	if date != res.lastDate || date == "" {
		d, err := ParseDate(date, res.DateOrder)
		period := ""
		if err != nil {
			// A month or a quarter instead of a day: the payment is
			// placed on the period's last day and the period kept.
			end, per, ok := ParsePeriod(date)
			if !ok {
				return reject("date", "%v", err)
			}
			d, period = end, per
		}
		res.lastDate, res.lastTime, res.lastPeriod = date, d, period
	}
	p.Date, p.Period = res.lastTime, res.lastPeriod
	var err error
	if p.NetPence, p.Rounded, err = AmountRounded(amount); err != nil {
		return reject("amount", "%v", err)
	}
	if g := get(fGross); g != "" {
		gp, err := ParseAmount(g)
		if err != nil {
			return reject("gross", "%v", err)
		}
		p.GrossPence = &gp
	}
	if len(l.extra) > 0 {
		// Rows' value lists are cut from a shared slab: one allocation
		// per few hundred rows instead of one per row.
		if len(res.slab) < len(l.extra) {
			res.slab = make([]string, max(4096, len(l.extra)))
		}
		extra := res.slab[:len(l.extra):len(l.extra)]
		res.slab = res.slab[len(l.extra):]
		filled := false
		for k, col := range l.extra {
			if col < len(rec) && valid {
				extra[k] = strings.TrimSpace(rec[col])
				filled = filled || extra[k] != ""
			} else if col < len(rec) {
				extra[k] = strings.TrimSpace(Text(rec[col]))
				filled = filled || extra[k] != ""
			}
		}
		if filled {
			p.Extra = extra
		}
	}
	// The key covers every mapped field, so only true repeats share it.
	buf := res.buf[:0]
	for f := range fieldOrder {
		buf = append(buf, get(f)...)
		buf = append(buf, 0x1f)
	}
	sum := sha256.Sum256(buf)
	copy(p.Key[:], sum[:16])
	res.buf = buf
	return p, nil, false
}

// Totals sums net pence and finds the date range of the payments.
func Totals(ps []Payment) (net int64, from, to time.Time) {
	for i, p := range ps {
		net += p.NetPence
		if i == 0 || p.Date.Before(from) {
			from = p.Date
		}
		if i == 0 || p.Date.After(to) {
			to = p.Date
		}
	}
	return net, from, to
}
