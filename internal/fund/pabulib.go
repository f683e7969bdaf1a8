package fund

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
)

// Meta holds a Pabulib file's META section.
type Meta map[string]string

// ReadPabulib reads a Pabulib .pb file (sections META, PROJECTS and VOTES;
// ';'-separated with CSV quoting; approval ballots only). Errors name the
// line.
func ReadPabulib(r io.Reader, name string) (*Election, Meta, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s line %d: %s", name, line, fmt.Sprintf(format, args...))
	}
	meta := Meta{}
	e := &Election{}
	index := map[string]int{}
	section := ""
	var header map[string]int
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, nil, fail(line, "%v", err)
		}
		first := strings.TrimSpace(rec[0])
		if len(rec) == 1 && (strings.EqualFold(first, "META") || strings.EqualFold(first, "PROJECTS") || strings.EqualFold(first, "VOTES")) {
			section = strings.ToUpper(first)
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
				header[strings.TrimSpace(h)] = i
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
				meta[strings.TrimSpace(rec[0])] = strings.TrimSpace(rec[1])
			}
		case "PROJECTS":
			if _, ok := header["project_id"]; !ok {
				return nil, nil, fail(line-1, "the PROJECTS header has no project_id column")
			}
			id := get("project_id")
			cost, ok := new(big.Rat).SetString(get("cost"))
			switch {
			case id == "":
				return nil, nil, fail(line, "project without an id")
			case !ok:
				return nil, nil, fail(line, "project %s: cost %q is not a number", id, get("cost"))
			case cost.Sign() < 0:
				return nil, nil, fail(line, "project %s: cost %s is negative", id, get("cost"))
			}
			if _, dup := index[id]; dup {
				return nil, nil, fail(line, "project %s appears twice", id)
			}
			index[id] = len(e.Projects)
			e.Projects = append(e.Projects, Project{ID: id, Cost: cost})
		case "VOTES":
			if _, ok := header["vote"]; !ok {
				return nil, nil, fail(line-1, "the VOTES header has no vote column")
			}
			var ballot []int
			if v := get("vote"); v != "" {
				for _, id := range strings.Split(v, ",") {
					id = strings.TrimSpace(id)
					p, ok := index[id]
					if !ok {
						return nil, nil, fail(line, "vote for unknown project %q", id)
					}
					ballot = append(ballot, p)
				}
			}
			e.Ballots = append(e.Ballots, ballot)
		}
	}
	for _, s := range []string{"META", "PROJECTS", "VOTES"} {
		if _, ok := seen[s]; !ok {
			return nil, nil, fmt.Errorf("%s: missing the %s section", name, s)
		}
	}
	if vt := meta["vote_type"]; vt != "" && vt != "approval" {
		return nil, nil, fmt.Errorf("%s line %d: vote_type %q is not supported: only approval ballots can be allocated", name, seen["META"], vt)
	}
	b, ok := new(big.Rat).SetString(strings.ReplaceAll(meta["budget"], ",", "."))
	if meta["budget"] == "" {
		return nil, nil, fmt.Errorf("%s line %d: META has no budget", name, seen["META"])
	}
	if !ok || b.Sign() < 0 {
		return nil, nil, fmt.Errorf("%s line %d: budget %q must be a number, zero or more", name, seen["META"], meta["budget"])
	}
	e.Budget = b
	return e, meta, nil
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
