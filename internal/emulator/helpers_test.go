package emulator

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// newTestServer starts an emulator with the default fixture behind an
// httptest server.
func newTestServer(t *testing.T, opts ...Option) (*Server, *httptest.Server) {
	t.Helper()
	return newTestServerWith(t, DefaultFixture(), opts...)
}

func newTestServerWith(t *testing.T, f *Fixture, opts ...Option) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(f, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// fakeClock is a settable clock safe for concurrent use.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// response is a decoded HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic object.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

// do sends a request and reads the whole answer.
func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// postForm posts a form, optionally with HTTP Basic credentials (user != "").
func postForm(t *testing.T, u string, form url.Values, user, pass string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	return do(t, req)
}

// get sends a GET with an optional bearer token.
func get(t *testing.T, u, token string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

// tokenURL is the token endpoint of an environment.
func tokenURL(base, envID string) string { return base + "/" + envID + "/as/token" }

// clientCredentials is the usual token request form.
func clientCredentials() url.Values { return url.Values{"grant_type": {"client_credentials"}} }

// basicToken gets an access token with client_secret_basic.
func basicToken(t *testing.T, base, id, secret string) string {
	t.Helper()
	resp := postForm(t, tokenURL(base, DemoEnvironmentID), clientCredentials(), id, secret)
	if resp.status != http.StatusOK {
		t.Fatalf("token for %s: status %d: %s", id, resp.status, resp.body)
	}
	tok, _ := resp.json(t)["access_token"].(string)
	if tok == "" {
		t.Fatalf("no access_token in %s", resp.body)
	}
	return tok
}

// loadPrivateKey reads the private key client's key.
func loadPrivateKey(t *testing.T) any {
	t.Helper()
	data, err := os.ReadFile(PrivateKeyClientKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("no PEM block in private key file")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// detailCode returns details[0].code of an API error body.
func detailCode(m map[string]any) string {
	details, _ := m["details"].([]any)
	if len(details) == 0 {
		return ""
	}
	d, _ := details[0].(map[string]any)
	code, _ := d["code"].(string)
	return code
}

// pemEncode encodes the public half of an RSA private key.
func pemEncode(t *testing.T, blockType string, key any, pkcs1 bool) string {
	t.Helper()
	pub := key.(*rsa.PrivateKey).Public()
	var der []byte
	var err error
	if pkcs1 {
		der = x509.MarshalPKCS1PublicKey(pub.(*rsa.PublicKey))
	} else {
		der, err = x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}))
}
