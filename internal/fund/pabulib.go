package fund

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
)

// Meta holds a Pabulib file's META section.
type Meta map[string]string

// MaxPabulibLine is the longest line ReadPabulib accepts, in bytes.
const MaxPabulibLine = 1 << 20

// Limits on one .pb file, so that what ReadPabulib holds in memory stays
// bounded (under about 100 MB) whatever the file. The largest published
// Pabulib files (Warsaw, about 100,000 voters) are well inside them.
const (
	MaxPabulibBytes     = 64 << 20  // the file's size
	MaxPabulibProjects  = 100_000   // projects in the PROJECTS section
	MaxPabulibVoters    = 500_000   // ballots in the VOTES section
	MaxPabulibApprovals = 5_000_000 // approvals over all ballots
)

// ReadPabulib reads a Pabulib .pb file (sections META, PROJECTS and VOTES;
// ';'-separated, a field may be quoted but must close its quote on its own
// line; approval ballots only). Every error names the line and the cause:
// an unclosed quote, a project or voter listed twice, a cost that is not a
// plain amount, a vote for an unknown project, a missing section.
func ReadPabulib(r io.Reader, name string) (*Election, Meta, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxPabulibLine)
	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s line %d: %s", name, line, fmt.Sprintf(format, args...))
	}
	meta := Meta{}
	e := &Election{}
	index := map[string]int{}
	var projectLine []int
	voters := map[[sha256.Size]byte]int{} // voter_id's hash → line (ids may be long; hashes are not)
	approvals, size := 0, 0
	over := func(line int, what string, limit int, unit string) error {
		return fail(line, "%s, over the limit of %s on %s; refused without reading further", what, groupDigits(limit), unit)
	}
	section := ""
	var header map[string]int
	seen := map[string]int{}
	line := 0
	var rec []string
	for sc.Scan() {
		line++
		text := sc.Text()
		if size += len(text) + 1; size > MaxPabulibBytes {
			return nil, nil, fail(line, "the file is larger than %d MiB, over the limit of %d MiB on the size of a .pb file; refused without reading further", MaxPabulibBytes>>20, MaxPabulibBytes>>20)
		}
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		var err error
		if rec, err = splitPabulib(rec[:0], text); err != nil {
			return nil, nil, fail(line, "%v", err)
		}
		first := strings.TrimSpace(rec[0])
		if len(rec) == 1 && (strings.EqualFold(first, "META") || strings.EqualFold(first, "PROJECTS") || strings.EqualFold(first, "VOTES")) {
			section = strings.ToUpper(first)
			if at, dup := seen[section]; dup {
				return nil, nil, fail(line, "a second %s section (the first is on line %d)", section, at)
			}
			seen[section] = line
			header = nil
			continue
		}
		if section == "" {
			return nil, nil, fail(line, "data before the first section; a .pb file starts with META")
		}
		if header == nil {
			header = map[string]int{}
			for i, h := range rec {
				h = strings.TrimSpace(h)
				if j, dup := header[h]; dup && h != "" {
					return nil, nil, fail(line, "the %s header names column %q twice (columns %d and %d)", section, h, j+1, i+1)
				}
				header[h] = i
			}
			switch {
			case section == "PROJECTS" && !has(header, "project_id"):
				return nil, nil, fail(line, "the PROJECTS header has no project_id column")
			case section == "VOTES" && !has(header, "vote"):
				return nil, nil, fail(line, "the VOTES header has no vote column")
			}
			continue
		}
		get := func(k string) string {
			if i, ok := header[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		switch section {
		case "META":
			if len(rec) >= 2 {
				k := strings.TrimSpace(rec[0])
				if _, dup := meta[k]; dup {
					return nil, nil, fail(line, "META key %q appears twice", k)
				}
				meta[k] = strings.TrimSpace(rec[1])
			}
		case "PROJECTS":
			id := get("project_id")
			if id == "" {
				return nil, nil, fail(line, "project without an id")
			}
			cost, err := parseAmount(get("cost"))
			if err != nil {
				return nil, nil, fail(line, "project %s: cost %v", id, err)
			}
			if len(e.Projects) == MaxPabulibProjects {
				return nil, nil, over(line, fmt.Sprintf("more than %s projects", groupDigits(MaxPabulibProjects)), MaxPabulibProjects, "projects in a file")
			}
			if at, dup := index[id]; dup {
				return nil, nil, fail(line, "project %s appears twice (first on line %d)", id, projectLine[at])
			}
			index[id] = len(e.Projects)
			e.Projects = append(e.Projects, Project{ID: id, Cost: cost})
			projectLine = append(projectLine, line)
		case "VOTES":
			if has(header, "voter_id") {
				id := get("voter_id")
				if id == "" {
					return nil, nil, fail(line, "vote without a voter_id")
				}
				key := sha256.Sum256([]byte(id))
				if at, dup := voters[key]; dup {
					return nil, nil, fail(line, "voter %s appears twice (first on line %d); each voter is counted once", id, at)
				}
				voters[key] = line
			}
			if len(e.Ballots) == MaxPabulibVoters {
				return nil, nil, over(line, fmt.Sprintf("more than %s voters", groupDigits(MaxPabulibVoters)), MaxPabulibVoters, "voters in a file")
			}
			var ballot []int
			if v := get("vote"); v != "" {
				for _, id := range strings.Split(v, ",") {
					id = strings.TrimSpace(id)
					p, ok := index[id]
					if !ok {
						return nil, nil, fail(line, "vote for unknown project %q", id)
					}
					if approvals++; approvals > MaxPabulibApprovals {
						return nil, nil, over(line, fmt.Sprintf("more than %s approvals in all", groupDigits(MaxPabulibApprovals)), MaxPabulibApprovals, "approvals in a file")
					}
					ballot = append(ballot, p)
				}
			}
			e.Ballots = append(e.Ballots, ballot)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, fail(line+1, "longer than %d bytes, the longest line a .pb file may have", MaxPabulibLine)
		}
		return nil, nil, fmt.Errorf("%s line %d: %w", name, line+1, err)
	}
	for _, s := range []string{"META", "PROJECTS", "VOTES"} {
		if _, ok := seen[s]; !ok {
			return nil, nil, fail(max(line, 1), "the file ends without a %s section", s)
		}
	}
	if vt := meta["vote_type"]; vt != "" && vt != "approval" {
		return nil, nil, fail(seen["META"], "vote_type %q is not supported: only approval ballots can be allocated", vt)
	}
	if meta["budget"] == "" {
		return nil, nil, fail(seen["META"], "META has no budget")
	}
	b, err := parseAmount(strings.ReplaceAll(meta["budget"], ",", "."))
	if err != nil {
		return nil, nil, fail(seen["META"], "budget %v", err)
	}
	e.Budget = b
	return e, meta, nil
}

// groupDigits writes n with thousands separators: 1,000,000.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func has(m map[string]int, k string) bool {
	_, ok := m[k]
	return ok
}

