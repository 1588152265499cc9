// Package interop runs the p1ctl binary against a third-party OAuth 2.0
// authorization server, panva's oidc-provider (OpenID Certified), to prove
// that every client authentication method p1ctl implements interoperates
// with an independent implementation, not only with p1ctl's own emulator.
//
// The server (server.mjs) needs Node.js and the npm packages pinned in
// package-lock.json:
//
//	npm ci --prefix test/interop
//	go test ./test/interop/
//
// Without them the tests skip, unless P1CTL_REQUIRE_INTEROP=1 (as run.sh
// sets), in which case they fail.
package interop

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/p1ctl/p1ctl/internal/testutil"
)

// EnvRequire makes missing prerequisites (node, node_modules) a failure
// instead of a skip.
const EnvRequire = "P1CTL_REQUIRE_INTEROP"

// Time limits: everything the tests start is bounded.
const (
	buildTimeout   = 5 * time.Minute
	startTimeout   = 30 * time.Second
	commandTimeout = 30 * time.Second
	stopTimeout    = 5 * time.Second
)

// resource is the resource server server.mjs issues tokens for.
const resource = "urn:p1ctl:interop:api"

// p1ctlBin is the p1ctl binary TestMain builds.
var p1ctlBin string

// raceEnabled is set by race_test.go when the tests run with -race.
var raceEnabled bool

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "p1ctl-interop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	p1ctlBin = filepath.Join(dir, "p1ctl")
	if runtime.GOOS == "windows" {
		p1ctlBin += ".exe"
	}
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	args := []string{"build", "-o", p1ctlBin}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.CommandContext(ctx, goTool(), append(args, "../../cmd/p1ctl")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "interop: building p1ctl: %v\n", err)
		return 1
	}
	return m.Run()
}

// goTool is the go command that runs this test, else the one on PATH.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// needs skips the test for a missing prerequisite, or fails it when
// P1CTL_REQUIRE_INTEROP=1.
func needs(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + "; install with: npm ci --prefix test/interop (Node.js 20.19+, 22.12+ or 23+), then run test/interop/run.sh"
	if os.Getenv(EnvRequire) == "1" {
		t.Fatalf("%s (%s=1 makes this a failure)", msg, EnvRequire)
	}
	t.Skip(msg)
}

// clientsFile is clients.json: the clients server.mjs registers, by method.
type clientsFile map[string]struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// testKey is a private key written as PEM, registered with the
// private_key_jwt client (or deliberately not).
type testKey struct {
	name string
	file string
	kid  string
	alg  jose.SignatureAlgorithm
	pub  crypto.PublicKey
}

// provider is a running server.mjs.
type provider struct {
	issuer   string
	tokenURL string
	jwksURI  string
	methods  []string
	clients  clientsFile
	keys     []testKey // registered with the private_key_jwt client
	unknown  testKey   // a key the server does not know
	signing  *jose.JSONWebKeySet
	stderr   *testutil.SyncBuffer
	home     string // HOME for p1ctl runs
}

