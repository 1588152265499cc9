package config

import (
	"testing"

	"github.com/spf13/pflag"
)

// BenchmarkLoad measures resolving settings from flags and the environment
// with no config file: work every command that talks to PingOne does.
func BenchmarkLoad(b *testing.B) {
	b.Setenv("XDG_CONFIG_HOME", b.TempDir())
	b.Setenv("PINGONE_CLIENT_ID", "5b41efba-9307-4181-b0e2-c52a68e3b165")
	b.Setenv("PINGONE_CLIENT_SECRET", "secret")
	b.Setenv("PINGONE_ENVIRONMENT_ID", "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0")
	fs := pflag.NewFlagSet("bench", pflag.ContinueOnError)
	AddFlags(fs)
	if err := fs.Parse([]string{"--region", "eu"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (Loader{Flags: fs}).Load(); err != nil {
			b.Fatal(err)
		}
	}
}
