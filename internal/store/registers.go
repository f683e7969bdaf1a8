package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/audit"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/spend"
)

// rebuildIndexesAfter is the row of a register import at which, on
// SQLite, its previous-name index is dropped to be rebuilt at the end.
const rebuildIndexesAfter = 50_000

// maxCachedPlaces bounds the postcodes a register import remembers the
// place of.
const maxCachedPlaces = 50_000

// registerBatch is how many register entries are written per round of
// statements while streaming a register into its transaction.
const registerBatch = 2000

// ImportRegisterStream imports a register as read reads it (it calls each
// for every entry, in file order), in one transaction with its audit
// event: a register that fails part-way (a bad row, a limit, a kill)
// leaves the entries before it as they were. Entries are added or
// updated by source and number, with their normalised name, previous
// names and size; each is placed by its postcode: a postcode in a Greater
// Manchester postcode area through the geography (once per postcode), one
// elsewhere as outside Greater Manchester. Memory stays bounded by the
// batch and the GM postcodes seen.
func (s *Store) ImportRegisterStream(ctx context.Context, actor auth.Actor, file, source string, read func(each func(spend.RegisterEntry) error) error) (int, error) {
	type place struct {
		district string
		decile   int
	}
	places := map[string]place{}
	n := 0
	err := s.registerTx(ctx, func(tx *sql.Tx, conn *sql.Conn) error {
		now := time.Now().UTC()
		// On PostgreSQL rows are copied (COPY) into temporary tables and
		// merged into the register with one statement each at the end.
		entries := "register_entries"
		if s.dialect == Postgres {
			entries = "register_load"
			if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE register_load (seq BIGINT NOT NULL, source TEXT NOT NULL, number TEXT NOT NULL, company_number TEXT NOT NULL, name TEXT NOT NULL,
				postcode TEXT NOT NULL, district_code TEXT NOT NULL, imd_decile INTEGER NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL, sic TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
				name_key TEXT NOT NULL, previous_names TEXT NOT NULL, size TEXT NOT NULL) ON COMMIT DROP`); err != nil {
				return fmt.Errorf("register import: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE register_names_load (source TEXT NOT NULL, number TEXT NOT NULL, name_key TEXT NOT NULL) ON COMMIT DROP`); err != nil {
				return fmt.Errorf("register import: %w", err)
			}
		}
		seq := 0
		// flush writes one batch of prepared entries.
		flush := func(batch []preparedEntry) error {
			var todo []string
			for _, p := range batch {
				pc := p.postcode
				if pc == "" || p.outside {
					continue // no postcode, or outside GM from its area alone (not cached)
				}
				if _, ok := places[pc]; !ok && !slices.Contains(todo, pc) {
					todo = append(todo, pc)
				}
			}
			if len(places)+len(todo) > maxCachedPlaces {
				clear(places) // a cache only: bounded so memory stays flat
			}
			found, err := s.resolvePostcodes(ctx, todo)
			if err != nil {
				return err
			}
			for pc, pl := range found {
				c := place{pl.DistrictCode, pl.IMDDecile}
				if pl.DistrictCode == "" && pl.Elsewhere != nil {
					c.district = outsideGM
				}
				places[pc] = c
			}
			row := func(i int) []any {
				p := &batch[i]
				pl := places[p.postcode]
				if p.outside {
					pl = place{district: outsideGM}
				}
				e := &p.RegisterEntry
				return []any{e.Source, e.Number, e.CompanyNumber, e.Name, p.postcode, pl.district, pl.decile, e.Category, e.Status, e.SIC, now,
					p.key, strings.Join(e.PreviousNames, "\t"), e.Size}
			}
			if entries == "register_entries" {
				err = s.bulkUpsert(ctx, tx, entries, registerCols, registerUpsert, len(batch), row)
			} else {
				err = s.bulkLoad(ctx, tx, conn, entries, append([]string{"seq"}, registerCols...), len(batch), func(i int) []any {
					return append([]any{seq + i}, row(i)...)
				})
				seq += len(batch)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			type prev struct{ number, key string }
			var names []prev
			seen := map[prev]bool{}
			for _, p := range batch {
				for _, k := range p.previous {
					k := prev{p.Number, k}
					if !seen[k] {
						seen[k] = true
						names = append(names, k)
					}
				}
			}
			if len(names) > 0 {
				prevRow := func(i int) []any { return []any{source, names[i].number, names[i].key} }
				var err error
				if entries == "register_entries" {
					err = s.bulkUpsert(ctx, tx, "register_names", []string{"source", "number", "name_key"}, `ON CONFLICT (source, number, name_key) DO NOTHING`, len(names), prevRow)
				} else {
					err = s.bulkLoad(ctx, tx, conn, "register_names_load", []string{"source", "number", "name_key"}, len(names), prevRow)
				}
				if err != nil {
					return fmt.Errorf("%s: previous names: %w", file, err)
				}
			}
			return nil
		}
		// The file is read, and names and postcodes normalised, on another
		// goroutine while this one writes the batch before (two cores do
		// both at once); at most two batches wait between them.
		batches := make(chan []preparedEntry, 2)
		stop := make(chan struct{})
		readErr := make(chan error, 1)
		go func() {
			defer close(batches)
			var batch []preparedEntry
			at := map[string]int{} // number → index in batch: a repeated number keeps its last row
			send := func() error {
				select {
				case batches <- batch:
				case <-stop:
					return errStopped
				}
				batch = make([]preparedEntry, 0, registerBatch)
				clear(at)
				return nil
			}
			err := read(func(e spend.RegisterEntry) error {
				n++
				p := prepareEntry(e)
				if i, ok := at[e.Number]; ok {
					batch[i] = p
					return nil
				}
				at[e.Number] = len(batch)
				batch = append(batch, p)
				if len(batch) >= registerBatch {
					return send()
				}
				return nil
			})
			if err == nil && len(batch) > 0 {
				err = send()
			}
			readErr <- err
		}()
		// On SQLite a large register loads faster without its two name
		// indexes, rebuilt once at the end (a sort, instead of a random
		// B-tree insert per row): past the first rebuildIndexesAfter rows
		// they are dropped inside this transaction (readers keep the
		// committed tables and indexes). The rebuild sorts in temporary
		// files (registerTx), so memory stays flat. PostgreSQL keeps them:
		// dropping one would lock readers out until the commit.
		dropped := false
		written := 0
		var werr error
		for b := range batches {
			if werr != nil {
				continue // the reader is stopping
			}
			written += len(b)
			if !dropped && written >= rebuildIndexesAfter && s.dialect == SQLite {
				for _, ix := range []string{"register_entries_name_key", "register_names_key"} {
					if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS `+ix); err != nil {
						werr = err
					}
				}
				dropped = true
			}
			if werr == nil {
				werr = flush(b)
			}
			if werr != nil {
				close(stop)
			}
		}
		if err := <-readErr; werr == nil && err != nil {
			return err
		}
		if werr != nil {
			return werr
		}
		if entries == "register_load" {
			// A number repeated across batches keeps its last row, as the
			// batched upserts on SQLite do.
			cols := strings.Join(registerCols, ", ")
			if _, err := tx.ExecContext(ctx, `INSERT INTO register_entries (`+cols+`) SELECT `+cols+` FROM (SELECT DISTINCT ON (source, number) * FROM register_load ORDER BY source, number, seq DESC) l `+registerUpsert); err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO register_names (source, number, name_key) SELECT DISTINCT source, number, name_key FROM register_names_load ON CONFLICT (source, number, name_key) DO NOTHING`); err != nil {
				return fmt.Errorf("%s: previous names: %w", file, err)
			}
		}
		if dropped {
			if _, err := tx.ExecContext(ctx, `CREATE INDEX register_entries_name_key ON register_entries(name_key)`); err != nil {
				return fmt.Errorf("rebuild register name index: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `CREATE INDEX register_names_key ON register_names(name_key)`); err != nil {
				return fmt.Errorf("rebuild register previous-name index: %w", err)
			}
		}
		if err := bumpSpendGeneration(ctx, tx, hubSpendGeneration); err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{ActorID: actor.ID(), Actor: actor.Label(), Action: "register.import", ObjectType: "register", ObjectID: file,
			Summary: audit.Summary(nil, map[string]any{"entries": n, "source": source})})
	})
	if err != nil {
		return 0, err
	}
	if s.dialect == Postgres {
		// Fresh statistics for the planner: right after millions of rows
		// arrive, before autovacuum gets to them, the next spend report's
		// register lookups took 1.6–2.2 s instead of 0.06 s (5.5 M
		// entries). The import has committed, so a failure here only
		// leaves that to autovacuum.
		_, _ = s.w.ExecContext(context.WithoutCancel(ctx), `ANALYZE register_entries, register_names`)
	}
	return n, nil
}

// preparedEntry is a register entry with what the reader works out for
// it: its normalised name and previous names, its normalised postcode
// ("" when not a postcode) and whether that is outside Greater Manchester
// from its area alone.
type preparedEntry struct {
	spend.RegisterEntry
	key, postcode string
	previous      []string
	outside       bool
}

func prepareEntry(e spend.RegisterEntry) preparedEntry {
	p := preparedEntry{RegisterEntry: e, key: spend.NormaliseSupplier(e.Name)}
	if pc, err := geo.NormalisePostcode(e.Postcode); err == nil {
		p.postcode, p.outside = pc, geo.OutsideGM(pc)
	}
	for _, name := range e.PreviousNames {
		if k := spend.NormaliseSupplier(name); k != "" {
			p.previous = append(p.previous, k)
		}
	}
	return p
}

// resolvePostcodes places postcodes as ResolvePostcode does, asking the
// database only about those it holds: two queries find which of them the
// postcode directory and the shipped postcode table have; those are
// resolved one by one, and the rest straight from the fallback index in
// memory (ResolvePostcode's answer for a postcode neither table holds).
func (s *Store) resolvePostcodes(ctx context.Context, pcs []string) (map[string]geo.Place, error) {
	out := make(map[string]geo.Place, len(pcs))
	if len(pcs) == 0 {
		return out, nil
	}
	held := map[string]bool{}
	for _, table := range []string{"geo_directory", "geo_postcodes"} {
		var args []any
		in := addParams(&args, pcs)
		rows, err := s.read(ctx, `SELECT postcode FROM `+table+` WHERE postcode IN (`+in+`)`, args...)
		list, err := collect("postcodes", rows, err, func(r *sql.Rows) (string, error) {
			var pc string
			return pc, r.Scan(&pc)
		})
		if err != nil {
			return nil, err
		}
		for _, pc := range list {
			held[pc] = true
		}
	}
	var idx *fallbackIndex
	for _, pc := range pcs {
		if held[pc] {
			p, err := s.ResolvePostcode(ctx, pc)
			if err != nil {
				return nil, err
			}
			out[pc] = p
			continue
		}
		if idx == nil {
			var err error
			if idx, err = s.fallbackIndexFor(ctx); err != nil {
				return nil, err
			}
		}
		p := idx.place(pc)
		p.Source = idx.release.Postcodes
		out[pc] = p
	}
	return out, nil
}

// errStopped ends the reading of a register whose writing failed.
var errStopped = errors.New("register import stopped")

// registerCols are the register_entries columns an import writes, and
// registerUpsert how a row updates the entry of its register and number.
var registerCols = []string{"source", "number", "company_number", "name", "postcode", "district_code", "imd_decile", "category", "status", "sic", "updated_at", "name_key", "previous_names", "size"}

const registerUpsert = `ON CONFLICT (source, number) DO UPDATE SET company_number = excluded.company_number, name = excluded.name, postcode = excluded.postcode,
	district_code = excluded.district_code, imd_decile = excluded.imd_decile, category = excluded.category, status = excluded.status, sic = excluded.sic, updated_at = excluded.updated_at,
	name_key = excluded.name_key, previous_names = excluded.previous_names, size = excluded.size`

// registerTx runs fn in a transaction on one connection of the writer
// (given to fn, for PostgreSQL's COPY). On
// SQLite that connection sorts in temporary files rather than memory
// (temp_store FILE, set before the transaction as it must be, and set back
// after): rebuilding a name index over 5.5 million entries sorted in
// memory took the import to 625 MB.
func (s *Store) registerTx(ctx context.Context, fn func(tx *sql.Tx, conn *sql.Conn) error) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return wrapConn(err)
	}
	defer conn.Close()
	if s.dialect == SQLite {
		if _, err := conn.ExecContext(ctx, `PRAGMA temp_store = FILE`); err != nil {
			return wrapConn(err)
		}
		defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = MEMORY`) }()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return wrapConn(err)
	}
	if err := fn(tx, conn); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return wrapConn(err)
	}
	return nil
}

// SupplierCandidatesFor returns what the given payees are matched against:
// the register entries whose normalised name, previous name or company
// number is one of theirs (registers are looked up, never loaded whole),
// every buyer's creditor entries, then the directory, whose profiles win
// any tie.
func (s *Store) SupplierCandidatesFor(ctx context.Context, payees []spend.SupplierSpend) ([]spend.Org, error) {
	creditors, err := s.creditorOrgs(ctx)
	if err != nil {
		return nil, err
	}
	keySet, numSet := map[string]bool{}, map[string]bool{}
	for _, p := range payees {
		if p.Redacted {
			continue
		}
		if k := spend.NormaliseSupplier(p.Name); k != "" {
			keySet[k] = true
		}
		if c := strings.ToUpper(strings.TrimSpace(p.CompanyNumber)); c != "" {
			numSet[c] = true
		}
	}
	for _, c := range creditors {
		if c.CompanyNumber != "" {
			numSet[c.CompanyNumber] = true
		}
	}
	regs, err := s.registerOrgsMatching(ctx, setList(keySet), setList(numSet))
	if err != nil {
		return nil, err
	}
	if regs, err = s.companiesHouseLinked(ctx, regs); err != nil {
		return nil, err
	}
	dir, err := s.OrgsForMatching(ctx)
	if err != nil {
		return nil, err
	}
	if regs, err = s.registerOrgsNearAndConfirmed(ctx, payees, regs, creditors, dir); err != nil {
		return nil, err
	}
	out := append(regs, creditors...)
	return append(out, dir...), nil
}

// registerNearLimit bounds the register entries fetched for one name
// prefix (and as many again by previous name), so a payee whose name
// starts like thousands of companies' costs the same as any other.
const registerNearLimit = 40

// registerNearChunk is how many name prefixes are looked up per statement.
const registerNearChunk = 50

// registerOrgsNearAndConfirmed adds to regs, for the spend.NearTop largest
// payees whose normalised name no loaded organisation has, the register
// entries whose name or previous name starts as theirs does
// (spend.NamePrefix: a range on the name indexes the exact lookups use,
// so no further index), for the matcher to score by similarity; and the
// entries a person confirmed as a payee, with those payees. The register
// entries come back in id order.
func (s *Store) registerOrgsNearAndConfirmed(ctx context.Context, payees []spend.SupplierSpend, regs, creditors, dir []spend.Org) ([]spend.Org, error) {
	var loaded int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM register_entries LIMIT 1) x`).Scan(&loaded); err != nil {
		return nil, fmt.Errorf("register entries: %w", wrapConn(err))
	}
	if loaded == 0 {
		return regs, nil
	}
	known := map[string]bool{}
	for _, list := range [][]spend.Org{regs, creditors, dir} {
		for _, o := range list {
			known[spend.NormaliseSupplier(o.Name)] = true
			for _, n := range o.OtherNames {
				known[spend.NormaliseSupplier(n)] = true
			}
			for _, n := range strings.Split(o.TradingNames, ",") {
				known[spend.NormaliseSupplier(n)] = true
			}
			for _, k := range o.Confirmed {
				known[k] = true
			}
		}
	}
	spent := map[string]int64{}
	for _, p := range payees {
		if p.Redacted {
			continue
		}
		if k := spend.NormaliseSupplier(p.Name); k != "" && !known[k] {
			spent[k] += p.NetPence
		}
	}
	keys := make([]string, 0, len(spent))
	for k := range spent {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(spent[b], spent[a]), strings.Compare(a, b)) })
	keys = keys[:min(len(keys), spend.NearTop)]
	prefixSet := map[string]bool{}
	for _, k := range keys {
		prefixSet[spend.NamePrefix(k)] = true
	}
	prefixes := setList(prefixSet)
	slices.Sort(prefixes)
	at := map[int64]int{}
	for i, o := range regs {
		at[o.ID] = i
	}
	add := func(o spend.Org) int {
		if i, ok := at[o.ID]; ok {
			return i
		}
		at[o.ID] = len(regs)
		regs = append(regs, o)
		return len(regs) - 1
	}
	const cols = `e.id, e.source, e.number, e.company_number, e.name, e.postcode, e.district_code, e.imd_decile, e.category, e.sic, e.previous_names, e.size`
	for i := 0; i < len(prefixes); i += registerNearChunk {
		var parts []string
		var args []any
		for _, p := range prefixes[i:min(i+registerNearChunk, len(prefixes))] {
			// Every name starting with p sorts from p to p followed by the
			// highest code point, in byte order (SQLite's and the C
			// collation's).
			args = append(args, p, p+"􏿿", p, p+"􏿿")
			n := len(args)
			parts = append(parts,
				fmt.Sprintf(`SELECT %s FROM (SELECT id FROM register_entries WHERE name_key >= $%d AND name_key < $%d ORDER BY name_key LIMIT %d) a JOIN register_entries e ON e.id = a.id`, cols, n-3, n-2, registerNearLimit),
				fmt.Sprintf(`SELECT %s FROM (SELECT source, number FROM register_names WHERE name_key >= $%d AND name_key < $%d ORDER BY name_key LIMIT %d) b JOIN register_entries e ON e.source = b.source AND e.number = b.number`, cols, n-1, n, registerNearLimit))
		}
		rows, err := s.read(ctx, strings.Join(parts, " UNION ALL "), args...)
		orgs, err := collect("register entries with near names", rows, err, scanRegisterOrg)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			add(o)
		}
	}
	rows, err := s.read(ctx, `SELECT l.supplier_key, `+cols+` FROM register_links l JOIN register_entries e ON e.source = l.source AND e.number = l.number WHERE l.decision = 'confirmed' ORDER BY l.id`)
	type confirmed struct {
		key string
		org spend.Org
	}
	links, err := collect("confirmed register links", rows, err, func(r *sql.Rows) (confirmed, error) {
		var c confirmed
		var err error
		c.org, err = scanRegisterOrgWith(r, &c.key)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	for _, c := range links {
		i := add(c.org)
		regs[i].Confirmed = append(regs[i].Confirmed, c.key)
	}
	sortByIDDesc(regs)
	return regs, nil
}

func setList(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// registerOrgsMatching loads the register entries with one of the name
// keys (as their name or a previous name) or company numbers, in id order.
func (s *Store) registerOrgsMatching(ctx context.Context, keys, numbers []string) ([]spend.Org, error) {
	var loaded int
	if err := s.readRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM register_entries LIMIT 1) x`).Scan(&loaded); err != nil {
		return nil, fmt.Errorf("register entries: %w", wrapConn(err))
	}
	if loaded == 0 {
		return nil, nil // no register loaded: no lookups on every report
	}
	const chunk = 500
	seen := map[int64]bool{}
	var out []spend.Org
	load := func(where string, values []string) error {
		for i := 0; i < len(values); i += chunk {
			var args []any
			in := addParams(&args, values[i:min(i+chunk, len(values))])
			rows, err := s.read(ctx, `SELECT id, source, number, company_number, name, postcode, district_code, imd_decile, category, sic, previous_names, size FROM register_entries WHERE `+strings.ReplaceAll(where, "?", in), args...)
			orgs, err := collect("register entries", rows, err, scanRegisterOrg)
			if err != nil {
				return err
			}
			for _, o := range orgs {
				if !seen[o.ID] {
					seen[o.ID] = true
					out = append(out, o)
				}
			}
		}
		return nil
	}
	if err := load(`name_key IN (?)`, keys); err != nil {
		return nil, err
	}
	if err := load(`id IN (SELECT e.id FROM register_names n JOIN register_entries e ON e.source = n.source AND e.number = n.number WHERE n.name_key IN (?))`, keys); err != nil {
		return nil, err
	}
	if err := load(`source = 'company' AND number IN (?)`, numbers); err != nil {
		return nil, err
	}
	// Register entries before others, oldest first, as RegisterOrgs.
	sortByIDDesc(out)
	return out, nil
}

// sortByIDDesc orders register organisations (ids negated) by entry id.
func sortByIDDesc(orgs []spend.Org) {
	slices.SortFunc(orgs, func(a, b spend.Org) int { return cmp.Compare(b.ID, a.ID) })
}

func scanRegisterOrg(r *sql.Rows) (spend.Org, error) {
	return scanRegisterOrgWith(r)
}

// scanRegisterOrgWith scans before the register entry's columns the
// destinations given first.
func scanRegisterOrgWith(r *sql.Rows, first ...any) (spend.Org, error) {
	var e spend.RegisterEntry
	var id int64
	var district, previous string
	var decile int
	err := r.Scan(append(first, &id, &e.Source, &e.Number, &e.CompanyNumber, &e.Name, &e.Postcode, &district, &decile, &e.Category, &e.SIC, &previous, &e.Size)...)
	o := spend.Org{ID: -id, Register: true, Name: e.Name, CompanyNumber: e.CompanyNumber, IMDDecile: decile, SIC: e.SIC, Size: e.Size,
		Source: map[string]string{spend.CharityRegister: "charity", spend.CompaniesHouse: "Companies House"}[e.Source]}
	if previous != "" {
		o.OtherNames = strings.Split(previous, "\t")
	}
	switch e.VCSE() {
	case "yes":
		o.Kind = "vcse"
	case "no":
		o.Kind = "business"
	}
	switch district {
	case outsideGM:
		o.Districts = []string{""}
	case "":
	default:
		o.Districts = []string{district}
	}
	return o, err
}

// registerNameKeysMigration is migration 35: it fills register_entries'
// name_key (added by 34) for entries imported before it, in Go because
// the key is spend.NormaliseSupplier's.
const registerNameKeysMigration = 35

func migrateRegisterNameKeys(ctx context.Context, tx *sql.Tx) error {
	// Migration 34's index on company_number serves no lookup (Companies
	// House entries are found by (source, number)) and slowed every insert.
	if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS register_entries_company`); err != nil {
		return fmt.Errorf("drop register company index: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM register_entries WHERE name_key = ''`)
	if err != nil {
		return fmt.Errorf("register names: %w", err)
	}
	type entry struct {
		id   int64
		name string
	}
	var todo []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.name); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range todo {
		if _, err := tx.ExecContext(ctx, `UPDATE register_entries SET name_key = $1 WHERE id = $2`, spend.NormaliseSupplier(e.name), e.id); err != nil {
			return fmt.Errorf("register entry %d: %w", e.id, err)
		}
	}
	return nil
}

func unmigrateRegisterNameKeys(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS register_entries_company ON register_entries(company_number)`)
	return err
}