// startProvider generates the private_key_jwt client's keys, starts
// server.mjs with their public halves and discovers its endpoints.
func startProvider(t *testing.T) *provider {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		needs(t, "node is not on PATH")
	}
	if !fileExists(filepath.Join("node_modules", "oidc-provider", "package.json")) {
		needs(t, "test/interop/node_modules/oidc-provider is missing")
	}

	dir := t.TempDir()
	p := &provider{stderr: &testutil.SyncBuffer{}, home: filepath.Join(dir, "home")}
	data, err := os.ReadFile("clients.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &p.clients); err != nil {
		t.Fatalf("clients.json: %v", err)
	}

	p.keys = []testKey{
		writeKey(t, dir, "rsa-pkcs1", "interop-rsa-1", jose.RS256, rsaKey(t), pkcs1),
		writeKey(t, dir, "ec-p256-sec1", "interop-ec256-1", jose.ES256, ecKey(t, elliptic.P256()), sec1),
		writeKey(t, dir, "ec-p384-pkcs8", "interop-ec384-1", jose.ES384, ecKey(t, elliptic.P384()), pkcs8),
		writeKey(t, dir, "ec-p521-pkcs8", "interop-ec521-1", jose.ES512, ecKey(t, elliptic.P521()), pkcs8),
	}
	// The registered RSA key once more, as PKCS #8.
	rsaPKCS8 := p.keys[0]
	rsaPKCS8.name, rsaPKCS8.file = "rsa-pkcs8", filepath.Join(dir, "rsa-pkcs8.pem")
	pkcs8Bytes, _ := pemBytes(t, mustReadKey(t, p.keys[0].file), pkcs8)
	writeFile(t, rsaPKCS8.file, pkcs8Bytes)
	p.keys = append(p.keys, rsaPKCS8)
	p.unknown = writeKey(t, dir, "unknown-rsa", "interop-rsa-1", jose.RS256, rsaKey(t), pkcs8)

	var set jose.JSONWebKeySet
	for _, k := range p.keys[:4] {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.pub, KeyID: k.kid, Algorithm: string(k.alg), Use: "sig"})
	}
	jwks, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	jwksFile := filepath.Join(dir, "public-jwks.json")
	writeFile(t, jwksFile, jwks)

	cmd := exec.Command(node, "server.mjs", "--jwks", jwksFile)
	cmd.Stderr = p.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.WaitDelay = stopTimeout
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting server.mjs: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		// Closing standard input asks server.mjs to stop; kill it if it
		// does not.
		stdin.Close()
		select {
		case <-exited:
		case <-time.After(stopTimeout):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("server.mjs standard error:\n%s", p.stderr.String())
		}
	})

	issuer := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			issuer <- strings.TrimSpace(sc.Text())
		}
		close(issuer)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line, ok := <-issuer:
		if !ok || !strings.HasPrefix(line, "http://127.0.0.1:") {
			t.Fatalf("server.mjs did not print its issuer URL (got %q); its standard error:\n%s", line, p.stderr.String())
		}
		p.issuer = line
	case err := <-exited:
		t.Fatalf("server.mjs exited before listening (%v); its standard error:\n%s", err, p.stderr.String())
	case <-time.After(startTimeout):
		t.Fatalf("server.mjs did not print its issuer URL within %v; its standard error:\n%s", startTimeout, p.stderr.String())
	}

	var meta struct {
		Issuer        string   `json:"issuer"`
		TokenEndpoint string   `json:"token_endpoint"`
		JWKSURI       string   `json:"jwks_uri"`
		AuthMethods   []string `json:"token_endpoint_auth_methods_supported"`
		GrantTypes    []string `json:"grant_types_supported"`
	}
	getJSON(t, p.issuer+"/.well-known/openid-configuration", &meta)
	if meta.Issuer != p.issuer || meta.TokenEndpoint == "" || meta.JWKSURI == "" {
		t.Fatalf("discovery document: %+v", meta)
	}
	if !slices.Contains(meta.GrantTypes, "client_credentials") {
		t.Fatalf("the server does not offer client_credentials: %v", meta.GrantTypes)
	}
	p.tokenURL, p.jwksURI, p.methods = meta.TokenEndpoint, meta.JWKSURI, meta.AuthMethods
	p.signing = &jose.JSONWebKeySet{}
	getJSON(t, p.jwksURI, p.signing)
	return p
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d %v: %s", url, resp.StatusCode, err, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// result is one p1ctl run.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout: %q\nstderr: %q", r.code, r.stdout, r.stderr)
}

