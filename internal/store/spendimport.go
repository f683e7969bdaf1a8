package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/spend"
)

// ImportSpendStream stores a file for a buyer in one transaction as it is
// read, so an interrupted import leaves nothing behind and memory stays
// bounded.
//
// Reading and writing overlap on three goroutines: one parses the file
// (parseAhead), one de-duplicates, counts, sums the rollups and encodes
// payment blocks (spendReader.read), and this one writes the previous
// batch in the transaction.
//
// Payments are de-duplicated as a multiset: for each payment key (every
// mapped field of the line, so the date too) only as many copies are kept
// as the file has beyond those already stored, so re-imports and
// overlapping files add nothing twice while identical lines within a file
// are all kept. A payment can only repeat a stored one in a month that
// already held payments for the buyer, so the stored keys of such a month
// are counted when the file first reaches it, and each of the file's
// payments in it uses up one stored copy of its key or is imported. A file
// of new months (the usual case, and every first import) reads nothing.
func (s *Store) ImportSpendStream(ctx context.Context, actor auth.Actor, buyerID int64, file, sha string, stream SpendStream) (SpendRun, error) {
	return s.ImportSpendStreamSum(ctx, actor, buyerID, file, func() (string, error) { return sha, nil }, stream)
}

// ImportSpendStreamSum is ImportSpendStream with the file's SHA-256 given
// by a function called once the rows are read, so the command line can
// hash a large file while it is imported rather than in a pass of its own
// before (about a second of a 5-million-row import). An error from sum
// rolls the import back.
func (s *Store) ImportSpendStreamSum(ctx context.Context, actor auth.Actor, buyerID int64, file string, sum func() (string, error), stream SpendStream) (SpendRun, error) {
	run := SpendRun{File: file}
	err := s.txConn(ctx, func(tx *sql.Tx, conn *sql.Conn) error {
		if s.dialect == Postgres {
			// Two nodes importing for one buyer at once would each miss
			// the other's uncommitted payments when de-duplicating.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7243003, $1)`, int32(buyerID)); err != nil {
				return fmt.Errorf("spend import lock: %w", err)
			}
		}
		stored := map[int]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT month FROM spend_rollup_supplier WHERE buyer_org_id = $1`, buyerID)
		months, err := collect("stored spend months", rows, err, scanString)
		if err != nil {
			return err
		}
		for _, m := range months {
			if ym, ok := parseMonth(m); ok {
				stored[ym] = true
			}
		}
		// The run row comes first so blocks can reference it; its counts
		// and the file's hash are filled in at the end, in the same
		// transaction.
		if err := tx.QueryRowContext(ctx, `INSERT INTO spend_runs (buyer_org_id, file_name, file_sha256, rows_read, rows_imported, rows_rejected, rows_duplicate, total_net_pence, date_from, date_to, columns, date_order, created_at)
			VALUES ($1, $2, '', 0, 0, 0, 0, 0, '', '', '{}', '', $3) RETURNING id`, buyerID, file, time.Now().UTC()).Scan(&run.ID); err != nil {
			return fmt.Errorf("spend run: %w", err)
		}
		r := newSpendReader(stored, s.spendOpenBytes, s.spendRollGroups, func(ym int) (map[[16]byte]int32, error) { return s.spendMonthKeys(ctx, buyerID, ym) })
		batches := make(chan spendBatch, 4)
		stop := make(chan struct{})
		var meta spend.Meta
		var readErr error
		go func() {
			defer close(batches)
			meta, readErr = r.read(parseAhead(stream), batches, stop)
		}()
		var writeErr error
		w := &spendWrite{months: monthNames{}, choices: [2]map[string]struct{}{{}, {}}}
		for b := range batches {
			if writeErr == nil {
				if writeErr = s.writeSpendBatch(ctx, tx, conn, buyerID, run.ID, b, w); writeErr != nil {
					close(stop) // the reader stops at its next row
				}
			}
		}
		if writeErr != nil {
			return writeErr
		}
		if readErr != nil {
			return readErr
		}
		if run.SHA256, err = sum(); err != nil {
			return err
		}
		run.RowsImported, run.RowsRejected, run.RowsDuplicate, run.TotalNetPence = r.imported, r.rejected, r.duplicate, r.net
		run.RowsBlank, run.Columns, run.DateOrder, run.Sheet = meta.Blank, runColumns(meta.Columns), string(meta.DateOrder), meta.Sheet
		run.RoundedAmounts, run.PeriodRows = r.rounded, r.periodRows
		if len(r.periods) > 0 {
			run.Periods = r.periods
		}
		run.runNotes()
		periods := ""
		if run.Periods != nil {
			b, _ := json.Marshal(run.Periods)
			periods = string(b)
		}
		run.RowsRead = run.RowsImported + run.RowsDuplicate + run.RowsRejected + run.RowsBlank
		if run.RowsImported > 0 {
			run.DateFrom, run.DateTo = dayString(r.from), dayString(r.to)
		}
		cols, _ := json.Marshal(run.Columns)
		extra, _ := json.Marshal(meta.Columns.ExtraNames())
		if _, err := tx.ExecContext(ctx, `UPDATE spend_runs SET rows_read = $1, rows_imported = $2, rows_rejected = $3, rows_duplicate = $4, total_net_pence = $5, date_from = $6, date_to = $7, columns = $8, date_order = $9, extra_columns = $10,
			rounded_amounts = $11, period_rows = $12, periods = $13, sheet = $14, file_sha256 = $15 WHERE id = $16`,
			run.RowsRead, run.RowsImported, run.RowsRejected, run.RowsDuplicate, run.TotalNetPence, run.DateFrom, run.DateTo, string(cols), run.DateOrder, string(extra),
			run.RoundedAmounts, run.PeriodRows, periods, run.Sheet, run.SHA256, run.ID); err != nil {
			return fmt.Errorf("spend run: %w", err)
		}
		if err := bumpSpendGeneration(ctx, tx, buyerID); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "spend.import", ObjectType: "spend_run", ObjectID: strconv.FormatInt(run.ID, 10),
			Summary: audit.Summary(nil, map[string]any{"buyer_org_id": buyerID, "file": run.File, "imported": run.RowsImported, "rejected": run.RowsRejected, "duplicate": run.RowsDuplicate, "total_net_pence": run.TotalNetPence})})
	})
	return run, err
}

// spendBatch is what the reader hands the writer: payment blocks and
// rejects to insert, and, now and then, rollup sums to add.
type spendBatch struct {
	blocks []spendBlock
	bytes  int
	rejs   []spend.Reject
	roll   spendRollup
}

const (
	// A batch goes to the writer once it holds this many bytes of blocks
	// or this many rejects.
	spendBatchBytes = 1 << 20
	spendBatchRejs  = 4000
	// Blocks still filling are finished, whatever their size, when they
	// hold this many bytes between them (Store.spendOpenBytes): a file in
	// no particular order gets smaller blocks, never unbounded memory.
	spendOpenBytes = 16 << 20
	// Rollups are summed in memory and added to the tables when they grow
	// past this many groups (Store.spendRollGroups).
	spendRollGroups = 50000
)

// spendReader parses the file on its own goroutine: it de-duplicates,
// counts, sums and dates the rows, sums the rollups and encodes the blocks.
type spendReader struct {
	stored    map[int]bool               // months (year×12+month) with payments before this run
	keys      map[int]map[[16]byte]int32 // their stored keys, counted when first reached
	loadKeys  func(int) (map[[16]byte]int32, error)
	imported  int
	rejected  int
	duplicate int
	// values as written: amounts rounded to the penny, rows dated by a
	// period (counted by period, up to maxRunPeriods of them)
	rounded    int
	periodRows int
	periods    map[string]int
	net        int64
	from, to   int // yyyymmdd of the imported payments
	roll       spendRollup
	open       map[payeeMonth]*blockEncoder
	openBytes  int
	openMax    int
	rollMax    int
	// The last payee-month's open block and the last rollup group's sum:
	// files run in date order and a payee's lines mostly come together
	// (nine lines in ten repeat the payee-month of the line before, one
	// in two its rollup group), so comparing with the last key saves
	// most of the hashing. lastEnc is nil once its block is finished,
	// lastSum once the sums are handed to the writer.
	lastPM   payeeMonth
	lastEnc  *blockEncoder
	lastRoll rollKey
	lastSum  *rollSum
}

// payeeMonth is one payee spelling in one month: the grain of a payment
// block and of spend_rollup_supplier.
type payeeMonth struct {
	ym       int
	supplier string
	redacted bool
}

// errSpendStopped ends reading when the writer has failed.
var errSpendStopped = errors.New("spend import stopped")

func newSpendReader(stored map[int]bool, openMax, rollMax int, loadKeys func(int) (map[[16]byte]int32, error)) *spendReader {
	return &spendReader{stored: stored, openMax: openMax, rollMax: rollMax, keys: map[int]map[[16]byte]int32{}, loadKeys: loadKeys, roll: spendRollup{}, open: map[payeeMonth]*blockEncoder{}}
}

func (r *spendReader) read(stream SpendStream, out chan<- spendBatch, stop <-chan struct{}) (spend.Meta, error) {
	var b spendBatch
	send := func() bool {
		select {
		case out <- b:
		case <-stop:
			return false
		}
		b = spendBatch{}
		return true
	}
	finish := func(k payeeMonth, e *blockEncoder) {
		data := e.bytes()
		b.blocks = append(b.blocks, spendBlock{ym: k.ym, supplier: k.supplier, redacted: k.redacted, n: e.n, net: e.net, data: data})
		b.bytes += len(data)
		r.openBytes -= e.size()
	}
	meta, err := stream(func(p *spend.Payment, rej *spend.Reject) error {
		if rej != nil {
			r.rejected++
			b.rejs = append(b.rejs, *rej)
		} else {
			if p.Rounded {
				r.rounded++
			}
			if p.Period != "" {
				r.periodRows++
				if r.periods == nil {
					r.periods = map[string]int{}
				}
				if _, ok := r.periods[p.Period]; ok || len(r.periods) < maxRunPeriods {
					r.periods[p.Period]++
				}
			}
			if err := r.payment(p, finish); err != nil {
				return err
			}
		}
		if r.openBytes >= r.openMax {
			for k, e := range r.open {
				finish(k, e)
			}
			clear(r.open)
			r.lastEnc = nil
		}
		if len(r.roll) >= r.rollMax {
			// The next sums will fill as many groups: a map made that
			// size at once is not grown and rehashed step by step.
			b.roll, r.roll = r.roll, make(spendRollup, r.rollMax+r.rollMax/8)
			r.lastSum = nil
		}
		if b.bytes >= spendBatchBytes || len(b.rejs) >= spendBatchRejs || b.roll != nil {
			if !send() {
				return errSpendStopped
			}
		}
		return nil
	})
	if err != nil {
		return meta, err
	}
	for k, e := range r.open {
		finish(k, e)
	}
	clear(r.open)
	b.roll = r.roll
	if !send() {
		return meta, errSpendStopped
	}
	return meta, nil
}

// parseAhead runs a stream on a goroutine of its own, up to a few chunks
// of rows ahead of its consumer, so parsing the file and the work done for
// each row (de-duplication, rollups, blocks) each get a core; parsing
// alone had been the slowest stage of the import.
func parseAhead(stream SpendStream) SpendStream {
	const chunkRows = 512
	type item struct {
		p        spend.Payment
		rej      spend.Reject
		rejected bool
	}
	return func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error) {
		chunks := make(chan []item, 8)
		free := make(chan []item, 10) // chunks handed back for reuse
		quit := make(chan struct{})
		var meta spend.Meta
		var err error
		go func() {
			defer close(chunks)
			chunk := make([]item, 0, chunkRows)
			send := func() error {
				select {
				case chunks <- chunk:
				case <-quit:
					return errSpendStopped
				}
				select {
				case chunk = <-free:
					chunk = chunk[:0]
				default:
					chunk = make([]item, 0, chunkRows)
				}
				return nil
			}
			meta, err = stream(func(p *spend.Payment, rej *spend.Reject) error {
				if rej != nil {
					chunk = append(chunk, item{rej: *rej, rejected: true})
				} else {
					chunk = append(chunk, item{p: *p})
				}
				if len(chunk) == chunkRows {
					return send()
				}
				return nil
			})
			if err == nil && len(chunk) > 0 {
				err = send()
			}
		}()
		var eachErr error
		for chunk := range chunks { // until the parser is done, so meta and err are set
			for i := 0; i < len(chunk) && eachErr == nil; i++ {
				if it := &chunk[i]; it.rejected {
					eachErr = each(nil, &it.rej)
				} else {
					eachErr = each(&it.p, nil)
				}
				if eachErr != nil {
					close(quit)
				}
			}
			clear(chunk) // drop the rows' strings before the chunk waits for reuse
			select {
			case free <- chunk:
			default:
			}
		}
		if eachErr != nil {
			return meta, eachErr
		}
		return meta, err
	}
}

// payment imports one payment, unless it uses up a stored copy of its key.
func (r *spendReader) payment(p *spend.Payment, finish func(payeeMonth, *blockEncoder)) error {
	ym := p.Date.Year()*12 + int(p.Date.Month()) - 1
	if r.stored[ym] {
		keys, ok := r.keys[ym]
		if !ok {
			var err error
			if keys, err = r.loadKeys(ym); err != nil {
				return err
			}
			r.keys[ym] = keys
		}
		if keys[p.Key] > 0 {
			keys[p.Key]--
			r.duplicate++
			return nil
		}
	}
	r.imported++
	r.net += p.NetPence
	day := p.Date.Year()*10000 + int(p.Date.Month())*100 + p.Date.Day()
	if r.from == 0 || day < r.from {
		r.from = day
	}
	r.to = max(r.to, day)
	rk := rollKey{ym, p.Supplier, p.Service, p.ExpenseType, p.Redacted}
	if r.lastSum == nil || rk != r.lastRoll {
		r.lastRoll, r.lastSum = r.roll.group(rk)
	}
	r.lastSum.add(p)
	k := payeeMonth{ym, p.Supplier, p.Redacted}
	e := r.lastEnc
	if e == nil || k != r.lastPM {
		if e = r.open[k]; e == nil {
			e = newBlockEncoder()
			k.supplier = strings.Clone(k.supplier)
			r.open[k] = e
			r.openBytes += e.size() // a new block's memory counts from nothing
		}
		r.lastPM, r.lastEnc = k, e
	}
	before := e.size()
	e.add(p.Date.Day(), p)
	r.openBytes += e.size() - before
	if e.encodedLen() >= blockMaxBytes {
		finish(r.lastPM, e)
		delete(r.open, r.lastPM)
		r.lastEnc = nil
	}
	return nil
}

// spendRollup sums payments by month, payee spelling, service and
// category, as spend_rollup groups them (writeRollups sums the payee
// rollup from these).
type spendRollup map[rollKey]*rollSum

type rollKey struct {
	ym                             int
	supplier, service, expenseType string
	redacted                       bool
}

type rollSum struct {
	vat, company string // the greatest seen, as the SQL rollups keep MAX
	net, n       int64
}

// group returns a group's key as stored and its sum, adding it if new.
func (r spendRollup) group(k rollKey) (rollKey, *rollSum) {
	sum := r[k]
	if sum == nil {
		// Copies, so a group does not keep its first line's whole record.
		k.supplier, k.service, k.expenseType = strings.Clone(k.supplier), strings.Clone(k.service), strings.Clone(k.expenseType)
		sum = &rollSum{}
		r[k] = sum
	}
	return k, sum
}

// add counts a payment in a group's sum.
func (sum *rollSum) add(p *spend.Payment) {
	sum.net += p.NetPence
	sum.n++
	if p.VATNumber > sum.vat {
		sum.vat = strings.Clone(p.VATNumber)
	}
	if p.CompanyNumber > sum.company {
		sum.company = strings.Clone(p.CompanyNumber)
	}
}

// spendWrite is what the writer keeps between batches of one import.
type spendWrite struct {
	months  monthNames
	choices [2]map[string]struct{} // filter choices already written: services, categories
	// On PostgreSQL: the big tables' columns for COPY, read once, and a
	// buffer for the rows, reused.
	copies map[string]*pgCopyTable
	buf    []byte
}

// spendCopy writes rows into one of the import's big tables on PostgreSQL;
// ok is false on SQLite, which inserts them through bulkLoad instead.
func (s *Store) spendCopy(ctx context.Context, tx *sql.Tx, conn *sql.Conn, w *spendWrite, table string, cols []string, n int, row func(c *pgCopyRows, i int)) (ok bool, err error) {
	if s.dialect != Postgres || conn == nil {
		return false, nil
	}
	if n == 0 {
		return true, nil
	}
	t := w.copies[table]
	if t == nil {
		if t, err = pgCopyTableFor(ctx, tx, table, cols); err != nil {
			return true, err
		}
		if w.copies == nil {
			w.copies = map[string]*pgCopyTable{}
		}
		w.copies[table] = t
	}
	w.buf, err = pgCopy(ctx, conn, t, table, n, w.buf, row)
	if cap(w.buf) > 16<<20 {
		w.buf = nil // a rare huge batch's buffer is not kept
	}
	return true, err
}

// writeSpendBatch inserts a batch's blocks and rejects and adds its rollup
// sums.
func (s *Store) writeSpendBatch(ctx context.Context, tx *sql.Tx, conn *sql.Conn, buyerID, runID int64, b spendBatch, w *spendWrite) error {
	months := w.months
	ok, err := s.spendCopy(ctx, tx, conn, w, "spend_blocks", blockCols, len(b.blocks), func(c *pgCopyRows, i int) {
		k := &b.blocks[i]
		c.int(buyerID)
		c.int(runID)
		c.text(months.name(k.ym))
		c.text(k.supplier)
		c.bool(k.redacted)
		c.int(int64(k.n))
		c.int(k.net)
		c.bytes(k.data)
	})
	if err != nil {
		return err
	}
	if !ok {
		vals := make([]any, len(blockCols)) // reused: the loader binds each row at once
		if err := s.bulkLoad(ctx, tx, conn, "spend_blocks", blockCols, len(b.blocks), func(i int) []any {
			k := &b.blocks[i]
			vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7] = buyerID, runID, months.name(k.ym), k.supplier, k.redacted, k.n, k.net, k.data
			return vals
		}); err != nil {
			return err
		}
	}
	if err := s.bulkLoad(ctx, tx, conn, "spend_rejects", []string{"run_id", "line", "field", "reason", "raw"}, len(b.rejs), func(i int) []any {
		r := &b.rejs[i]
		return []any{runID, r.Line, r.Field, r.Reason, r.Raw}
	}); err != nil {
		return err
	}
	if b.roll == nil {
		return nil
	}
	return s.writeRollups(ctx, tx, conn, buyerID, b.roll, w)
}

// monthNames holds the YYYY-MM text of each month number an import
// writes, made once rather than for every row.
type monthNames map[int]string

func (m monthNames) name(ym int) string {
	n, ok := m[ym]
	if !ok {
		n = monthString(ym)
		m[ym] = n
	}
	return n
}

// writeRollups appends a flush of rollup sums to both rollup tables, in
// month order so the (buyer, month) indexes take them in order. The
// tables hold partial sums (migration 21): every query adds rows up, so a
// group written by an earlier import, or twice by this one, needs no
// update in place.
func (s *Store) writeRollups(ctx context.Context, tx *sql.Tx, conn *sql.Conn, buyerID int64, roll spendRollup, w *spendWrite) error {
	months := w.months
	type group struct {
		k rollKey
		v *rollSum
	}
	type payee struct {
		k payeeMonth
		v *rollSum
	}
	groups := make([]group, 0, len(roll))
	byPayee := make(map[payeeMonth]*rollSum, len(roll)/2)
	for k, v := range roll {
		groups = append(groups, group{k, v})
		pk := payeeMonth{k.ym, k.supplier, k.redacted}
		p := byPayee[pk]
		if p == nil {
			p = &rollSum{}
			byPayee[pk] = p
		}
		p.net += v.net
		p.n += v.n
		p.vat, p.company = max(p.vat, v.vat), max(p.company, v.company)
	}
	payees := make([]payee, 0, len(byPayee))
	for k, v := range byPayee {
		payees = append(payees, payee{k, v})
	}
	slices.SortFunc(groups, func(a, b group) int { return cmp.Compare(a.k.ym, b.k.ym) })
	slices.SortFunc(payees, func(a, b payee) int { return cmp.Compare(a.k.ym, b.k.ym) })
	rollCols := []string{"buyer_org_id", "month", "supplier_name", "redacted", "service", "expense_type", "vat_number", "company_number", "net_pence", "payments"}
	ok, err := s.spendCopy(ctx, tx, conn, w, "spend_rollup", rollCols, len(groups), func(c *pgCopyRows, i int) {
		g := &groups[i]
		c.int(buyerID)
		c.text(months.name(g.k.ym))
		c.text(g.k.supplier)
		c.bool(g.k.redacted)
		c.text(g.k.service)
		c.text(g.k.expenseType)
		c.text(g.v.vat)
		c.text(g.v.company)
		c.int(g.v.net)
		c.int(g.v.n)
	})
	if err != nil {
		return fmt.Errorf("spend rollup: %w", err)
	}
	vals := make([]any, 10) // reused: the loader binds each row at once
	if !ok {
		if err := s.bulkLoad(ctx, tx, conn, "spend_rollup", rollCols, len(groups), func(i int) []any {
			g := &groups[i]
			copy(vals, []any{buyerID, months.name(g.k.ym), g.k.supplier, g.k.redacted, g.k.service, g.k.expenseType, g.v.vat, g.v.company, g.v.net, g.v.n})
			return vals
		}); err != nil {
			return fmt.Errorf("spend rollup: %w", err)
		}
	}
	payeeCols := []string{"buyer_org_id", "month", "supplier_name", "redacted", "vat_number", "company_number", "net_pence", "payments"}
	ok, err = s.spendCopy(ctx, tx, conn, w, "spend_rollup_supplier", payeeCols, len(payees), func(c *pgCopyRows, i int) {
		p := &payees[i]
		c.int(buyerID)
		c.text(months.name(p.k.ym))
		c.text(p.k.supplier)
		c.bool(p.k.redacted)
		c.text(p.v.vat)
		c.text(p.v.company)
		c.int(p.v.net)
		c.int(p.v.n)
	})
	if err != nil {
		return fmt.Errorf("spend payee rollup: %w", err)
	}
	if !ok {
		if err := s.bulkLoad(ctx, tx, conn, "spend_rollup_supplier", payeeCols, len(payees), func(i int) []any {
			p := &payees[i]
			copy(vals, []any{buyerID, months.name(p.k.ym), p.k.supplier, p.k.redacted, p.v.vat, p.v.company, p.v.net, p.v.n})
			return vals[:8]
		}); err != nil {
			return fmt.Errorf("spend payee rollup: %w", err)
		}
	}
	if err := s.writeTotals(ctx, tx, conn, buyerID, roll, months); err != nil {
		return err
	}
	return s.addSpendChoices(ctx, tx, buyerID, roll, &w.choices, 2*s.spendRollGroups)
}

// Months are counted as year×12 + (month−1); days as yyyymmdd.
func monthString(ym int) string {
	return fmt.Sprintf("%04d-%02d", ym/12, ym%12+1)
}

func parseMonth(s string) (int, bool) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return 0, false
	}
	return t.Year()*12 + int(t.Month()) - 1, true
}

func dayString(d int) string {
	return fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
}
