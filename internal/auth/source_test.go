package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/config"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// sourceFixture is a Source whose client talks to a test token endpoint
// that hands out token-1, token-2, ... with no expires_in, so that they
// expire an hour after the test clock's time of the request.
type sourceFixture struct {
	ts      *tokenServer
	clock   *clock
	src     *auth.Source
	cache   *auth.FileCache
	handed  []string
	handedM sync.Mutex
}

func newSourceFixture(t *testing.T, withStore bool) *sourceFixture {
	t.Helper()
	fx := &sourceFixture{clock: &clock{now: testNow}}
	fx.ts = newTokenServer(t, func(w http.ResponseWriter, n int, _ request) {
		writeJSON(w, 200, map[string]any{"access_token": fmt.Sprintf("token-%d", n), "token_type": "Bearer"})
	})
	client := &auth.Client{TokenURL: fx.ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: fx.ts.Client(), Now: fx.clock.Now}
	fx.src = &auth.Source{Client: client, MinTTL: config.DefaultMinTTL, OnToken: func(tok *auth.Token) {
		fx.handedM.Lock()
		defer fx.handedM.Unlock()
		fx.handed = append(fx.handed, tok.AccessToken)
	}}
	if withStore {
		fx.cache = &auth.FileCache{Dir: t.TempDir(), Key: testKey(""), Now: fx.clock.Now}
		fx.src.Store = fx.cache
	}
	return fx
}

func (fx *sourceFixture) token(t *testing.T) string {
	t.Helper()
	s, err := fx.src.AccessToken(context.Background())
	if err != nil {
		t.Fatalf("AccessToken: %v", err)
	}
	return s
}

func (fx *sourceFixture) stored(t *testing.T) any {
	t.Helper()
	return storedFile(t, fx.cache)["access_token"]
}

func TestSourceInMemoryReuse(t *testing.T) {
	fx := newSourceFixture(t, false)
	for i := range 3 {
		if got := fx.token(t); got != "token-1" {
			t.Fatalf("call %d: %q", i, got)
		}
	}
	if fx.ts.count() != 1 {
		t.Errorf("%d token requests, want 1", fx.ts.count())
	}
	if len(fx.handed) != 1 || fx.handed[0] != "token-1" {
		t.Errorf("OnToken saw %q", fx.handed)
	}
	// A token already handed out is used for further requests until
	// shortly before it expires, even with less than MinTTL left...
	fx.clock.Advance(time.Hour - config.DefaultMinTTL + time.Second)
	if got := fx.token(t); got != "token-1" {
		t.Errorf("within MinTTL of expiry: %q, want token-1 still", got)
	}
	// ...and then a new one is fetched.
	fx.clock.Advance(config.DefaultMinTTL - 10*time.Second)
	if got := fx.token(t); got != "token-2" {
		t.Errorf("10s before expiry: %q, want token-2", got)
	}
	if fx.ts.count() != 2 {
		t.Errorf("%d token requests, want 2", fx.ts.count())
	}
}

