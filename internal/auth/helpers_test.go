package auth_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testNow is the injected clock of most tests: a whole second, so that
// expiry arithmetic is exact.
var testNow = time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// request is what the test token endpoint saw.
type request struct {
	Method string
	Path   string
	Header http.Header
	Form   url.Values
}

// tokenServer is an httptest token endpoint that records requests and
// answers with respond.
type tokenServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []request
	respond  func(w http.ResponseWriter, n int, req request)
}

// newTokenServer starts a token endpoint. respond gets the 1-based number
// of the request; nil answers every request with a fresh one-hour token.
func newTokenServer(t *testing.T, respond func(w http.ResponseWriter, n int, req request)) *tokenServer {
	t.Helper()
	if respond == nil {
		respond = func(w http.ResponseWriter, n int, _ request) {
			writeJSON(w, http.StatusOK, map[string]any{"access_token": fmt.Sprintf("token-%d", n), "token_type": "Bearer", "expires_in": 3600})
		}
	}
	ts := &tokenServer{respond: respond}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req := request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Form: r.PostForm}
		ts.mu.Lock()
		ts.requests = append(ts.requests, req)
		n := len(ts.requests)
		ts.mu.Unlock()
		ts.respond(w, n, req)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenServer) tokenURL() string { return ts.URL + "/" + envID + "/as/token" }

func (ts *tokenServer) count() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.requests)
}

func (ts *tokenServer) last(t *testing.T) request {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.requests) == 0 {
		t.Fatal("the token endpoint got no request")
	}
	return ts.requests[len(ts.requests)-1]
}

const envID = "abcdef01-2345-4678-9abc-def012345678"

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Keys are slow to generate under -race: make each once.
var (
	rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	})
	ecKey = sync.OnceValue(func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	})
)

func pkcs8PEM(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func pkcs1PEM(key *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

func sec1PEM(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}

// writeKey writes data to a new file with mode perm and returns its path.
func writeKey(t *testing.T, data []byte, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(path, data, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return path
}
