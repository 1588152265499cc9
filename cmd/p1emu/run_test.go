package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/emulator"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

func TestRunServesUntilCancelled(t *testing.T) {
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "url")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var stdout, stderr testutil.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--url-file", urlFile, "--print-env", "--token-lifetime", "90s"}, &stdout, &stderr)
	}()

	base := waitForFile(t, urlFile, done)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("URL file holds %q", base)
	}
	// Scripts source the --print-env output once the URL file exists (see
	// docs/emulator.md): it must be complete by then.
	envAtURLFile := stdout.String()

	// The emulator answers, with the configured token lifetime.
	resp := postDemoToken(t, base)
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(buf.String(), `"expires_in":90`) {
		t.Fatalf("token: status %d: %s", resp.StatusCode, buf.String())
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d, stderr: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancellation")
	}

	if got, want := stderr.String(), "p1emu: serving PingOne emulator at "+base+"\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	wantEnv := "export PINGONE_AUTH_URL='" + base + "'\n" +
		"export PINGONE_API_URL='" + base + "/v1'\n" +
		"export PINGONE_ENVIRONMENT_ID='" + emulator.DemoEnvironmentID + "'\n" +
		"export PINGONE_CLIENT_ID='" + emulator.DemoClientID + "'\n" +
		"export PINGONE_CLIENT_SECRET='" + emulator.DemoClientSecret + "'\n" +
		"export PINGONE_AUTH_METHOD='client_secret_basic'\n"
	if stdout.String() != wantEnv {
		t.Errorf("stdout = %q, want %q", stdout.String(), wantEnv)
	}
	if envAtURLFile != wantEnv {
		t.Errorf("stdout when the URL file appeared = %q, want all of %q", envAtURLFile, wantEnv)
	}
	if _, err := os.Stat(urlFile); !os.IsNotExist(err) {
		t.Errorf("URL file not removed on exit: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("leftover files: %v", entries)
	}
}

func TestRunWithFixture(t *testing.T) {
	dir := t.TempDir()
	fixture := filepath.Join(dir, "fixture.yaml")
	const yaml = `organization-id: 11111111-1111-4111-8111-111111111111
environments:
  - {id: 22222222-2222-4222-8222-222222222222, name: Only, type: SANDBOX, region: EU}
clients:
  - {id: 33333333-3333-4333-8333-333333333333, secret: off, disabled: true, environment-id: 22222222-2222-4222-8222-222222222222}
  - {id: 44444444-4444-4444-8444-444444444444, secret: "it's", environment-id: 22222222-2222-4222-8222-222222222222}
`
	if err := os.WriteFile(fixture, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	urlFile := filepath.Join(dir, "url")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--fixture", fixture, "--url-file", urlFile, "--print-env"}, &stdout, &stderr)
	}()
	waitForFile(t, urlFile, done)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}
	for _, want := range []string{
		"export PINGONE_ENVIRONMENT_ID='22222222-2222-4222-8222-222222222222'\n",
		"export PINGONE_CLIENT_ID='44444444-4444-4444-8444-444444444444'\n",
		`export PINGONE_CLIENT_SECRET='it'\''s'` + "\n",
		"export PINGONE_AUTH_METHOD='client_secret_basic'\n",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout %q lacks %q", stdout.String(), want)
		}
	}
}

