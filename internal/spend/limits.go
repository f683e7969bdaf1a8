package spend

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
)

// Limits bound what reading one spend file may cost, whatever the file
// holds: a hostile or broken file is refused with a LimitError naming the
// limit and the flag that raises it, never read into memory whole. The
// zero value of a field means its default (DefaultLimits).
type Limits struct {
	// Bytes is the most text read from one file after decompression (the
	// CSV, the CSV inside a .zip, or an .xlsx's parts together).
	Bytes int64
	// Ratio is the most a compressed part (a .zip member or a workbook
	// part) may expand: decompressed bytes per compressed byte.
	Ratio int64
	// Cells is the most cells (columns) in one row.
	Cells int
	// Field is the most bytes in one cell.
	Field int
	// Row is the most bytes in one row (one CSV record, however many lines).
	Row int
	// Sheets is the most worksheets a workbook may list.
	Sheets int
	// Rows is the most rows in one file.
	Rows int64
	// SharedText is the most text a workbook's shared strings may hold:
	// they are kept in memory while its sheet is read.
	SharedText int64
	// NoFlags: the command reading the file has no flags to raise these
	// limits (svhub import postcodes, ballot files), so errors name none.
	NoFlags bool
}

// DefaultLimits are generous for every council file seen (the largest,
// 5 million rows and 1.3 GB, is well inside them) and keep one import's
// memory bounded.
var DefaultLimits = Limits{
	Bytes:      8 << 30,
	Ratio:      400,
	Cells:      1000,
	Field:      64 << 10,
	Row:        1 << 20,
	Sheets:     256,
	Rows:       50_000_000,
	SharedText: 64 << 20,
}

// withDefaults fills each zero or negative field from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	return Limits{
		Bytes:      cmp.Or(max(l.Bytes, 0), d.Bytes),
		Ratio:      cmp.Or(max(l.Ratio, 0), d.Ratio),
		Cells:      cmp.Or(max(l.Cells, 0), d.Cells),
		Field:      cmp.Or(max(l.Field, 0), d.Field),
		Row:        cmp.Or(max(l.Row, 0), d.Row),
		Sheets:     cmp.Or(max(l.Sheets, 0), d.Sheets),
		Rows:       cmp.Or(max(l.Rows, 0), d.Rows),
		SharedText: cmp.Or(max(l.SharedText, 0), d.SharedText),
		NoFlags:    l.NoFlags,
	}
}

// LimitError is a file refused for going past one of its Limits.
type LimitError struct {
	Where string // "line 3", "row 12 of sheet Spend", "the member data.csv" …
	What  string // what went past the limit, in words
	Limit string // the limit's name
	Max   int64
	Flag  string // the flag of svhub import spend that raises it
}

func (e *LimitError) Error() string {
	where := ""
	if e.Where != "" {
		where = e.Where + ": "
	}
	if e.Flag == "" {
		return fmt.Sprintf("%s%s, over the limit of %s on %s; refused without importing anything", where, e.What, formatCount(e.Max), e.Limit)
	}
	return fmt.Sprintf("%s%s, over the limit of %s on %s; refused without importing anything (if the file is genuine, raise the limit with %s)",
		where, e.What, formatCount(e.Max), e.Limit, e.Flag)
}

// GuardCSV returns r guarded for reading as CSV with encoding/csv (with or
// without LazyQuotes): a record, cell or cell count past lim (zero fields
// meaning DefaultLimits), or more than lim.Bytes in all, fails the read
// with a *LimitError naming the line before encoding/csv has buffered it.
// Rows are not counted here (the reader of records counts them). The
// errors name the flags of the svhub import commands; a reader with no
// such flags clears LimitError.Flag.
func GuardCSV(r io.Reader, lim Limits) io.Reader {
	return newCSVGuard(r, lim.withDefaults())
}

// ErrLimit matches every LimitError with errors.Is.
var ErrLimit = errors.New("over a limit on spend files")

