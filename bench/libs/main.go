// Command libs is the reference point for start-up timings: a Cobra command
// that uses p1ctl's libraries (x/oauth2, tablewriter, gojq, go-jose and
// yaml.v3, so the linker keeps their package initialisation, as in p1ctl)
// and answers --version: the "binary that links the same libraries" that
// p1ctl --version is measured against.
package main

import (
	"os"

	"github.com/go-jose/go-jose/v4"
	"github.com/itchyny/gojq"
	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
	"golang.org/x/oauth2/clientcredentials"
)

func main() {
	cmd := &cobra.Command{
		Use:     "libs",
		Version: "1.0.0",
		RunE: func(cmd *cobra.Command, args []string) error {
			cc := clientcredentials.Config{
				ClientID:     os.Getenv("LIBS_CLIENT_ID"),
				ClientSecret: os.Getenv("LIBS_CLIENT_SECRET"),
				TokenURL:     os.Getenv("LIBS_TOKEN_URL"),
			}
			tok, err := cc.Token(cmd.Context())
			if err != nil {
				return err
			}
			if _, err := jose.ParseSigned(tok.AccessToken, []jose.SignatureAlgorithm{jose.RS256}); err != nil {
				return err
			}
			q, err := gojq.Parse(".token_type")
			if err != nil {
				return err
			}
			v, _ := q.Run(map[string]any{"token_type": tok.TokenType}).Next()
			out, err := yaml.Marshal(v)
			if err != nil {
				return err
			}
			table := tablewriter.NewWriter(cmd.OutOrStdout())
			table.Header("token type", "expires")
			if err := table.Append(string(out), tok.Expiry.String()); err != nil {
				return err
			}
			return table.Render()
		},
	}
	if err := cmd.Execute(); err != nil {
		os.Exit(1)
	}
}
