package tokencmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/jwtinfo"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// maxTokenBytes bounds a token read from standard input.
const maxTokenBytes = 64 << 10

// InspectOptions are the inputs of `token inspect`.
type InspectOptions struct {
	IO          *iostreams.IOStreams
	Settings    func() (*config.Settings, error)
	TokenSource func(cmdutil.TokenOptions) (TokenGetter, error)
	HTTPClient  func() (*http.Client, error)
	Redactor    *redact.Redactor
	Now         func() time.Time

	// Token is the token to inspect, "-" to read it from standard input,
	// or "" for the configured client's token.
	Token  string
	Output export.Options
	Verify bool
}

// NewCmdInspect returns `token inspect`. runF replaces the run function in
// tests.
func NewCmdInspect(f *cmdutil.Factory, runF func(*InspectOptions) error) *cobra.Command {
	opts := &InspectOptions{IO: f.IOStreams, Settings: f.Settings, HTTPClient: f.HTTPClient, Redactor: f.Redactor, Now: f.Now}
	opts.TokenSource = func(o cmdutil.TokenOptions) (TokenGetter, error) { return f.TokenSource(o) }
	cmd := &cobra.Command{
		Use:   "inspect [TOKEN | -]",
		Short: "Decode an access token and show its claims",
		Long: `Decode a JWT access token and show its header, its claims, when it was
issued and when it expires, its issuer, audience, scopes, client ID and
PingOne environment and organization IDs.

Without an argument, inspect the token "p1ctl token get" would print (from
the cache when it holds a good one). With "-", read the token from standard
input; white space and an "Authorization: Bearer" or "Bearer" prefix are
ignored, so the output of "p1ctl token get -o header" can be piped in. A
token given as an argument is visible to other users of this machine while
p1ctl runs: prefer "-".

Decoding alone does not check the token. --verify also checks its signature
against the issuer's published keys and that it has not expired. The keys
are found as OpenID Connect Discovery says: the jwks_uri of
{iss}/.well-known/openid-configuration, or {iss}/jwks (PingOne's) when the
issuer has no discovery document; both requests are sent without any
credentials. They are fetched only when the token's issuer is on the
configured auth host (--region, --root-domain, --custom-domain, --auth-url
or --token-url), and only from the issuer's own host: p1ctl never fetches
keys from a host named only by the token or by a discovery document. The
token itself is never sent anywhere.

A token that is not a JWT exits with status 2; with --verify, a token whose
signature does not verify, or that has expired, exits with status 3, and an
issuer that publishes no keys (HTTP 404) with status 5.`,
		Example: `  # The configured client's token
  p1ctl token inspect

  # Check a token someone pasted: signature and expiry
  pbpaste | p1ctl token inspect - --verify

  # The expiry of the cached token, for a script
  p1ctl token inspect -o json | jq -r .expiresAt`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tok, err := cmdutil.OptionalArg(args, "token")
			if err != nil {
				return err
			}
			opts.Token = tok
			if runF != nil {
				return runF(opts)
			}
			return inspectRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, false, output.FormatTable)
	cmd.Flags().BoolVar(&opts.Verify, "verify", false, "check the signature with the issuer's keys, and the expiry")
	return cmd
}

func inspectRun(ctx context.Context, opts *InspectOptions) error {
	raw, err := inspectInput(ctx, opts)
	if err != nil {
		return err
	}
	tok, err := jwtinfo.Decode(raw)
	if err != nil {
		return err
	}
	now := opts.Now()
	var v *verification
	if opts.Verify {
		if v, err = verifyToken(ctx, opts, tok, now); err != nil {
			return err
		}
	}
	if opts.Output.IsData() {
		return opts.Output.Write(ctx, opts.IO.Out, inspectJSON(tok, v, now))
	}
	return output.FieldTable(opts.IO.Out, inspectFields(tok, v, now))
}

// inspectInput returns the token to inspect, registered for redaction.
func inspectInput(ctx context.Context, opts *InspectOptions) (string, error) {
	var raw string
	switch opts.Token {
	case "":
		settings, err := opts.Settings()
		if err != nil {
			return "", err
		}
		src, err := opts.TokenSource(cmdutil.TokenOptions{})
		if err != nil {
			return "", err
		}
		tok, err := src.Token(ctx)
		if err != nil {
			return "", cmdutil.WithTarget(err, cmdutil.TargetFor(settings, settings.EnvironmentID, "the token request"))
		}
		return tok.AccessToken, nil
	case "-":
		data, err := io.ReadAll(io.LimitReader(opts.IO.In, maxTokenBytes+1))
		if err != nil {
			return "", fmt.Errorf("reading the token from standard input: %w", err)
		}
		if len(data) > maxTokenBytes {
			return "", cmdutil.FlagErrorf("standard input holds more than %d KiB, which is not an access token", maxTokenBytes>>10)
		}
		raw = jwtinfo.Clean(string(data))
		if raw == "" {
			return "", cmdutil.FlagErrorf("no token on standard input")
		}
	default:
		raw = jwtinfo.Clean(opts.Token)
		if raw == "" {
			return "", cmdutil.FlagErrorf("the token argument is empty")
		}
	}
	opts.Redactor.Add(raw)
	return raw, nil
}

// verification records a successful --verify.
type verification struct {
	key       *jose.JSONWebKey
	keySetURL string
}