// p1ctl runs the binary with a clean environment: none of the caller's
// PINGONE_* or P1CTL_* variables, a private HOME, the token cache off
// unless env turns it back on, plus env.
func (p *provider) p1ctl(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, p1ctlBin, args...)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "PINGONE_"), strings.HasPrefix(name, "P1CTL_"),
			name == "HOME", name == "GORACE", strings.HasPrefix(name, "XDG_"):
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	vars := map[string]string{
		"HOME":            p.home,
		"XDG_CONFIG_HOME": filepath.Join(p.home, ".config"),
		"XDG_CACHE_HOME":  filepath.Join(p.home, ".cache"),
		"P1CTL_NO_CACHE":  "1",
		"P1CTL_TIMEOUT":   "20s",
		// A race-enabled p1ctl otherwise sleeps a second before exiting 0;
		// a race still makes it exit 66 with a report on stderr.
		"GORACE": "atexit_sleep_ms=0",
	}
	for k, v := range env {
		vars[k] = v
	}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = stopTimeout
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.Exited():
		r.code = exitErr.ExitCode()
	case ctx.Err() != nil:
		t.Fatalf("p1ctl %s did not finish within %v", strings.Join(args, " "), commandTimeout)
	default:
		t.Fatalf("p1ctl %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// tokenArgs are the arguments of a token request for clientID by method.
func (p *provider) tokenArgs(clientID, method string, extra ...string) []string {
	return append([]string{"token", "get", "--token-url", p.tokenURL, "--client-id", clientID, "--auth-method", method}, extra...)
}

var bareToken = regexp.MustCompile(`\A(ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\n\z`)

// checkToken asserts that r printed a bare access token the server issued
// to clientID, and returns it.
func (p *provider) checkToken(t *testing.T, r result, clientID string) string {
	t.Helper()
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("want exit 0, a token and nothing on stderr; got %v", r)
	}
	m := bareToken.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("stdout is not a bare JWT and a newline: %q", r.stdout)
	}
	p.verifyAccessToken(t, m[1], clientID)
	return m[1]
}

// verifyAccessToken checks the access token's signature against the
// server's JWKS and that it was issued to clientID for the resource.
func (p *provider) verifyAccessToken(t *testing.T, token, clientID string) {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	var claims struct {
		jwt.Claims
		ClientID string `json:"client_id"`
		Scope    string `json:"scope"`
	}
	if err := tok.Claims(p.signing, &claims); err != nil {
		t.Fatalf("access token does not verify with %s: %v", p.jwksURI, err)
	}
	if err := claims.Validate(jwt.Expected{Issuer: p.issuer, AnyAudience: jwt.Audience{resource}, Time: time.Now()}); err != nil {
		t.Errorf("access token claims: %v (%+v)", err, claims)
	}
	if claims.ClientID != clientID {
		t.Errorf("access token client_id = %q, want %q", claims.ClientID, clientID)
	}
}

// refused matches p1ctl's message for a token endpoint refusing the client
// (invalid_client), whatever the server's description; the server is named
// by its host, as it is not PingOne.
var refused = regexp.MustCompile(`\Ap1ctl: the token endpoint at 127\.0\.0\.1:[0-9]+ refused the client ID / (secret pair|private key) for .* \(HTTP 401 invalid_client: [^\n]*\): check PINGONE_CLIENT_ID[^\n]*(, and that --auth-method / PINGONE_AUTH_METHOD matches its token auth method|--key-id / PINGONE_KEY_ID matches its kid, [^\n]*and that the application exists in [^\n]* and is enabled)\n\z`)

func checkRefused(t *testing.T, r result, secrets ...string) {
	t.Helper()
	if r.code != 3 || r.stdout != "" || !refused.MatchString(r.stderr) {
		t.Fatalf("want exit 3, nothing on stdout and the refusal message; got %v", r)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(r.stderr, s) {
			t.Errorf("stderr repeats the secret %q", s)
		}
	}
}

