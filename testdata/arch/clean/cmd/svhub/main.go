// Command svhub stays tiny.
package main

import (
	"os"

	"github.com/svhub/svhub/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args)) }
