package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// fakeSignals records whether Run asked it to watch, and when it did,
// behaves as if SIGINT had already arrived.
type fakeSignals struct{ watched bool }

func (s *fakeSignals) Watch(ctx context.Context) context.Context {
	s.watched = true
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	return ctx
}

func (s *fakeSignals) ExitStatus() int {
	if s.watched {
		return cmdutil.ExitInterrupted
	}
	return 0
}

func TestRunWatchesSignalsOnlyForWork(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("P1CTL_CACHE_DIR", dir)
	t.Setenv("PINGONE_CLIENT_ID", "client")
	t.Setenv("PINGONE_CLIENT_SECRET", "secret")
	t.Setenv("PINGONE_ENVIRONMENT_ID", "11111111-2222-3333-4444-555555555555")
	t.Setenv("PINGONE_AUTH_URL", "http://127.0.0.1:9")
	t.Setenv("PINGONE_API_URL", "http://127.0.0.1:9")

	tests := []struct {
		args        []string
		wantWatched bool
		wantCode    int
		wantStderr  string
	}{
		{args: []string{"--version"}},
		{args: []string{"--help"}},
		{args: []string{"version"}},
		{args: []string{"token", "get"}, wantWatched: true, wantCode: cmdutil.ExitInterrupted, wantStderr: "p1ctl: interrupted\n"},
		{args: []string{"env", "read"}, wantWatched: true, wantCode: cmdutil.ExitInterrupted, wantStderr: "p1ctl: interrupted\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			ios, _, _, stderr := iostreams.Test()
			sig := &fakeSignals{}
			code := Run(context.Background(), tt.args, ios, sig)
			if sig.watched != tt.wantWatched {
				t.Errorf("watched = %v, want %v", sig.watched, tt.wantWatched)
			}
			if code != tt.wantCode {
				t.Errorf("exit status = %d, want %d (stderr %q)", code, tt.wantCode, stderr.String())
			}
			if got := stderr.String(); got != tt.wantStderr {
				t.Errorf("stderr = %q, want %q", got, tt.wantStderr)
			}
		})
	}
}

func TestRunWithoutSignals(t *testing.T) {
	ios, _, stdout, _ := iostreams.Test()
	if code := Run(context.Background(), []string{"--version"}, ios, nil); code != 0 {
		t.Fatalf("exit status = %d", code)
	}
	if !strings.HasPrefix(stdout.String(), "p1ctl version ") {
		t.Errorf("stdout = %q", stdout.String())
	}
}
