package cli

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile starts a CPU profile of the whole run when
// SVHUB_CPUPROFILE names a file (for the benchmarks in bench/:
// go tool pprof -top svhub FILE) and returns the function that stops it.
func startProfile(e env) (stop func(), err error) {
	path := e.getenv("SVHUB_CPUPROFILE")
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("SVHUB_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("SVHUB_CPUPROFILE: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}
