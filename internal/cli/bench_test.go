package cli

import (
	"context"
	"testing"

	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// BenchmarkVersion measures building the whole command tree and running
// `p1ctl --version`: the in-process part of start-up.
func BenchmarkVersion(b *testing.B) {
	ios, _, _, _ := iostreams.Test()
	b.ReportAllocs()
	for b.Loop() {
		if code := Run(context.Background(), []string{"--version"}, ios, nil); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
