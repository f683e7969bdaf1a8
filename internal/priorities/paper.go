package priorities

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/problem"
)

// PaperRow is one paper ballot from a workshop's file.
type PaperRow struct {
	Line     int
	Code     string
	Postcode string // normalised
	Points   map[int64]int
	Comment  string
}

// PaperHeader describes a workshop file's columns for a round.
func PaperHeader(ps []RoundPriority) []string {
	h := []string{"code", "postcode"}
	for _, p := range ps {
		h = append(h, p.Code)
	}
	return append(h, "comment")
}

// ReadPaperCSV reads a workshop's paper ballots: columns code, postcode, one
// per priority code, and an optional comment. It returns every row it could
// read, and a *problem.FileErrors listing every bad row by line, so the
// caller can add its own checks (codes, places) to one complete report.
func ReadPaperCSV(r io.Reader, name string, ps []RoundPriority) ([]PaperRow, error) {
	fe := &problem.FileErrors{File: name}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		fe.Add(1, "the file has no header row (expected %s)", strings.Join(PaperHeader(ps), ","))
		return nil, fe
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		col[h] = i
	}
	known := map[string]bool{"code": true, "postcode": true, "comment": true}
	for _, p := range ps {
		known[p.Code] = true
		if _, ok := col[p.Code]; !ok {
			fe.Add(1, "missing a column for priority %s (%s)", p.Code, p.Title)
		}
	}
	for h := range col {
		if !known[h] {
			fe.Add(1, "column %q is not a priority of this round (its priorities are %s)", h, strings.Join(PaperHeader(ps)[2:len(ps)+2], ", "))
		}
	}
	for _, need := range []string{"code", "postcode"} {
		if _, ok := col[need]; !ok {
			fe.Add(1, "missing the %s column", need)
		}
	}
	if len(fe.Lines) > 0 {
		return nil, fe
	}
	var rows []PaperRow
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			fe.Add(line, "%v", err)
			break
		}
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		row := PaperRow{Line: line, Code: strings.ToUpper(get("code")), Comment: get("comment")}
		if row.Code == "" {
			fe.Add(line, "no ballot code")
		} else if first, dup := seen[row.Code]; dup {
			fe.Add(line, "code %s is already used on line %d", row.Code, first)
		} else {
			seen[row.Code] = line
		}
		if pc, err := geo.NormalisePostcode(get("postcode")); err != nil {
			fe.Add(line, "postcode: %v", err)
		} else {
			row.Postcode = pc
		}
		pts, err := ParsePoints(ps, get)
		if err != nil {
			var inv *problem.Invalid
			if errors.As(err, &inv) {
				for _, f := range inv.Fields {
					fe.Add(line, "%s", f.Message)
				}
			}
		} else {
			row.Points = pts
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(fe.Lines) == 0 {
		fe.Add(2, "the file has no ballots")
	}
	return rows, fe.Err()
}