func TestSourceConcurrentCallers(t *testing.T) {
	fx := newSourceFixture(t, false)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := fx.src.Token(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if fx.ts.count() != 1 {
		t.Errorf("%d token requests, want 1", fx.ts.count())
	}
}

func TestSourceUsesStore(t *testing.T) {
	fx := newSourceFixture(t, true)
	if _, err := fx.cache.Replace(context.Background(), "", func(context.Context) (*auth.Token, error) {
		return &auth.Token{AccessToken: "cached", TokenType: "Bearer", Expiry: testNow.Add(time.Hour)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := fx.token(t); got != "cached" {
		t.Errorf("token %q, want the cached one", got)
	}
	if fx.ts.count() != 0 {
		t.Errorf("%d token requests, want 0", fx.ts.count())
	}
	if len(fx.handed) != 1 || fx.handed[0] != "cached" {
		t.Errorf("OnToken saw %q", fx.handed)
	}
}

func TestSourceForceRefresh(t *testing.T) {
	fx := newSourceFixture(t, true)
	if _, err := fx.cache.Replace(context.Background(), "", func(context.Context) (*auth.Token, error) {
		return &auth.Token{AccessToken: "cached", Expiry: testNow.Add(time.Hour)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	fx.src.ForceRefresh = true
	if got := fx.token(t); got != "token-1" {
		t.Errorf("ForceRefresh gave %q, want a new token", got)
	}
	if fx.stored(t) != "token-1" {
		t.Errorf("store holds %v, want token-1", fx.stored(t))
	}
	if fx.src.ForceRefresh {
		t.Error("ForceRefresh still set after a successful fetch")
	}
	if got := fx.token(t); got != "token-1" || fx.ts.count() != 1 {
		t.Errorf("second call %q after %d requests, want token-1 from memory", got, fx.ts.count())
	}
}

func TestSourceForceRefreshWithoutStore(t *testing.T) {
	fx := newSourceFixture(t, false)
	fx.src.ForceRefresh = true
	if got := fx.token(t); got != "token-1" {
		t.Errorf("got %q", got)
	}
}

func TestSourceInvalidate(t *testing.T) {
	tests := []struct {
		name        string
		withStore   bool
		invalidate  string
		wantNext    string
		wantFetches int // after the Invalidate and the following Token call
		wantStored  string
	}{
		{name: "store replaced", withStore: true, invalidate: "token-1", wantNext: "token-2", wantFetches: 2, wantStored: "token-2"},
		{name: "no store: next call fetches", withStore: false, invalidate: "token-1", wantNext: "token-2", wantFetches: 2},
		{name: "other token ignored", withStore: true, invalidate: "token-0", wantNext: "token-1", wantFetches: 1, wantStored: "token-1"},
		{name: "other token ignored without store", withStore: false, invalidate: "nope", wantNext: "token-1", wantFetches: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newSourceFixture(t, tt.withStore)
			if got := fx.token(t); got != "token-1" {
				t.Fatalf("first token %q", got)
			}
			fx.src.Invalidate(context.Background(), tt.invalidate)
			if tt.withStore {
				if got := fx.stored(t); got != tt.wantStored {
					t.Errorf("store holds %v right after Invalidate, want %q", got, tt.wantStored)
				}
			}
			if got := fx.token(t); got != tt.wantNext {
				t.Errorf("after Invalidate: %q, want %q", got, tt.wantNext)
			}
			if fx.ts.count() != tt.wantFetches {
				t.Errorf("%d token requests, want %d", fx.ts.count(), tt.wantFetches)
			}
			if last := fx.handed[len(fx.handed)-1]; last != tt.wantNext {
				t.Errorf("OnToken last saw %q, want %q", last, tt.wantNext)
			}
		})
	}
}

// When another process already replaced the revoked token in the store,
// Invalidate adopts that one instead of fetching.
func TestSourceInvalidateAdoptsOtherProcessToken(t *testing.T) {
	fx := newSourceFixture(t, true)
	fx.token(t) // token-1, stored
	other := &auth.FileCache{Dir: fx.cache.Dir, Key: fx.cache.Key, Now: fx.clock.Now}
	if _, err := other.Replace(context.Background(), "token-1", func(context.Context) (*auth.Token, error) {
		return &auth.Token{AccessToken: "from-other-process", TokenType: "Bearer", Expiry: testNow.Add(time.Hour)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	fx.src.Invalidate(context.Background(), "token-1")
	if got := fx.token(t); got != "from-other-process" {
		t.Errorf("got %q, want the other process's token", got)
	}
	if fx.ts.count() != 1 {
		t.Errorf("%d token requests, want 1", fx.ts.count())
	}
}

func TestSourceError(t *testing.T) {
	ts := newTokenServer(t, func(w http.ResponseWriter, n int, _ request) {
		if n == 1 {
			writeJSON(w, 401, map[string]string{"error": "invalid_client"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": "ok", "token_type": "Bearer"})
	})
	called := 0
	src := &auth.Source{
		Client:       &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: ts.Client()},
		MinTTL:       config.DefaultMinTTL,
		ForceRefresh: true,
		OnToken:      func(*auth.Token) { called++ },
	}
	_, err := src.AccessToken(context.Background())
	var rej *auth.RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("err = %T %v", err, err)
	}
	if called != 0 {
		t.Errorf("OnToken called on failure")
	}
	if !src.ForceRefresh {
		t.Error("ForceRefresh cleared by a failed fetch")
	}
	if tok, err := src.AccessToken(context.Background()); err != nil || tok != "ok" {
		t.Errorf("retry: %q, %v", tok, err)
	}
}

// When no new token can be had after PingOne refused the current one,
// Invalidate returns the token endpoint's error, and the refused token is
// neither handed out again nor left in the store.
func TestSourceInvalidateFetchFails(t *testing.T) {
	ts := newTokenServer(t, func(w http.ResponseWriter, n int, _ request) {
		if n == 1 {
			writeJSON(w, 200, map[string]any{"access_token": "revoked", "token_type": "Bearer"})
			return
		}
		writeJSON(w, 401, map[string]string{"error": "invalid_client"})
	})
	cache := &auth.FileCache{Dir: t.TempDir(), Key: testKey(""), Now: fixedClock(testNow)}
	src := &auth.Source{
		Client: &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: ts.Client(), Now: fixedClock(testNow)},
		Store:  cache, MinTTL: config.DefaultMinTTL,
	}
	if tok, err := src.AccessToken(context.Background()); err != nil || tok != "revoked" {
		t.Fatalf("AccessToken = %q, %v", tok, err)
	}
	var rej *auth.RejectedError
	if err := src.Invalidate(context.Background(), "revoked"); !errors.As(err, &rej) {
		t.Fatalf("Invalidate = %v, want the token endpoint's refusal", err)
	}
	if _, err := os.Stat(filepath.Join(cache.Dir, cache.Key+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused token is still stored: %v", err)
	}
	if tok, err := src.AccessToken(context.Background()); err == nil {
		t.Errorf("AccessToken after a failed refresh = %q, want an error", tok)
	}
}

// Tokens that live shorter than MinTTL are handed out, with one warning.
func TestSourceWarnsOnceAboutShortLivedTokens(t *testing.T) {
	ts := newTokenServer(t, func(w http.ResponseWriter, n int, _ request) {
		writeJSON(w, 200, map[string]any{"access_token": fmt.Sprintf("token-%d", n), "token_type": "Bearer", "expires_in": 300})
	})
	var warnings []string
	src := &auth.Source{
		Client: &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: ts.Client(), Now: fixedClock(testNow)},
		MinTTL: 30 * time.Minute,
		Warn:   func(s string) { warnings = append(warnings, s) },
	}
	// The token is used for every request of the run, not fetched anew
	// for each.
	for i := 1; i <= 3; i++ {
		if tok, err := src.AccessToken(context.Background()); err != nil || tok != "token-1" {
			t.Fatalf("call %d: %q, %v", i, tok, err)
		}
	}
	if ts.count() != 1 {
		t.Errorf("%d token requests, want 1", ts.count())
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "valid for only 5m0s") || !strings.Contains(warnings[0], "30m0s") {
		t.Errorf("warnings = %q, want one naming both lifetimes", warnings)
	}
	if len(warnings) == 1 && strings.Contains(warnings[0], "cached") {
		t.Errorf("warning %q speaks of a cache this source does not have", warnings[0])
	}

	// A token a second or two short of MinTTL (its expiry is counted from
	// before the request, in whole seconds) is not worth a warning.
	warnings = nil
	src = &auth.Source{Client: src.Client, MinTTL: 5*time.Minute + time.Second, Warn: src.Warn}
	if _, err := src.AccessToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warned about a token one second short: %q", warnings)
	}

	warnings = nil
	src = &auth.Source{Client: src.Client, MinTTL: time.Minute, Warn: src.Warn}
	if _, err := src.AccessToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warned about a token that lives long enough: %q", warnings)
	}
}
