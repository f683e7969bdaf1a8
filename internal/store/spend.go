package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/spend"
)

// SpendRun is the record of one file import.
type SpendRun struct {
	ID            int64  `json:"-"`
	File          string `json:"file"`
	SHA256        string `json:"sha256"`
	RowsRead      int    `json:"rows_read"`
	RowsImported  int    `json:"rows_imported"`
	RowsRejected  int    `json:"rows_rejected"`
	RowsDuplicate int    `json:"rows_duplicate"`
	RowsBlank     int    `json:"rows_blank"`
	TotalNetPence int64  `json:"total_net_pence"`
	DateFrom      string `json:"date_from"`
	DateTo        string `json:"date_to"`
	// Columns: per field, the column read, its header and, for the date,
	// amount and supplier, the score, the reason and the runner-up.
	Columns   map[string]spend.ColumnChoice `json:"columns"`
	DateOrder string                        `json:"date_order"`
	Sheet     string                        `json:"sheet,omitempty"`
	// RoundedAmounts counts amounts written past the penny and rounded.
	RoundedAmounts int `json:"rounded_amounts"`
	// PeriodRows counts rows dated by a month or quarter (placed on its
	// last day); Periods counts them by period ("2010-09", "2010-07/2010-09").
	PeriodRows int            `json:"period_rows"`
	Periods    map[string]int `json:"periods,omitempty"`
	// Notes says the above in words.
	Notes []string `json:"notes,omitempty"`
}

// maxRunPeriods bounds the distinct periods a run keeps counts for.
const maxRunPeriods = 500

// runColumns describes a file's columns for its run: the chosen columns
// of the core roles as chosen, the others by their header.
func runColumns(c spend.Columns) map[string]spend.ColumnChoice {
	out := map[string]spend.ColumnChoice{}
	for field, i := range c.Index {
		if ch, ok := c.Chosen[field]; ok {
			out[field] = ch
			continue
		}
		out[field] = spend.ColumnChoice{Column: i + 1, Header: c.Name[field], Why: "its header is a usual name for it"}
	}
	return out
}

// parseRunColumns reads a run's stored columns: per field a choice, or,
// for runs imported before choices were kept, the header alone.
func parseRunColumns(s string) map[string]spend.ColumnChoice {
	var raw map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &raw) != nil {
		return nil
	}
	out := map[string]spend.ColumnChoice{}
	for field, v := range raw {
		var ch spend.ColumnChoice
		var header string
		if json.Unmarshal(v, &header) == nil {
			ch.Header = header
		} else if json.Unmarshal(v, &ch) != nil {
			continue
		}
		out[field] = ch
	}
	return out
}

// runNotes says in words what an import did to values as written.
func (r *SpendRun) runNotes() {
	r.Notes = nil
	if r.RoundedAmounts > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d %s rounded to the penny (written with more than two decimal places)", r.RoundedAmounts, plural(r.RoundedAmounts, "amount", "amounts")))
	}
	if r.PeriodRows > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d %s dated by a month or quarter, not a day: each placed on its period's last day", r.PeriodRows, plural(r.PeriodRows, "row", "rows")))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// SpendStream feeds a file's payments and rejects to each, in file order.
type SpendStream func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error)

// ImportSpend stores a file already read into memory.
func (s *Store) ImportSpend(ctx context.Context, actor auth.Actor, buyerID int64, res *spend.Result, sha string) (SpendRun, error) {
	return s.ImportSpendStream(ctx, actor, buyerID, res.File, sha, func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error) {
		for i := range res.Payments {
			if err := each(&res.Payments[i], nil); err != nil {
				return spend.Meta{}, err
			}
		}
		for i := range res.Rejects {
			if err := each(nil, &res.Rejects[i]); err != nil {
				return spend.Meta{}, err
			}
		}
		return spend.Meta{File: res.File, Columns: res.Columns, DateOrder: res.DateOrder, Preamble: res.Preamble, Blank: res.Blank}, nil
	})
}

// SpendTotals sums a buyer's stored payments (count and net pence).
func (s *Store) SpendTotals(ctx context.Context, buyerID int64) (int, int64, error) {
	var n int
	var total int64
	err := s.readRow(ctx, `SELECT COALESCE(SUM(payments), 0), COALESCE(SUM(net_pence), 0) FROM spend_month_totals WHERE buyer_org_id = $1`, buyerID).Scan(&n, &total)
	return n, total, err
}

