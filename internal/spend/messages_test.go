package spend

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct {
		in    string
		limit int
		want  string
	}{
		{"Date, Supplier", 80, "Date, Supplier"},
		{"Café £500", 80, "Café £500"},
		{"a\x00b", 80, `a\x00b`},
		{"\x1b[2J\x1b[31mred", 80, `\x1b[2J\x1b[31mred`},
		{"tab\there\r\n", 80, `tab\there\r\n`},
		{"\xff\xfe", 80, `\xff\xfe`},
		{"zero\u200bwidth", 80, `zero\u200bwidth`},
		{"back\\slash", 80, `back\\slash`},
		{"abcdefgh", 5, "abcde…"},
		{"", 5, ""},
	} {
		if got := Printable(tc.in, tc.limit); got != tc.want {
			t.Errorf("Printable(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
	}
}

// A binary file's first row is described with escapes, cut short: the
// message never carries raw control bytes to a terminal.
func TestNotSpendMessageEscapesBinary(t *testing.T) {
	var b strings.Builder
	b.WriteString("PK\x03\x04\x14\x00\x06\x00\x1b]0;owned\x07\x1b[2J")
	for i := range 5000 {
		b.WriteByte(byte(i*7 + 1))
	}
	_, err := Read(strings.NewReader(b.String()), "upload.csv", nil)
	if !errors.Is(err, ErrNotSpend) {
		t.Fatalf("err = %v, want ErrNotSpend", err)
	}
	msg := err.Error()
	for i, r := range msg {
		if r == utf8.RuneError || (r < 0x20) || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			t.Fatalf("message holds %U at byte %d: %q", r, i, msg)
		}
	}
	if !strings.Contains(msg, `\x1b`) || len(msg) > 600 {
		t.Fatalf("message (%d bytes): %s", len(msg), msg)
	}
	if strings.Count(msg, "upload.csv") != 1 {
		t.Fatalf("file named %d times: %s", strings.Count(msg, "upload.csv"), msg)
	}
}

// A file with a header and nothing after it (or only blank lines) is an
// error, so no empty run is recorded.
func TestHeaderOnlyFileIsRefused(t *testing.T) {
	for _, body := range []string{
		"Date,Supplier,Amount\n",
		"Date,Supplier,Amount",
		"Spending over £500\nDate,Supplier,Amount\n,,\n\n , ,\n",
	} {
		var rows int
		_, err := Stream(strings.NewReader(body), "may.csv", nil, func(*Payment, *Reject) error { rows++; return nil })
		if !errors.Is(err, ErrNoRows) || rows != 0 {
			t.Errorf("%q: err = %v, rows %d; want ErrNoRows", body, err, rows)
			continue
		}
		if !strings.HasPrefix(err.Error(), "may.csv: no payment rows after the header on line ") {
			t.Errorf("%q: %v", body, err)
		}
	}
	// One rejected row is still a file with rows: its reject is kept.
	var rejects int
	if _, err := Stream(strings.NewReader("Date,Supplier,Amount\nsoon,A,1\n"), "may.csv", nil, func(p *Payment, r *Reject) error {
		if r != nil {
			rejects++
		}
		return nil
	}); err != nil || rejects != 1 {
		t.Fatalf("one reject: %v, %d", err, rejects)
	}
}
