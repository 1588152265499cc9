package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// BenchmarkReadFileLargest measures reading the worst config files that
// MaxFileSize lets through: yaml.v3 checks a mapping for repeated keys in
// time quadratic in their number, so the most profiles allowed, padded to
// the size limit, is the slowest file read; a file of many more, smaller
// profiles is refused, and that refusal must come quickly too.
func BenchmarkReadFileLargest(b *testing.B) {
	for _, tt := range []struct {
		name     string
		profiles int
		wantErr  bool
	}{
		{name: "most profiles accepted", profiles: maxProfiles},
		{name: "many tiny profiles refused", profiles: 90_000, wantErr: true},
	} {
		b.Run(tt.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "config.yaml")
			if err := os.WriteFile(path, largestConfig(tt.profiles), 0o600); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadFile(path); (err != nil) != tt.wantErr {
					b.Fatalf("ReadFile: %v", err)
				}
			}
		})
	}
}

// largestConfig returns a config file of n profiles, as close to
// MaxFileSize as profiles of equal size allow.
func largestConfig(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("active-profile: p0\nprofiles:\n")
	per := (MaxFileSize - buf.Len()) / n
	for i := 0; i < n; i++ {
		line := fmt.Sprintf("  p%d: {region: EU, client-id: ", i)
		if pad := per - len(line) - 2; pad > 0 {
			fmt.Fprintf(&buf, "%s%s}\n", line, strings.Repeat("a", pad))
		} else {
			fmt.Fprintf(&buf, "  p%d:\n", i)
		}
	}
	if buf.Len() > MaxFileSize {
		panic("config larger than MaxFileSize")
	}
	return buf.Bytes()
}
