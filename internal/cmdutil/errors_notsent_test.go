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
	code, msg := cmdutil.Describe(&auth.NotSentError{Err: context.DeadlineExceeded})
	if code != cmdutil.ExitNetwork || !strings.Contains(msg, "--timeout") || strings.Contains(msg, "network") || strings.Contains(msg, "firewall") {
		t.Errorf("Describe = %d, %q; want %d, naming --timeout and not the network", code, msg, cmdutil.ExitNetwork)
	}
	if code, _ := cmdutil.Describe(&auth.NotSentError{Err: context.Canceled}); code != cmdutil.ExitInterrupted {
		t.Errorf("interrupted before sending: exit %d, want %d", code, cmdutil.ExitInterrupted)
	}
}
