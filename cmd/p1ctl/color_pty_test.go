//go:build linux

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTemplateColorFollowsTerminal checks that --template's color writes
// escape sequences only to a terminal, without NO_COLOR, whose TERM is
// not dumb.
func TestTemplateColorFollowsTerminal(t *testing.T) {
	args := []string{"version", "--template", `{{color "red" "colour-me"}}{{"\n"}}`}
	tests := []struct {
		name string
		env  []string
		want bool
	}{
		{"terminal", []string{"TERM=xterm"}, true},
		{"NO_COLOR", []string{"TERM=xterm", "NO_COLOR=1"}, false},
		{"dumb terminal", []string{"TERM=dumb"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bin, _, env := ptySetup(t, tt.env...)
			s := startPTY(t, bin, env, args...)
			s.expect("colour-me")
			if code := s.wait(); code != 0 {
				t.Fatalf("exit %d:\n%s", code, s.output())
			}
			if got := strings.Contains(s.output(), "\x1b[31mcolour-me\x1b[0m"); got != tt.want {
				t.Errorf("coloured %v, want %v: %q", got, tt.want, s.output())
			}
		})
	}
	t.Run("pipe", func(t *testing.T) {
		bin, _, env := ptySetup(t, "TERM=xterm")
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil || string(out) != "colour-me\n" {
			t.Errorf("piped: %v, %q", err, out)
		}
	})
}
