// Package cmdutil holds what every command shares: the Factory that hands
// commands their dependencies, and the mapping from errors to exit codes
// and one-line messages.
package cmdutil

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// TokenOptions are the per-command choices about which token to get and
// whether the cache may serve it.
type TokenOptions struct {
	Scopes []string
	// MinTTL, if not nil, overrides P1CTL_MIN_TTL and its default.
	MinTTL       *time.Duration
	NoCache      bool
	ForceRefresh bool
}

// Factory hands commands their dependencies. Everything is created lazily,
// so a command that needs no settings or network (help, version) does no
// such work. Tests replace the functions.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Redactor masks every secret and token known so far; error messages,
	// warnings and debug traces pass through it.
	Redactor *redact.Redactor
	// Now is the clock.
	Now func() time.Time
	// Settings resolves the configuration for the running command.
	Settings func() (*config.Settings, error)
	// Runtime resolves the settings about how p1ctl runs (--timeout,
	// --debug, P1CTL_MIN_TTL, ...), once per command.
	Runtime func() (config.Runtime, error)
	// HTTPClient is the one client for the token endpoint and the API.
	HTTPClient func() (*http.Client, error)
	// TokenSource returns a token source for the configured client.
	TokenSource func(TokenOptions) (*auth.Source, error)
	// CacheDir returns the token cache directory; its error is an
	// *auth.CacheDirError when there is none.
	CacheDir func() (string, error)
	// TokenCache returns the token cache entry of the configured client
	// asking for scopes, whether or not caching is turned off for this run
	// (for token clear). Its error is an *auth.CacheDirError when there is
	// no cache directory.
	TokenCache func(scopes []string) (*auth.FileCache, error)
	// APIClient returns a management API client with a token source.
	APIClient func() (*api.Client, error)
	// WatchSignals, when set, returns ctx cancelled by SIGINT or SIGTERM.
	// The root command calls it only when a command starts real work:
	// installing signal handlers costs a dedicated OS thread that --help
	// and --version do not need.
	WatchSignals func(ctx context.Context) context.Context
}

// GroupRunE is the run function of a command group such as `p1ctl token`:
// without a subcommand it shows the group's help, and an unknown
// subcommand is a usage error (exit 2) rather than help and success.
func GroupRunE(cmd *cobra.Command, args []string) error {
	if err := GroupArgs(cmd, args); err != nil {
		return err
	}
	return cmd.Help()
}

// Warn prints a warning on standard error, through the redactor.
func (f *Factory) Warn(msg string) {
	fmt.Fprintln(f.IOStreams.ErrOut, "p1ctl: warning: "+output.OneLine(f.Redactor.String(msg)))
}