func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// formatBytes writes a size for a message: bytes, KiB or MiB, rounded.
func formatBytes(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func formatCount(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0 && n != 1000:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d", n)
}

func (l Limits) bytesErr(where string) error {
	e := &LimitError{Where: where, What: "the file is larger than allowed once decompressed", Limit: "decompressed size", Max: l.Bytes, Flag: "--max-bytes"}
	if l.NoFlags {
		e.Flag = ""
	}
	return e
}

// sizeGuard counts the decompressed bytes read from one file, across its
// parts, and refuses more than the limit.
type sizeGuard struct {
	read int64
	lim  Limits
}

// member opens a .zip member for streaming, guarded: it is refused once
// it expands more than Ratio times the compressed bytes read so far
// (after its first MiB, so small parts never trip it), or once the file
// passes Bytes. Deflated members are inflated here from the raw stream so
// the compressed bytes can be counted as they are read (a bomb is caught
// after about a MiB, not after Ratio times the whole member); their
// checksum is still checked at the end.
func (g *sizeGuard) member(zf *zip.File, part string) (io.ReadCloser, error) {
	if zf.Method != zip.Deflate {
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		size := int64(zf.CompressedSize64)
		return &ratioReader{r: rc, c: rc, g: g, part: part, compressed: func() int64 { return size }}, nil
	}
	raw, err := zf.OpenRaw()
	if err != nil {
		return nil, err
	}
	cr := &countingReader{r: raw}
	fr := flate.NewReader(cr)
	return &ratioReader{r: &crcReader{r: fr, want: zf.CRC32, h: crc32.NewIEEE()}, c: fr, g: g, part: part, compressed: func() int64 { return cr.n }}, nil
}

// OpenZipMember opens a .zip member for streaming within lim's Ratio and
// Bytes (zero fields meaning DefaultLimits), for readers of zips other
// than spend files: a member that expands more than Ratio times is
// refused after about a MiB, naming part.
func OpenZipMember(zf *zip.File, part string, lim Limits) (io.ReadCloser, error) {
	return (&sizeGuard{lim: lim.withDefaults()}).member(zf, part)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type crcReader struct {
	r    io.Reader
	h    hash.Hash32
	want uint32
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	if errors.Is(err, io.EOF) && c.want != 0 && c.h.Sum32() != c.want {
		return n, zip.ErrChecksum
	}
	return n, err
}

type ratioReader struct {
	r          io.Reader
	c          io.Closer
	g          *sizeGuard
	part       string
	compressed func() int64
	n          int64
}

func (r *ratioReader) Close() error { return r.c.Close() }

func (r *ratioReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n += int64(n)
	r.g.read += int64(n)
	if r.g.read > r.g.lim.Bytes {
		return n, r.g.lim.bytesErr(r.part)
	}
	if c := max(r.compressed(), 1); r.n > 1<<20 && r.n > r.g.lim.Ratio*c {
		e := &LimitError{Where: r.part, What: fmt.Sprintf("%s compressed expand to more than %s", formatBytes(c), formatBytes(r.n)),
			Limit: "the ratio of decompressed to compressed size", Max: r.g.lim.Ratio, Flag: "--max-ratio"}
		if r.g.lim.NoFlags {
			e.Flag = ""
		}
		return n, e
	}
	return n, err
}

// csvGuard follows a CSV stream byte by byte the way encoding/csv (with
// LazyQuotes) splits it — a quote opens a quoted field only at the start
// of a field — and refuses a record, field or cell count past the limits
// before encoding/csv would buffer it, and a file past Bytes.
type csvGuard struct {
	r   io.Reader
	lim Limits
	// state
	line       int64 // 1-based line of the current byte
	recLine    int64 // line the current record started on
	read       int64
	recBytes   int
	fieldBytes int
	cells      int
	state      int
	err        error
}

const (
	csvFieldStart = iota
	csvUnquoted
	csvQuoted
	csvQuoteInQuoted
	csvQuoteCR // a carriage return after a quote in a quoted field
)

func newCSVGuard(r io.Reader, lim Limits) *csvGuard {
	return &csvGuard{r: r, lim: lim, line: 1, recLine: 1, cells: 1}
}

// What a record went over.
const (
	overNone = iota
	overField
	overCells
	overRow
)

func (g *csvGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	b := p[:n]
	// The state lives in locals (this runs over every byte of every file).
	// recStart and fieldStart are where the current record and field began,
	// as indexes into b (negative when they began in an earlier read);
	// lengths are checked at each delimiter and at the end of b, so a
	// record is refused within one read of its limit.
	st, line, recLine, cells := g.state, g.line, g.recLine, g.cells
	recStart, fieldStart := -g.recBytes, -g.fieldBytes
	maxField, maxRow, maxCells := g.lim.Field+2, g.lim.Row, g.lim.Cells // +2: a field's quotes
	over := overNone
	for i := 0; i < len(b); {
		if st == csvFieldStart && recStart == i {
			// At the start of a record: a whole line with no quote in it
			// (nearly every line of every file) is one record, its cells
			// the commas plus one; it is passed over at once when it is
			// within the limits, and otherwise read byte by byte below to
			// say which limit it went over.
			if j := bytes.IndexByte(b[i:], '\n'); j >= 0 && j <= maxRow && j <= maxField {
				if text := b[i : i+j]; bytes.IndexByte(text, '"') < 0 && bytes.Count(text, comma) < maxCells {
					i += j + 1
					line++
					recLine = line
					recStart, fieldStart = i, i
					continue
				}
			}
		}
		if st == csvQuoted {
			j := bytes.IndexByte(b[i:], '"')
			if j < 0 {
				line += int64(bytes.Count(b[i:], newline))
				break
			}
			line += int64(bytes.Count(b[i:i+j], newline))
			i += j + 1
			st = csvQuoteInQuoted
			continue
		}
		if st == csvQuoteCR && b[i] != '\n' {
			// The quote and the carriage return were text: read on in
			// the quoted field, from this byte.
			st = csvQuoted
			continue
		}
		switch c := b[i]; c {
		case ',':
			switch {
			case i-fieldStart > maxField:
				over = overField
			case cells+1 > maxCells:
				over = overCells
			}
			if over != overNone {
				break // cells still numbers the cell that went over
			}
			cells++
			fieldStart, st = i+1, csvFieldStart
		case '\n':
			switch {
			case i-fieldStart > maxField:
				over = overField
			case i-recStart > maxRow:
				over = overRow
			}
			if over != overNone {
				break
			}
			line++
			recLine = line
			recStart, fieldStart, cells, st = i+1, i+1, 1, csvFieldStart
		case '"':
			if st != csvUnquoted {
				st = csvQuoted
			}
		case '\r':
			// encoding/csv reads "\r\n" as "\n": after a closing quote a
			// carriage return waits to see whether a newline follows.
			switch st {
			case csvFieldStart:
				st = csvUnquoted
			case csvQuoteInQuoted:
				st = csvQuoteCR
			}
		default:
			if st == csvFieldStart {
				st = csvUnquoted
			} else if st == csvQuoteInQuoted {
				st = csvQuoted // a lazy quote inside a quoted field
			}
		}
		if over != overNone {
			break
		}
		i++
		if st == csvUnquoted {
			// The common case: the ordinary bytes of an unquoted field
			// (only ',' and a newline end it).
			for i < len(b) && b[i] != ',' && b[i] != '\n' {
				i++
			}
		}
	}
	g.state, g.line, g.recLine, g.cells = st, line, recLine, cells
	g.recBytes, g.fieldBytes = len(b)-recStart, len(b)-fieldStart
	if over == overNone {
		switch {
		case g.fieldBytes > maxField:
			over = overField
		case g.recBytes > maxRow:
			over = overRow
		}
	}
	if over != overNone {
		g.err = g.limitErr(over)
		return 0, g.err
	}
	g.read += int64(n)
	if g.read > g.lim.Bytes {
		g.err = g.lim.bytesErr(fmt.Sprintf("line %d", g.line))
		return n, g.err
	}
	return n, err
}

var newline, comma = []byte{'\n'}, []byte{','}

func (g *csvGuard) limitErr(over int) error {
	e := g.limitErrFlag(over)
	if g.lim.NoFlags {
		e.Flag = ""
	}
	return e
}

func (g *csvGuard) limitErrFlag(over int) *LimitError {
	where := fmt.Sprintf("line %d", g.recLine)
	switch over {
	case overCells:
		return &LimitError{Where: where, What: fmt.Sprintf("the row has more than %d cells", g.lim.Cells), Limit: "cells per row", Max: int64(g.lim.Cells), Flag: "--max-cells"}
	case overField:
		return &LimitError{Where: where, What: fmt.Sprintf("cell %d is longer than %s", g.cells, formatCount(int64(g.lim.Field))), Limit: "the length of a cell", Max: int64(g.lim.Field), Flag: "--max-field"}
	}
	return &LimitError{Where: where, What: fmt.Sprintf("the row is longer than %s", formatCount(int64(g.lim.Row))), Limit: "the length of a row", Max: int64(g.lim.Row), Flag: "--max-row-bytes"}
}
