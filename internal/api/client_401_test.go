package api_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/p1ctl/p1ctl/internal/api"
)

const accessFailed = `{"id":"x","code":"ACCESS_FAILED","message":"The access token is invalid","details":[{"code":"INVALID_TOKEN","message":"expired"}]}`

// always401 answers 401 to every request, recording each request's URL and
// Authorization header, without any network.
type always401 struct {
	mu   sync.Mutex
	urls []string
	auth []string
}

func (a *always401) RoundTrip(r *http.Request) (*http.Response, error) {
	a.mu.Lock()
	a.urls = append(a.urls, r.URL.String())
	a.auth = append(a.auth, r.Header.Get("Authorization"))
	a.mu.Unlock()
	return &http.Response{
		StatusCode: http.StatusUnauthorized,
		Status:     "401 Unauthorized",
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/json"}},
		Body:    io.NopCloser(strings.NewReader(accessFailed)),
		Request: r,
	}, nil
}

// A 401 discards the token and retries only when the request went to the
// API host: BaseURL's scheme, host and port, in any case, with or without
// the default port. Another host's 401 is returned as is, the token kept.
func TestDo401RetriesOnlyOnAPIHost(t *testing.T) {
	tests := []struct {
		name, base, path string
		apiHost          bool
	}{
		{"relative path", "https://api.pingone.eu/v1", "/environments/" + envID, true},
		{"absolute URL on the API host", "https://api.pingone.eu/v1", "https://api.pingone.eu/v1/environments/" + envID, true},
		{"host in another case", "https://api.pingone.eu/v1", "https://API.PingOne.EU/v1/environments", true},
		{"scheme in another case", "https://api.pingone.eu/v1", "HTTPS://api.pingone.eu/v1/environments", true},
		{"explicit default HTTPS port", "https://api.pingone.eu/v1", "https://api.pingone.eu:443/v1/environments", true},
		{"base with explicit default port", "https://api.pingone.eu:443/v1", "https://api.pingone.eu/v1/environments", true},
		{"explicit default HTTP port", "http://127.0.0.1/v1", "http://127.0.0.1:80/v1/environments", true},
		{"another path on the API host", "https://api.pingone.eu/v1", "https://api.pingone.eu/other", true},
		{"loopback API with port", "http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/environments", true},
		{"another host", "https://api.pingone.eu/v1", "https://example.com/v1/environments", false},
		{"another region's API", "https://api.pingone.eu/v1", "https://api.pingone.com/v1/environments", false},
		{"subdomain of the API host", "https://api.pingone.eu/v1", "https://x.api.pingone.eu/v1/environments", false},
		{"another port", "http://127.0.0.1:8080/v1", "http://127.0.0.1:8081/v1/environments", false},
		{"same host, other name", "http://127.0.0.1:8080/v1", "http://localhost:8080/v1/environments", false},
		{"other scheme", "https://api.pingone.eu/v1", "http://api.pingone.eu/v1/environments", false},
		{"non-default port on the API host", "https://api.pingone.eu/v1", "https://api.pingone.eu:8443/v1/environments", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := &always401{}
			tokens := &fakeTokens{}
			c := &api.Client{BaseURL: tt.base, HTTP: &http.Client{Transport: rt}, Tokens: tokens}
			resp, err := c.Do(context.Background(), api.Request{Path: tt.path})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized || string(body) != accessFailed {
				t.Errorf("answer %d %q, want the 401 and its body", resp.StatusCode, body)
			}
			apiErr := api.ParseError(resp, body, nil)
			if tt.apiHost {
				if got, want := strings.Join(rt.auth, ","), "Bearer tok-1,Bearer tok-2"; got != want {
					t.Errorf("requests sent with %q, want %q", got, want)
				}
				if got := strings.Join(tokens.invalidated, ","); got != "tok-1" {
					t.Errorf("invalidated %q, want tok-1", got)
				}
				if !apiErr.NewToken || apiErr.OtherHost {
					t.Errorf("NewToken %v, OtherHost %v; want a 401 to a new token", apiErr.NewToken, apiErr.OtherHost)
				}
				return
			}
			if got, want := strings.Join(rt.auth, ","), "Bearer tok-1"; got != want {
				t.Errorf("requests sent with %q, want %q: another host's 401 was retried", got, want)
			}
			if len(tokens.invalidated) != 0 {
				t.Errorf("invalidated %q: another host's 401 discarded the token", tokens.invalidated)
			}
			if apiErr.NewToken || !apiErr.OtherHost {
				t.Errorf("NewToken %v, OtherHost %v; want another host's 401", apiErr.NewToken, apiErr.OtherHost)
			}
		})
	}
}

