package secretcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/emulator"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// rig is an in-process emulator and rotate options whose caller is the
// demo worker.
type rig struct {
	srv    *emulator.Server
	opts   *RotateOptions
	stdout *bytes.Buffer
	stderr *bytes.Buffer
}

func newRig(t *testing.T) *rig {
	t.Helper()
	srv, err := emulator.New(emulator.DefaultFixture())
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	settings := &config.Settings{
		ClientID:      emulator.DemoClientID,
		ClientSecret:  emulator.DemoClientSecret,
		AuthMethod:    config.AuthClientSecretBasic,
		EnvironmentID: emulator.DemoEnvironmentID,
		TokenURL:      ts.URL + "/" + emulator.DemoEnvironmentID + "/as/token",
		APIURL:        ts.URL + "/v1",
	}
	r := &rig{srv: srv, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	red := &redact.Redactor{}
	hc := func() (*http.Client, error) { return ts.Client(), nil }
	r.opts = &RotateOptions{
		IO:         &iostreams.IOStreams{In: strings.NewReader(""), Out: r.stdout, ErrOut: r.stderr},
		Redactor:   red,
		Now:        time.Now,
		Settings:   func() (*config.Settings, error) { return settings, nil },
		HTTPClient: hc,
		APIClient: func() (*api.Client, error) {
			src := &auth.Source{Client: &auth.Client{TokenURL: settings.TokenURL, ClientID: settings.ClientID, ClientSecret: settings.ClientSecret, Method: settings.AuthMethod, HTTPClient: ts.Client(), Redactor: red}}
			return &api.Client{BaseURL: settings.APIURL, HTTP: ts.Client(), Tokens: src, Redactor: red}, nil
		},
		KeepPrevious: DefaultKeepPrevious,
		Output:       export.Options{Format: output.FormatJSON},
	}
	return r
}

func TestRotateWritesVerifiesAndHidesTheSecret(t *testing.T) {
	r := newRig(t)
	r.opts.AppID = emulator.JWTClientID
	r.opts.VerifyMethod = config.AuthClientSecretJWT
	r.opts.Out = filepath.Join(t.TempDir(), "jwt-secret")
	before := time.Now()
	if err := rotateRun(context.Background(), r.opts); err != nil {
		t.Fatalf("rotate: %v (stderr %s)", err, r.stderr)
	}
	info, err := os.Stat(r.opts.Out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("--out mode %o, want 600", info.Mode().Perm())
	}
	secret, _ := os.ReadFile(r.opts.Out)
	if len(secret) < 32 || string(secret) == emulator.JWTClientSecret {
		t.Fatalf("--out holds %d bytes, not a new secret", len(secret))
	}
	var res RotateResult
	if err := json.Unmarshal(r.stdout.Bytes(), &res); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if !res.Verified || res.VerifiedWith != config.AuthClientSecretJWT || res.AppID != emulator.JWTClientID {
		t.Errorf("result = %+v", res)
	}
	expires, err := time.Parse(time.RFC3339, res.PreviousExpiresAt)
	if err != nil || expires.Before(before.Add(DefaultKeepPrevious-time.Minute)) || expires.After(time.Now().Add(DefaultKeepPrevious+time.Minute)) {
		t.Errorf("previousExpiresAt %q is not an hour ahead", res.PreviousExpiresAt)
	}
	for name, out := range map[string]string{"stdout": r.stdout.String(), "stderr": r.stderr.String()} {
		if strings.Contains(out, string(secret)) || strings.Contains(out, emulator.JWTClientSecret) {
			t.Errorf("%s shows a secret", name)
		}
	}
	// Registered with the redactor: any later message masks them.
	if red := r.opts.Redactor.String("x " + string(secret) + " " + emulator.JWTClientSecret); strings.Contains(red, string(secret)) || strings.Contains(red, emulator.JWTClientSecret) {
		t.Errorf("redactor does not mask the new and previous secrets: %q", red)
	}
	if n := r.srv.Count(emulator.EndpointSecret); n != 1 {
		t.Errorf("%d rotations, want 1", n)
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(r.opts.Out), ".*tmp*")); len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

func TestRotateRefusesBeforeAnyRequest(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing")
	if err := os.WriteFile(existing, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	readOnlyDir := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnlyDir, 0o500); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		setup func(*RotateOptions)
		flag  string
	}{
		{"app ID not a UUID", func(o *RotateOptions) { o.AppID = "app" }, "--app-id"},
		{"no app ID", func(o *RotateOptions) { o.AppID = "" }, "--app-id"},
		{"keep-previous over 720h", func(o *RotateOptions) { o.KeepPrevious = 721 * time.Hour }, "--keep-previous"},
		{"keep-previous negative", func(o *RotateOptions) { o.KeepPrevious = -time.Minute }, "--keep-previous"},
		{"keep-previous under a minute", func(o *RotateOptions) { o.KeepPrevious = time.Second }, "--keep-previous"},
		{"missing directory", func(o *RotateOptions) { o.Out = filepath.Join(dir, "nope", "s") }, "--out"},
		{"existing file", func(o *RotateOptions) { o.Out = existing }, "--force"},
		{"unwritable directory", func(o *RotateOptions) { o.Out = filepath.Join(readOnlyDir, "s") }, "--out"},
		{"bad verify method", func(o *RotateOptions) { o.VerifyMethod = "private_key_jwt" }, "--verify-auth-method"},
		{"own private_key_jwt", func(o *RotateOptions) { o.AppID = emulator.DemoClientID }, "--verify-auth-method"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "unwritable directory" && os.Geteuid() == 0 {
				t.Skip("root writes anywhere")
			}
			r := newRig(t)
			r.opts.AppID = emulator.PostClientID
			r.opts.Out = filepath.Join(dir, tc.name)
			if tc.name == "own private_key_jwt" {
				s, _ := r.opts.Settings()
				s.AuthMethod, s.PrivateKeyFile = config.AuthPrivateKeyJWT, "key.pem"
			}
			tc.setup(r.opts)
			err := rotateRun(context.Background(), r.opts)
			p := cmdutil.Describe(err)
			code, msg := p.Code, p.String()
			if code != cmdutil.ExitUsage || !strings.Contains(msg, tc.flag) {
				t.Errorf("exit %d %q, want %d naming %s", code, msg, cmdutil.ExitUsage, tc.flag)
			}
			if n := r.srv.Count(""); n != 0 {
				t.Errorf("%d requests, want none", n)
			}
		})
	}
	if got, _ := os.ReadFile(existing); string(got) != "keep" {
		t.Errorf("existing file changed to %q", got)
	}
}