// parseAmount reads a cost or budget: a plain decimal, zero or more, of at
// most 30 characters (such as 12000 or 1500.50). Exponents and fractions
// are refused, so a crafted file cannot ask for a number with millions of
// digits.
func parseAmount(s string) (*big.Rat, error) {
	digits, dot := 0, false
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && i > 0:
			dot = true
		case c == '-' && i == 0:
			return nil, fmt.Errorf("%q is negative", s)
		default:
			return nil, fmt.Errorf("%q is not an amount (digits, with a decimal point if needed)", s)
		}
	}
	if digits == 0 || strings.HasSuffix(s, ".") {
		return nil, fmt.Errorf("%q is not an amount (digits, with a decimal point if needed)", s)
	}
	if len(s) > 30 {
		return nil, fmt.Errorf("%q is longer than 30 characters", s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("%q is not an amount", s)
	}
	return r, nil
}

// splitPabulib splits one line at semicolons. A field that starts with a
// double quote runs to the next lone quote ("" stands for one quote); any
// text after that closing quote up to the next semicolon is kept, as
// Pabulib's own tools do (a project named "Odkupmy" i my keeps its words).
// A quote that does not close on its line is an error: fields never span
// lines in a .pb file, and reading on would swallow the rest of the file.
func splitPabulib(dst []string, line string) ([]string, error) {
	var f strings.Builder
	i := 0
	for {
		f.Reset()
		if i < len(line) && line[i] == '"' {
			start := len(dst) + 1
			i++
			closed := false
			for i < len(line) {
				if line[i] == '"' {
					if i+1 < len(line) && line[i+1] == '"' {
						f.WriteByte('"')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				f.WriteByte(line[i])
				i++
			}
			if !closed {
				return dst, fmt.Errorf("field %d opens a quote that is not closed on this line", start)
			}
		}
		for i < len(line) && line[i] != ';' {
			f.WriteByte(line[i])
			i++
		}
		dst = append(dst, f.String())
		if i >= len(line) {
			return dst, nil
		}
		i++ // the semicolon
	}
}

// WritePabulib writes an election (and, if given, an outcome's selection)
// as a .pb file.
func WritePabulib(w io.Writer, e *Election, meta Meta, o *Outcome) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	sup := e.supporters()
	in := map[int]bool{}
	if o != nil {
		for _, p := range o.Selected {
			in[p] = true
		}
	}
	rows := [][]string{{"META"}, {"key", "value"}}
	m := Meta{}
	for k, v := range meta {
		m[k] = v
	}
	m["budget"], m["num_projects"], m["num_votes"], m["vote_type"] = Decimal(e.Budget), fmt.Sprint(len(e.Projects)), fmt.Sprint(len(e.Ballots)), "approval"
	if o != nil {
		m["rule"] = o.Rule
	}
	for _, k := range sortedKeys(m) {
		rows = append(rows, []string{k, m[k]})
	}
	rows = append(rows, []string{"PROJECTS"}, []string{"project_id", "cost", "votes", "selected"})
	for p, pr := range e.Projects {
		sel := "0"
		if in[p] {
			sel = "1"
		}
		rows = append(rows, []string{pr.ID, Decimal(pr.Cost), fmt.Sprint(len(sup[p])), sel})
	}
	rows = append(rows, []string{"VOTES"}, []string{"voter_id", "vote"})
	for v, b := range e.Ballots {
		ids := make([]string, len(b))
		for i, p := range b {
			ids[i] = e.Projects[p].ID
		}
		rows = append(rows, []string{fmt.Sprint(v + 1), strings.Join(ids, ",")})
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write .pb: %w", err)
	}
	return nil
}

func sortedKeys(m Meta) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// Decimal formats an exact amount: as a terminating decimal when it is
// one (such as 1000 or 12.5), else as a fraction (such as 100/3).
func Decimal(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	d := new(big.Int).Set(r.Denom())
	for _, f := range []int64{2, 5} {
		bf := big.NewInt(f)
		m := new(big.Int)
		for {
			q, rem := new(big.Int).QuoRem(d, bf, m)
			if rem.Sign() != 0 {
				break
			}
			d = q
		}
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return r.RatString()
	}
	// Enough places to be exact: the larger power of 2 or 5 in the denominator.
	places := 0
	for x := new(big.Int).Set(r.Denom()); x.Cmp(big.NewInt(1)) > 0; places++ {
		x.Quo(x, big.NewInt(2))
	}
	s := r.FloatString(places)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
