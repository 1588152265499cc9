package main

import (
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/emulator"
)

// TestParallelColdCache starts 40 p1ctl processes with a cold cache:
// between them they must make exactly one token request, and all must
// print the same token. That holds too when PingOne issues tokens that live
// shorter than --min-ttl and the processes start a little apart, some after
// the first has stored its token.
func TestParallelColdCache(t *testing.T) {
	tests := []struct {
		name     string
		lifetime time.Duration
		minTTL   string
		stagger  time.Duration // between process starts
	}{
		{"at once", time.Hour, "60s", 0},
		// Ten-minute tokens and --min-ttl 1h: a token is reused while it
		// is in the first tenth of its life, a minute, so a slow machine
		// cannot make a late process look like a later run.
		{"tokens shorter-lived than min-ttl, staggered starts", 10 * time.Minute, "1h", 5 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, base := startEmulator(t, emulator.WithTokenLifetime(tt.lifetime))
			bin := p1ctlBinary(t)
			env := cleanEnv(
				"PINGONE_AUTH_URL="+base,
				"PINGONE_API_URL="+base+"/v1",
				"PINGONE_ENVIRONMENT_ID="+emulator.DemoEnvironmentID,
				"PINGONE_CLIENT_ID="+emulator.DemoClientID,
				"PINGONE_CLIENT_SECRET="+emulator.DemoClientSecret,
				"P1CTL_CACHE_DIR="+t.TempDir(),
				"P1CTL_MIN_TTL="+tt.minTTL,
				"XDG_CONFIG_HOME="+t.TempDir(),
			)

			const processes = 40
			tokens := make([]string, processes)
			errs := make([]error, processes)
			var wg sync.WaitGroup
			for i := range processes {
				time.Sleep(tt.stagger)
				wg.Add(1)
				go func() {
					defer wg.Done()
					cmd := exec.Command(bin, "token", "get")
					cmd.Env = env
					var stderr strings.Builder
					cmd.Stderr = &stderr
					out, err := cmd.Output()
					if err != nil {
						errs[i] = &procError{err: err, stderr: stderr.String()}
					}
					tokens[i] = string(out)
				}()
			}
			wg.Wait()

			for i, err := range errs {
				if err != nil {
					t.Fatalf("process %d: %v", i, err)
				}
			}
			if got := srv.Count("token"); got != 1 {
				t.Errorf("%d processes made %d token requests, want 1", processes, got)
			}
			for i, tok := range tokens {
				if tok != tokens[0] || !strings.HasPrefix(tok, "ey") {
					// The end of a JWT (its signature) tells tokens apart.
					t.Fatalf("process %d printed …%s, process 0 printed …%s", i, tail(tok), tail(tokens[0]))
				}
			}
		})
	}
}

// tail returns the last 20 characters of s.
func tail(s string) string {
	s = strings.TrimSpace(s)
	return s[max(0, len(s)-20):]
}

type procError struct {
	err    error
	stderr string
}

func (e *procError) Error() string { return e.err.Error() + ": " + e.stderr }