// The same, against real servers: the API's and another one on loopback.
func TestDo401FromAnotherServerKeepsToken(t *testing.T) {
	apiSrv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) { io.WriteString(w, "{}") })
	other := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, accessFailed)
	})
	tokens := &fakeTokens{}
	c := apiSrv.client(tokens)
	resp, err := c.Do(context.Background(), api.Request{Path: other.URL + "/x"})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
	if n := len(other.requests()); n != 1 {
		t.Errorf("%d requests to the other server, want 1", n)
	}
	if len(tokens.invalidated) != 0 {
		t.Errorf("invalidated %q", tokens.invalidated)
	}
	if e := api.ParseError(resp, body, nil); !e.OtherHost || e.NewToken || e.URL != other.URL+"/x" {
		t.Errorf("ParseError = %+v, want OtherHost for %s/x", e, other.URL)
	}
	// The API host itself still gets the kept token.
	resp, err = c.Do(context.Background(), api.Request{Path: "/environments"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if r := apiSrv.requests(); len(r) != 1 || r[0].Auth != "Bearer tok-1" {
		t.Errorf("API requests %+v, want one with tok-1", r)
	}
}

// sameToken never has a new token: Invalidate succeeds but AccessToken
// hands out the refused one again.
type sameToken struct{ invalidated int }

func (s *sameToken) AccessToken(context.Context) (string, error) { return "tok-1", nil }

func (s *sameToken) Invalidate(context.Context, string) error {
	s.invalidated++
	return nil
}

// ParseError tells a 401 to the token fetched after a first 401 from a 401
// to the first token, whichever call path built it.
func TestDo401AfterRetryCarriesNewToken(t *testing.T) {
	rejectAll := func(w http.ResponseWriter, _ *http.Request, _ []seen) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, accessFailed)
	}
	t.Run("Do", func(t *testing.T) {
		srv := newAPIServer(t, rejectAll)
		resp, err := srv.client(&fakeTokens{}).Do(context.Background(), api.Request{Path: "/environments/" + envID})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		e := api.ParseError(resp, body, nil)
		if e.Status != 401 || !e.NewToken || e.OtherHost || e.Code != "ACCESS_FAILED" {
			t.Errorf("ParseError = %+v, want a 401 to a new token", e)
		}
		if e.Method != http.MethodGet || e.URL != srv.URL+"/v1/environments/"+envID {
			t.Errorf("Method %q URL %q", e.Method, e.URL)
		}
	})
	t.Run("GetJSON", func(t *testing.T) {
		srv := newAPIServer(t, rejectAll)
		_, err := srv.client(&fakeTokens{}).GetEnvironment(context.Background(), envID)
		var e *api.Error
		if !errors.As(err, &e) || e.Status != 401 || !e.NewToken {
			t.Fatalf("GetEnvironment error %#v, want a 401 to a new token", err)
		}
		if n := len(srv.requests()); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
	t.Run("Pager", func(t *testing.T) {
		srv := newAPIServer(t, rejectAll)
		_, err := srv.client(&fakeTokens{}).NewPager("/environments", nil).Next(context.Background())
		var e *api.Error
		if !errors.As(err, &e) || e.Status != 401 || !e.NewToken {
			t.Fatalf("Next error %#v, want a 401 to a new token", err)
		}
	})
	t.Run("source handing out the same token", func(t *testing.T) {
		srv := newAPIServer(t, rejectAll)
		tokens := &sameToken{}
		_, err := srv.client(tokens).GetEnvironment(context.Background(), envID)
		var e *api.Error
		if !errors.As(err, &e) || e.Status != 401 || e.NewToken || e.OtherHost {
			t.Fatalf("GetEnvironment error %#v, want a plain 401: the token sent again was not new", err)
		}
		if tokens.invalidated != 1 || len(srv.requests()) != 2 {
			t.Errorf("%d Invalidate calls, %d requests; want 1 and 2", tokens.invalidated, len(srv.requests()))
		}
	})
	t.Run("retry answered", func(t *testing.T) {
		srv := newAPIServer(t, func(w http.ResponseWriter, r *http.Request, _ []seen) {
			if r.Header.Get("Authorization") == "Bearer tok-1" {
				rejectAll(w, r, nil)
				return
			}
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"code":"NOT_FOUND","message":"no"}`)
		})
		_, err := srv.client(&fakeTokens{}).GetEnvironment(context.Background(), envID)
		var e *api.Error
		if !errors.As(err, &e) || e.Status != 404 || e.OtherHost {
			t.Fatalf("GetEnvironment error %#v, want the retry's 404", err)
		}
	})
}
