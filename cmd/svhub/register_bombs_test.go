package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRepeat writes a prefix, a unit n times and a suffix to a file.
func writeRepeat(t *testing.T, path, prefix, unit string, n int, suffix string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(prefix)
	for range n {
		w.WriteString(unit)
	}
	w.WriteString(suffix)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeNumbered writes a prefix, n lines made by format from their
// number (0, 1, …) and a suffix to a file.
func writeNumbered(t *testing.T, path, prefix, format string, n int, suffix string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(prefix)
	for i := range n {
		fmt.Fprintf(w, format, i)
	}
	w.WriteString(suffix)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// svhub import register refuses a hostile register file at its limit,
// naming the flag, in under 10 s with its peak memory under 300 MB, and
// imports nothing.
func TestImportRegisterRefusesBombs(t *testing.T) {
	dir := t.TempDir()
	const head = "CompanyName,CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,SICCode.SicText_1\n"
	for _, tc := range []struct {
		name, prefix, unit string
		n                  int
		flag               string
		args               []string
	}{
		{"cell.csv", head + "ACME LTD,", "1", 128 << 20, "--max-field", nil},
		{"cells.csv", head + "ACME LTD,01234567", ",", 64 << 20, "--max-cells", nil},
		{"quoted.csv", head + "\"ACME", "\n", 64 << 20, "--max-field", nil},
		{"rows.csv", head, "ACME LTD,01234567,M1 1AA,Private Limited Company,Active,\n", 200_000, "--max-rows", []string{"--max-rows", "1000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.name)
			writeRepeat(t, file, tc.prefix, tc.unit, tc.n, "\n")
			args := append([]string{"import", "register", "--db", "sqlite:" + filepath.Join(dir, "hub.db"), "--source", "company"}, tc.args...)
			r := runLimited(t, append(args, file)...)
			r.refused(t, tc.name, tc.flag, "refused")
			if strings.Contains(r.out, "header") {
				t.Fatalf("the refusal blames the header: %s", r.out)
			}
		})
	}
}