// verifyToken checks tok against its issuer's keys, fetched only from the
// configured auth host and without sending any credentials.
func verifyToken(ctx context.Context, opts *InspectOptions, tok *jwtinfo.Token, now time.Time) (*verification, error) {
	settings, err := opts.Settings()
	if err != nil {
		return nil, err
	}
	const hint = "--verify fetches keys only from the configured auth host; if you trust the token's issuer, point --region, --custom-domain, --auth-url or --token-url at it"
	if tok.Issuer == "" {
		// The token's fault, not the configuration's.
		return nil, &jwtinfo.VerificationError{Reason: jwtinfo.ReasonNoIssuer}
	}
	if err := jwtinfo.CheckIssuer(tok.Issuer, settings.AuthBaseURL, settings.TokenURL); err != nil {
		return nil, &config.Error{Problem: "cannot verify the token", Err: err, Hint: hint}
	}
	if _, err := jwtinfo.DiscoveryURL(tok.Issuer); err != nil {
		return nil, &config.Error{Problem: "cannot verify the token", Err: err, Hint: hint}
	}
	hc, err := opts.HTTPClient()
	if err != nil {
		return nil, err
	}
	keys, keySetURL, err := jwtinfo.FindKeySet(ctx, hc, tok.Issuer)
	if err != nil {
		return nil, cmdutil.WithTarget(err, cmdutil.TargetFor(settings, settings.EnvironmentID, "fetching the issuer's signing keys"))
	}
	key, err := tok.Verify(keys, keySetURL, now)
	if err != nil {
		return nil, err
	}
	return &verification{key: key, keySetURL: keySetURL}, nil
}

// inspection is the -o json document.
type inspection struct {
	Header map[string]any  `json:"header"`
	Claims json.RawMessage `json:"claims"`
	// Scopes are those of the scope claim, or of scp without one.
	Scopes    []string `json:"scopes,omitempty"`
	IssuedAt  string   `json:"issuedAt,omitempty"`
	NotBefore string   `json:"notBefore,omitempty"`
	ExpiresAt string   `json:"expiresAt,omitempty"`
	// ExpiresIn is in seconds, negative once expired; absent without exp.
	ExpiresIn *int64 `json:"expiresIn,omitempty"`
	Expired   bool   `json:"expired"`
	// Verified is present only with --verify.
	Verified *bool `json:"verified,omitempty"`
}

func inspectJSON(tok *jwtinfo.Token, v *verification, now time.Time) inspection {
	doc := inspection{
		Header:    tok.Header.Map(),
		Claims:    tok.Claims,
		Scopes:    tok.Scopes,
		IssuedAt:  rfc3339(tok.IssuedAt),
		NotBefore: rfc3339(tok.NotBefore),
		ExpiresAt: rfc3339(tok.Expiry),
		Expired:   tok.Expired(now),
	}
	if !tok.Expiry.IsZero() {
		secs := int64(tok.ExpiresIn(now).Truncate(time.Second) / time.Second)
		doc.ExpiresIn = &secs
	}
	if v != nil {
		verified := true
		doc.Verified = &verified
	}
	return doc
}

func inspectFields(tok *jwtinfo.Token, v *verification, now time.Time) []output.Field {
	signature := "not verified (use --verify)"
	if v != nil {
		signature = "verified with key " + orNone(v.key.KeyID) + " from " + v.keySetURL
	}
	fields := []output.Field{
		{Name: "Algorithm", Value: tok.Header.Algorithm},
		{Name: "Key ID", Value: tok.Header.KeyID},
		{Name: "Type", Value: tok.Header.Type},
		{Name: "Issuer", Value: tok.Issuer},
		{Name: "Audience", Value: strings.Join(tok.Audience, ", ")},
		{Name: "Client ID", Value: tok.ClientID},
		{Name: "Environment", Value: tok.Env},
		{Name: "Organization", Value: tok.Org},
		{Name: "Scopes", Value: strings.Join(tok.Scopes, " ")},
		{Name: "Subject", Value: tok.Subject},
		{Name: "Token ID", Value: tok.ID},
		{Name: "Issued at", Value: rfc3339(tok.IssuedAt)},
		{Name: "Not before", Value: rfc3339(tok.NotBefore)},
		{Name: "Expires at", Value: rfc3339(tok.Expiry)},
		{Name: "Status", Value: status(tok, now)},
		{Name: "Signature", Value: signature},
	}
	for _, name := range tok.OtherNames() {
		fields = append(fields, output.Field{Name: name, Value: claimText(tok.Other[name])})
	}
	for _, name := range slices.Sorted(maps.Keys(tok.Header.Extra)) {
		fields = append(fields, output.Field{Name: "Header " + name, Value: claimText(tok.Header.Extra[name])})
	}
	for i := range fields {
		fields[i].Name, fields[i].Value = printable(fields[i].Name), printable(fields[i].Value)
	}
	return fields
}

// status says whether the token is usable now, and for how long.
func status(tok *jwtinfo.Token, now time.Time) string {
	switch {
	case tok.Expiry.IsZero():
		return "no expiry"
	case tok.Expired(now):
		return "expired " + jwtinfo.FormatDuration(tok.ExpiresIn(now)) + " ago"
	case !tok.NotBefore.IsZero() && tok.NotBefore.After(now):
		return "not valid yet (valid in " + jwtinfo.FormatDuration(tok.NotBefore.Sub(now)) + ")"
	}
	return "valid, expires in " + jwtinfo.FormatDuration(tok.ExpiresIn(now))
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// claimText shows a claim value: strings as they are, anything else as
// JSON.
func claimText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// printable quotes s when it holds characters a terminal would interpret:
// claims come from whoever made the token.
func printable(s string) string {
	for _, r := range s {
		if !unicode.IsGraphic(r) {
			q := strconv.QuoteToGraphic(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(no kid)"
	}
	return s
}
