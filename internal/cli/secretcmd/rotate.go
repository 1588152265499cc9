package secretcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// Bounds of --keep-previous: PingOne keeps a previous secret from one
// minute to 30 days (720h, as Ping's own CLI allows); 0 ends it at once.
const (
	DefaultKeepPrevious = time.Hour
	MinKeepPrevious     = time.Minute
	MaxKeepPrevious     = 720 * time.Hour
)

// RotateOptions are the inputs of `secret rotate`.
type RotateOptions struct {
	IO         *iostreams.IOStreams
	Redactor   *redact.Redactor
	Now        func() time.Time
	Settings   func() (*config.Settings, error)
	APIClient  func() (*api.Client, error)
	HTTPClient func() (*http.Client, error)
	// Runtime bounds the keychain call of --update-profile by --timeout.
	Runtime func() (config.Runtime, error)

	AppID string
	Out   string
	// UpdateProfile stores the verified secret where the active profile
	// keeps the configured client's secret, instead of --out.
	UpdateProfile bool
	Force         bool
	KeepPrevious  time.Duration
	// VerifyMethod is the client authentication of the verification
	// token request; "" picks it (see verifyMethod).
	VerifyMethod string
	Output       export.Options
}

// RotateResult is what rotate reports: never a secret.
type RotateResult struct {
	AppID         string `json:"appId"`
	EnvironmentID string `json:"environmentId"`
	Verified      bool   `json:"verified"`
	VerifiedWith  string `json:"verifiedWith"`
	// PreviousExpiresAt is when the replaced secret stops working; empty
	// when it ended at once.
	PreviousExpiresAt string `json:"previousExpiresAt"`
	// Out is the file the new secret was written to, or "-"; empty with
	// --update-profile.
	Out string `json:"out"`
	// Profile says where --update-profile stored the secret (keychain
	// item, secret file or config file); empty when it was not stored.
	Profile string `json:"profile,omitempty"`
}

// NewCmdRotate returns `secret rotate`. runF replaces the run function in
// tests.
func NewCmdRotate(f *cmdutil.Factory, runF func(*RotateOptions) error) *cobra.Command {
	opts := &RotateOptions{IO: f.IOStreams, Redactor: f.Redactor, Now: f.Now, Settings: f.Settings, APIClient: f.APIClient, HTTPClient: f.HTTPClient, Runtime: f.Runtime}
	cmd := &cobra.Command{
		Use:   "rotate --app-id ID {--out FILE | --update-profile}",
		Short: "Make a new client secret, keep the old one for a while, verify the new one",
		Long: `Make a new client secret for application --app-id (in the configured
environment) with POST /v1/environments/{envId}/applications/{appId}/secret,
keeping the previous secret valid for --keep-previous (default 1h, at most
720h; 0 ends it at once).

The new secret is written to --out FILE, mode 0600, atomically. FILE is
prepared before the rotation, so a FILE that cannot be written fails before
anything changes; an existing FILE is refused unless --force. --out -
prints the secret on standard output, and that is the only way it is ever
printed: the report (table, json, yaml, --jq, --template) then goes to
standard error.

--update-profile, for the configured client itself (--app-id is its client
ID) whose secret comes from the active profile, stores the new secret where
the profile keeps it: the OS keychain item (client-secret-store: keyring),
the profile's client-secret-file, or client-secret in the config file. It
is stored only once verified; an unverified secret is stored nowhere and the
profile keeps the previous one, so --keep-previous must be above 0.

Then the new secret is verified: a token request as the application
(client ID = application ID) at the configured token endpoint. The
request authenticates with --verify-auth-method: by default the configured
--auth-method when --app-id is the configured client, else
client_secret_basic (PingOne's default); set it for an application that
uses client_secret_post or client_secret_jwt. A refused verification exits
3; the previous secret then stays valid until its expiry.

The report says the application, whether the secret was verified and when
the previous secret expires. No secret appears in it, in errors or in the
--debug trace. The caller needs applications:update:secret, and must not
see the application's role assignments as read-only.`,
		Example: `  p1ctl secret rotate --app-id "$APP_ID" --out new-secret --keep-previous 24h
  p1ctl secret rotate --app-id "$APP_ID" --out - --keep-previous 2h | gh secret set PINGONE_CLIENT_SECRET
  p1ctl secret rotate --app-id "$APP_ID" --out secret.txt --force -o json
  p1ctl secret rotate --app-id "$(p1ctl config view -o json | jq -r '."client-id"')" --update-profile`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return rotateRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.AppID, "app-id", "", "`ID` of the application whose secret to rotate")
	cmd.Flags().StringVar(&opts.Out, "out", "", "write the new secret to `FILE` (mode 0600); - prints it on standard output")
	cmd.Flags().BoolVar(&opts.UpdateProfile, "update-profile", false, "store the verified new secret where the active profile keeps the configured client's secret, instead of --out")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing --out FILE")
	cmd.Flags().DurationVar(&opts.KeepPrevious, "keep-previous", DefaultKeepPrevious, "keep the previous secret valid for `DURATION` (0 ends it at once, at most 720h)")
	cmd.Flags().StringVar(&opts.VerifyMethod, "verify-auth-method", "", "client authentication `METHOD` of the verification: client_secret_basic, client_secret_post or client_secret_jwt")
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, false, output.FormatTable)
	return cmd
}

