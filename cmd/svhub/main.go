// Command svhub runs Social Value Hub. See 'svhub -h'.
package main

import (
	"os"

	"github.com/svhub/svhub/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