// SpendRejects lists a run's rejected rows.
func (s *Store) SpendRejects(ctx context.Context, runID int64) ([]spend.Reject, error) {
	rows, err := s.read(ctx, `SELECT line, field, reason, raw FROM spend_rejects WHERE run_id = $1 ORDER BY line`, runID)
	if err != nil {
		return nil, fmt.Errorf("spend rejects: %w", err)
	}
	defer rows.Close()
	var out []spend.Reject
	for rows.Next() {
		var r spend.Reject
		if err := rows.Scan(&r.Line, &r.Field, &r.Reason, &r.Raw); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SpendFilter chooses payments: some buyers (all when BuyerIDs is empty)
// between two dates (inclusive, YYYY-MM-DD), optionally one service area
// and one expense category.
type SpendFilter struct {
	BuyerIDs    []int64
	From, To    string
	Service     string
	ExpenseType string
}

// partMonth is the days of a month a period covers when it does not
// cover the whole month.
type partMonth struct {
	month    string // YYYY-MM
	from, to int    // days, inclusive
}

// split divides the filter's period into the whole months the rollups
// answer (nil if none) and the part-months at either end, which are
// summed from the payment blocks.
func (f SpendFilter) split() (*SpendFilter, []partMonth, error) {
	from, err1 := time.Parse(time.DateOnly, f.From)
	to, err2 := time.Parse(time.DateOnly, f.To)
	if err1 != nil || err2 != nil {
		return nil, nil, fmt.Errorf("spend period %q to %q: dates must be YYYY-MM-DD", f.From, f.To)
	}
	if to.Before(from) {
		return nil, nil, nil
	}
	monthEnd := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC) }
	wholeFrom, wholeTo := from, to
	if from.Day() != 1 {
		wholeFrom = monthEnd(from).AddDate(0, 0, 1)
	}
	if !to.Equal(monthEnd(to)) {
		wholeTo = time.Date(to.Year(), to.Month(), 0, 0, 0, 0, 0, time.UTC)
	}
	var whole *SpendFilter
	if !wholeTo.Before(wholeFrom) {
		w := f
		w.From, w.To = wholeFrom.Format(time.DateOnly), wholeTo.Format(time.DateOnly)
		whole = &w
	}
	var parts []partMonth
	sameMonth := from.Year() == to.Year() && from.Month() == to.Month()
	if from.Day() != 1 {
		end := monthEnd(from)
		if sameMonth {
			end = to
		}
		parts = append(parts, partMonth{from.Format("2006-01"), from.Day(), end.Day()})
	}
	if !to.Equal(monthEnd(to)) && (!sameMonth || from.Day() == 1) {
		parts = append(parts, partMonth{to.Format("2006-01"), 1, to.Day()})
	}
	return whole, parts, nil
}

// source renders a filter of whole months as FROM and WHERE clauses with
// their arguments, and the expression counting payments: over the
// smallest rollup that answers it. By payee, the payee rollup, or the
// fuller monthly rollup when the filter names a service or category; by
// service, the service totals (migration 44), or the fuller rollup when
// the filter names a category.
func (f SpendFilter) source(byService bool) (from string, count string, args []any) {
	table := "spend_rollup"
	switch {
	case f.ExpenseType != "":
	case byService:
		table = "spend_service_totals"
	case f.Service == "":
		table = "spend_rollup_supplier"
	}
	from, count = ` FROM `+table+` WHERE month >= $1 AND month <= $2`, `SUM(payments)`
	args = []any{f.From[:7], f.To[:7]}
	if len(f.BuyerIDs) > 0 {
		from += ` AND buyer_org_id IN (` + addParams(&args, f.BuyerIDs) + `)`
	}
	if f.Service != "" {
		args = append(args, f.Service)
		from += ` AND service = $` + strconv.Itoa(len(args))
	}
	if f.ExpenseType != "" {
		args = append(args, f.ExpenseType)
		from += ` AND expense_type = $` + strconv.Itoa(len(args))
	}
	return from, count, args
}

