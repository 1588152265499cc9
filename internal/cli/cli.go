// Package cli runs p1ctl: it builds the command tree with real
// dependencies, runs it, and turns the outcome into an exit status.
package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/cli/factory"
	"github.com/p1ctl/p1ctl/internal/cli/root"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// Main runs p1ctl with the process's arguments and streams and returns the
// exit status.
func Main() int {
	var sig signals
	defer sig.stop()
	return Run(context.Background(), os.Args[1:], iostreams.System(), &sig)
}

// Signals turns SIGINT and SIGTERM into cancellation for Run.
type Signals interface {
	// Watch returns ctx, cancelled when SIGINT or SIGTERM arrives.
	Watch(ctx context.Context) context.Context
	// ExitStatus reports the exit status owed to a signal that arrived,
	// or 0.
	ExitStatus() int
}

// Run runs p1ctl with args. sig, if not nil, lets SIGINT and SIGTERM cancel
// the running command; it is asked to watch only once a command starts
// work.
func Run(ctx context.Context, args []string, ios *iostreams.IOStreams, sig Signals) int {
	flags := pflag.NewFlagSet("global", pflag.ContinueOnError)
	config.AddFlags(flags)
	f := factory.New(ios, flags)
	if sig != nil {
		f.WatchSignals = sig.Watch
	}
	cmd := root.NewCmdRoot(f, flags)
	cmd.SetArgs(args)
	cmd.SetIn(ios.In)
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)

	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if code := exitStatus(sig); code != 0 {
		fmt.Fprintln(ios.ErrOut, "p1ctl: interrupted")
		return code
	}
	p := cmdutil.Describe(err)
	if p.Code == cmdutil.ExitError && isCobraUsageError(err) {
		p.Code = cmdutil.ExitUsage
		p.What += " (see --help)"
	}
	if msg := p.String(); msg != "" {
		fmt.Fprintln(ios.ErrOut, "p1ctl: "+output.OneLine(f.Redactor.String(msg)))
	}
	return p.Code
}

// isCobraUsageError recognises the argument errors Cobra returns as plain
// errors.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "invalid argument"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}

// exitStatus is sig's exit status, or 0 when there is no sig.
func exitStatus(sig Signals) int {
	if sig == nil {
		return 0
	}
	return sig.ExitStatus()
}

// signals is the process's Signals: handlers are installed on the first
// Watch, so commands that never start work keep start-up lean.
type signals struct {
	code atomic.Int32
	ch   chan os.Signal
}

// Watch installs the handlers and returns ctx, cancelled by the first
// SIGINT or SIGTERM. It must be called at most once.
func (s *signals) Watch(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	s.ch = make(chan os.Signal, 1)
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case got := <-s.ch:
			// A second Ctrl-C gets the default action: it stops a
			// command that is slow to notice the cancellation.
			signal.Stop(s.ch)
			if got == syscall.SIGTERM {
				s.code.Store(cmdutil.ExitTerminated)
			} else {
				s.code.Store(cmdutil.ExitInterrupted)
			}
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx
}

// ExitStatus implements Signals.
func (s *signals) ExitStatus() int { return int(s.code.Load()) }

// stop restores the signals' default actions.
func (s *signals) stop() {
	if s.ch != nil {
		signal.Stop(s.ch)
	}
}