func TestRotateVerificationRefused(t *testing.T) {
	r := newRig(t)
	r.srv.SetQuirks(emulator.Quirks{RejectNewSecret: true})
	r.opts.AppID = emulator.PostClientID
	r.opts.VerifyMethod = config.AuthClientSecretPost
	r.opts.Out = filepath.Join(t.TempDir(), "s")
	err := rotateRun(context.Background(), r.opts)
	var silent *cmdutil.SilentError
	if !errors.As(err, &silent) || silent.Code != cmdutil.ExitAuth {
		t.Fatalf("err = %v, want exit %d", err, cmdutil.ExitAuth)
	}
	var res RotateResult
	if err := json.Unmarshal(r.stdout.Bytes(), &res); err != nil || res.Verified {
		t.Errorf("result %+v (%v), want verified false", res, err)
	}
	if !strings.Contains(r.stderr.String(), res.PreviousExpiresAt) || res.PreviousExpiresAt == "" {
		t.Errorf("stderr %q does not say when the previous secret expires (%s)", r.stderr, res.PreviousExpiresAt)
	}
	secret, _ := os.ReadFile(r.opts.Out)
	if len(secret) == 0 || strings.Contains(r.stderr.String(), string(secret)) {
		t.Error("the new secret is missing from --out or shown on stderr")
	}
}

// TestRotateFilters checks --jq on the report: it goes to standard error
// with --out -, beside the secret alone on standard output; and a bad
// expression stops rotate before any request.
func TestRotateFilters(t *testing.T) {
	r := newRig(t)
	r.opts.AppID = emulator.JWTClientID
	r.opts.VerifyMethod = config.AuthClientSecretJWT
	r.opts.Out = "-"
	r.opts.Output = export.Options{JQ: ".appId"}
	if err := r.opts.Output.Compile(false); err != nil {
		t.Fatal(err)
	}
	if err := rotateRun(context.Background(), r.opts); err != nil {
		t.Fatalf("rotate: %v (stderr %s)", err, r.stderr)
	}
	if got := r.stderr.String(); got != emulator.JWTClientID+"\n" {
		t.Errorf("stderr %q, want the application ID raw", got)
	}
	if lines := strings.Split(strings.TrimSuffix(r.stdout.String(), "\n"), "\n"); len(lines) != 1 || len(lines[0]) < 32 {
		t.Errorf("stdout is not the secret alone: %d lines", len(lines))
	}

	bad := newRig(t)
	cmd := NewCmdRotate(&cmdutil.Factory{IOStreams: bad.opts.IO}, func(o *RotateOptions) error { return rotateRun(context.Background(), o) })
	cmd.SetArgs([]string{"--app-id", emulator.JWTClientID, "--out", "-", "--jq", ".["})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	p := cmdutil.Describe(cmd.Execute())
	if p.Code != cmdutil.ExitUsage || !strings.Contains(p.String(), ".[") {
		t.Errorf("bad --jq: exit %d %q", p.Code, p.String())
	}
	if n := bad.srv.Count(emulator.EndpointSecret); n != 0 {
		t.Errorf("%d rotations after a bad --jq, want 0", n)
	}
}
