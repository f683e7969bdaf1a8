package spend

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable makes text read from a file safe to show in a message on a
// terminal or a page: control characters, invisible and other
// non-printable characters and bytes that are not UTF-8 are written as Go
// escapes (\x00, \t, \u200b), and text longer than limit characters is cut
// with "…". A binary file's first row is then a line of escapes, never raw
// bytes that a terminal would act on.
func Printable(s string, limit int) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		if n >= limit {
			b.WriteString("…")
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == utf8.RuneError: // a byte Windows-1252 does not define
			b.WriteString(`\ufffd`)
		case r == ' ' || (unicode.IsPrint(r) && r != '\\'):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
		n++
	}
	return b.String()
}

// rowText describes a row for a message: its cells, each printable and
// cut to 40 characters, the whole cut to 200, and how many cells there
// were if not all are shown.
func rowText(cells []string) string {
	var parts []string
	total := 0
	for _, c := range cells {
		p := Printable(strings.TrimSpace(Text(c)), 40)
		if total+len(p) > 200 {
			parts = append(parts, fmt.Sprintf("… (%d cells in all)", len(cells)))
			break
		}
		total += len(p) + 2
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}