// checkRotateFlags refuses bad flags before any request.
func checkRotateFlags(opts *RotateOptions) error {
	if err := checkAppID(opts.AppID); err != nil {
		return err
	}
	switch d := opts.KeepPrevious; {
	case d < 0:
		return cmdutil.FlagErrorf("--keep-previous %s is negative", d)
	case d > 0 && d < MinKeepPrevious:
		return cmdutil.FlagErrorf("--keep-previous %s is under PingOne's minimum of 1m (0 ends the previous secret at once)", d)
	case d > MaxKeepPrevious:
		return cmdutil.FlagErrorf("--keep-previous %s is over the maximum of 720h (30 days)", d)
	}
	switch {
	case opts.UpdateProfile && opts.Out != "":
		return cmdutil.FlagErrorf("--update-profile and --out are two places for the new secret: give one")
	case opts.UpdateProfile && opts.KeepPrevious == 0:
		// The configured client signs in with this secret: if the new one
		// failed its check it would be stored nowhere, and the old one
		// would already be dead.
		return cmdutil.FlagErrorf("--update-profile needs --keep-previous above 0: an unverified new secret is not stored, and the profile's previous one must keep working")
	case !opts.UpdateProfile && opts.Out == "":
		return cmdutil.FlagErrorf("--out is required: a FILE for the new secret, or - for standard output (or --update-profile for the configured client)")
	}
	switch opts.VerifyMethod {
	case "", config.AuthClientSecretBasic, config.AuthClientSecretPost, config.AuthClientSecretJWT:
	default:
		return cmdutil.FlagErrorf("--verify-auth-method %q is not one of client_secret_basic, client_secret_post or client_secret_jwt", opts.VerifyMethod)
	}
	return nil
}

// verifyMethod is the client authentication the verification uses: the
// flag's; else the configured method when the application is the
// configured client; else PingOne's default, client_secret_basic.
func verifyMethod(opts *RotateOptions, s *config.Settings) (string, error) {
	if opts.VerifyMethod != "" {
		return opts.VerifyMethod, nil
	}
	if !strings.EqualFold(opts.AppID, s.ClientID) {
		return config.AuthClientSecretBasic, nil
	}
	if s.AuthMethod == config.AuthPrivateKeyJWT {
		// Its tokens never use the secret: a rotation could not be
		// verified, and would not be needed.
		return "", cmdutil.FlagErrorf("application %s authenticates with private_key_jwt, so its secret is not used for tokens and a new one cannot be verified; pass --verify-auth-method if the application does use a secret", opts.AppID)
	}
	return s.AuthMethod, nil
}