func TestInterop(t *testing.T) {
	p := startProvider(t)
	basic := p.clients["client_secret_basic"]
	post := p.clients["client_secret_post"]
	hs := p.clients["client_secret_jwt"]
	pk := p.clients["private_key_jwt"]

	t.Run("server offers every method", func(t *testing.T) {
		for _, m := range []string{"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"} {
			if !slices.Contains(p.methods, m) {
				t.Errorf("token_endpoint_auth_methods_supported %v lacks %s", p.methods, m)
			}
		}
	})

	t.Run("client_secret_basic", func(t *testing.T) {
		// The secret holds characters that RFC 6749 section 2.3.1's
		// form-encoding changes (space, +, /, =, %, &, :).
		r := p.p1ctl(t, map[string]string{"PINGONE_CLIENT_SECRET": basic.ClientSecret}, p.tokenArgs(basic.ClientID, "client_secret_basic")...)
		p.checkToken(t, r, basic.ClientID)
		// The default method is client_secret_basic.
		r = p.p1ctl(t, map[string]string{"PINGONE_CLIENT_SECRET": basic.ClientSecret},
			"token", "get", "--token-url", p.tokenURL, "--client-id", basic.ClientID)
		p.checkToken(t, r, basic.ClientID)
	})

	t.Run("client_secret_post", func(t *testing.T) {
		r := p.p1ctl(t, map[string]string{"PINGONE_CLIENT_SECRET": post.ClientSecret}, p.tokenArgs(post.ClientID, "client_secret_post")...)
		p.checkToken(t, r, post.ClientID)
		// By PINGONE_AUTH_METHOD, with the secret from a file.
		secretFile := filepath.Join(t.TempDir(), "secret")
		writeFile(t, secretFile, []byte(post.ClientSecret+"\n"))
		r = p.p1ctl(t, map[string]string{
			"PINGONE_AUTH_METHOD":        "client_secret_post",
			"PINGONE_CLIENT_SECRET_FILE": secretFile,
			"PINGONE_TOKEN_URL":          p.tokenURL,
			"PINGONE_CLIENT_ID":          post.ClientID,
		}, "token", "get")
		p.checkToken(t, r, post.ClientID)
	})

	t.Run("client_secret_jwt", func(t *testing.T) {
		r := p.p1ctl(t, map[string]string{"PINGONE_CLIENT_SECRET": hs.ClientSecret}, p.tokenArgs(hs.ClientID, "client_secret_jwt")...)
		p.checkToken(t, r, hs.ClientID)
		// A fresh assertion (jti) each time: oidc-provider rejects replays.
		r = p.p1ctl(t, map[string]string{"PINGONE_CLIENT_SECRET": hs.ClientSecret}, p.tokenArgs(hs.ClientID, "client_secret_jwt")...)
		p.checkToken(t, r, hs.ClientID)
	})

	t.Run("private_key_jwt", func(t *testing.T) {
		for _, k := range p.keys {
			t.Run(k.name, func(t *testing.T) {
				r := p.p1ctl(t, nil, p.tokenArgs(pk.ClientID, "private_key_jwt", "--private-key-file", k.file)...)
				p.checkToken(t, r, pk.ClientID)
				r = p.p1ctl(t, nil, p.tokenArgs(pk.ClientID, "private_key_jwt", "--private-key-file", k.file, "--key-id", k.kid)...)
				p.checkToken(t, r, pk.ClientID)
			})
		}
		t.Run("from the environment", func(t *testing.T) {
			r := p.p1ctl(t, map[string]string{
				"PINGONE_AUTH_METHOD":      "PRIVATE_KEY_JWT",
				"PINGONE_PRIVATE_KEY_FILE": p.keys[1].file,
				"PINGONE_KEY_ID":           p.keys[1].kid,
				"PINGONE_TOKEN_URL":        p.tokenURL,
				"PINGONE_CLIENT_ID":        pk.ClientID,
			}, "token", "get")
			p.checkToken(t, r, pk.ClientID)
		})
		t.Run("from a config profile", func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "config.yaml")
			writeFile(t, cfg, fmt.Appendf(nil, "profiles:\n  interop:\n    token-url: %s\n    client-id: %s\n    auth-method: private_key_jwt\n    private-key-file: %s\n    key-id: %s\n",
				p.tokenURL, pk.ClientID, p.keys[0].file, p.keys[0].kid))
			r := p.p1ctl(t, map[string]string{"P1CTL_CONFIG": cfg}, "token", "get", "--profile", "interop")
			p.checkToken(t, r, pk.ClientID)
		})
	})

	t.Run("json output", func(t *testing.T) {
		r := p.p1ctl(t, map[string]string{"PINGONE_CLIENT_SECRET": hs.ClientSecret},
			p.tokenArgs(hs.ClientID, "client_secret_jwt", "-o", "json", "--scope", "interop:read")...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("got %v", r)
		}
		var out map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
		}
		var keys []string
		for k := range out {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := []string{"access_token", "expires_at", "expires_in", "scope", "token_type"}; !slices.Equal(keys, want) {
			t.Errorf("keys %v, want %v", keys, want)
		}
		token, _ := out["access_token"].(string)
		p.verifyAccessToken(t, token, hs.ClientID)
		if out["token_type"] != "Bearer" {
			t.Errorf("token_type = %v", out["token_type"])
		}
		if out["scope"] != "interop:read" {
			t.Errorf("scope = %v, want interop:read", out["scope"])
		}
		if in, ok := out["expires_in"].(float64); !ok || in < 3500 || in > 3600 || in != float64(int(in)) {
			t.Errorf("expires_in = %v, want whole seconds close to 3600", out["expires_in"])
		}
		at, _ := out["expires_at"].(string)
		exp, err := time.Parse(time.RFC3339, at)
		if err != nil || !strings.HasSuffix(at, "Z") {
			t.Errorf("expires_at = %q is not RFC 3339 UTC: %v", at, err)
		} else if d := time.Until(exp); d < 3500*time.Second || d > 3601*time.Second {
			t.Errorf("expires_at %s is %v away", at, d)
		}
	})

	t.Run("debug trace redacts the assertion", func(t *testing.T) {
		for _, c := range []struct {
			method, clientID, secret string
			args                     []string
		}{
			{"client_secret_jwt", hs.ClientID, hs.ClientSecret, nil},
			{"private_key_jwt", pk.ClientID, "", []string{"--private-key-file", p.keys[0].file}},
		} {
			r := p.p1ctl(t, map[string]string{"PINGONE_CLIENT_SECRET": c.secret}, p.tokenArgs(c.clientID, c.method, append(c.args, "--debug")...)...)
			if r.code != 0 {
				t.Fatalf("%s: %v", c.method, r)
			}
			if !strings.Contains(r.stderr, "client_assertion=[REDACTED]&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer") {
				t.Errorf("%s: no redacted assertion in the trace:\n%s", c.method, r.stderr)
			}
			if regexp.MustCompile(`eyJ[A-Za-z0-9_-]{20,}\.`).MatchString(r.stderr) {
				t.Errorf("%s: a JWT (assertion or token) in the trace:\n%s", c.method, r.stderr)
			}
			if c.secret != "" && strings.Contains(r.stderr, c.secret) {
				t.Errorf("%s: the secret is in the trace", c.method)
			}
		}
	})

	t.Run("token cache", func(t *testing.T) {
		env := map[string]string{"P1CTL_NO_CACHE": "", "P1CTL_CACHE_DIR": t.TempDir(), "PINGONE_CLIENT_SECRET": basic.ClientSecret}
		first := p.checkToken(t, p.p1ctl(t, env, p.tokenArgs(basic.ClientID, "client_secret_basic")...), basic.ClientID)
		second := p.checkToken(t, p.p1ctl(t, env, p.tokenArgs(basic.ClientID, "client_secret_basic")...), basic.ClientID)
		if first != second {
			t.Error("the second run did not reuse the cached token")
		}
		// Another key for the same client misses the cache.
		a := p.checkToken(t, p.p1ctl(t, env, p.tokenArgs(pk.ClientID, "private_key_jwt", "--private-key-file", p.keys[0].file)...), pk.ClientID)
		b := p.checkToken(t, p.p1ctl(t, env, p.tokenArgs(pk.ClientID, "private_key_jwt", "--private-key-file", p.keys[1].file)...), pk.ClientID)
		if a == b {
			t.Error("a token fetched with one key was reused for another key")
		}
	})

	t.Run("refused", func(t *testing.T) {
		const wrongSecret = "Wrong-Secret-that-is-long-enough-to-sign-HS256"
		for _, c := range []struct {
			name, clientID, method, secret string
			args                           []string
		}{
			{"client_secret_basic wrong secret", basic.ClientID, "client_secret_basic", wrongSecret, nil},
			{"client_secret_post wrong secret", post.ClientID, "client_secret_post", wrongSecret, nil},
			{"client_secret_jwt wrong secret", hs.ClientID, "client_secret_jwt", wrongSecret, nil},
			{"private_key_jwt unknown key", pk.ClientID, "private_key_jwt", "", []string{"--private-key-file", p.unknown.file}},
			{"private_key_jwt unknown key with a known kid", pk.ClientID, "private_key_jwt", "", []string{"--private-key-file", p.unknown.file, "--key-id", p.unknown.kid}},
			{"private_key_jwt wrong kid", pk.ClientID, "private_key_jwt", "", []string{"--private-key-file", p.keys[0].file, "--key-id", "no-such-kid"}},
			{"unknown client", "p1ctl-interop-nobody", "client_secret_basic", basic.ClientSecret, nil},
			// A method the client is not registered for.
			{"client_secret_basic for the client_secret_jwt client", hs.ClientID, "client_secret_basic", hs.ClientSecret, nil},
			{"client_secret_jwt for the client_secret_basic client", basic.ClientID, "client_secret_jwt", basic.ClientSecret, nil},
			{"private_key_jwt for the client_secret_jwt client", hs.ClientID, "private_key_jwt", "", []string{"--private-key-file", p.keys[0].file}},
			{"client_secret_jwt for the private_key_jwt client", pk.ClientID, "client_secret_jwt", wrongSecret, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := p.p1ctl(t, map[string]string{"PINGONE_CLIENT_SECRET": c.secret}, p.tokenArgs(c.clientID, c.method, c.args...)...)
				checkRefused(t, r, c.secret)
			})
		}
	})
}

