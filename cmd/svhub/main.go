// Command svhub runs Social Value Hub. See 'svhub -h'.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/svhub/svhub/internal/cli"
)

func main() {
	// SVHUB_CPUPROFILE=FILE writes a CPU profile of the whole run (for
	// the benchmarks in bench/: go tool pprof -top svhub FILE).
	if path := os.Getenv("SVHUB_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "svhub: SVHUB_CPUPROFILE:", err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "svhub: SVHUB_CPUPROFILE:", err)
			os.Exit(2)
		}
		code := cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr)
		pprof.StopCPUProfile()
		_ = f.Close()
		os.Exit(code)
	}
	os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