func rotateRun(ctx context.Context, opts *RotateOptions) error {
	if err := checkRotateFlags(opts); err != nil {
		return err
	}
	settings, envID, err := loadSettings(opts.Settings)
	if err != nil {
		return err
	}
	method, err := verifyMethod(opts, settings)
	if err != nil {
		return err
	}
	var home *config.ProfileSecret
	if opts.UpdateProfile {
		if home, err = profileSecret(opts, settings); err != nil {
			return err
		}
	}
	var out *outFile
	if opts.Out != "-" && !opts.UpdateProfile {
		if out, err = prepareOut(opts.Out, opts.Force); err != nil {
			return err
		}
		// Whatever happens below, no temporary file stays behind.
		defer out.abort()
	}
	client, err := opts.APIClient()
	if err != nil {
		return err
	}
	var keepUntil time.Time
	if opts.KeepPrevious > 0 {
		keepUntil = opts.Now().Add(opts.KeepPrevious)
	}
	target := cmdutil.TargetFor(settings, envID, "rotating the secret of application "+opts.AppID+" in environment "+envID)
	target.NotEnvironment = true
	target.ForbiddenHint = forbiddenHint("applications:update:secret", opts.AppID)
	rotated, err := client.RotateApplicationSecret(ctx, envID, opts.AppID, keepUntil)
	if err != nil {
		return cmdutil.WithTarget(err, target)
	}
	res := &RotateResult{AppID: opts.AppID, EnvironmentID: envID, VerifiedWith: method, Out: opts.Out}
	if rotated.Previous != nil && !rotated.Previous.ExpiresAt.IsZero() {
		res.PreviousExpiresAt = rotated.Previous.ExpiresAt.UTC().Format(time.RFC3339)
	}

	// PingOne has changed the secret: from here on, keeping the new one
	// comes first.
	switch {
	case home != nil:
		// Stored below, once verified.
	case out != nil:
		if err := out.commit(rotated.Secret); err != nil {
			return fmt.Errorf("application %s has a new secret, but writing it to %s failed (%v): %s", opts.AppID, opts.Out, err, previousFate(res))
		}
	default:
		if _, err := fmt.Fprintln(opts.IO.Out, rotated.Secret); err != nil {
			return fmt.Errorf("application %s has a new secret, but printing it failed (%v): %s", opts.AppID, err, previousFate(res))
		}
	}

	verr := verify(ctx, opts, settings, method, rotated.Secret)
	res.Verified = verr == nil
	if home != nil && res.Verified {
		if err := storeInProfile(opts, *home, rotated.Secret); err != nil {
			return fmt.Errorf("application %s has a new, verified secret, but storing it in the %s failed (%v): %s; rotate again", opts.AppID, home, err, previousFate(res))
		}
		res.Profile = home.String()
	}
	report := opts.IO.Out
	if opts.Out == "-" {
		report = opts.IO.ErrOut
	}
	if err := writeRotateResult(ctx, report, &opts.Output, res); err != nil {
		return err
	}
	if verr != nil {
		p := verifyProblem(opts, settings, res, verr)
		fmt.Fprintln(opts.IO.ErrOut, "p1ctl: "+output.OneLine(opts.Redactor.String(p.String())))
		return &cmdutil.SilentError{Code: p.Code}
	}
	return nil
}

