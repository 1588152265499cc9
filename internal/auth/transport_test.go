package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/emulator"
	"github.com/p1ctl/p1ctl/internal/httpx"
)

// stallMidBody answers 200 with half of a token answer and then sends
// nothing more until the client gives up.
func stallMidBody(w http.ResponseWriter, r *http.Request) {
	body := `{"access_token":"token-1","token_type":"Bearer","expires_in":3600}`
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, body[:len(body)/2])
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

// A failure while reading the answer's body is the network's, not an
// unusable answer: the oauth2 package reports it as text only, and Fetch
// must still return the typed error, so that the CLI suggests --timeout or
// names the host rather than blaming the token URL.
func TestFetchBodyReadErrors(t *testing.T) {
	// The short timeouts only bound how long the stalled server is waited
	// for: the server never finishes, so the outcome does not depend on them.
	const wait = 100 * time.Millisecond
	tests := []struct {
		name    string
		handler http.HandlerFunc
		client  func(ts *httptest.Server) *http.Client
		timeout time.Duration // of the caller's context; 0 for none
		check   func(t *testing.T, err error)
	}{
		{
			name:    "stalls mid-body until --timeout",
			handler: stallMidBody,
			client: func(*httptest.Server) *http.Client {
				return httpx.NewClient(httpx.Options{Timeout: wait})
			},
			check: func(t *testing.T, err error) {
				var netErr *httpx.NetworkError
				if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &netErr) || !netErr.Timeout() {
					t.Errorf("err = %T %v, want a timed-out *httpx.NetworkError matching context.DeadlineExceeded", err, err)
				}
			},
		},
		{
			name:    "stalls mid-body until the caller's deadline",
			handler: stallMidBody,
			client:  func(ts *httptest.Server) *http.Client { return ts.Client() },
			timeout: wait,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %T %v, want context.DeadlineExceeded", err, err)
				}
			},
		},
		{
			name: "connection closed mid-body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				conn, buf, err := w.(http.Hijacker).Hijack()
				if err != nil {
					panic(err)
				}
				defer conn.Close()
				buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"access_token\":")
				buf.Flush()
			},
			client: func(*httptest.Server) *http.Client { return httpx.NewClient(httpx.Options{}) },
			check: func(t *testing.T, err error) {
				var netErr *httpx.NetworkError
				if !errors.As(err, &netErr) || !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("err = %T %v, want an *httpx.NetworkError for an unexpected EOF", err, err)
				}
			},
		},
		{
			name: "answer over the client's size limit",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, map[string]any{"access_token": strings.Repeat("x", 4096), "expires_in": 3600})
			},
			client: func(*httptest.Server) *http.Client {
				return httpx.NewClient(httpx.Options{MaxResponseBytes: 1024})
			},
			check: func(t *testing.T, err error) {
				var tooLarge *httpx.TooLargeError
				if !errors.As(err, &tooLarge) || tooLarge.Limit != 1024 {
					t.Errorf("err = %T %v, want an *httpx.TooLargeError", err, err)
				}
			},
		},
		{
			// x/oauth2 reads at most 1 MiB of a token answer, below the
			// client's default limit: the rest must not go unnoticed.
			name: "answer over what oauth2 reads, with the default limit",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, map[string]any{"access_token": strings.Repeat("x", 2<<20), "expires_in": 3600})
			},
			client: func(*httptest.Server) *http.Client { return httpx.NewClient(httpx.Options{}) },
			check: func(t *testing.T, err error) {
				var tooLarge *httpx.TooLargeError
				if !errors.As(err, &tooLarge) || tooLarge.Limit != 1<<20 || !strings.Contains(err.Error(), "larger than 1 MiB") {
					t.Errorf("err = %T %v, want an *httpx.TooLargeError at 1 MiB", err, err)
				}
			},
		},
		{
			// An error answer that large still reports its status.
			name: "error answer over what oauth2 reads",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, "<html>"+strings.Repeat("<p>blocked</p>\n", 200_000)+"</html>")
			},
			client: func(*httptest.Server) *http.Client { return httpx.NewClient(httpx.Options{}) },
			check: func(t *testing.T, err error) {
				var rejected *auth.RejectedError
				if !errors.As(err, &rejected) || rejected.Status != http.StatusBadRequest {
					t.Errorf("err = %T %v, want an *auth.RejectedError with status 400", err, err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			t.Cleanup(ts.Close)
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			c := &auth.Client{TokenURL: ts.URL + "/" + envID + "/as/token", ClientID: clientID, ClientSecret: clientSecret, HTTPClient: tt.client(ts)}
			tok, err := c.Fetch(ctx)
			if err == nil {
				t.Fatalf("Fetch succeeded: %+v", tok)
			}
			var re *auth.ResponseError
			if errors.As(err, &re) {
				t.Errorf("err = %v, reported as an unusable answer", err)
			}
			tt.check(t, err)
		})
	}
}

