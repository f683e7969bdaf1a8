package main

import (
	"errors"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// killMidRun starts cmd (an import that draws a row-count progress bar for
// file on standard error), kills it as soon as the bar shows more than none
// and fewer than total rows read, checks it died of the signal — so it was
// still running, neither finished nor failed — and returns the count seen.
func killMidRun(t *testing.T, cmd *exec.Cmd, file string, total int64, wait time.Duration) int64 {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The bar redraws "FILE (N/-, …)" with carriage returns.
	progress := regexp.MustCompile(regexp.QuoteMeta(file) + ` \((\d+)/-`)
	seen := make(chan int64, 1)
	go func() {
		var buf []byte
		chunk := make([]byte, 4096)
		for {
			n, err := stderr.Read(chunk)
			buf = append(buf, chunk[:n]...)
			for _, m := range progress.FindAllSubmatch(buf, -1) {
				if v, _ := strconv.ParseInt(string(m[1]), 10, 64); v > 0 && v < total {
					seen <- v
					_, _ = io.Copy(io.Discard, stderr)
					return
				}
			}
			if len(buf) > 1<<16 {
				buf = buf[len(buf)-256:]
			}
			if err != nil {
				close(seen)
				return
			}
		}
	}()
	var at int64
	select {
	case v, ok := <-seen:
		if !ok {
			_ = cmd.Wait()
			t.Fatal("the import ended before its progress showed a part-way row count")
		}
		at = v
	case <-time.After(wait):
		_ = cmd.Process.Kill()
		t.Fatalf("no progress from the import within %s", wait)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	werr := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(werr, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the import was not killed mid-run (it had read %d of %d rows): %v", at, total, werr)
	}
	t.Logf("killed after %d of %d rows", at, total)
	return at
}
