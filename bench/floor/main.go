// Command floor links the libraries p1ctl is built on and does nothing
// else: its start-up time is the floor that p1ctl's own code adds to.
package main

import (
	"os"

	_ "github.com/go-jose/go-jose/v4"
	_ "github.com/gofrs/flock"
	_ "github.com/itchyny/gojq"
	_ "github.com/olekukonko/tablewriter"
	_ "github.com/spf13/cobra"
	_ "github.com/spf13/viper"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/oauth2/clientcredentials"
	_ "golang.org/x/term"
)

func main() {
	os.Stdout.WriteString("floor\n")
}