// addParams appends values to a query's arguments and returns their
// placeholders ("$3, $4, …") for an IN list.
func addParams[T any](args *[]any, values []T) string {
	ph := make([]string, len(values))
	for i, v := range values {
		*args = append(*args, v)
		ph[i] = "$" + strconv.Itoa(len(*args))
	}
	return strings.Join(ph, ", ")
}

// eachPartPayment calls each with the filter's payments in a part-month,
// decoded from their blocks.
func (s *Store) eachPartPayment(ctx context.Context, f SpendFilter, part partMonth, each func(b storedBlock, p *decodedPayment)) error {
	q, args := `SELECT id, month, supplier_name, redacted, data FROM spend_blocks WHERE month = $1`, []any{part.month}
	if len(f.BuyerIDs) > 0 {
		q += ` AND buyer_org_id IN (` + addParams(&args, f.BuyerIDs) + `)`
	}
	return s.eachBlock(ctx, "spend in "+part.month, q, args, func(b storedBlock) error {
		return decodeBlock(b.data, func(p *decodedPayment) {
			if p.Day >= part.from && p.Day <= part.to && (f.Service == "" || p.Service == f.Service) && (f.ExpenseType == "" || p.ExpenseType == f.ExpenseType) {
				each(b, p)
			}
		})
	})
}

