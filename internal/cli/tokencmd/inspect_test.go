package tokencmd

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/jwtinfo"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/redact"
)

const (
	testEnv    = "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0"
	testOrg    = "5fa70f81-1e8a-48e7-b444-aa37e1dc248c"
	testClient = "5b41efba-9307-4181-b0e2-c52a68e3b165"
	testKID    = "key-1"
)

var (
	testNow     = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
)

func signingKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

// issue signs a PingOne-shaped access token from issuer, expiring at exp.
func issue(t *testing.T, issuer string, exp time.Time) string {
	t.Helper()
	return issueClaims(t, map[string]any{
		"client_id": testClient,
		"iss":       issuer,
		"aud":       []string{"https://api.pingone.com"},
		"scope":     "openid profile",
		"iat":       exp.Add(-time.Hour).Unix(),
		"exp":       exp.Unix(),
		"jti":       "jti-1",
		"env":       testEnv,
		"org":       testOrg,
		"acr":       "Single_Factor\x1b[31m",
	})
}

// issueClaims signs an access token with the test key.
func issueClaims(t *testing.T, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: signingKey(t), KeyID: testKID}},
		(&jose.SignerOptions{}).WithType("JWT"),
	)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// jwks serves the test key's public half at /{env}/as/jwks and records
// every request.
type jwks struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	status   int
}

func newJWKS(t *testing.T) *jwks {
	t.Helper()
	j := &jwks{status: http.StatusOK}
	j.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j.mu.Lock()
		j.requests = append(j.requests, r.Clone(context.Background()))
		status := j.status
		j.mu.Unlock()
		if r.URL.Path != "/"+testEnv+"/as/jwks" || status != http.StatusOK {
			http.Error(w, "not found", max(status, http.StatusNotFound))
			return
		}
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &signingKey(t).PublicKey, KeyID: testKID, Algorithm: "RS256", Use: "sig"},
		}})
	}))
	t.Cleanup(j.Close)
	return j
}

func (j *jwks) issuer() string { return j.URL + "/" + testEnv + "/as" }

type fakeSource struct {
	tok *auth.Token
	err error
}

func (f *fakeSource) Token(context.Context) (*auth.Token, error) { return f.tok, f.err }

func tamperSignature(raw string) string {
	parts := strings.Split(raw, ".")
	sig := []byte(parts[2])
	if sig[10] == 'A' {
		sig[10] = 'B'
	} else {
		sig[10] = 'A'
	}
	parts[2] = string(sig)
	return strings.Join(parts, ".")
}