// Every attempt to send a token request carries a newly signed assertion,
// so that a retry after the first answer was lost, or a redirect, is not
// refused as a replay (the emulator, like PingOne, refuses a jti it has
// seen).
func TestFetchFreshAssertionPerAttempt(t *testing.T) {
	tests := []struct {
		name string
		// first replaces the answer to the first request, which the
		// emulator has handled (and so has seen its jti).
		first func(w http.ResponseWriter, r *http.Request)
	}{
		{
			name: "connection dropped before the answer, then retried",
			first: func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err != nil {
					panic(err)
				}
				conn.Close()
			},
		},
		{
			name: "429 asking for a short wait, then retried",
			first: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				io.WriteString(w, `{"code":"REQUEST_LIMITED","details":[{"innerError":{"retryAfter":0.01}}]}`)
			},
		},
		{
			name: "redirected to the same endpoint",
			first: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, r.URL.Path, http.StatusTemporaryRedirect)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu, err := emulator.New(emulator.DefaultFixture())
			if err != nil {
				t.Fatal(err)
			}
			var (
				mu         sync.Mutex
				assertions []string
			)
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, err := io.ReadAll(r.Body)
				if err != nil {
					panic(err)
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
				form, _ := url.ParseQuery(string(body))
				mu.Lock()
				assertions = append(assertions, form.Get("client_assertion"))
				n := len(assertions)
				mu.Unlock()
				if n == 1 {
					emu.ServeHTTP(httptest.NewRecorder(), r)
					tt.first(w, r)
					return
				}
				emu.ServeHTTP(w, r)
			}))
			t.Cleanup(ts.Close)

			c := privateKeyClient(t, ts.URL, httpx.NewClient(httpx.Options{}))
			signer := c.Signer
			tok, err := c.Fetch(context.Background())
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if tok.AccessToken == "" {
				t.Error("no access token")
			}
			if len(assertions) != 2 {
				t.Fatalf("the token endpoint got %d requests, want 2", len(assertions))
			}
			var jtis []string
			for _, a := range assertions {
				tok, err := jwt.ParseSigned(a, []jose.SignatureAlgorithm{signer.Algorithm})
				if err != nil {
					t.Fatalf("assertion %q: %v", a, err)
				}
				var claims jwt.Claims
				if err := tok.UnsafeClaimsWithoutVerification(&claims); err != nil {
					t.Fatal(err)
				}
				jtis = append(jtis, claims.ID)
			}
			if jtis[0] == "" || jtis[0] == jtis[1] {
				t.Errorf("the two attempts' assertions have jti %q and %q, want two distinct ones", jtis[0], jtis[1])
			}
		})
	}
}

// An assertion signed by a client whose clock runs a little ahead of the
// server's is accepted.
func TestFetchClientClockAhead(t *testing.T) {
	serverNow := time.Now()
	emu, err := emulator.New(emulator.DefaultFixture(), emulator.WithClock(func() time.Time { return serverNow }))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(emu)
	t.Cleanup(ts.Close)
	c := privateKeyClient(t, ts.URL, ts.Client())
	c.Now = fixedClock(serverNow.Add(10 * time.Second))
	if _, err := c.Fetch(context.Background()); err != nil {
		t.Fatalf("Fetch with the client clock 10 s ahead: %v", err)
	}
}

// privateKeyClient is a private_key_jwt client of the emulator's demo
// environment at baseURL, signing with the emulator's test key.
func privateKeyClient(t *testing.T, baseURL string, hc *http.Client) *auth.Client {
	t.Helper()
	signer, err := auth.NewKeySigner("../emulator/"+emulator.PrivateKeyClientKeyFile, "")
	if err != nil {
		t.Fatal(err)
	}
	return &auth.Client{
		TokenURL:   baseURL + "/" + emulator.DemoEnvironmentID + "/as/token",
		ClientID:   emulator.PrivateKeyClientID,
		Method:     "private_key_jwt",
		Signer:     signer,
		HTTPClient: hc,
	}
}

// Fetch follows a token endpoint's redirects itself, under the HTTP
// client's redirect policy counted over all of them: a 307 loop ends, and a
// redirect to a GET, which cannot answer a token request, is reported with
// its status rather than followed.
func TestFetchRedirectLimits(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		wantCount int
		check     func(t *testing.T, err error)
	}{
		{
			name: "307 loop", status: http.StatusTemporaryRedirect, wantCount: 5,
			check: func(t *testing.T, err error) {
				if err == nil || !strings.Contains(err.Error(), "5 redirects") {
					t.Errorf("err = %v, want the redirect limit", err)
				}
			},
		},
		{
			name: "302 to a GET", status: http.StatusFound, wantCount: 1,
			check: func(t *testing.T, err error) { wantRejected(t, err, http.StatusFound) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTokenServer(t, func(w http.ResponseWriter, _ int, _ request) {
				w.Header().Set("Location", "/"+envID+"/as/token")
				w.WriteHeader(tt.status)
			})
			c := &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: httpx.NewClient(httpx.Options{MaxRetries: -1})}
			_, err := c.Fetch(context.Background())
			tt.check(t, err)
			if got := ts.count(); got != tt.wantCount {
				t.Errorf("%d requests, want %d", got, tt.wantCount)
			}
		})
	}
}