// verifyProblem describes a failed verification: the secret is saved, the
// previous one's fate, and what to check. A refusal exits 3; a network
// failure keeps its own status, since PingOne may accept the secret.
func verifyProblem(opts *RotateOptions, s *config.Settings, res *RotateResult, verr error) cmdutil.Problem {
	cause := cmdutil.Describe(verr)
	saved := "was saved"
	if opts.UpdateProfile {
		saved = "was not stored (the profile keeps the previous one)"
	}
	p := cmdutil.Problem{
		Code:   cause.Code,
		What:   fmt.Sprintf("the new secret of application %s %s, but its check at %s with %s failed", res.AppID, saved, s.TokenURL, res.VerifiedWith),
		Reason: cause.Detail(),
		Hint:   previousFate(res) + "; check --verify-auth-method matches the application's token endpoint authentication method, then try p1ctl token get with the new secret",
	}
	var rejected *auth.RejectedError
	if errors.As(verr, &rejected) || p.Code == cmdutil.ExitOK {
		p.Code = cmdutil.ExitAuth
	}
	return p
}

// previousFate says how long the previous secret keeps working.
func previousFate(res *RotateResult) string {
	if res.PreviousExpiresAt == "" {
		return "the previous secret has already stopped working (--keep-previous 0)"
	}
	return "the previous secret stays valid until " + res.PreviousExpiresAt
}

// verify requests a token as the application with its new secret, fresh
// from the token endpoint (no cache).
func verify(ctx context.Context, opts *RotateOptions, s *config.Settings, method, secret string) error {
	hc, err := opts.HTTPClient()
	if err != nil {
		return err
	}
	c := &auth.Client{
		TokenURL:     s.TokenURL,
		ClientID:     opts.AppID,
		ClientSecret: secret,
		Method:       method,
		HTTPClient:   hc,
		Now:          opts.Now,
		Redactor:     opts.Redactor,
	}
	if method == config.AuthClientSecretJWT {
		if c.Signer, err = auth.NewSecretSigner(secret); err != nil {
			return err
		}
	}
	tok, err := c.Fetch(ctx)
	if err != nil {
		return err
	}
	opts.Redactor.Add(tok.AccessToken)
	return nil
}

// profileSecret checks --update-profile may store the secret: the
// application is the configured client and its secret comes from the
// active profile. It returns where the profile keeps that secret.
func profileSecret(opts *RotateOptions, s *config.Settings) (*config.ProfileSecret, error) {
	if !strings.EqualFold(opts.AppID, s.ClientID) {
		return nil, cmdutil.FlagErrorf("--update-profile: application %s is not the configured client (%s), whose secret the profile holds; use --out", opts.AppID, s.ClientID)
	}
	home, err := config.ProfileSecretOf(s)
	if err != nil {
		var cfgErr *config.Error
		if errors.As(err, &cfgErr) {
			return nil, cmdutil.FlagErrorf("--update-profile: %s; use --out", cfgErr.Problem)
		}
		return nil, err
	}
	return &home, nil
}

// storeInProfile replaces the profile's secret, a keychain call bounded by
// --timeout.
func storeInProfile(opts *RotateOptions, home config.ProfileSecret, secret string) error {
	timeout := config.DefaultTimeout
	if opts.Runtime != nil {
		rt, err := opts.Runtime()
		if err != nil {
			return err
		}
		timeout = rt.Timeout
	}
	return home.Store(secret, timeout)
}

// writeRotateResult prints the report as -o, --jq or --template ask:
// they see only the report, which holds no secret.
func writeRotateResult(ctx context.Context, w io.Writer, o *export.Options, res *RotateResult) error {
	if o.IsData() {
		return o.Write(ctx, w, res)
	}
	verified := "no"
	if res.Verified {
		verified = "yes (token request with " + res.VerifiedWith + ")"
	}
	previous := res.PreviousExpiresAt
	if previous == "" {
		previous = "ended at rotation"
	}
	out := res.Out
	switch {
	case out == "-":
		out = "standard output"
	case res.Profile != "":
		out = res.Profile
	case out == "":
		out = "nowhere (not verified)"
	}
	return output.FieldTable(w, []output.Field{
		{Name: "Application", Value: res.AppID},
		{Name: "Environment", Value: res.EnvironmentID},
		{Name: "Secret written to", Value: out},
		{Name: "Verified", Value: verified},
		{Name: "Previous expires", Value: previous},
	})
}
