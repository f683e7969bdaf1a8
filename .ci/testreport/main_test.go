package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSkipFailsTheRun runs the real go test on a fixture module whose one
// test skips, and checks that the report counts it and that -no-skips
// turns it into a failure naming the test and its reason.
func TestSkipFailsTheRun(t *testing.T) {
	cmd := exec.Command("go", "test", "-count=1", "-json", "./...")
	cmd.Dir = "testdata/skipper"
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	stream, err := cmd.Output()
	if err != nil {
		t.Fatalf("go test on the fixture: %v\n%s", err, stream)
	}
	var out bytes.Buffer
	s, err := read(bytes.NewReader(stream), &out)
	if err != nil {
		t.Fatal(err)
	}
	if s.passed != 1 || s.skipped != 1 || s.failed != 0 {
		t.Fatalf("counted %d passed, %d skipped, %d failed:\n%s", s.passed, s.skipped, s.failed, out.String())
	}
	if !strings.Contains(out.String(), "skipped: skipper TestNeedsMissingData: skipper_test.go:10: fixture data not here") || !strings.Contains(out.String(), "go test: 1 passed, 0 failed, 1 skipped") {
		t.Fatalf("report:\n%s", out.String())
	}
	if err := s.verdict(true); err == nil || !strings.Contains(err.Error(), "1 tests skipped") {
		t.Fatalf("-no-skips let a skip through: %v", err)
	}
	if err := s.verdict(false); err != nil {
		t.Fatalf("without -no-skips a skip is reported, not failed: %v", err)
	}
}

func TestFailuresAndEmptyRuns(t *testing.T) {
	stream := `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:9: got 2, want 3\n"}
{"Action":"fail","Package":"p","Test":"TestA"}
{"Action":"fail","Package":"p"}
`
	var out bytes.Buffer
	s, err := read(strings.NewReader(stream), &out)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.verdict(true); err == nil || !strings.Contains(out.String(), "got 2, want 3") {
		t.Fatalf("a failure passed or lost its output: %v\n%s", err, out.String())
	}
	s, _ = read(strings.NewReader(`{"Action":"output","Package":"p","Output":"ok  \tp\t0.1s [no tests to run]\n"}`+"\n"), &out)
	if err := s.verdict(true); err == nil || !strings.Contains(err.Error(), "no test ran") {
		t.Fatalf("an empty run passed: %v", err)
	}
	if _, err := read(strings.NewReader("{not json\n"), &out); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("a broken stream was accepted: %v", err)
	}
}
