// Package doctorcmd implements `p1ctl doctor`, which runs PingOne's
// troubleshooting checklist for worker applications ("Invalid client",
// "Insufficient privileges", "Environment not found", connection errors)
// by itself and says which check failed and what to do about it.
package doctorcmd

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/netpolicy"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// DoctorOptions are the inputs of `doctor`.
type DoctorOptions struct {
	IO       *iostreams.IOStreams
	Redactor *redact.Redactor
	Now      func() time.Time
	Settings func() (*config.Settings, error)
	// TokenSource returns a token source for the configured client.
	TokenSource func(cmdutil.TokenOptions) (TokenSource, error)
	// NewAPI returns a management API client for baseURL that
	// authenticates with tokens.
	NewAPI func(baseURL string, tokens api.TokenSource) (API, error)
	// Probe checks that the host of a URL resolves and answers.
	Probe func(ctx context.Context, u *url.URL) ProbeResult
	// Runtime resolves the runtime settings (--timeout, P1CTL_TIMEOUT,
	// ...): a bad one fails the Configuration check. A bad P1CTL_MIN_TTL
	// (MinTTLErr) is a warning: doctor does not use the token cache, but
	// other commands stop on it. Nil skips both.
	Runtime func() (config.Runtime, error)

	// Target is the environment to read, instead of the configured one.
	Target string
	Output export.Options
}

// TokenSource is what doctor needs of a token source: a token to inspect,
// and bearer tokens for the API calls that follow.
type TokenSource interface {
	Token(ctx context.Context) (*auth.Token, error)
	api.TokenSource
}

// API is what doctor needs of the management API client.
type API interface {
	GetJSON(ctx context.Context, path string, v any) ([]byte, error)
	GetEnvironment(ctx context.Context, id string) (*api.Environment, error)
}

