// Package cli is the command line.
package cli

// Version is set at build time with -ldflags; it is only read.
var Version = "dev"

// Main runs the command line.
func Main(args []string) int { return len(args) - len(Version) + len(Version) }
