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
)

// Main runs p1ctl with the process's arguments and streams and returns the
// exit status.
func Main() int {
	ctx, stop, signalled := signalContext()
	defer stop()
	return Run(ctx, os.Args[1:], iostreams.System(), signalled)
}

// Run runs p1ctl with args. signalled reports the exit status owed to a
// signal that cancelled ctx, or 0.
func Run(ctx context.Context, args []string, ios *iostreams.IOStreams, signalled func() int) int {
	flags := pflag.NewFlagSet("global", pflag.ContinueOnError)
	config.AddFlags(flags)
	f := factory.New(ios, flags)
	cmd := root.NewCmdRoot(f, flags)
	cmd.SetArgs(args)
	cmd.SetIn(ios.In)
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)

	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if code := signalled(); code != 0 {
		fmt.Fprintln(ios.ErrOut, "p1ctl: interrupted")
		return code
	}
	code, msg := cmdutil.Describe(err)
	if code == cmdutil.ExitError && isCobraUsageError(err) {
		code = cmdutil.ExitUsage
		msg += " (see --help)"
	}
	if msg != "" {
		fmt.Fprintln(ios.ErrOut, "p1ctl: "+f.Redactor.String(strings.Join(strings.Fields(msg), " ")))
	}
	return code
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

// signalContext returns a context cancelled by SIGINT or SIGTERM, and a
// function telling which exit status that signal calls for.
func signalContext() (context.Context, func(), func() int) {
	ctx, cancel := context.WithCancel(context.Background())
	var code atomic.Int32
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-ch:
			if sig == syscall.SIGTERM {
				code.Store(cmdutil.ExitTerminated)
			} else {
				code.Store(cmdutil.ExitInterrupted)
			}
			cancel()
		case <-ctx.Done():
		}
	}()
	stop := func() {
		signal.Stop(ch)
		cancel()
	}
	return ctx, stop, func() int { return int(code.Load()) }
}