// NewCmdDoctor returns `doctor`. runF replaces the run function in tests.
func NewCmdDoctor(f *cmdutil.Factory, runF func(*DoctorOptions) error) *cobra.Command {
	opts := &DoctorOptions{
		IO:       f.IOStreams,
		Redactor: f.Redactor,
		Now:      f.Now,
		Settings: f.Settings,
		Runtime:  f.Runtime,
		TokenSource: func(o cmdutil.TokenOptions) (TokenSource, error) {
			src, err := f.TokenSource(o)
			if err != nil {
				return nil, err
			}
			return src, nil
		},
		NewAPI: func(baseURL string, tokens api.TokenSource) (API, error) {
			hc, err := f.HTTPClient()
			if err != nil {
				return nil, err
			}
			return &api.Client{BaseURL: baseURL, HTTP: hc, Tokens: tokens, Redactor: f.Redactor}, nil
		},
		Probe: (&Prober{Proxy: http.ProxyFromEnvironment}).Probe,
	}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the configuration, network, credentials and roles",
		Long: `Run PingOne's troubleshooting checklist for worker applications and say what
is wrong and what to do about it. The checks run in order; after the first
one that fails, the later ones are skipped. The two host checks run
together, so both hosts are reported even when the first fails: whether the
other answers tells a wrong URL from a network problem.

  Configuration       every setting with where it came from (flag,
                      environment variable, profile, default); secrets are
                      shown as [REDACTED]. Missing or bad settings, and
                      bad P1CTL_* variables, fail (exit 2); no environment
                      ID is a warning where the token URL needs none.
  Auth/API host       each host resolves and answers (a TLS handshake; a TCP
                      connect for plain HTTP on loopback), and which region
                      it belongs to. A name that does not resolve means a
                      wrong URL or domain, or failing DNS (exit 6).
  Token request       one fresh token request (the cache is not used) with
                      the configured auth method. A refusal names the checks
                      to make: client ID and secret, the application in that
                      environment, enabled, its auth method (exit 3 or 5).
  Token contents      the token's claims, decoded without verification:
                      client_id, env, org, scopes, audience, expiry.
                      The token itself is never printed.
  Roles               the application's role assignments and their scopes.
  Target environment  the configured environment (or --target, or without an
                      environment ID the token's) can be read; if not,
                      whether a role is missing (exit 4) or the ID is
                      probably wrong (exit 5, or 2 when the configured ID
                      differs from the token's environment).
  Least privilege     a warning when the roles reach further than p1ctl's
                      reads: an organization-wide role, or a role on an
                      environment other than the application's and the
                      target. Facts only, as PingOne returns them; never a
                      failure (the application may serve other tools).

Each row starts with ✓ (passed), ! (a warning: worth a look, but not a
failure), ✗ (failed, with a hint on the next line) or - (skipped). The exit
status is that of the failed check (see "p1ctl help exit-codes"), 0 when
nothing failed. -o json prints the same checks for programs.`,
		Example: `  p1ctl doctor
  p1ctl doctor --profile prod
  p1ctl doctor --target f13dbf61-38ba-4fd6-abe2-4630b662794a
  p1ctl doctor -o json | jq -r '.checks[] | select(.status == "fail") | .hint'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return doctorRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, false, output.FormatTable)
	cmd.Flags().StringVar(&opts.Target, "target", "", "check that environment `ID` can be read instead of the configured one")
	return cmd
}

func doctorRun(ctx context.Context, opts *DoctorOptions) error {
	if opts.Target != "" && !config.IsUUID(opts.Target) {
		return cmdutil.FlagErrorf("--target %q is not a UUID", opts.Target)
	}
	rep := Run(ctx, opts)
	var err error
	if opts.Output.IsData() {
		err = writeData(ctx, opts.IO.Out, &opts.Output, rep, opts.Redactor)
	} else {
		err = writeText(opts.IO.Out, rep, opts.Redactor)
	}
	if err != nil {
		return err
	}
	if rep.ExitCode != cmdutil.ExitOK {
		return &cmdutil.SilentError{Code: rep.ExitCode}
	}
	return nil
}

// Run runs the checks in order and returns what they found. After the
// first failed check the later ones are reported as skipped; the Auth
// host and API host checks are one step, so both always run together.
func Run(ctx context.Context, opts *DoctorOptions) *Report {
	d := &doctor{opts: opts}
	steps := []struct {
		names []string
		run   func(context.Context) []Check
	}{
		{[]string{CheckConfiguration}, d.checkConfig},
		{[]string{CheckAuthHost, CheckAPIHost}, d.checkHosts},
		{[]string{CheckToken}, d.checkToken},
		{[]string{CheckClaims}, d.checkClaims},
		{[]string{CheckRoles}, d.checkRoles},
		{[]string{CheckTarget}, d.checkTarget},
		{[]string{CheckPrivilege}, d.checkPrivilege},
	}
	rep := &Report{}
	for _, step := range steps {
		if rep.Failed() != nil {
			for _, name := range step.names {
				rep.Checks = append(rep.Checks, skipped(name))
			}
			continue
		}
		rep.Checks = append(rep.Checks, step.run(ctx)...)
	}
	if c := rep.Failed(); c != nil {
		rep.ExitCode = c.code
		if rep.ExitCode == cmdutil.ExitOK {
			rep.ExitCode = cmdutil.ExitError
		}
	}
	return rep
}

// doctor carries what earlier checks found to later ones.
type doctor struct {
	opts     *DoctorOptions
	settings *config.Settings
	tokens   TokenSource
	token    *auth.Token
	api      API
	// roles are the application's role assignments; rolesKnown is false
	// when they could not be read.
	roles      []Assignment
	rolesKnown bool
	// tokenEnv is the token's env claim: the environment that issued it.
	tokenEnv string
}

func (d *doctor) now() time.Time {
	if d.opts.Now != nil {
		return d.opts.Now()
	}
	return time.Now()
}

// Where the environment a check reads came from, as its data's idSource.
const (
	fromConfig   = "configuration"
	fromTarget   = "target"
	fromTokenEnv = "token"
)

// describeSource says where an environment ID came from, for details.
func describeSource(from string) string {
	switch from {
	case fromTarget:
		return "--target"
	case fromTokenEnv:
		return "the token's env claim"
	}
	return "the configuration"
}

// targetID is the environment the last check reads, and where that ID
// came from: --target, else the configured environment, else the one the
// token was issued for. It is "" if there is none.
func (d *doctor) targetID() (id, from string) {
	switch {
	case d.opts.Target != "":
		return d.opts.Target, fromTarget
	case d.settings.EnvironmentID != "":
		return d.settings.EnvironmentID, fromConfig
	case d.tokenEnv != "":
		return d.tokenEnv, fromTokenEnv
	}
	return "", ""
}

// appEnvironment is the environment that holds the application, where
// its role assignments are listed, and where that ID came from: the one
// the token was issued for, which a custom domain or --token-url decides
// whatever the configured environment ID says; without an env claim, the
// configured environment, else --target. It is "" if there is none.
func (d *doctor) appEnvironment() (id, from string) {
	switch {
	case d.tokenEnv != "" && !strings.EqualFold(d.tokenEnv, d.settings.EnvironmentID):
		return d.tokenEnv, fromTokenEnv
	case d.settings.EnvironmentID != "":
		return d.settings.EnvironmentID, fromConfig
	case d.opts.Target != "":
		return d.opts.Target, fromTarget
	}
	return "", ""
}

// envMismatch reports whether the token was issued for another
// environment than the configured one.
func (d *doctor) envMismatch() bool {
	s := d.settings
	return s.EnvironmentID != "" && d.tokenEnv != "" && !strings.EqualFold(s.EnvironmentID, d.tokenEnv)
}

// environmentName names the configured environment in messages, or,
// without an environment ID, the one behind the token URL's host.
func (d *doctor) environmentName() string {
	if id := d.settings.EnvironmentID; id != "" {
		return "environment " + id
	}
	return "the environment of " + netpolicy.Host(d.settings.TokenURL)
}
