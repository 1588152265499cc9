package tokencmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// GetOptions are the inputs of `token get`.
type GetOptions struct {
	IO          *iostreams.IOStreams
	Settings    func() (*config.Settings, error)
	TokenSource func(cmdutil.TokenOptions) (TokenGetter, error)
	Now         func() time.Time
	Getenv      func(string) string

	Output       export.Options
	Scopes       []string
	MinTTL       time.Duration
	MinTTLSet    bool // --min-ttl was given
	NoCache      bool
	ForceRefresh bool
	// GitHubOutput is the step output name of --github-output.
	GitHubOutput string
	OutputSet    bool // -o was given
}

// TokenGetter is what `token get` needs of a token source.
type TokenGetter interface {
	Token(ctx context.Context) (*auth.Token, error)
}

// NewCmdGet returns `token get`. runF replaces the run function in tests.
func NewCmdGet(f *cmdutil.Factory, runF func(*GetOptions) error) *cobra.Command {
	opts := &GetOptions{IO: f.IOStreams, Settings: f.Settings, Now: f.Now, Getenv: os.Getenv}
	opts.TokenSource = func(o cmdutil.TokenOptions) (TokenGetter, error) { return f.TokenSource(o) }
	cmd := &cobra.Command{
		Use:   "get",
		Short: "Print an access token",
		Long: `Run the OAuth 2.0 client-credentials grant against the PingOne token endpoint
and print the access token.

By default only the token and a newline go to standard output, so that
$(p1ctl token get) can be used directly in a command line. Use -o header for
a complete Authorization header, or -o json for the token with its expiry
(--jq and --template see that document).

Tokens are cached (in <user cache dir>/p1ctl, or $P1CTL_CACHE_DIR) and reused
while they have at least --min-ttl left, so calling p1ctl in every step of a
CI job, or from many parallel jobs, asks PingOne for one token. The cache key
covers the token URL, client ID, auth method, scopes and a hash of the
secret; no secret is ever written.

In a GitHub Actions run: step, --github-output NAME prints only
::add-mask::<token> on standard output, so that the runner hides the token
in every later log line, and appends NAME=<token> to the file named by
$GITHUB_OUTPUT, for later steps as ${{ steps.<id>.outputs.NAME }}.`,
		Example: `  # Call the management API with curl
  curl -H "Authorization: Bearer $(p1ctl token get)" \
    https://api.pingone.com/v1/environments/$PINGONE_ENVIRONMENT_ID

  # Pass the header on standard input
  p1ctl token get -o header | curl -H @- https://api.pingone.com/v1/environments/$PINGONE_ENVIRONMENT_ID

  # A token good for at least 30 more minutes, for a long job
  p1ctl token get --min-ttl 30m

  # Ask for custom resource scopes
  p1ctl token get --scope "pas:admin pas:read"

  # GitHub Actions: mask the token and make it the step output "token"
  p1ctl token get --github-output token`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.MinTTLSet = cmd.Flags().Changed("min-ttl")
			opts.OutputSet = cmd.Flags().Changed("output") || cmd.Flags().Changed("jq") || cmd.Flags().Changed("template")
			if cmd.Flags().Changed("github-output") && opts.GitHubOutput == "" {
				return cmdutil.FlagErrorf("--github-output needs a step output name")
			}
			if runF != nil {
				return runF(opts)
			}
			return getRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, false, formatToken, formatHeader)
	cmd.Flags().StringArrayVar(&opts.Scopes, "scope", nil, "request `SCOPE` (repeatable, or space separated)")
	cmd.Flags().DurationVar(&opts.MinTTL, "min-ttl", config.DefaultMinTTL, "reuse a cached token only if it is valid for at least `DURATION`; 0s reuses it until it expires (env P1CTL_MIN_TTL)")
	cmd.Flags().BoolVar(&opts.NoCache, "no-cache", false, "neither read nor write the token cache (env P1CTL_NO_CACHE=1)")
	cmd.Flags().BoolVar(&opts.ForceRefresh, "force-refresh", false, "fetch a new token even if a cached one is still good, and cache it")
	cmd.Flags().StringVar(&opts.GitHubOutput, "github-output", "", "GitHub Actions: print only ::add-mask::<token> and append the token to $GITHUB_OUTPUT as step output `NAME`")
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
	// The output file is opened before the token request, so that a
	// mistake there costs no request.
	var ghOut *os.File
	if opts.GitHubOutput != "" {
		if ghOut, err = openGitHubOutput(opts); err != nil {
			return err
		}
		defer ghOut.Close()
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
	if ghOut != nil {
		return writeGitHubOutput(opts, ghOut, tok.AccessToken)
	}
	out := opts.IO.Out
	switch {
	case opts.Output.Format == formatHeader:
		_, err = fmt.Fprintf(out, "Authorization: Bearer %s\n", tok.AccessToken)
	case opts.Output.IsData():
		err = opts.Output.Write(ctx, out, jsonToken{
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

// isGitHubOutputName reports whether name follows GitHub's rule for step
// output names: a letter or _, then letters, digits, - or _. (No regexp:
// nothing is compiled at start-up.)
func isGitHubOutputName(name string) bool {
	for i, r := range name {
		letter := r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
		if !letter && (i == 0 || r != '-' && (r < '0' || r > '9')) {
			return false
		}
	}
	return name != ""
}

// openGitHubOutput checks --github-output's name and opens the runner's
// $GITHUB_OUTPUT file for appending. The runner creates the file and owns
// its mode: it is neither created nor chmod-ed here.
func openGitHubOutput(opts *GetOptions) (*os.File, error) {
	name := opts.GitHubOutput
	if !isGitHubOutputName(name) {
		return nil, cmdutil.FlagErrorf("--github-output %q is not a step output name: a letter or _, then letters, digits, - or _", name)
	}
	if opts.OutputSet {
		return nil, cmdutil.FlagErrorf("--github-output cannot be used with --output, --jq or --template")
	}
	path := opts.Getenv("GITHUB_OUTPUT")
	if strings.TrimSpace(path) == "" {
		return nil, cmdutil.FlagErrorf("--github-output needs GITHUB_OUTPUT, which GitHub Actions sets in a run: step")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, fmt.Errorf("GITHUB_OUTPUT: %w", err)
	}
	// A device or pipe (GITHUB_OUTPUT=/dev/stdout) would put the token in
	// the log instead of the runner's file.
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("GITHUB_OUTPUT %s is not a regular file", path)
	}
	return f, nil
}

// errTokenCharacters refuses a token that could not be one line of
// $GITHUB_OUTPUT or of a workflow command.
var errTokenCharacters = errors.New("the access token has characters a bearer token may not have (spaces or control characters); it was not written to GITHUB_OUTPUT")

// writeGitHubOutput masks the token in the runner's log, then appends it
// to $GITHUB_OUTPUT. The mask comes first, so that the runner hides the
// token before any later line could show it.
func writeGitHubOutput(opts *GetOptions, f *os.File, token string) error {
	for i := 0; i < len(token); i++ {
		if token[i] < 0x21 || token[i] > 0x7e {
			return errTokenCharacters
		}
	}
	if token == "" {
		return errTokenCharacters
	}
	if _, err := fmt.Fprintf(opts.IO.Out, "::add-mask::%s\n", escapeCommandData(token)); err != nil {
		return err
	}
	// One write on an O_APPEND file: the line lands whole after whatever
	// other steps' commands wrote.
	if _, err := f.Write([]byte(opts.GitHubOutput + "=" + token + "\n")); err != nil {
		return fmt.Errorf("GITHUB_OUTPUT: %w", err)
	}
	return f.Close()
}

// escapeCommandData escapes a workflow command's value as GitHub's toolkit
// does, so that the runner masks exactly the token.
func escapeCommandData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}
