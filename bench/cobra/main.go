// Command cobra is a reference point for start-up timings: a bare Cobra
// root command answering --version, the "bare Cobra binary".
package main

import (
	"os"

	"github.com/spf13/cobra"
)

func main() {
	cmd := &cobra.Command{
		Use:     "cobra",
		Version: "1.0.0",
		Run:     func(*cobra.Command, []string) {},
	}
	if err := cmd.Execute(); err != nil {
		os.Exit(1)
	}
}
