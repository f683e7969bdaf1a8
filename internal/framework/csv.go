package framework

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/spend"
)

// CSVLimits bound what reading one framework file may cost: a framework
// has a few hundred rows of short text, so these are generous, and a file
// past one is refused (a *spend.LimitError naming the line and the limit)
// before the row is held in memory. They are fixed: an upload has no flag
// to raise them.
var CSVLimits = spend.Limits{Bytes: 16 << 20, Cells: 100, Field: 64 << 10, Row: 1 << 20, Rows: 100_000}

// CSVHeader is the column layout of a framework file (docs/framework-csv.md).
// Each row's type says which columns it uses:
//
//	framework: code=edition, title=name, description=publisher, source=source URL, licence
//	priority:  code, title, description
//	outcome:   code, parent=priority code, title
//	measure:   code, parent=outcome code, title=wording, description=guidance, unit, record_only
//	proxy:     parent=measure code, pence_per_unit, price_year, source, licence, valid_from, valid_to
//	link:      parent=measure code, code=unit cost code, source=proxy source edition (its address name), description=rationale
var CSVHeader = []string{"type", "code", "parent", "title", "description", "unit", "record_only", "pence_per_unit", "price_year", "source", "licence", "valid_from", "valid_to"}

// WriteCSV writes an edition in the CSV layout.
func WriteCSV(w io.Writer, f Framework) error {
	cw := csv.NewWriter(w)
	row := func(cells ...string) {
		rec := make([]string, len(CSVHeader))
		copy(rec, cells)
		_ = cw.Write(rec)
	}
	_ = cw.Write(CSVHeader)
	row("framework", f.Edition, "", f.Name, f.Publisher, "", "", "", "", f.SourceURL, f.Licence)
	for _, p := range f.Priorities {
		row("priority", p.Code, "", p.Title, p.Description)
		for _, o := range p.Outcomes {
			row("outcome", o.Code, p.Code, o.Title)
			for _, m := range o.Measures {
				row("measure", m.Code, o.Code, m.Wording, m.Guidance, m.Unit, strconv.FormatBool(m.RecordOnly))
				for _, pv := range m.Proxies {
					row("proxy", "", m.Code, "", "", "", "", strconv.FormatInt(pv.PencePerUnit, 10), strconv.Itoa(pv.PriceYear), pv.Source, pv.Licence, pv.ValidFrom, pv.ValidTo)
				}
				for _, l := range m.Links {
					row("link", l.Code, m.Code, "", l.Rationale, "", "", "", "", l.SourceKey)
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write framework csv: %w", err)
	}
	return nil
}

// ReadCSV parses a framework file as a new draft edition, collecting every
// problem (with its line) rather than stopping at the first.
func ReadCSV(r io.Reader, name string) (Framework, error) {
	cr := csv.NewReader(spend.GuardCSV(r, CSVLimits))
	cr.FieldsPerRecord = -1
	ie := &problem.FileErrors{File: name}
	bad := ie.Add
	header, err := cr.Read()
	if errors.Is(err, spend.ErrLimit) {
		return Framework{}, fmt.Errorf("%s: %w", name, limitError(err)) // it names its line, often past the header
	}
	if err != nil {
		return Framework{}, fmt.Errorf("%s: reading header: %w", name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(strings.ToLower(h))] = i
	}
	for _, h := range CSVHeader {
		if _, ok := col[h]; !ok {
			bad(1, "missing column %q (expected columns: %s)", h, strings.Join(CSVHeader, ", "))
		}
	}
	if len(ie.Lines) > 0 {
		return Framework{}, ie
	}
	f := Framework{Status: Draft}
	seenFramework := false
	priorities := map[string]bool{}
	type outcomeRef struct{ p, o int }
	outcomes := map[string]outcomeRef{}
	type measureRef struct{ p, o, m int }
	measures := map[string]measureRef{}
	var rows int64
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			return Framework{}, fmt.Errorf("%s: %w", name, limitError(err))
		}
		line, _ := cr.FieldPos(0)
		if rows++; rows > CSVLimits.Rows {
			return Framework{}, fmt.Errorf("%s: %w", name, &spend.LimitError{Where: fmt.Sprintf("line %d", line),
				What: fmt.Sprintf("the file has more than %d rows", CSVLimits.Rows), Limit: "rows in a file", Max: CSVLimits.Rows})
		}
		if err != nil {
			bad(line, "%v", err)
			break
		}
		get := func(k string) string {
			i := col[k]
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		code, parent := get("code"), get("parent")
		switch get("type") {
		case "framework":
			if seenFramework {
				bad(line, "a file holds one framework; this is a second framework row")
				continue
			}
			seenFramework = true
			f.Edition, f.Name, f.Publisher, f.SourceURL, f.Licence = code, get("title"), get("description"), get("source"), get("licence")
			if err := f.ValidateMeta(); err != nil {
				bad(line, "%v", err)
			}
		case "priority":
			if !codeRe.MatchString(code) {
				bad(line, "priority code %q must be 1 to 32 letters, digits, dots or dashes", code)
			} else if _, dup := priorities[code]; dup {
				bad(line, "priority code %q is used twice", code)
			} else if get("title") == "" {
				bad(line, "priority %s has no title", code)
			} else {
				f.Priorities = append(f.Priorities, Priority{Code: code, Position: len(f.Priorities) + 1, Title: get("title"), Description: get("description")})
				priorities[code] = true
			}
		case "outcome":
			pi := -1
			for i := range f.Priorities {
				if f.Priorities[i].Code == parent {
					pi = i
				}
			}
			switch {
			case pi < 0:
				bad(line, "outcome %q names priority %q, which is not defined above it", code, parent)
			case !codeRe.MatchString(code):
				bad(line, "outcome code %q must be 1 to 32 letters, digits, dots or dashes", code)
			case outcomeExists(outcomes, code):
				bad(line, "outcome code %q is used twice", code)
			case get("title") == "":
				bad(line, "outcome %s has no title", code)
			default:
				p := &f.Priorities[pi]
				p.Outcomes = append(p.Outcomes, Outcome{Code: code, Title: get("title")})
				outcomes[code] = outcomeRef{pi, len(p.Outcomes) - 1}
			}
		case "measure":
			ref, ok := outcomes[parent]
			if !ok {
				bad(line, "measure %q names outcome %q, which is not defined above it", code, parent)
				continue
			}
			if _, dup := measures[code]; dup {
				bad(line, "measure code %q is used twice", code)
				continue
			}
			ro := get("record_only")
			recordOnly, err := strconv.ParseBool(strings.ToLower(orDefault(ro, "false")))
			if err != nil {
				bad(line, "record_only %q must be true or false", ro)
				continue
			}
			m := Measure{Code: code, Wording: get("title"), Guidance: get("description"), Unit: get("unit"), RecordOnly: recordOnly}
			if err := m.Validate(); err != nil {
				bad(line, "measure %s: %v", code, err)
				continue
			}
			o := &f.Priorities[ref.p].Outcomes[ref.o]
			o.Measures = append(o.Measures, m)
			measures[code] = measureRef{ref.p, ref.o, len(o.Measures) - 1}
		case "proxy":
			ref, ok := measures[parent]
			if !ok {
				bad(line, "proxy value names measure %q, which is not defined above it", parent)
				continue
			}
			pv, msg := parseProxy(get)
			if msg != "" {
				bad(line, "proxy value for %s: %s", parent, msg)
				continue
			}
			m := &f.Priorities[ref.p].Outcomes[ref.o].Measures[ref.m]
			m.Proxies = append(m.Proxies, pv)
		case "link":
			ref, ok := measures[parent]
			if !ok {
				bad(line, "link names measure %q, which is not defined above it", parent)
				continue
			}
			l := ProxyLink{SourceKey: get("source"), Code: code, Rationale: get("description")}
			if err := l.Validate(); err != nil {
				bad(line, "link for %s: %v", parent, err)
				continue
			}
			m := &f.Priorities[ref.p].Outcomes[ref.o].Measures[ref.m]
			m.Links = append(m.Links, l)
		case "":
			// Blank lines between sections are allowed.
		default:
			bad(line, "type %q is not one of framework, priority, outcome, measure, proxy, link", get("type"))
		}
	}
	if !seenFramework {
		bad(2, "no framework row: the first data row must have type framework")
	}
	if len(f.Priorities) == 0 && seenFramework {
		bad(2, "the framework has no priorities")
	}
	if len(ie.Lines) > 0 {
		return Framework{}, ie
	}
	return f, nil
}

func outcomeExists[T any](m map[string]T, k string) bool { _, ok := m[k]; return ok }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func parseProxy(get func(string) string) (ProxyValue, string) {
	pv := ProxyValue{Source: get("source"), Licence: get("licence"), ValidFrom: get("valid_from"), ValidTo: get("valid_to")}
	n, err := strconv.ParseInt(get("pence_per_unit"), 10, 64)
	if err != nil || n < 0 {
		return pv, fmt.Sprintf("pence_per_unit %q must be a whole number of pence, 0 or more", get("pence_per_unit"))
	}
	pv.PencePerUnit = n
	y, err := strconv.Atoi(get("price_year"))
	if err != nil || y < 1990 || y > 2100 {
		return pv, fmt.Sprintf("price_year %q must be a year such as 2020", get("price_year"))
	}
	pv.PriceYear = y
	if pv.Source == "" {
		return pv, "every proxy value must cite its source"
	}
	if pv.Licence == "" {
		return pv, "every proxy value must state the licence of its source"
	}
	for _, d := range []string{pv.ValidFrom, pv.ValidTo} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return pv, fmt.Sprintf("date %q must be YYYY-MM-DD", d)
		}
	}
	return pv, ""
}

// limitError clears the flag a limit error names: a framework file is
// uploaded, and no flag raises its limits.
func limitError(err error) error {
	var le *spend.LimitError
	if errors.As(err, &le) {
		le.Flag = ""
	}
	return err
}
