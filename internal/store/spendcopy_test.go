package store

import (
	"bytes"
	"strings"
	"testing"
)

// The COPY encoder writes each value in its column's binary form and
// refuses a value of the wrong kind, out of range or a short row.
func TestPgCopyRowsEncoding(t *testing.T) {
	tab := &pgCopyTable{cols: []string{"a", "b", "c", "d", "e"}, types: []uint32{oidInt8, oidInt4, oidText, oidBool, oidBytea}}
	w := tab.rows(nil)
	w.row()
	w.int(-2)
	w.int(7)
	w.text("é")
	w.bool(true)
	w.bytes([]byte{9})
	if w.err != nil {
		t.Fatal(w.err)
	}
	want := append([]byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
		0, 5, // five fields
		0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
		0, 0, 0, 4, 0, 0, 0, 7,
		0, 0, 0, 2, 0xc3, 0xa9,
		0, 0, 0, 1, 1,
		0, 0, 0, 1, 9)
	if !bytes.Equal(w.buf, want) {
		t.Fatalf("encoded\n%x\nwant\n%x", w.buf, want)
	}
	for _, c := range []struct {
		name string
		fill func(w *pgCopyRows)
		want string
	}{
		{"text for an integer", func(w *pgCopyRows) { w.text("1") }, "column a: a text value"},
		{"out of range", func(w *pgCopyRows) { w.int(1); w.int(1 << 40) }, "out of range for a 4-byte integer"},
		{"too many", func(w *pgCopyRows) {
			w.int(1)
			w.int(1)
			w.text("")
			w.bool(false)
			w.bytes(nil)
			w.int(1)
		}, "more values than the 5 columns"},
	} {
		w := tab.rows(nil)
		w.row()
		c.fill(w)
		if w.err == nil || !strings.Contains(w.err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, w.err, c.want)
		}
	}
}