// TestRunMissingEnvForbidden checks that --missing-env-forbidden makes an
// environment that does not exist answer the demo client 403, as PingOne
// may, rather than the default 404.
func TestRunMissingEnvForbidden(t *testing.T) {
	const missingEnv = "99999999-9999-4999-8999-999999999999"
	tests := []struct {
		name   string
		args   []string
		status int
		code   string
	}{
		{"default", nil, http.StatusNotFound, `"code":"NOT_FOUND"`},
		{"flag", []string{"--missing-env-forbidden"}, http.StatusForbidden, `"code":"INSUFFICIENT_PERMISSIONS"`},
		{"flag false", []string{"--missing-env-forbidden=false"}, http.StatusNotFound, `"code":"NOT_FOUND"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			urlFile := filepath.Join(t.TempDir(), "url")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr testutil.SyncBuffer
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, append([]string{"--url-file", urlFile}, tt.args...), &stdout, &stderr)
			}()
			base := waitForFile(t, urlFile, done)

			token := demoToken(t, base)
			req, err := http.NewRequest(http.MethodGet, base+"/v1/environments/"+missingEnv, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.code) {
				t.Errorf("status %d: %s; want %d with %s", resp.StatusCode, body, tt.status, tt.code)
			}

			cancel()
			if code := <-done; code != 0 {
				t.Fatalf("exit code %d: %s", code, stderr.String())
			}
		})
	}
}

// postDemoToken makes the demo client's token request to the emulator at
// base; the caller closes the answer's body.
func postDemoToken(t *testing.T, base string) *http.Response {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}}
	req, err := http.NewRequest(http.MethodPost, base+"/"+emulator.DemoEnvironmentID+"/as/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(emulator.DemoClientID, emulator.DemoClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// demoToken gets an access token for the demo client from the emulator at base.
func demoToken(t *testing.T, base string) string {
	t.Helper()
	resp := postDemoToken(t, base)
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: status %d, decode error %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("organization-id: nope\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, 0, "Usage: p1emu"},
		{"unknown flag", []string{"--port", "80"}, 2, "flag provided but not defined"},
		{"positional argument", []string{"serve"}, 2, `unexpected argument "serve"`},
		{"bad lifetime", []string{"--token-lifetime", "0s"}, 2, "must be positive"},
		{"unparsable lifetime", []string{"--token-lifetime", "soon"}, 2, "invalid value"},
		{"all interfaces", []string{"--listen", "0.0.0.0:0"}, 1, "refusing to listen"},
		{"empty host", []string{"--listen", ":8080"}, 1, "refusing to listen"},
		{"missing fixture", []string{"--fixture", filepath.Join(dir, "nope.yaml")}, 1, "no such file"},
		{"invalid fixture", []string{"--fixture", bad}, 1, "organization-id"},
		{"URL file in missing directory", []string{"--url-file", filepath.Join(dir, "no", "such", "dir", "url")}, 1, "write URL file"},
		{"CA file without TLS", []string{"--ca-out", filepath.Join(dir, "ca.pem")}, 2, "--tls"},
		{"CA file in missing directory", []string{"--tls", "--ca-out", filepath.Join(dir, "no", "ca.pem")}, 1, "write CA file"},
		{"public URL with a path", []string{"--public-url", "https://p1emu.test/v1"}, 1, "public URL"},
		{"public URL without scheme", []string{"--public-url", "p1emu.test:8443"}, 1, "scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			if code := run(ctx, tt.args, &stdout, &stderr); code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.want)
			}
		})
	}
}

// TestWriteEnvCredentialsWork checks that the exported credentials get a
// token from the emulator when used as p1ctl would, with the exported
// PINGONE_AUTH_METHOD.
func TestWriteEnvCredentialsWork(t *testing.T) {
	const (
		org = "11111111-1111-4111-8111-111111111111"
		env = "22222222-2222-4222-8222-222222222222"
	)
	fixture := func(clients ...emulator.Client) *emulator.Fixture {
		for i := range clients {
			clients[i].EnvironmentID = env
		}
		return &emulator.Fixture{
			OrganizationID: org,
			Environments:   []map[string]any{{"id": env, "name": "Only", "type": "SANDBOX", "region": "EU"}},
			Clients:        clients,
		}
	}
	tests := []struct {
		name       string
		fixture    *emulator.Fixture
		wantClient string // "" = no credentials exported
		wantMethod string
	}{
		{name: "default fixture", fixture: emulator.DefaultFixture(),
			wantClient: emulator.DemoClientID, wantMethod: "client_secret_basic"},
		{name: "post client only", fixture: fixture(
			emulator.Client{ID: "33333333-3333-4333-8333-333333333333", Secret: "basic-but-off", Disabled: true},
			emulator.Client{ID: "44444444-4444-4444-8444-444444444444", Secret: "s3cret", AuthMethod: emulator.AuthMethodClientSecretPost},
		), wantClient: "44444444-4444-4444-8444-444444444444", wantMethod: "client_secret_post"},
		{name: "default method", fixture: fixture(
			emulator.Client{ID: "55555555-5555-4555-8555-555555555555", Secret: "s3cret"},
		), wantClient: "55555555-5555-4555-8555-555555555555", wantMethod: "client_secret_basic"},
		{name: "disabled demo client", fixture: fixture(
			emulator.Client{ID: emulator.DemoClientID, Secret: "off", Disabled: true},
			emulator.Client{ID: "66666666-6666-4666-8666-666666666666", Secret: "s3cret", AuthMethod: emulator.AuthMethodClientSecretPost},
		), wantClient: "66666666-6666-4666-8666-666666666666", wantMethod: "client_secret_post"},
		{name: "JWT clients only", fixture: fixture(
			emulator.Client{ID: "77777777-7777-4777-8777-777777777777", Secret: strings.Repeat("k", 32), AuthMethod: emulator.AuthMethodClientSecretJWT},
		)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := emulator.New(tt.fixture)
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			var out bytes.Buffer
			writeEnv(&out, ts.URL, tt.fixture, "")
			vars := parseExports(t, out.String())
			if vars["PINGONE_AUTH_URL"] != ts.URL || vars["PINGONE_API_URL"] != ts.URL+"/v1" {
				t.Errorf("URLs not exported: %q", out.String())
			}
			if tt.wantClient == "" {
				for _, name := range []string{"PINGONE_CLIENT_ID", "PINGONE_CLIENT_SECRET", "PINGONE_ENVIRONMENT_ID", "PINGONE_AUTH_METHOD"} {
					if _, ok := vars[name]; ok {
						t.Errorf("%s exported without a usable client: %q", name, out.String())
					}
				}
				return
			}
			if vars["PINGONE_CLIENT_ID"] != tt.wantClient || vars["PINGONE_AUTH_METHOD"] != tt.wantMethod {
				t.Fatalf("client %q method %q, want %q %q", vars["PINGONE_CLIENT_ID"], vars["PINGONE_AUTH_METHOD"], tt.wantClient, tt.wantMethod)
			}

			form := url.Values{"grant_type": {"client_credentials"}}
			id, secret := vars["PINGONE_CLIENT_ID"], vars["PINGONE_CLIENT_SECRET"]
			if vars["PINGONE_AUTH_METHOD"] == "client_secret_post" {
				form.Set("client_id", id)
				form.Set("client_secret", secret)
			}
			req, err := http.NewRequest(http.MethodPost, vars["PINGONE_AUTH_URL"]+"/"+vars["PINGONE_ENVIRONMENT_ID"]+"/as/token", strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if vars["PINGONE_AUTH_METHOD"] == "client_secret_basic" {
				req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("token with the exported credentials: status %d: %s", resp.StatusCode, body)
			}
		})
	}
}

// parseExports reads the export lines writeEnv prints (values quoted by
// shellQuote, which these tests' values need no escaping for).
func parseExports(t *testing.T, out string) map[string]string {
	t.Helper()
	vars := make(map[string]string)
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok || !strings.HasPrefix(value, "'") || !strings.HasSuffix(value, "'") {
			t.Fatalf("unexpected line %q", line)
		}
		vars[name] = strings.Trim(value, "'")
	}
	return vars
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":          "''",
		"plain":     "'plain'",
		"it's":      `'it'\''s'`,
		"$HOME `x`": "'$HOME `x`'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

// waitForFile waits for run to write the URL file and returns its content
// without the trailing newline.
func waitForFile(t *testing.T, path string, done <-chan int) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err == nil {
			if !strings.HasSuffix(string(data), "\n") {
				t.Fatalf("URL file %q is not newline-terminated", data)
			}
			return strings.TrimSuffix(string(data), "\n")
		}
		select {
		case code := <-done:
			t.Fatalf("run exited early with code %d", code)
		case <-deadline:
			t.Fatal("URL file never appeared")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// TestRunTLSAndPublicURL starts p1emu as docs/emulator.md does for other
// clients: HTTPS, the CA written for them, a public URL in the exports.
func TestRunTLSAndPublicURL(t *testing.T) {
	dir := t.TempDir()
	urlFile, caFile := filepath.Join(dir, "url"), filepath.Join(dir, "ca.pem")
	const public = "https://localhost:9443"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr testutil.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--tls", "--ca-out", caFile, "--public-url", public, "--url-file", urlFile, "--print-env"}, &stdout, &stderr)
	}()
	base := waitForFile(t, urlFile, done)
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("URL file holds %q, want an https URL", base)
	}
	vars := parseExports(t, stdout.String())
	if vars["SSL_CERT_FILE"] != caFile {
		t.Errorf("SSL_CERT_FILE = %q, want %q", vars["SSL_CERT_FILE"], caFile)
	}
	if vars["PINGONE_AUTH_URL"] != public || vars["PINGONE_API_URL"] != public+"/v1" {
		t.Errorf("exported URLs %q, %q; want the public URL", vars["PINGONE_AUTH_URL"], vars["PINGONE_API_URL"])
	}

	pemData, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		t.Fatalf("CA file is not PEM: %q", pemData)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(base + "/" + emulator.DemoEnvironmentID + "/as/.well-known/openid-configuration")
	if err != nil {
		t.Fatalf("HTTPS with the written CA: %v", err)
	}
	var disc struct {
		Issuer string `json:"issuer"`
	}
	err = json.NewDecoder(resp.Body).Decode(&disc)
	resp.Body.Close()
	if err != nil || disc.Issuer != public+"/"+emulator.DemoEnvironmentID+"/as" {
		t.Errorf("issuer %q (%v), want it under %s", disc.Issuer, err, public)
	}

	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d, stderr: %s", code, stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v (the URL and CA files go on exit)", entries)
	}
}

// TestRunPortBusy: when the port is taken, p1emu exits with its own error
// naming the address, and writes no URL file for a script to wait on.
func TestRunPortBusy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	urlFile := filepath.Join(t.TempDir(), "url")
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	code := run(ctx, []string{"--listen", ln.Addr().String(), "--url-file", urlFile, "--print-env"}, &stdout, &stderr)
	if code != exitError {
		t.Fatalf("exit code %d, want %d", code, exitError)
	}
	if !strings.Contains(stderr.String(), ln.Addr().String()) {
		t.Errorf("stderr %q does not name the busy address %s", stderr.String(), ln.Addr())
	}
	if stdout.Len() != 0 {
		t.Errorf("exports printed though nothing listens: %q", stdout.String())
	}
	if _, err := os.Stat(urlFile); !os.IsNotExist(err) {
		t.Errorf("URL file written though p1emu did not start: %v", err)
	}
}