// SpendBySupplier sums the chosen payments by payee spelling.
func (s *Store) SpendBySupplier(ctx context.Context, f SpendFilter) ([]spend.SupplierSpend, error) {
	whole, parts, err := f.split()
	if err != nil {
		return nil, err
	}
	var out []spend.SupplierSpend
	if whole != nil {
		from, count, args := whole.source(false)
		rows, err := s.r.QueryContext(ctx, `SELECT supplier_name, MAX(vat_number), MAX(company_number), redacted, SUM(net_pence), `+count+from+` GROUP BY supplier_name, redacted`, args...)
		out, err = collect("spend by supplier", rows, err, func(r *sql.Rows) (spend.SupplierSpend, error) {
			var v spend.SupplierSpend
			err := r.Scan(&v.Name, &v.VATNumber, &v.CompanyNumber, &v.Redacted, &v.NetPence, &v.Payments)
			return v, err
		})
		if err != nil {
			return nil, err
		}
	}
	if len(parts) == 0 {
		return out, nil
	}
	type payee struct {
		name     string
		redacted bool
	}
	at := map[payee]int{}
	for i, v := range out {
		at[payee{v.Name, v.Redacted}] = i
	}
	for _, part := range parts {
		err := s.eachPartPayment(ctx, f, part, func(b storedBlock, p *decodedPayment) {
			k := payee{b.supplier, b.redacted}
			i, ok := at[k]
			if !ok {
				i = len(out)
				at[k] = i
				out = append(out, spend.SupplierSpend{Name: b.supplier, Redacted: b.redacted})
			}
			v := &out[i]
			v.NetPence += p.NetPence
			v.Payments++
			v.VATNumber, v.CompanyNumber = max(v.VATNumber, p.VATNumber), max(v.CompanyNumber, p.CompanyNumber)
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OrgsForMatching returns every organisation with the districts of its
// sites, for resolving suppliers.
func (s *Store) OrgsForMatching(ctx context.Context) ([]spend.Org, error) {
	rows, err := s.read(ctx, `SELECT o.id, o.legal_name, o.slug, o.trading_names, o.company_number, o.vat_number, o.kind, o.size, o.sic_codes, COALESCE(st.district_code, '-'), COALESCE(st.ward_code, ''), COALESCE(st.postcode, ''), COALESCE(l.imd_decile, 0)
		FROM organisations o LEFT JOIN sites st ON st.org_id = o.id LEFT JOIN geo_lsoas l ON l.code = st.lsoa_code ORDER BY o.id`)
	if err != nil {
		return nil, fmt.Errorf("organisations for matching: %w", wrapConn(err))
	}
	defer rows.Close()
	var out []spend.Org
	for rows.Next() {
		var o spend.Org
		var d, ward, pc string
		var decile int
		if err := rows.Scan(&o.ID, &o.Name, &o.Slug, &o.TradingNames, &o.CompanyNumber, &o.VATNumber, &o.Kind, &o.Size, &o.SIC, &d, &ward, &pc, &decile); err != nil {
			return nil, err
		}
		o.IMDDecile = decile
		if d == "" && !geo.OutsideGM(pc) {
			d = "?" // a site we could not place: neither local nor outside
		}
		if n := len(out); n > 0 && out[n-1].ID == o.ID {
			out[n-1].Districts = append(out[n-1].Districts, d)
			out[n-1].Wards = append(out[n-1].Wards, ward)
			if decile > 0 && (out[n-1].IMDDecile == 0 || decile < out[n-1].IMDDecile) {
				out[n-1].IMDDecile = decile
			}
			continue
		}
		if d != "-" { // "-": no sites at all
			o.Districts, o.Wards = []string{d}, []string{ward}
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	links, err := s.confirmedLinks(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Confirmed = links[out[i].ID]
	}
	return out, nil
}

// SpendBuyers lists the public bodies that have imported spend.
func (s *Store) SpendBuyers(ctx context.Context) ([]int64, error) {
	rows, err := s.read(ctx, `SELECT DISTINCT buyer_org_id FROM spend_runs ORDER BY buyer_org_id`)
	return collect("spend buyers", rows, err, scanInt64)
}

// SpendUpload is a file waiting for, or done with, its background import.
type SpendUpload struct {
	ID        int64
	BuyerID   int64
	BuyerName string
	File      string
	Status    string // queued | reading | importing | done | failed | cancelled
	Detail    string
	RunID     int64
	CreatedAt time.Time
}

// SpendImportJob is the background job kind that imports an upload.
const SpendImportJob = "spend.import"

// CreateSpendUpload stores an uploaded file and queues its import in the
// same transaction.
func (s *Store) CreateSpendUpload(ctx context.Context, actor auth.Actor, buyerID int64, name string, content []byte) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var creator any
		if actor.ID() != 0 {
			creator = actor.ID()
		}
		now := time.Now().UTC()
		if err := tx.QueryRowContext(ctx, `INSERT INTO spend_uploads (buyer_org_id, file_name, content, status, created_by, created_at) VALUES ($1, $2, $3, 'queued', $4, $5) RETURNING id`,
			buyerID, name, content, creator, now).Scan(&id); err != nil {
			return fmt.Errorf("store upload: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, payload, status, run_after, created_at) VALUES ($1, $2, 'queued', $3, $3)`, SpendImportJob, strconv.FormatInt(id, 10), now); err != nil {
			return fmt.Errorf("queue import: %w", err)
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "spend.upload", ObjectType: "spend_upload", ObjectID: strconv.FormatInt(id, 10),
			Summary: audit.Summary(nil, map[string]any{"buyer_org_id": buyerID, "file": name, "bytes": len(content)})})
	})
	return id, err
}

// SpendUploadByID reads an upload's state (not its content).
func (s *Store) SpendUploadByID(ctx context.Context, id int64) (SpendUpload, error) {
	var u SpendUpload
	err := s.readRow(ctx, `SELECT u.id, u.buyer_org_id, o.legal_name, u.file_name, u.status, u.detail, COALESCE(u.run_id, 0), u.created_at
		FROM spend_uploads u JOIN organisations o ON o.id = u.buyer_org_id WHERE u.id = $1`, id).
		Scan(&u.ID, &u.BuyerID, &u.BuyerName, &u.File, &u.Status, &u.Detail, &u.RunID, &u.CreatedAt)
	return u, notFound(err, "spend upload")
}

// SpendUploadContent returns an upload's file.
func (s *Store) SpendUploadContent(ctx context.Context, id int64) (SpendUpload, []byte, error) {
	u, err := s.SpendUploadByID(ctx, id)
	if err != nil {
		return u, nil, err
	}
	var content []byte
	err = s.r.QueryRowContext(ctx, `SELECT content FROM spend_uploads WHERE id = $1`, id).Scan(&content)
	return u, content, notFound(err, "spend upload content")
}

// SetSpendUploadStatus records progress of an upload's import. A
// cancelled upload stays cancelled unless its import committed ("done").
func (s *Store) SetSpendUploadStatus(ctx context.Context, id int64, status, detail string, runID int64) error {
	var run any
	if runID != 0 {
		run = runID
	}
	_, err := s.w.ExecContext(ctx, `UPDATE spend_uploads SET status = $1, detail = $2, run_id = COALESCE($3, run_id) WHERE id = $4 AND (status <> 'cancelled' OR $5)`,
		status, detail, run, id, status == "done")
	if err != nil {
		return fmt.Errorf("upload status: %w", wrapConn(err))
	}
	return nil
}

// SpendRunByID loads a run's counts.
func (s *Store) SpendRunByID(ctx context.Context, id int64) (SpendRun, int64, error) {
	var r SpendRun
	var buyer int64
	var cols string
	var periods string
	err := s.readRow(ctx, `SELECT id, buyer_org_id, file_name, file_sha256, rows_read, rows_imported, rows_rejected, rows_duplicate, total_net_pence, date_from, date_to, columns, date_order, rounded_amounts, period_rows, periods, sheet FROM spend_runs WHERE id = $1`, id).
		Scan(&r.ID, &buyer, &r.File, &r.SHA256, &r.RowsRead, &r.RowsImported, &r.RowsRejected, &r.RowsDuplicate, &r.TotalNetPence, &r.DateFrom, &r.DateTo, &cols, &r.DateOrder, &r.RoundedAmounts, &r.PeriodRows, &periods, &r.Sheet)
	if err != nil {
		return r, 0, notFound(err, "spend run")
	}
	r.Columns = parseRunColumns(cols)
	if periods != "" {
		_ = json.Unmarshal([]byte(periods), &r.Periods)
	}
	r.runNotes()
	return r, buyer, nil
}

// ImportRegister adds or updates register entries already read (see
// ImportRegisterStream, which it uses).
func (s *Store) ImportRegister(ctx context.Context, actor auth.Actor, file string, entries []spend.RegisterEntry) (int, error) {
	source := spend.CharityRegister
	if len(entries) > 0 {
		source = entries[0].Source
	}
	return s.ImportRegisterStream(ctx, actor, file, source, func(each func(spend.RegisterEntry) error) error {
		for _, e := range entries {
			if err := each(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// RegisterOrgs returns register entries as organisations for matching.
func (s *Store) RegisterOrgs(ctx context.Context) ([]spend.Org, error) {
	rows, err := s.read(ctx, `SELECT id, source, number, company_number, name, postcode, district_code, imd_decile, category, sic FROM register_entries ORDER BY id`)
	return collect("register entries", rows, err, func(r *sql.Rows) (spend.Org, error) {
		var e spend.RegisterEntry
		var id int64
		var district string
		var decile int
		err := r.Scan(&id, &e.Source, &e.Number, &e.CompanyNumber, &e.Name, &e.Postcode, &district, &decile, &e.Category, &e.SIC)
		o := spend.Org{ID: -id, Name: e.Name, CompanyNumber: e.CompanyNumber, IMDDecile: decile, SIC: e.SIC, Source: map[string]string{spend.CharityRegister: "charity", spend.CompaniesHouse: "Companies House"}[e.Source]}
		switch e.VCSE() {
		case "yes":
			o.Kind = "vcse"
		case "no":
			o.Kind = "business"
		}
		switch district {
		case outsideGM:
			o.Districts = []string{""} // a site known to be outside GM
		case "":
			// Postcode unknown or not placed: location stays unknown.
		default:
			o.Districts = []string{district}
		}
		return o, err
	})
}

// outsideGM marks a register entry whose postcode is certainly outside
// Greater Manchester (as opposed to one we could not place).
const outsideGM = "-"

// SupplierCandidates returns what suppliers are matched against: register
// entries first, then the directory, whose profiles win any tie.
func (s *Store) SupplierCandidates(ctx context.Context) ([]spend.Org, error) {
	regs, err := s.RegisterOrgs(ctx)
	if err != nil {
		return nil, err
	}
	dir, err := s.OrgsForMatching(ctx)
	if err != nil {
		return nil, err
	}
	return append(regs, dir...), nil
}

// SpendByService sums the chosen payments by service area, largest first.
func (s *Store) SpendByService(ctx context.Context, f SpendFilter) ([]spend.ServiceSpend, error) {
	whole, parts, err := f.split()
	if err != nil {
		return nil, err
	}
	sums := map[string]*spend.ServiceSpend{}
	var out []spend.ServiceSpend
	if whole != nil {
		from, count, args := whole.source(true)
		rows, err := s.r.QueryContext(ctx, `SELECT service, SUM(net_pence), `+count+from+` GROUP BY service`, args...)
		if out, err = collect("spend by service", rows, err, func(r *sql.Rows) (spend.ServiceSpend, error) {
			var v spend.ServiceSpend
			err := r.Scan(&v.Service, &v.NetPence, &v.Payments)
			return v, err
		}); err != nil {
			return nil, err
		}
	}
	for _, v := range out {
		sums[v.Service] = &v
	}
	for _, part := range parts {
		if err := s.eachPartPayment(ctx, f, part, func(_ storedBlock, p *decodedPayment) {
			v := sums[p.Service]
			if v == nil {
				v = &spend.ServiceSpend{Service: p.Service}
				sums[p.Service] = v
			}
			v.NetPence += p.NetPence
			v.Payments++
		}); err != nil {
			return nil, err
		}
	}
	out = out[:0]
	for _, v := range sums {
		if v.Service == "" {
			v.Service = "Not given"
		}
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b spend.ServiceSpend) int {
		if a.NetPence != b.NetPence {
			return cmp.Compare(b.NetPence, a.NetPence)
		}
		return strings.Compare(a.Service, b.Service)
	})
	return out, nil
}

// SpendPayment is one stored payment, as the public may see it.
type SpendPayment struct {
	Date        string
	Supplier    string
	Redacted    bool
	NetPence    int64
	Service     string
	ExpenseType string
}

// SpendPaymentsTo lists a buyer's payments to the given payee spellings
// between two dates (inclusive), newest first, at most limit of them.
func (s *Store) SpendPaymentsTo(ctx context.Context, buyerID int64, names []string, redacted bool, from, to string, limit int) ([]SpendPayment, error) {
	if len(names) == 0 || len(from) < 7 || len(to) < 7 {
		return nil, nil
	}
	args := []any{buyerID, from[:7], to[:7], redacted}
	in := addParams(&args, names)
	type found struct {
		SpendPayment
		block int64
		seq   int
	}
	var all []found
	err := s.eachBlock(ctx, "spend payments", `SELECT id, month, supplier_name, redacted, data FROM spend_blocks
		WHERE buyer_org_id = $1 AND month >= $2 AND month <= $3 AND redacted = $4 AND supplier_name IN (`+in+`)`, args,
		func(b storedBlock) error {
			seq := 0
			return decodeBlock(b.data, func(p *decodedPayment) {
				seq++
				day := fmt.Sprintf("%s-%02d", b.month, p.Day)
				if day >= from && day <= to {
					all = append(all, found{SpendPayment{Date: day, Supplier: b.supplier, Redacted: b.redacted, NetPence: p.NetPence, Service: p.Service, ExpenseType: p.ExpenseType}, b.id, seq})
				}
			})
		})
	if err != nil {
		return nil, err
	}
	// Newest first; payments of one day in the order stored, latest first.
	slices.SortFunc(all, func(a, b found) int {
		return cmp.Or(strings.Compare(b.Date, a.Date), cmp.Compare(b.block, a.block), cmp.Compare(b.seq, a.seq))
	})
	out := make([]SpendPayment, 0, min(len(all), limit))
	for i := 0; i < len(all) && i < limit; i++ {
		out = append(out, all[i].SpendPayment)
	}
	return out, nil
}

// SpendByYear sums a buyer's payments by UK financial year (April to March),
// oldest first.
func (s *Store) SpendByYear(ctx context.Context, buyerID int64) ([]spend.YearSpend, error) {
	rows, err := s.read(ctx, `SELECT month, SUM(net_pence), SUM(payments) FROM spend_month_totals WHERE buyer_org_id = $1 GROUP BY month ORDER BY month`, buyerID)
	months, err := collect("spend by month", rows, err, func(r *sql.Rows) (spend.YearSpend, error) {
		var m spend.YearSpend
		err := r.Scan(&m.Year, &m.NetPence, &m.Payments)
		return m, err
	})
	if err != nil {
		return nil, err
	}
	return spend.FinancialYears(months), nil
}

// WardNames maps every ward code to its name.
func (s *Store) WardNames(ctx context.Context) (map[string]string, error) {
	rows, err := s.read(ctx, `SELECT code, name FROM geo_wards`)
	if err != nil {
		return nil, fmt.Errorf("ward names: %w", wrapConn(err))
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("ward names: %w", err)
		}
		out[code] = name
	}
	return out, rows.Err()
}