func TestNewCmdInspect(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    InspectOptions
		wantErr bool
	}{
		{name: "defaults", args: nil, want: InspectOptions{Output: export.Options{Format: "table"}}},
		{name: "token argument", args: []string{"eyJ.a.b"}, want: InspectOptions{Token: "eyJ.a.b", Output: export.Options{Format: "table"}}},
		{name: "stdin, json, verify", args: []string{"-", "-o", "json", "--verify"}, want: InspectOptions{Token: "-", Output: export.Options{Format: "json"}, Verify: true}},
		{name: "two tokens", args: []string{"a", "b"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *InspectOptions
			cmd := NewCmdInspect(&cmdutil.Factory{IOStreams: ios}, func(o *InspectOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Token != tt.want.Token || got.Output.Format != tt.want.Output.Format || got.Verify != tt.want.Verify {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestInspectRun(t *testing.T) {
	srv := newJWKS(t)
	good := issue(t, srv.issuer(), testNow.Add(59*time.Minute+12*time.Second))
	expired := issue(t, srv.issuer(), testNow.Add(-5*time.Minute))
	foreign := issue(t, "https://auth.pingone.eu/"+testEnv+"/as", testNow.Add(time.Hour))
	sameHostOtherPort := issue(t, "http://127.0.0.1:1/"+testEnv+"/as", testNow.Add(time.Hour))
	noIssuer := issue(t, "", testNow.Add(time.Hour))

	settings := &config.Settings{
		EnvironmentID: testEnv,
		AuthBaseURL:   srv.URL,
		TokenURL:      srv.URL + "/" + testEnv + "/as/token",
	}
	tests := []struct {
		name       string
		opts       InspectOptions
		stdin      string
		source     *fakeSource
		want       []string // lines or fragments of stdout
		wantNot    []string
		wantErr    any // pointer to the error type wanted
		wantErrMsg string
		wantFetch  int // requests: the discovery document (404 here), then {iss}/jwks
	}{
		{
			name:   "configured client's token, table",
			source: &fakeSource{tok: &auth.Token{AccessToken: good}},
			want: []string{
				"Algorithm     RS256\n",
				"Key ID        key-1\n",
				"Type          JWT\n",
				"Issuer        " + srv.issuer() + "\n",
				"Audience      https://api.pingone.com\n",
				"Client ID     " + testClient + "\n",
				"Environment   " + testEnv + "\n",
				"Organization  " + testOrg + "\n",
				"Scopes        openid profile\n",
				"Token ID      jti-1\n",
				"Issued at     2026-11-24T11:59:12Z\n",
				"Expires at    2026-11-24T12:59:12Z\n",
				"Status        valid, expires in 59m12s\n",
				"Signature     not verified (use --verify)\n",
				`acr           Single_Factor\x1b[31m` + "\n",
			},
			wantNot: []string{"Not before", "Subject", "\x1b", good},
		},
		{
			name:  "stdin with a header prefix, json",
			opts:  InspectOptions{Token: "-", Output: export.Options{Format: "json"}},
			stdin: "Authorization: Bearer " + good + "\n",
			want: []string{
				`"header": {` + "\n" + `    "alg": "RS256",` + "\n" + `    "kid": "key-1",` + "\n" + `    "typ": "JWT"` + "\n  },",
				`"client_id": "` + testClient + `",`,
				`"env": "` + testEnv + `",`,
				`"issuedAt": "2026-11-24T11:59:12Z",`,
				`"expiresAt": "2026-11-24T12:59:12Z",`,
				`"expiresIn": 3552,`,
				`"expired": false` + "\n}",
			},
			wantNot: []string{"verified", "notBefore", good},
		},
		{
			name: "argument, expired",
			opts: InspectOptions{Token: "Bearer " + expired},
			want: []string{"Status        expired 5m ago\n"},
		},
		{
			name: "expired, json",
			opts: InspectOptions{Token: expired, Output: export.Options{Format: "json"}},
			want: []string{`"expiresIn": -300,`, `"expired": true`},
		},
		{
			name:      "verify good",
			opts:      InspectOptions{Token: good, Verify: true},
			want:      []string{"Signature     verified with key key-1 from " + srv.issuer() + "/jwks\n"},
			wantFetch: 2,
		},
		{
			name:      "verify good, json",
			opts:      InspectOptions{Token: good, Verify: true, Output: export.Options{Format: "json"}},
			want:      []string{`"verified": true`},
			wantFetch: 2,
		},
		{
			name:       "verify tampered",
			opts:       InspectOptions{Token: tamperSignature(good), Verify: true},
			wantErr:    new(*jwtinfo.VerificationError),
			wantErrMsg: `the token's signature does not verify with the key "key-1" from ` + srv.issuer() + "/jwks",
			wantFetch:  2,
		},
		{
			name:       "verify expired",
			opts:       InspectOptions{Token: expired, Verify: true},
			wantErr:    new(*jwtinfo.VerificationError),
			wantErrMsg: "the token expired 5m ago (at 2026-11-24T11:55:00Z)",
			wantFetch:  2,
		},
		{
			name:       "verify refuses an issuer on another host",
			opts:       InspectOptions{Token: foreign, Verify: true},
			wantErr:    new(*config.Error),
			wantErrMsg: "https://auth.pingone.eu/" + testEnv + "/as", // the issuer refused
		},
		{
			name:       "verify refuses the same address on another port",
			opts:       InspectOptions{Token: sameHostOtherPort, Verify: true},
			wantErr:    new(*config.Error),
			wantErrMsg: "refusing to fetch signing keys",
		},
		{
			// The token's fault, not the configuration's: it fails
			// verification (exit 3) rather than being a settings error.
			name:       "verify a token that names no issuer",
			opts:       InspectOptions{Token: noIssuer, Verify: true},
			wantErr:    new(*jwtinfo.VerificationError),
			wantErrMsg: "the token names no issuer (iss claim)",
		},
		{
			name:       "opaque token",
			opts:       InspectOptions{Token: "-"},
			stdin:      "8d2b4c7a9e610b5d2f7a9c13\n",
			wantErr:    new(*jwtinfo.MalformedError),
			wantErrMsg: "the token is not a JWT",
		},
		{
			name:       "empty stdin",
			opts:       InspectOptions{Token: "-"},
			stdin:      " \n",
			wantErr:    new(*cmdutil.FlagError),
			wantErrMsg: "no token on standard input",
		},
		{
			name:       "huge stdin",
			opts:       InspectOptions{Token: "-"},
			stdin:      strings.Repeat("a", maxTokenBytes+1),
			wantErr:    new(*cmdutil.FlagError),
			wantErrMsg: "more than 64 KiB",
		},
		{
			name:       "token request fails",
			source:     &fakeSource{err: &auth.RejectedError{Status: 401, Code: "invalid_client"}},
			wantErr:    new(*cmdutil.TargetError),
			wantErrMsg: "token request rejected",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.mu.Lock()
			srv.requests = nil
			srv.mu.Unlock()
			ios, stdin, stdout, _ := iostreams.Test()
			stdin.WriteString(tt.stdin)
			opts := tt.opts
			if opts.Output.Format == "" {
				opts.Output.Format = "table"
			}
			opts.IO = ios
			opts.Now = func() time.Time { return testNow }
			opts.Redactor = &redact.Redactor{}
			opts.Settings = func() (*config.Settings, error) { return settings, nil }
			opts.HTTPClient = func() (*http.Client, error) { return srv.Client(), nil }
			opts.TokenSource = func(cmdutil.TokenOptions) (TokenGetter, error) {
				if tt.source == nil {
					t.Fatal("the token source was used")
				}
				return tt.source, nil
			}
			err := inspectRun(context.Background(), &opts)
			if tt.wantErr != nil {
				if err == nil || !errors.As(err, tt.wantErr) {
					t.Fatalf("error = %v (%T), want %T", err, err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErrMsg) {
					t.Errorf("error %q does not contain %q", err, tt.wantErrMsg)
				}
				if stdout.Len() > 0 {
					t.Errorf("stdout = %q, want nothing", stdout)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout does not contain %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(stdout.String(), w) {
					t.Errorf("stdout contains %q:\n%s", w, stdout)
				}
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if len(srv.requests) != tt.wantFetch {
				t.Errorf("%d key set requests, want %d", len(srv.requests), tt.wantFetch)
			}
			for _, r := range srv.requests {
				if r.Method != http.MethodGet || r.Header.Get("Authorization") != "" || r.URL.RawQuery != "" {
					t.Errorf("key set request %s %s with Authorization %q: want a plain GET", r.Method, r.URL, r.Header.Get("Authorization"))
				}
				for name, values := range r.Header {
					for _, v := range values {
						if strings.Contains(v, "eyJ") {
							t.Errorf("key set request header %s carries a token", name)
						}
					}
				}
			}
			// A token given on the command line or stdin is masked in messages.
			given := tt.opts.Token
			if given == "-" {
				given = tt.stdin
			}
			if given != "" && tt.wantErr == nil && opts.Redactor.String(jwtinfo.Clean(given)) != redact.Mask {
				t.Error("the token was not registered for redaction")
			}
		})
	}
}

// Scopes in an scp claim (Hydra's, Okta's) are shown as scopes, in the
// table and as -o json's scopes, like PingOne's scope claim.
func TestInspectScopes(t *testing.T) {
	for _, claims := range []map[string]any{
		{"iss": "https://hydra.example/", "scp": []string{"read", "write"}},
		{"iss": "https://auth.pingone.com/" + testEnv + "/as", "scope": "read write"},
	} {
		raw := issueClaims(t, claims)
		for format, want := range map[string]*regexp.Regexp{
			"table": regexp.MustCompile(`(?m)^Scopes +read write$`),
			"json":  regexp.MustCompile(`"scopes": \[\s*"read",\s*"write"\s*\]`),
		} {
			ios, _, stdout, _ := iostreams.Test()
			err := inspectRun(context.Background(), &InspectOptions{
				IO: ios, Token: raw, Output: export.Options{Format: output.Format(format)}, Redactor: &redact.Redactor{},
				Now: func() time.Time { return testNow },
			})
			if err != nil {
				t.Fatal(err)
			}
			if !want.MatchString(stdout.String()) {
				t.Errorf("%v, -o %s: stdout does not match %s:\n%s", claims, format, want, stdout)
			}
			if strings.Contains(stdout.String(), "scp ") {
				t.Errorf("%v: scp shown again as another claim:\n%s", claims, stdout)
			}
		}
	}
}

func TestInspectKeySetErrors(t *testing.T) {
	srv := newJWKS(t)
	good := issue(t, srv.issuer(), testNow.Add(time.Hour))
	settings := &config.Settings{AuthBaseURL: srv.URL}
	run := func() error {
		ios, _, _, _ := iostreams.Test()
		return inspectRun(context.Background(), &InspectOptions{
			IO: ios, Token: good, Verify: true, Output: export.Options{Format: "table"},
			Now:        func() time.Time { return testNow },
			Settings:   func() (*config.Settings, error) { return settings, nil },
			HTTPClient: func() (*http.Client, error) { return srv.Client(), nil },
		})
	}
	srv.status = http.StatusServiceUnavailable
	var ke *jwtinfo.KeySetError
	if err := run(); !errors.As(err, &ke) || ke.Status != http.StatusServiceUnavailable {
		t.Errorf("JWKS answering 503: error = %v, want a *jwtinfo.KeySetError", err)
	}
	srv.Close()
	if err := run(); err == nil || errors.As(err, &ke) {
		t.Errorf("JWKS unreachable: error = %v, want a network error", err)
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"Zürich – 日本", "Zürich – 日本"},
		{"red\x1b[31m", `red\x1b[31m`},
		{"a\nb", `a\nb`},
		{"rtl\u202eoverride", `rtl\u202eoverride`},
	}
	for _, tt := range tests {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
