package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/emulator"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// jwtShape matches anything that looks like a JWS: an issued token must
// never reach stderr, whole or nearly whole.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)

// fullJWT matches a whole compact JWS, signature included.
var fullJWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

// TestDebugTracesRedactSecrets runs every command, and the failure paths
// users hit, with --debug, and checks that neither a client secret nor any
// issued token appears on stderr, and that a token appears on stdout only
// where the user asked for one.
func TestDebugTracesRedactSecrets(t *testing.T) {
	srv, base := startEmulator(t)
	bin := p1ctlBinary(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.pem")
	key, err := os.ReadFile(filepath.Join("..", "..", "internal", "emulator", emulator.PrivateKeyClientKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, key, 0o600); err != nil {
		t.Fatal(err)
	}
	// A profile holding a secret, for config view.
	configDir := filepath.Join(dir, "config", "p1ctl")
	if err := os.MkdirAll(configDir, 0o700); err != nil {
		t.Fatal(err)
	}
	profile := "profiles:\n  default:\n    client-secret: " + emulator.DemoClientSecret + "\n"
	if err := os.WriteFile(filepath.Join(configDir, "config.yaml"), []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}

	secrets := []string{
		emulator.DemoClientSecret, emulator.PostClientSecret, emulator.JWTClientSecret,
		emulator.NoRolesClientSecret, emulator.DisabledClientSecret, "Wrong-Secret-Value-42",
	}
	// The HTTP Basic credential decodes to the secret: echoed back by a
	// token endpoint or proxy, it must be masked like the secret.
	basicCredential := base64.StdEncoding.EncodeToString([]byte(emulator.DemoClientID + ":" + emulator.DemoClientSecret))
	secrets = append(secrets, basicCredential)
	demo := []string{
		"PINGONE_CLIENT_ID=" + emulator.DemoClientID,
		"PINGONE_CLIENT_SECRET=" + emulator.DemoClientSecret,
	}
	tests := []struct {
		name        string
		args        []string
		env         []string
		fault       *emulator.Fault
		tokenOnOut  bool
		wantFailure bool
	}{
		{name: "token get", args: []string{"token", "get", "--no-cache"}, env: demo, tokenOnOut: true},
		{name: "token get json", args: []string{"token", "get", "-o", "json"}, env: demo, tokenOnOut: true},
		{name: "token get header", args: []string{"token", "get", "-o", "header"}, env: demo, tokenOnOut: true},
		{name: "token get cached", args: []string{"token", "get"}, env: demo, tokenOnOut: true},
		{name: "client_secret_post", args: []string{"token", "get", "--no-cache", "--auth-method", "client_secret_post"}, env: []string{"PINGONE_CLIENT_ID=" + emulator.PostClientID, "PINGONE_CLIENT_SECRET=" + emulator.PostClientSecret}, tokenOnOut: true},
		{name: "client_secret_jwt", args: []string{"token", "get", "--no-cache", "--auth-method", "client_secret_jwt"}, env: []string{"PINGONE_CLIENT_ID=" + emulator.JWTClientID, "PINGONE_CLIENT_SECRET=" + emulator.JWTClientSecret}, tokenOnOut: true},
		{name: "private_key_jwt", args: []string{"token", "get", "--no-cache", "--auth-method", "private_key_jwt", "--private-key-file", keyFile}, env: []string{"PINGONE_CLIENT_ID=" + emulator.PrivateKeyClientID}, tokenOnOut: true},
		{name: "wrong secret", args: []string{"token", "get", "--no-cache"}, env: []string{"PINGONE_CLIENT_ID=" + emulator.DemoClientID, "PINGONE_CLIENT_SECRET=Wrong-Secret-Value-42"}, wantFailure: true},
		{name: "disabled app", args: []string{"token", "get"}, env: []string{"PINGONE_CLIENT_ID=" + emulator.DisabledClientID, "PINGONE_CLIENT_SECRET=" + emulator.DisabledClientSecret}, wantFailure: true},
		{name: "token endpoint 503", args: []string{"token", "get", "--no-cache", "--max-retries", "1"}, env: demo, fault: &emulator.Fault{Endpoint: emulator.EndpointToken, Status: 503, RetryAfter: "0"}, wantFailure: true},
		{name: "token endpoint echoes the credential", args: []string{"token", "get", "--no-cache"}, env: demo, fault: &emulator.Fault{Endpoint: emulator.EndpointToken, Status: 401, Body: `{"error":"invalid_client","error_description":"got Basic ` + basicCredential + `"}`}, wantFailure: true},
		{name: "token inspect", args: []string{"token", "inspect"}, env: demo},
		{name: "token inspect verify", args: []string{"token", "inspect", "--verify", "-o", "json"}, env: demo},
		{name: "token clear", args: []string{"token", "clear"}, env: demo},
		{name: "env read", args: []string{"env", "read", "-o", "json"}, env: demo},
		{name: "env read 403", args: []string{"env", "read", emulator.StagingEnvironmentID}, env: demo, wantFailure: true},
		{name: "env read 404", args: []string{"env", "read", "00000000-0000-4000-8000-000000000000"}, env: demo, wantFailure: true},
		{name: "env read revoked", args: []string{"env", "read"}, env: demo, fault: &emulator.Fault{Endpoint: emulator.EndpointEnvironment, Status: 401, Times: 1}},
		{name: "env read no roles", args: []string{"env", "read"}, env: []string{"PINGONE_CLIENT_ID=" + emulator.NoRolesClientID, "PINGONE_CLIENT_SECRET=" + emulator.NoRolesClientSecret}, wantFailure: true},
		{name: "env list", args: []string{"env", "list", "-o", "yaml"}, env: demo},
		{name: "api", args: []string{"api", "-i", "/environments/" + emulator.DemoEnvironmentID}, env: demo},
		{name: "api error", args: []string{"api", "-X", "POST", "-f", "name=x", "/environments/" + emulator.DemoEnvironmentID + "/populations"}, env: demo, wantFailure: true},
		{name: "doctor", args: []string{"doctor", "-o", "json"}, env: demo},
		{name: "doctor wrong secret", args: []string{"doctor"}, env: []string{"PINGONE_CLIENT_ID=" + emulator.DemoClientID, "PINGONE_CLIENT_SECRET=Wrong-Secret-Value-42"}, wantFailure: true},
		{name: "config view", args: []string{"config", "view"}, env: demo},
		{name: "unreachable", args: []string{"env", "read", "--auth-url", "http://127.0.0.1:9"}, env: demo, wantFailure: true},
	}
	var issued []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.Reset()
			if tt.fault != nil {
				srv.InjectFault(*tt.fault)
			}
			cmd := exec.Command(bin, append(tt.args, "--debug")...)
			cmd.Env = cleanEnv(append([]string{
				"PINGONE_AUTH_URL=" + base,
				"PINGONE_API_URL=" + base + "/v1",
				"PINGONE_ENVIRONMENT_ID=" + emulator.DemoEnvironmentID,
				"P1CTL_CACHE_DIR=" + filepath.Join(dir, "cache"),
				"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
			}, tt.env...)...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exitErr *exec.ExitError
			if failed := errors.As(err, &exitErr); failed != tt.wantFailure {
				t.Fatalf("failed = %v (%v), want %v; stderr:\n%s", failed, err, tt.wantFailure, stderr.String())
			}
			if srv.Count("") > 0 && !strings.Contains(stderr.String(), "> ") {
				t.Errorf("requests were made but no debug trace is on stderr:\n%s", stderr.String())
			}
			for _, s := range secrets {
				if strings.Contains(stderr.String(), s) || strings.Contains(stdout.String(), s) {
					t.Errorf("secret %q appears in the output", s)
				}
			}
			if strings.Contains(stderr.String(), "Basic "+redact.Mask+"…") {
				t.Errorf("the trace shows the tail of the Basic credential, which decodes to the secret's tail")
			}
			if m := jwtShape.FindString(stderr.String()); m != "" {
				t.Errorf("a token appears on stderr: %.30s…", m)
			}
			// A whole earlier token is already caught by jwtShape; a redactor
			// that kept a token's tail would show its signature alone.
			for _, tok := range issued {
				if sig := tok[strings.LastIndexByte(tok, '.')+1:]; len(sig) >= 16 && strings.Contains(stderr.String(), sig[len(sig)-16:]) {
					t.Errorf("the signature of an earlier token appears on stderr")
				}
			}
			tok := fullJWT.FindString(stdout.String())
			switch {
			case tt.tokenOnOut && tok == "":
				t.Errorf("no token on stdout:\n%s", stdout.String())
			case !tt.tokenOnOut && tok != "":
				t.Errorf("a token appears on stdout where none was asked for: %.30s…", tok)
			}
			if tok != "" {
				issued = append(issued, tok)
			}
		})
	}
}

