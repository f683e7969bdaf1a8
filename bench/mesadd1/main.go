// Command mesadd1 times MES with the Add1 completion on Pabulib approval
// elections: every .pb file named (or found under a named folder) is read,
// allocated with the mes-add1 rule and timed; with -check, the selection is
// compared with the exact reference (every increment run in math/big.Rat).
// It prints one tab-separated line per election, slowest last.
//
//	go run ./bench/mesadd1 -check /path/to/pabulib/pb_files
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/svhub/svhub/internal/fund"
)

func main() {
	check := flag.Bool("check", false, "compare every selection with the exact reference")
	top := flag.Int("top", 0, "print only the slowest N elections (0: all)")
	dump := flag.String("dump", "", "also write every outcome in full (selection, per-voter budgets, payments) to this file, one line per election in file order, to diff two builds")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mesadd1:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "mesadd1:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if err := run(flag.Args(), *check, *top, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "mesadd1:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

type result struct {
	name             string
	voters, projects int
	funded           int
	took, cpu        time.Duration
	exactTook        time.Duration
	agrees           string
}

func run(args []string, check bool, top int, dump string) error {
	var files []string
	for _, a := range args {
		err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".pb") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	var out []result
	var full strings.Builder
	skipped, disagree := 0, 0
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return err
		}
		e, _, err := fund.ReadPabulib(r, filepath.Base(f))
		r.Close()
		if err == nil {
			err = e.Validate()
		}
		if err != nil {
			skipped++
			continue
		}
		start, cpu0 := time.Now(), cpuTime()
		o := fund.MESAdd1(e)
		res := result{name: filepath.Base(f), voters: len(e.Ballots), projects: len(e.Projects), funded: len(o.Selected), took: time.Since(start), cpu: cpuTime() - cpu0}
		if dump != "" {
			fmt.Fprintf(&full, "%s\tselected %v\tper voter", filepath.Base(f), o.Selected)
			for _, v := range o.PerGroup {
				fmt.Fprintf(&full, " %s", v.RatString())
			}
			full.WriteString("\tpayments")
			for _, v := range o.Payments {
				fmt.Fprintf(&full, " %s", v.RatString())
			}
			full.WriteString("\n")
		}
		if check {
			start = time.Now()
			ref := fund.MESAdd1Exact(e)
			res.exactTook = time.Since(start)
			res.agrees = "same"
			if !slices.Equal(ref.Selected, o.Selected) || ref.PerVoter.Cmp(o.PerVoter) != 0 {
				res.agrees = "DIFFERENT"
				disagree++
			}
		}
		out = append(out, res)
	}
	if dump != "" {
		if err := os.WriteFile(dump, []byte(full.String()), 0o644); err != nil {
			return err
		}
	}
	slices.SortFunc(out, func(a, b result) int { return int(a.cpu - b.cpu) })
	if top > 0 && len(out) > top {
		out = out[len(out)-top:]
	}
	var total time.Duration
	for _, r := range out {
		total += r.took
		fmt.Printf("%s\t%d voters\t%d projects\t%d funded\t%.3f s wall\t%.3f s CPU", r.name, r.voters, r.projects, r.funded, r.took.Seconds(), r.cpu.Seconds())
		if check {
			fmt.Printf("\texact %.3f s\t%s", r.exactTook.Seconds(), r.agrees)
		}
		fmt.Println()
	}
	fmt.Printf("# %d elections, %d files skipped (not approval or unreadable)", len(files)-skipped, skipped)
	if check {
		fmt.Printf(", %d differ from the exact reference", disagree)
	}
	fmt.Println()
	if disagree > 0 {
		return fmt.Errorf("%d elections differ from the exact reference", disagree)
	}
	return nil
}

// cpuTime is the CPU time the process has used (user and system): on a
// shared machine it measures the work better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