// Keys.

type pemForm int

const (
	pkcs1 pemForm = iota // RSA PRIVATE KEY
	sec1                 // EC PRIVATE KEY
	pkcs8                // PRIVATE KEY
)

func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ecKey(t *testing.T, curve elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pemBytes(t *testing.T, key crypto.Signer, form pemForm) ([]byte, crypto.PublicKey) {
	t.Helper()
	var block *pem.Block
	switch form {
	case pkcs1:
		block = &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key.(*rsa.PrivateKey))}
	case sec1:
		der, err := x509.MarshalECPrivateKey(key.(*ecdsa.PrivateKey))
		if err != nil {
			t.Fatal(err)
		}
		block = &pem.Block{Type: "EC PRIVATE KEY", Bytes: der}
	default:
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		block = &pem.Block{Type: "PRIVATE KEY", Bytes: der}
	}
	return pem.EncodeToMemory(block), key.Public()
}

func writeKey(t *testing.T, dir, name, kid string, alg jose.SignatureAlgorithm, key crypto.Signer, form pemForm) testKey {
	t.Helper()
	data, pub := pemBytes(t, key, form)
	file := filepath.Join(dir, name+".pem")
	writeFile(t, file, data)
	return testKey{name: name, file: file, kid: kid, alg: alg, pub: pub}
}

func mustReadKey(t *testing.T, file string) crypto.Signer {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s: no PEM block", file)
	}
	var key any
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	}
	if err != nil {
		t.Fatal(err)
	}
	return key.(crypto.Signer)
}

// writeFile writes a file only its owner can read, as key and secret files
// should be (p1ctl warns otherwise).
func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(name, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
