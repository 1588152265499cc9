// Command p1ctl is a command-line tool for PingOne machine-to-machine
// access. See internal/cli for the commands.
package main

import (
	"os"

	"github.com/p1ctl/p1ctl/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
