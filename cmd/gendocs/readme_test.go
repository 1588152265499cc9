package main

import (
	"os"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/config"
)

// The README's configuration table is written by hand: every global flag,
// config key and environment variable p1ctl reads must have a row.
func TestREADMEConfigurationTableIsComplete(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Configuration\n")
	if !ok {
		t.Fatal("README.md has no ## Configuration section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var rows []string
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "|") {
			rows = append(rows, line)
		}
	}
	table := strings.Join(rows, "\n")

	var want []string
	flags := pflag.NewFlagSet("global", pflag.ContinueOnError)
	config.AddFlags(flags)
	flags.VisitAll(func(f *pflag.Flag) {
		want = append(want, "`--"+f.Name+"`")
		if f.Shorthand != "" {
			want = append(want, "`-"+f.Shorthand+"`")
		}
	})
	for _, k := range config.Keys {
		want = append(want, "`"+k.Name+"`")
		for _, env := range k.Env {
			want = append(want, "`"+env+"`")
		}
		for _, a := range k.EnvAliases {
			want = append(want, "`"+a.Env+"`")
		}
	}
	want = append(want, "`"+config.EnvProfile+"`", "`"+config.EnvConfig+"`", "`"+config.EnvDebug+"`", "`"+config.EnvTimeout+"`",
		"`"+config.EnvRetries+"`", "`"+config.EnvQuiet+"`", "`"+config.EnvMinTTL+"`", "`"+config.EnvNoCache+"`", "`"+auth.EnvCacheDir+"`")
	for _, w := range want {
		if !strings.Contains(table, w) {
			t.Errorf("README.md's configuration table lacks %s", w)
		}
	}
}
