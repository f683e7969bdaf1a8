// Command testreport reads `go test -json` on standard input, prints what a
// person needs (each package's result line, the output of failed tests, the
// tests that skipped and why), ends with a line "go test: N passed, N failed,
// N skipped", and exits 1 if any test or package failed, if no test ran, or
// — with -no-skips, as .ci/run uses it — if any test skipped.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

type summary struct {
	passed, failed, skipped int
	failedPackages          []string
	skips                   []string // "pkg Test: reason"
}

func main() {
	noSkips := flag.Bool("no-skips", false, "fail the run if any test skipped")
	flag.Parse()
	s, err := read(os.Stdin, os.Stdout)
	if err == nil {
		err = s.verdict(*noSkips)
	}
	if err != nil {
		fmt.Fprintln(os.Stdout, "testreport:", err)
		os.Exit(1)
	}
}

// read consumes the event stream, echoing package result lines and the
// output of failed tests to out, and returns the counts.
func read(in io.Reader, out io.Writer) (*summary, error) {
	s := &summary{}
	outputs := map[string][]string{} // package + test → its output lines
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := sc.Bytes()
		if len(raw) == 0 || raw[0] != '{' {
			// go test prints build errors outside the JSON stream.
			fmt.Fprintln(out, string(raw))
			continue
		}
		var e event
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("line %d of the go test -json stream: %w", line, err)
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if e.Test == "" {
				// Package-level lines: "ok  pkg 1.2s", "FAIL pkg", "--- FAIL" summaries, panics.
				if strings.HasPrefix(e.Output, "ok ") || strings.HasPrefix(e.Output, "FAIL") || strings.HasPrefix(e.Output, "panic") || strings.Contains(e.Output, "[no test files]") || strings.HasPrefix(e.Output, "#") {
					fmt.Fprint(out, e.Output)
				}
				continue
			}
			outputs[key] = append(outputs[key], e.Output)
		case "pass":
			if e.Test != "" {
				s.passed++
				delete(outputs, key)
			}
		case "skip":
			if e.Test != "" {
				s.skipped++
				s.skips = append(s.skips, e.Package+" "+e.Test+": "+skipReason(outputs[key]))
				delete(outputs, key)
			}
		case "fail":
			if e.Test == "" {
				s.failedPackages = append(s.failedPackages, e.Package)
				continue
			}
			s.failed++
			fmt.Fprintf(out, "--- FAIL: %s %s\n", e.Package, e.Test)
			for _, o := range outputs[key] {
				fmt.Fprint(out, "    ", o)
			}
			delete(outputs, key)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	sort.Strings(s.skips)
	for _, sk := range s.skips {
		fmt.Fprintln(out, "skipped:", sk)
	}
	fmt.Fprintf(out, "go test: %d passed, %d failed, %d skipped\n", s.passed, s.failed, s.skipped)
	return s, nil
}

// skipReason is the message a test gave to t.Skip: the output lines after
// its "--- SKIP" header, or the lines before it.
func skipReason(lines []string) string {
	var msg []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		msg = append(msg, t)
	}
	if len(msg) == 0 {
		return "no reason given"
	}
	return strings.Join(msg, " ")
}

func (s *summary) verdict(noSkips bool) error {
	switch {
	case s.failed > 0 || len(s.failedPackages) > 0:
		return fmt.Errorf("%d tests failed; packages failing: %s", s.failed, strings.Join(s.failedPackages, ", "))
	case s.passed == 0:
		return fmt.Errorf("no test ran")
	case noSkips && s.skipped > 0:
		return fmt.Errorf("%d tests skipped; every test must run here (see the skipped: lines above)", s.skipped)
	}
	return nil
}
