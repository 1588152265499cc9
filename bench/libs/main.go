// Command libs is a reference point for start-up timings: a Cobra command
// that uses Viper, x/oauth2 and tablewriter (so the linker keeps their
// package initialisation, as in p1ctl) and answers --version. It is the
// issue's "binary that also links Viper, tablewriter and x/oauth2".
package main

import (
	"os"

	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"golang.org/x/oauth2/clientcredentials"
)

func main() {
	v := viper.New()
	v.SetEnvPrefix("LIBS")
	v.AutomaticEnv()
	cmd := &cobra.Command{
		Use:     "libs",
		Version: "1.0.0",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cc := clientcredentials.Config{
				ClientID:     v.GetString("client_id"),
				ClientSecret: v.GetString("client_secret"),
				TokenURL:     v.GetString("token_url"),
			}
			tok, err := cc.Token(cmd.Context())
			if err != nil {
				return err
			}
			table := tablewriter.NewWriter(cmd.OutOrStdout())
			table.Header("token type", "expires")
			if err := table.Append(tok.TokenType, tok.Expiry.String()); err != nil {
				return err
			}
			return table.Render()
		},
	}
	if err := cmd.Execute(); err != nil {
		os.Exit(1)
	}
}
