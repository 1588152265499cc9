package tokencmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// ClearOptions are the inputs of `token clear`.
type ClearOptions struct {
	IO *iostreams.IOStreams
	// TokenCache returns the cache entry of the configured client.
	TokenCache func(scopes []string) (*auth.FileCache, error)
	// CacheDir returns the token cache directory, for --all.
	CacheDir func() (string, error)

	All    bool
	Scopes []string
}

// NewCmdClear returns `token clear`. runF replaces the run function in tests.
func NewCmdClear(f *cmdutil.Factory, runF func(*ClearOptions) error) *cobra.Command {
	opts := &ClearOptions{IO: f.IOStreams, TokenCache: f.TokenCache, CacheDir: f.CacheDir}
	cmd := &cobra.Command{
		Use:   "clear",
		Short: "Remove cached tokens",
		Long: `Remove the cached token of the current configuration (token URL, client,
auth method and scopes), or with --all every token p1ctl has cached. It
clears the cache even when --no-cache or P1CTL_NO_CACHE turns its use off.`,
		Example: `  p1ctl token clear
  p1ctl token clear --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return clearRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.All, "all", false, "remove every cached token")
	cmd.Flags().StringArrayVar(&opts.Scopes, "scope", nil, "the `SCOPE`s the token was requested with")
	return cmd
}

func clearRun(opts *ClearOptions) error {
	if opts.All {
		dir, err := opts.CacheDir()
		if err != nil {
			return err
		}
		n, err := auth.ClearAll(dir)
		if err != nil {
			return fmt.Errorf("clearing the token cache: %w", err)
		}
		fmt.Fprintf(opts.IO.ErrOut, "Removed %d cached token(s) from %s\n", n, dir)
		return nil
	}
	scopes, err := SplitScopes(opts.Scopes)
	if err != nil {
		return err
	}
	cache, err := opts.TokenCache(scopes)
	if err != nil {
		return err
	}
	removed, err := cache.Clear()
	switch {
	case err != nil:
		return fmt.Errorf("clearing the cached token: %w", err)
	case removed:
		fmt.Fprintln(opts.IO.ErrOut, "Removed the cached token for this configuration")
	default:
		fmt.Fprintln(opts.IO.ErrOut, "No cached token for this configuration (the profile and --scope must match those it was requested with; --all removes every cached token)")
	}
	return nil
}
