package cmdutil_test

import (
	"context"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
)

// --timeout spent before any request was sent (reading settings and
// files) keeps the timeout's exit code but does not blame the network;
// an interruption then is still one.
func TestDescribeNotSent(t *testing.T) {
	p := cmdutil.Describe(&auth.NotSentError{Err: context.DeadlineExceeded})
	msg := p.String()
	if p.Code != cmdutil.ExitNetwork || !strings.Contains(p.Hint, "--timeout") || p.Setting != "--timeout / P1CTL_TIMEOUT" || strings.Contains(msg, "network") || strings.Contains(msg, "firewall") {
		t.Errorf("Describe = %+v; want %d, naming --timeout and not the network", p, cmdutil.ExitNetwork)
	}
	if code := cmdutil.Describe(&auth.NotSentError{Err: context.Canceled}).Code; code != cmdutil.ExitInterrupted {
		t.Errorf("interrupted before sending: exit %d, want %d", code, cmdutil.ExitInterrupted)
	}
}
