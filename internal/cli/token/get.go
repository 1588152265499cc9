package token

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// GetOptions are the inputs of `token get`.
type GetOptions struct {
	IO          *iostreams.IOStreams
	Settings    func() (*config.Settings, error)
	TokenSource func(cmdutil.TokenOptions) (TokenGetter, error)
	Now         func() time.Time

	Output       output.Format
	Scopes       []string
	MinTTL       time.Duration
	MinTTLSet    bool // --min-ttl was given
	NoCache      bool
	ForceRefresh bool
}

// TokenGetter is what `token get` needs of a token source.
type TokenGetter interface {
	Token(ctx context.Context) (*auth.Token, error)
}

// NewCmdGet returns `token get`. runF replaces the run function in tests.
func NewCmdGet(f *cmdutil.Factory, runF func(*GetOptions) error) *cobra.Command {
	opts := &GetOptions{IO: f.IOStreams, Settings: f.Settings, Now: f.Now}
	opts.TokenSource = func(o cmdutil.TokenOptions) (TokenGetter, error) { return f.TokenSource(o) }
	cmd := &cobra.Command{
		Use:   "get",
		Short: "Print an access token",
		Long: `Run the OAuth 2.0 client-credentials grant against the PingOne token endpoint
and print the access token.

By default only the token and a newline go to standard output, so that
$(p1ctl token get) can be used directly in a command line. Use -o header for
a complete Authorization header, or -o json for the token with its expiry.

Tokens are cached (in <user cache dir>/p1ctl, or $P1CTL_CACHE_DIR) and reused
while they have at least --min-ttl left, so calling p1ctl in every step of a
CI job, or from many parallel jobs, asks PingOne for one token. The cache key
covers the token URL, client ID, auth method, scopes and a hash of the
secret; no secret is ever written.`,
		Example: `  # Call the management API with curl
  curl -H "Authorization: Bearer $(p1ctl token get)" \
    https://api.pingone.com/v1/environments/$PINGONE_ENVIRONMENT_ID

  # Pass the header on standard input
  p1ctl token get -o header | curl -H @- https://api.pingone.com/v1/environments/$PINGONE_ENVIRONMENT_ID

  # A token good for at least 30 more minutes, for a long job
  p1ctl token get --min-ttl 30m

  # Ask for custom resource scopes
  p1ctl token get --scope "pas:admin pas:read"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.MinTTLSet = cmd.Flags().Changed("min-ttl")
			if runF != nil {
				return runF(opts)
			}
			return getRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputFlag(cmd, &opts.Output, formatToken, formatHeader, formatJSON)
	cmd.Flags().StringArrayVar(&opts.Scopes, "scope", nil, "request `SCOPE` (repeatable, or space separated)")
	cmd.Flags().DurationVar(&opts.MinTTL, "min-ttl", config.DefaultMinTTL, "reuse a cached token only if it is valid for at least `DURATION`; 0s reuses it until it expires (env P1CTL_MIN_TTL)")
	cmd.Flags().BoolVar(&opts.NoCache, "no-cache", false, "neither read nor write the token cache (env P1CTL_NO_CACHE=1)")
	cmd.Flags().BoolVar(&opts.ForceRefresh, "force-refresh", false, "fetch a new token even if a cached one is still good, and cache it")
	return cmd
}

func getRun(ctx context.Context, opts *GetOptions) error {
	settings, err := opts.Settings()
	if err != nil {
		return err
	}
	if err := settings.CheckTokenRequest(); err != nil {
		return err
	}
	var minTTL *time.Duration
	if opts.MinTTLSet {
		if err := config.CheckMinTTL(opts.MinTTL); err != nil {
			return cmdutil.FlagErrorf("--min-ttl %s is %w", opts.MinTTL, err)
		}
		minTTL = &opts.MinTTL
	}
	if opts.NoCache && opts.ForceRefresh {
		return cmdutil.FlagErrorf("--no-cache and --force-refresh cannot be used together")
	}
	scopes, err := SplitScopes(opts.Scopes)
	if err != nil {
		return err
	}
	src, err := opts.TokenSource(cmdutil.TokenOptions{
		Scopes:       scopes,
		MinTTL:       minTTL,
		NoCache:      opts.NoCache,
		ForceRefresh: opts.ForceRefresh,
	})
	if err != nil {
		return err
	}
	tok, err := src.Token(ctx)
	if err != nil {
		return cmdutil.WithTarget(err, cmdutil.TargetFor(settings, settings.EnvironmentID, "the token request"))
	}
	out := opts.IO.Out
	switch opts.Output {
	case formatHeader:
		_, err = fmt.Fprintf(out, "Authorization: Bearer %s\n", tok.AccessToken)
	case formatJSON:
		err = output.JSON(out, jsonToken{
			AccessToken: tok.AccessToken,
			TokenType:   tok.TokenType,
			ExpiresIn:   int64(tok.ExpiresIn(opts.Now()) / time.Second),
			ExpiresAt:   tok.Expiry.UTC().Format(time.RFC3339),
			Scope:       tok.Scope,
		})
	default:
		_, err = fmt.Fprintln(out, tok.AccessToken)
	}
	return err
}

type jsonToken struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	ExpiresAt   string `json:"expires_at"`
	Scope       string `json:"scope,omitempty"`
}

const (
	formatToken  output.Format = "token"
	formatHeader output.Format = output.FormatHeader
	formatJSON   output.Format = output.FormatJSON
)

// SplitScopes flattens repeated and space-separated --scope values,
// dropping duplicates and keeping order. A scope with characters RFC 6749
// does not allow (quotes, backslashes, control characters) is a usage error.
func SplitScopes(values []string) ([]string, error) {
	var scopes []string
	seen := map[string]bool{}
	for _, v := range values {
		for _, s := range strings.Fields(v) {
			if !validScope(s) {
				return nil, cmdutil.FlagErrorf("scope %q contains characters a scope may not have", s)
			}
			if !seen[s] {
				seen[s] = true
				scopes = append(scopes, s)
			}
		}
	}
	return scopes, nil
}

// validScope checks RFC 6749's scope-token: printable ASCII except space,
// double quote and backslash.
func validScope(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return s != ""
}
