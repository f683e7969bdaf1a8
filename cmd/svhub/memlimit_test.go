package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// addressLimit is the address space an import runs in. The Go runtime
// reserves about 720 MB of address space before the first allocation, so
// 1 GiB leaves about 300 MB for everything the import does: an import
// that tried to hold a bomb in memory fails to allocate and dies instead
// of taking the test machine down, and the test then fails on its output.
const addressLimit = 1 << 30

// limitedRun is one run of the binary under addressLimit.
type limitedRun struct {
	out  string
	err  error
	rss  int64 // peak resident memory, bytes (the kernel's maxrss)
	took time.Duration
}

// memoryLimit is the command that runs another under addressLimit:
// prlimit --as (util-linux), so the memory it may take is limited by the
// kernel, not only measured.
func memoryLimit(t *testing.T) []string {
	t.Helper()
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Fatal("the memory-limit tests run the binary under prlimit (util-linux): install it")
	}
	return []string{prlimit, "--as=" + strconv.Itoa(addressLimit), "--"}
}

// runLimited runs svhub with args under memoryLimit.
func runLimited(t *testing.T, args ...string) limitedRun {
	t.Helper()
	argv := append(append(memoryLimit(t), bin), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := limitedRun{err: err, took: time.Since(start), out: strings.TrimSpace(out.String())}
	if cmd.ProcessState != nil {
		r.rss = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	}
	return r
}

// refused checks a run refused its input with a clean error (an exit
// code, not a crash or the memory limit), whose message has every want,
// imported nothing, and stayed under 300 MB and 10 s.
func (r limitedRun) refused(t *testing.T, name string, want ...string) {
	t.Helper()
	out := r.out
	if len(out) > 2000 {
		out = out[:1000] + " … " + out[len(out)-1000:]
	}
	t.Logf("%s: %v, peak RSS %d MB, %v: %s", name, r.err, r.rss>>20, r.took.Round(time.Millisecond), out)
	var exit *exec.ExitError
	if r.err == nil || !errors.As(r.err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("%s: want exit code 1 (a refusal), got %v", name, r.err)
	}
	for _, bad := range []string{"panic", "fatal error", "out of memory", "goroutine "} {
		if strings.Contains(r.out, bad) {
			t.Fatalf("%s: crashed (%q) instead of refusing", name, bad)
		}
	}
	for _, w := range want {
		if !strings.Contains(r.out, w) {
			t.Fatalf("%s: the refusal does not say %q", name, w)
		}
	}
	if strings.Contains(r.out, "Imported") {
		t.Fatalf("%s: imported something", name)
	}
	if r.rss > 300<<20 {
		t.Fatalf("%s: peak RSS %d MB, over 300 MB", name, r.rss>>20)
	}
	if r.took > 10*time.Second {
		t.Fatalf("%s: took %v, over 10 s", name, r.took)
	}
}
