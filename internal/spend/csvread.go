package spend

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"unicode/utf8"
)

// csvReader splits CSV text into records exactly as encoding/csv does
// with Comma ',', LazyQuotes, FieldsPerRecord -1 and ReuseRecord — the
// same fields, the same line numbers, blank lines skipped, "\r\n" read as
// "\n" — but faster on the lines nearly every spend file is made of, those
// with no quote at all: such a line becomes one string sliced at its
// commas, without copying it field by field into a record buffer first.
// A line with a quote anywhere takes the general path, which follows
// encoding/csv's rules for quoted fields (FuzzCSVReaderMatchesEncodingCSV
// checks the two agree on any input). With LazyQuotes encoding/csv has no
// parse errors to report, so neither has this: Read fails only when the
// underlying reader does.
type csvReader struct {
	br      *bufio.Reader
	numLine int    // lines read so far
	recLine int    // the line the last record started on
	long    []byte // a line longer than br's buffer
	buf     []byte // the general path's record text, unquoted
	ends    []int  // where each field ends in buf
	rec     []string
	// valid says the last record's text is all valid UTF-8, so its
	// fields need no decoding (Text).
	valid bool
}

func newCSVReader(br *bufio.Reader) *csvReader {
	return &csvReader{br: br}
}

// Line is the line of the file the last record read started on
// (encoding/csv's FieldPos(0)).
func (r *csvReader) Line() int { return r.recLine }

// readLine reads one line, with "\r\n" made "\n" and a carriage return
// before the end of the file dropped.
func (r *csvReader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.br.ReadSlice('\n')
			r.long = append(r.long, line...)
		}
		line = r.long
	}
	if n := len(line); n > 0 && err == io.EOF {
		err = nil
		if line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	r.numLine++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// endsNL is 1 when b ends with a newline, else 0.
func endsNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// Read returns the next record; the slice is reused by the next call (the
// strings are not). At the end of the text it returns io.EOF.
func (r *csvReader) Read() ([]string, error) {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = r.readLine()
		if errRead == nil && len(line) == endsNL(line) {
			line = nil
			continue // a blank line
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}
	r.recLine = r.numLine
	r.rec = r.rec[:0]
	if bytes.IndexByte(line, '"') < 0 {
		// No quotes: the fields are the text between the commas.
		s := string(line[:len(line)-endsNL(line)])
		r.valid = utf8.ValidString(s)
		for {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				r.rec = append(r.rec, s)
				return r.rec, errRead
			}
			r.rec = append(r.rec, s[:i])
			s = s[i+1:]
		}
	}
	return r.quoted(line, errRead)
}

// quoted reads a record whose first line has a quote in it, as
// encoding/csv does with LazyQuotes: a field that starts with a quote runs
// to the next quote followed by a comma or the end of a line (across
// lines), "" within it is one quote and any other quote is kept as text;
// a quote inside an unquoted field is text.
func (r *csvReader) quoted(line []byte, errRead error) ([]string, error) {
	r.buf = r.buf[:0]
	r.ends = r.ends[:0]
fields:
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, ',')
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-endsNL(field)]
			}
			r.buf = append(r.buf, field...)
			r.ends = append(r.ends, len(r.buf))
			if i >= 0 {
				line = line[i+1:]
				continue fields
			}
			break fields
		}
		line = line[1:]
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				r.buf = append(r.buf, line[:i]...)
				line = line[i+1:]
				switch {
				case len(line) > 0 && line[0] == '"': // "" is a quote
					r.buf = append(r.buf, '"')
					line = line[1:]
				case len(line) > 0 && line[0] == ',': // the end of the field
					line = line[1:]
					r.ends = append(r.ends, len(r.buf))
					continue fields
				case len(line) == endsNL(line): // the end of the record
					r.ends = append(r.ends, len(r.buf))
					break fields
				default: // a quote that is text
					r.buf = append(r.buf, '"')
				}
			case len(line) > 0:
				// The field goes on past the end of this line.
				r.buf = append(r.buf, line...)
				if errRead != nil {
					break fields
				}
				line, errRead = r.readLine()
				if errRead == io.EOF {
					errRead = nil
				}
			default:
				// The end of the file inside a quoted field.
				r.ends = append(r.ends, len(r.buf))
				break fields
			}
		}
	}
	s := string(r.buf)
	// Field by field: the fields lie end to end in s, so a byte sequence
	// cut by a comma could read as valid UTF-8 across two of them.
	r.valid = true
	start := 0
	for _, end := range r.ends {
		f := s[start:end]
		r.valid = r.valid && utf8.ValidString(f)
		r.rec = append(r.rec, f)
		start = end
	}
	return r.rec, errRead
}