// TestErrorExcerptsMaskTheSecret has servers echo the client secret in
// answers p1ctl quotes in its error message, with the secret before, across
// and after the point where the excerpt is cut: the message shows no part
// of it, as every excerpt is masked before it is cut.
func TestErrorExcerptsMaskTheSecret(t *testing.T) {
	srv, base := startEmulator(t)
	bin := p1ctlBinary(t)
	dir := t.TempDir()
	secret := emulator.DemoClientSecret
	page := func(pad int) string { return "<p>" + strings.Repeat("p", pad) + secret + "</p>" }
	tests := []struct {
		name     string
		args     []string
		endpoint string
		status   int
		body     func(pad int) string
	}{
		{"token endpoint page", []string{"token", "get", "--no-cache"}, emulator.EndpointToken, 503, page},
		{"API error page", []string{"env", "read"}, emulator.EndpointEnvironment, 502, page},
		{"environment list not a list", []string{"env", "list"}, emulator.EndpointEnvironments, 200, func(pad int) string {
			return `{"note":"` + strings.Repeat("p", pad) + secret + `"}`
		}},
		{"api --jq on a page", []string{"api", "--jq", ".id", "/environments/" + emulator.DemoEnvironmentID}, emulator.EndpointEnvironment, 200, page},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, pad := range []int{90, 100, 110, 116} {
				srv.Reset()
				srv.InjectFault(emulator.Fault{Endpoint: tt.endpoint, Status: tt.status, Body: tt.body(pad)})
				cmd := exec.Command(bin, append(tt.args, "--max-retries=0")...)
				cmd.Env = cleanEnv(
					"PINGONE_AUTH_URL="+base,
					"PINGONE_API_URL="+base+"/v1",
					"PINGONE_ENVIRONMENT_ID="+emulator.DemoEnvironmentID,
					"PINGONE_CLIENT_ID="+emulator.DemoClientID,
					"PINGONE_CLIENT_SECRET="+secret,
					"P1CTL_CACHE_DIR="+filepath.Join(dir, "cache"),
				)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Run(); err == nil {
					t.Fatalf("pad %d: succeeded", pad)
				}
				if !strings.Contains(stderr.String(), "ppp") {
					t.Fatalf("pad %d: the message quotes no excerpt:\n%s", pad, stderr.String())
				}
				for k := 4; k <= len(secret); k++ {
					if strings.Contains(stderr.String(), secret[:k]) {
						t.Fatalf("pad %d: the message shows %q:\n%s", pad, secret[:k], stderr.String())
					}
				}
			}
		})
	}
}
