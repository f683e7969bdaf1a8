package main

import (
	"bytes"
	"errors"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// midRun is what became of an import stopped part-way by stopMidRun.
type midRun struct {
	at   int64         // rows its progress bar showed when the signal was sent
	took time.Duration // from the signal to the process's exit
	err  error         // from Wait
	out  string        // its standard error
}

// syncBuffer is a buffer the command writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// stopMidRun starts cmd (an import that draws a row-count progress bar for
// file on standard error), sends sig as soon as the bar shows more than
// from and fewer than total rows read — so the import is under way,
// neither finished nor failed — and waits for it to exit (at most 20 s,
// then kills it). The time it reports runs from the signal to the exit.
func stopMidRun(t *testing.T, cmd *exec.Cmd, file string, from, total int64, wait time.Duration, sig syscall.Signal) midRun {
	t.Helper()
	var out syncBuffer
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// The bar redraws "FILE (N/-, …)" with carriage returns.
	progress := regexp.MustCompile(regexp.QuoteMeta(file) + ` \((\d+)/-`)
	deadline := time.Now().Add(wait)
	var r midRun
	for r.at == 0 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			t.Fatalf("no progress from the import within %s:\n%s", wait, out.String())
		}
		select {
		case err := <-done:
			t.Fatalf("the import ended (%v) before its progress showed a part-way row count:\n%s", err, out.String())
		case <-time.After(10 * time.Millisecond):
		}
		seen := out.String()
		for _, m := range progress.FindAllStringSubmatch(seen[max(0, len(seen)-4096):], -1) {
			if v, _ := strconv.ParseInt(m[1], 10, 64); v > from && v < total {
				r.at = v
			}
		}
	}
	sent := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case r.err = <-done:
		r.took = time.Since(sent)
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("still running 20 s after %v (it had read %d of %d rows)", sig, r.at, total)
	}
	r.out = out.String()
	return r
}

// killMidRun kills cmd with SIGKILL part-way (see stopMidRun), checks it
// died of the signal — so it was still running, neither finished nor
// failed — and returns the row count seen.
func killMidRun(t *testing.T, cmd *exec.Cmd, file string, total int64, wait time.Duration) int64 {
	t.Helper()
	r := stopMidRun(t, cmd, file, 0, total, wait, syscall.SIGKILL)
	var exit *exec.ExitError
	if !errors.As(r.err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the import was not killed mid-run (it had read %d of %d rows): %v", r.at, total, r.err)
	}
	t.Logf("killed after %d of %d rows", r.at, total)
	return r.at
}
