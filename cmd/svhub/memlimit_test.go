package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
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

// measureArg starts the test binary as a measurer (see TestMain):
//
//	TESTBINARY measureArg FILE PROGRAM ARGS…
//
// runs PROGRAM with ARGS, passing on SIGTERM and SIGINT, writes its peak
// resident memory in KiB to FILE and exits as it did. The kernel's maxrss
// of a process started straight from the test counts the test process's
// own peak (Go starts children with vfork, and exec keeps the larger
// figure), which reaches hundreds of MB while other tests build big files
// in memory; the measurer is a fresh small process, so what it reports is
// the program's own peak (at most the measurer's few MB above it).
const measureArg = "-svhub-measure-child"

func measureChild(args []string) int {
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "measurer: want FILE PROGRAM ARGS…")
		return 2
	}
	cmd := exec.Command(args[1], args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "measurer:", err)
		return 2
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	_ = cmd.Wait()
	ps := cmd.ProcessState
	_ = os.WriteFile(args[0], []byte(strconv.FormatInt(ps.SysUsage().(*syscall.Rusage).Maxrss, 10)), 0o600)
	if ws := ps.Sys().(syscall.WaitStatus); ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// memoryLimit is the command that runs another under addressLimit —
// prlimit --as (util-linux), so the memory it may take is limited by the
// kernel, not only measured — through the measurer, which writes the
// command's peak resident memory to rssFile (read it with peakRSS).
func memoryLimit(t *testing.T, rssFile string) []string {
	t.Helper()
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Fatal("the memory-limit tests run the binary under prlimit (util-linux): install it")
	}
	return []string{os.Args[0], measureArg, rssFile, prlimit, "--as=" + strconv.Itoa(addressLimit), "--"}
}

// peakRSS reads the peak resident memory, in bytes, the measurer wrote.
func peakRSS(t *testing.T, rssFile string) int64 {
	t.Helper()
	b, err := os.ReadFile(rssFile)
	if err != nil {
		t.Fatalf("no peak memory recorded: %v", err)
	}
	kib, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return kib << 10
}

// runLimited runs svhub with args under memoryLimit.
func runLimited(t *testing.T, args ...string) limitedRun {
	t.Helper()
	rssFile := filepath.Join(t.TempDir(), "rss")
	argv := append(append(memoryLimit(t, rssFile), bin), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := limitedRun{err: err, took: time.Since(start), out: strings.TrimSpace(out.String())}
	r.rss = peakRSS(t, rssFile)
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
