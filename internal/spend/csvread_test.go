package spend

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// readAllStd reads b with encoding/csv as the importer used to: each
// record's fields and the line it starts on.
func readAllStd(b []byte, bufSize int) ([][]string, []int, error) {
	cr := csv.NewReader(bufio.NewReaderSize(bytes.NewReader(b), bufSize))
	cr.FieldsPerRecord, cr.ReuseRecord, cr.LazyQuotes = -1, true, true
	var recs [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return recs, lines, nil
		}
		if err != nil {
			return recs, lines, err
		}
		line, _ := cr.FieldPos(0)
		recs, lines = append(recs, slices.Clone(rec)), append(lines, line)
	}
}

func readAllFast(b []byte, bufSize int) ([][]string, []int, []bool, error) {
	r := newCSVReader(bufio.NewReaderSize(bytes.NewReader(b), bufSize))
	var recs [][]string
	var lines []int
	var valid []bool
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return recs, lines, valid, nil
		}
		if err != nil {
			return recs, lines, valid, err
		}
		recs, lines, valid = append(recs, slices.Clone(rec)), append(lines, r.Line()), append(valid, r.valid)
	}
}

// checkSameRecords fails unless the fast reader reads b exactly as
// encoding/csv does, with a large buffer and with one smaller than a
// line (the long-line path).
func checkSameRecords(t *testing.T, b []byte) {
	t.Helper()
	for _, size := range []int{16, 4096} {
		want, wantLines, wantErr := readAllStd(b, size)
		got, gotLines, valid, err := readAllFast(b, size)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("buffer %d: error %v, encoding/csv %v\n%q", size, err, wantErr, b)
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("buffer %d: records\n%q\nencoding/csv\n%q\ninput %q", size, got, want, b)
		}
		if !slices.Equal(gotLines, wantLines) {
			t.Fatalf("buffer %d: lines %v, encoding/csv %v\n%q", size, gotLines, wantLines, b)
		}
		for i, rec := range got {
			allValid := true
			for _, f := range rec {
				allValid = allValid && utf8.ValidString(f)
			}
			if valid[i] && !allValid {
				t.Fatalf("record %d said valid UTF-8 but is not: %q", i, rec)
			}
		}
	}
}

var csvReaderSeeds = []string{
	"Date,Supplier,Amount\r\n01/05/2026,\"Acme, Ltd\",\"1,200.00\"\r\n02/05/2026,\"B\",\"5\"\r\n",
	"a,\"b\"\"c\",d\n\"multi\nline\",x\n",
	"12\" pipe,x\n\"lazy \"quote\" here\",y\n",
	"\"a\"\r\n\"b\"\r\n\"c\"\r\n",
	"\n\n,,\n\"\"\n",
	"\"unterminated\nquoted,field",
	"x,\"y\"z,\"w\"\r,v\n",
	"a,b\r",
	"a,b\r\r\n\r\n\n",
	"\r\n\"q\r\nr\"\r\n",
	"\"\"\"\"\n\"a\"\"\",\"\"\n",
	"plain,row,\xa3500\nnext,\"\xa3,1\"\n",
	"a,\"b\nc\"d,e\nf\n",
	",\n,\"\n\"\n",
	"\"abc\"\n",
	"\"abc\"",
	"\"abc\"\r",
	"a\"b,c\"d\"\n",
	"\"x\" ,y\n",
	"\"00000\xcb\",\x80\"\n", // invalid in each field, valid end to end (found by the fuzzer)
}

// The fast reader gives what encoding/csv gives on hand-written awkward
// text: quotes in every position, CRLF and bare CR, blank lines, a file
// ending inside a quoted field, Windows-1252 bytes, lines longer than the
// read buffer.
func TestCSVReaderMatchesEncodingCSV(t *testing.T) {
	for _, s := range csvReaderSeeds {
		checkSameRecords(t, []byte(s))
	}
	long := strings.Repeat("x", 100) + "," + strings.Repeat("y", 50) + "\n\"" + strings.Repeat("z\n", 30) + "\",w\n"
	checkSameRecords(t, []byte(long))
}

func FuzzCSVReaderMatchesEncodingCSV(f *testing.F) {
	for _, s := range csvReaderSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkSameRecords(t, b)
	})
}

// Redacted's in-place comparison agrees with lowering and joining the
// words, for ASCII names and others.
func TestRedactedMatchesJoinedWords(t *testing.T) {
	names := []string{"Redacted", "  REDACTED  ", "redacted\tpersonal  information", "Redacted - Personal Data", "Redacted-Personal Data",
		"Personal Data ", "personal datas", "Pennine Care", "redacted personal", "R", "", "   ", "Personal\u00a0Data", "PERSONAL\u2003INFORMATION",
		"redacted under dp act", "Redacted Under DP Act.", "p"}
	for _, n := range names {
		want := false
		joined := strings.ToLower(strings.Join(strings.Fields(n), " "))
		for _, r := range redactions {
			want = want || joined == r
		}
		if got := Redacted(n); got != want {
			t.Errorf("Redacted(%q) = %v, want %v", n, got, want)
		}
	}
}
