package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/auth"
)

// counter is a fetch function that counts its calls and hands out
// token-1, token-2, ... valid for ttl from testNow.
type counter struct {
	n     atomic.Int32
	ttl   time.Duration
	delay time.Duration
	err   error
}

func (c *counter) fetch(ctx context.Context) (*auth.Token, error) {
	n := c.n.Add(1)
	if c.delay > 0 {
		time.Sleep(c.delay)
	}
	if c.err != nil {
		return nil, c.err
	}
	ttl := c.ttl
	if ttl == 0 {
		ttl = time.Hour
	}
	return &auth.Token{AccessToken: fmt.Sprintf("token-%d", n), TokenType: "Bearer", Scope: "openid", Expiry: testNow.Add(ttl)}, nil
}

func (c *counter) calls() int { return int(c.n.Load()) }

func testKey(suffix string) string {
	return auth.CacheKey("https://auth.pingone.com/"+envID+"/as/token", clientID, "client_secret_basic", nil, []byte(clientSecret+suffix))
}

func newCache(dir string) *auth.FileCache {
	return cacheAt(dir, testNow)
}

// cacheAt is newCache with its clock stopped at now.
func cacheAt(dir string, now time.Time) *auth.FileCache {
	return &auth.FileCache{Dir: dir, Key: testKey(""), Now: fixedClock(now)}
}

// storedFile reads the cache file of c as generic JSON.
func storedFile(t *testing.T, c *auth.FileCache) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(c.Dir, c.Key+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("cache file is not JSON: %v: %q", err, data)
	}
	return m
}

func modeOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func TestFileCacheStoresThenReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "p1ctl")
	var f counter
	first, err := newCache(dir).Get(context.Background(), time.Minute, f.fetch)
	if err != nil {
		t.Fatal(err)
	}
	if first.AccessToken != "token-1" || f.calls() != 1 {
		t.Fatalf("first Get: %+v after %d fetches", first, f.calls())
	}
	// A fresh FileCache, as in the next run of p1ctl.
	second, err := newCache(dir).Get(context.Background(), time.Minute, f.fetch)
	if err != nil {
		t.Fatal(err)
	}
	if f.calls() != 1 {
		t.Errorf("second Get fetched again (%d fetches)", f.calls())
	}
	if *second != *first {
		t.Errorf("second Get = %+v, want %+v", second, first)
	}
	c := newCache(dir)
	if got := modeOf(t, dir); got != 0o700 {
		t.Errorf("cache dir mode %04o, want 0700", got)
	}
	if got := modeOf(t, filepath.Join(dir, c.Key+".json")); got != 0o600 {
		t.Errorf("cache file mode %04o, want 0600", got)
	}
	if got := modeOf(t, filepath.Join(dir, c.Key+".lock")); got != 0o600 {
		t.Errorf("lock file mode %04o, want 0600", got)
	}
	m := storedFile(t, c)
	if m["key"] != c.Key || m["access_token"] != "token-1" {
		t.Errorf("cache file = %v", m)
	}
	for _, v := range m {
		if s, ok := v.(string); ok && strings.Contains(s, clientSecret) {
			t.Errorf("cache file holds the client secret")
		}
	}
	// No temporary files left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestFileCacheRefetch(t *testing.T) {
	tests := []struct {
		name      string
		storedTTL time.Duration // lifetime of the stored token at testNow
		minTTL    time.Duration
		wantFetch bool
	}{
		{"plenty left", time.Hour, time.Minute, false},
		{"exactly minTTL left", time.Minute, time.Minute, false},
		{"less than minTTL left", 30 * time.Second, time.Minute, true},
		{"expired", -time.Second, 0, true},
		{"expired long ago", -24 * time.Hour, time.Minute, true},
		{"minTTL of an hour", 50 * time.Minute, time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			seed := &counter{ttl: tt.storedTTL}
			// Stored long enough ago that no token counts as fresh.
			if _, err := cacheAt(dir, testNow.Add(-24*time.Hour)).Replace(context.Background(), "", seed.fetch); err != nil {
				t.Fatal(err)
			}
			var f counter
			tok, err := newCache(dir).Get(context.Background(), tt.minTTL, f.fetch)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.calls() == 1; got != tt.wantFetch {
				t.Fatalf("fetched: %v, want %v", got, tt.wantFetch)
			}
			if tt.wantFetch {
				if m := storedFile(t, newCache(dir)); m["access_token"] != tok.AccessToken {
					t.Errorf("new token not stored: file holds %v", m["access_token"])
				}
			}
		})
	}
}

func TestFileCacheIgnoresBadFiles(t *testing.T) {
	key := testKey("")
	valid := func(mod func(m map[string]any)) string {
		m := map[string]any{"format": 2, "key": key, "access_token": "old", "token_type": "Bearer", "expires_at": testNow.Add(time.Hour), "stored_at": testNow.Add(-time.Minute)}
		mod(m)
		data, _ := json.Marshal(m)
		return string(data)
	}
	tests := []struct {
		name    string
		content string
	}{
		{"empty", ""},
		{"corrupt", "{not json"},
		{"truncated", valid(func(map[string]any) {})[:40]},
		{"foreign key", valid(func(m map[string]any) { m["key"] = testKey("other") })},
		{"other format", valid(func(m map[string]any) { m["format"] = 1 })},
		{"no store time", valid(func(m map[string]any) { delete(m, "stored_at") })},
		{"stored in the future (clock set back)", valid(func(m map[string]any) { m["stored_at"] = testNow.Add(time.Hour) })},
		{"expiring after 30 days (edited)", valid(func(m map[string]any) { m["expires_at"] = testNow.Add(31 * 24 * time.Hour) })},
		{"no format", valid(func(m map[string]any) { delete(m, "format") })},
		{"no access token", valid(func(m map[string]any) { m["access_token"] = "" })},
		{"access token with an escape sequence", valid(func(m map[string]any) { m["access_token"] = "old\x1b[2J" })},
		{"access token with CR LF", valid(func(m map[string]any) { m["access_token"] = "old\r\nX: 1" })},
		{"not a Bearer token", valid(func(m map[string]any) { m["token_type"] = "DPoP" })},
		{"no token type", valid(func(m map[string]any) { delete(m, "token_type") })},
		{"JSON array", "[1,2,3]"},
		{"larger than 64 KiB", valid(func(map[string]any) {}) + strings.Repeat(" ", 64<<10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, key+".json")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			var f counter
			tok, err := newCache(dir).Get(context.Background(), time.Minute, f.fetch)
			if err != nil {
				t.Fatal(err)
			}
			if f.calls() != 1 || tok.AccessToken != "token-1" {
				t.Fatalf("got %q after %d fetches, want a fetched token", tok.AccessToken, f.calls())
			}
			if m := storedFile(t, newCache(dir)); m["access_token"] != "token-1" || m["key"] != key {
				t.Errorf("bad file not replaced: %v", m)
			}
		})
	}
	// The well-formed file itself is used.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, key+".json"), []byte(valid(func(map[string]any) {})), 0o600); err != nil {
		t.Fatal(err)
	}
	var f counter
	tok, err := newCache(dir).Get(context.Background(), time.Minute, f.fetch)
	if err != nil || tok.AccessToken != "old" || f.calls() != 0 {
		t.Errorf("valid hand-written file: %+v, %v after %d fetches", tok, err, f.calls())
	}
}

func TestFileCacheTightensDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "loose")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	var f counter
	if _, err := newCache(dir).Get(context.Background(), time.Minute, f.fetch); err != nil {
		t.Fatal(err)
	}
	if got := modeOf(t, dir); got != 0o700 {
		t.Errorf("cache dir mode %04o after use, want 0700", got)
	}
}

func TestFileCacheFetchError(t *testing.T) {
	dir := t.TempDir()
	boom := errors.New("boom")
	f := counter{err: boom}
	if _, err := newCache(dir).Get(context.Background(), time.Minute, f.fetch); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if _, err := os.Stat(filepath.Join(dir, testKey("")+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a cache file exists after a failed fetch: %v", err)
	}
}

// A cache directory that cannot be created is bypassed: every call
// fetches, and Warn is called exactly once.
func TestFileCacheUnusable(t *testing.T) {
	tests := []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{"parent is a file", func(t *testing.T) string {
			file := filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(file, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(file, "cache")
		}},
		{"read-only parent", func(t *testing.T) string {
			parent := filepath.Join(t.TempDir(), "ro")
			if err := os.Mkdir(parent, 0o500); err != nil {
				t.Fatal(err)
			}
			os.Chmod(parent, 0o500)
			t.Cleanup(func() { os.Chmod(parent, 0o700) })
			probe := filepath.Join(parent, "probe")
			if err := os.WriteFile(probe, nil, 0o600); err == nil {
				os.Remove(probe)
				t.Skip("a read-only directory is writable for this user (root?)")
			}
			return filepath.Join(parent, "cache")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.dir(t)
			var warnings []string
			var mu sync.Mutex
			c := &auth.FileCache{Dir: dir, Key: testKey(""), Now: fixedClock(testNow), Warn: func(s string) {
				mu.Lock()
				defer mu.Unlock()
				warnings = append(warnings, s)
			}}
			var f counter
			for i := 1; i <= 3; i++ {
				tok, err := c.Get(context.Background(), time.Minute, f.fetch)
				if err != nil {
					t.Fatalf("Get %d: %v", i, err)
				}
				if tok.AccessToken != fmt.Sprintf("token-%d", i) {
					t.Errorf("Get %d = %q", i, tok.AccessToken)
				}
			}
			if _, err := c.Replace(context.Background(), "token-3", f.fetch); err != nil {
				t.Fatal(err)
			}
			if f.calls() != 4 {
				t.Errorf("%d fetches, want 4 (one per call, uncached)", f.calls())
			}
			mu.Lock()
			defer mu.Unlock()
			if len(warnings) != 1 {
				t.Fatalf("Warn called %d times (%q), want once", len(warnings), warnings)
			}
			if !strings.Contains(warnings[0], dir) || !strings.Contains(warnings[0], "continuing without it") {
				t.Errorf("warning = %q", warnings[0])
			}
		})
	}
}

func TestFileCacheConcurrentColdStart(t *testing.T) {
	dir := t.TempDir()
	f := counter{delay: 20 * time.Millisecond}
	const n = 20
	var wg sync.WaitGroup
	tokens := make([]string, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newCache(dir) // each its own FileCache, as separate processes would be
			<-start
			tok, err := c.Get(context.Background(), time.Minute, f.fetch)
			errs[i] = err
			if tok != nil {
				tokens[i] = tok.AccessToken
			}
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("goroutine %d: %v", i, errs[i])
		}
		if tokens[i] != "token-1" {
			t.Errorf("goroutine %d got %q, want token-1", i, tokens[i])
		}
	}
	if f.calls() != 1 {
		t.Errorf("fetch called %d times, want once", f.calls())
	}
}

// holdLock starts a process-like FileCache on dir whose token request
// blocks while it holds the key's lock, and returns once the lock is held.
// release lets that request finish with a token valid for ttl, and waits
// for the holder to store it.
func holdLock(t *testing.T, dir, token string, ttl time.Duration) (release func()) {
	t.Helper()
	unblock := make(chan struct{})
	holding := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		newCache(dir).Get(context.Background(), time.Hour, func(context.Context) (*auth.Token, error) {
			close(holding)
			<-unblock
			return &auth.Token{AccessToken: token, TokenType: "Bearer", Expiry: testNow.Add(ttl)}, nil
		})
	}()
	<-holding
	var once sync.Once
	return func() { once.Do(func() { close(unblock); <-done }) }
}

func TestFileCacheGetCanceledWhileWaiting(t *testing.T) {
	dir := t.TempDir()
	release := holdLock(t, dir, "slow", time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	var f counter
	_, err := newCache(dir).Get(ctx, time.Minute, f.fetch)
	release()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if f.calls() != 0 {
		t.Errorf("fetched %d times while the context was done", f.calls())
	}
}

// A process whose lock holder does not finish (suspended, say) gives up
// waiting after half of its remaining time, warns once, and fetches a token
// of its own without the cache.
func TestFileCacheLockWaitIsBounded(t *testing.T) {
	dir := t.TempDir()
	defer holdLock(t, dir, "stuck", time.Hour)()

	var warnings []string
	c := newCache(dir)
	c.Warn = func(s string) { warnings = append(warnings, s) }
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	var f counter
	start := time.Now()
	tok, err := c.Get(ctx, time.Minute, f.fetch)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if waited := time.Since(start); waited >= 190*time.Millisecond {
		t.Errorf("waited %v: the whole timeout went on the lock", waited)
	}
	if tok.AccessToken != "token-1" || f.calls() != 1 {
		t.Errorf("Get = %q after %d fetches, want its own token-1", tok.AccessToken, f.calls())
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "another p1ctl's token request") || !strings.Contains(warnings[0], c.Key+".lock") {
		t.Errorf("warnings = %q, want one naming the lock", warnings)
	}
}

// When PingOne issues tokens that live shorter than minTTL, processes that
// waited for the lock take the token the holder just fetched rather than
// each fetching its own.
func TestFileCacheShortLivedTokensStillSingleFlight(t *testing.T) {
	dir := t.TempDir()
	release := holdLock(t, dir, "short-lived", 5*time.Minute)
	defer release()
	// The waiter's first clock reading comes right after its first look at
	// the cache: only then may the holder store its token.
	looked := make(chan struct{})
	var once sync.Once
	waiter := newCache(dir)
	waiter.Now = func() time.Time {
		once.Do(func() { close(looked) })
		return testNow
	}
	go func() { <-looked; release() }()
	var f counter
	tok, err := waiter.Get(context.Background(), time.Hour, f.fetch)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "short-lived" || f.calls() != 0 {
		t.Errorf("waiter got %q after %d fetches, want the holder's token and none", tok.AccessToken, f.calls())
	}
	// A process that starts just after the store (it did not wait for the
	// lock) takes it too: a new token would last at most seconds longer.
	if tok, _ := cacheAt(dir, testNow.Add(10*time.Second)).Get(context.Background(), time.Hour, f.fetch); tok.AccessToken != "short-lived" || f.calls() != 0 {
		t.Errorf("Get just after the store = %q after %d fetches, want the stored token and none", tok.AccessToken, f.calls())
	}
	// Once it has used more than a tenth of its lifetime, a new one is
	// worth fetching.
	if tok, _ := cacheAt(dir, testNow.Add(time.Minute)).Get(context.Background(), time.Hour, f.fetch); tok.AccessToken != "token-1" {
		t.Errorf("later Get = %q, want a fresh token-1", tok.AccessToken)
	}
}

// A revoked token is removed from the cache even when no replacement can
// be fetched, so no later run sends it again.
func TestFileCacheReplaceFailureForgetsStaleToken(t *testing.T) {
	dir := t.TempDir()
	seed := func(context.Context) (*auth.Token, error) {
		return &auth.Token{AccessToken: "revoked", TokenType: "Bearer", Expiry: testNow.Add(time.Hour)}, nil
	}
	if _, err := newCache(dir).Replace(context.Background(), "", seed); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("token endpoint down")
	f := counter{err: boom}
	if _, err := newCache(dir).Replace(context.Background(), "revoked", f.fetch); !errors.Is(err, boom) {
		t.Fatalf("Replace err = %v, want %v", err, boom)
	}
	if _, err := os.Stat(filepath.Join(dir, testKey("")+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the revoked token is still cached: %v", err)
	}
}

func TestFileCacheReplace(t *testing.T) {
	tests := []struct {
		name      string
		storedTTL time.Duration // 0: nothing stored
		stale     string
		wantFetch bool
		want      string
	}{
		{name: "stored token is the stale one", storedTTL: time.Hour, stale: "seed-1", wantFetch: true, want: "token-1"},
		{name: "another process already replaced it", storedTTL: time.Hour, stale: "revoked", wantFetch: false, want: "seed-1"},
		{name: "replacement has expired", storedTTL: -time.Minute, stale: "revoked", wantFetch: true, want: "token-1"},
		{name: "empty stale always fetches", storedTTL: time.Hour, stale: "", wantFetch: true, want: "token-1"},
		{name: "nothing stored", stale: "revoked", wantFetch: true, want: "token-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.storedTTL != 0 {
				seed := func(context.Context) (*auth.Token, error) {
					return &auth.Token{AccessToken: "seed-1", TokenType: "Bearer", Expiry: testNow.Add(tt.storedTTL)}, nil
				}
				if _, err := newCache(dir).Replace(context.Background(), "", seed); err != nil {
					t.Fatal(err)
				}
			}
			var f counter
			tok, err := newCache(dir).Replace(context.Background(), tt.stale, f.fetch)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.calls() == 1; got != tt.wantFetch {
				t.Errorf("fetched: %v, want %v", got, tt.wantFetch)
			}
			if tok.AccessToken != tt.want {
				t.Errorf("Replace = %q, want %q", tok.AccessToken, tt.want)
			}
			if m := storedFile(t, newCache(dir)); m["access_token"] != tt.want {
				t.Errorf("stored %v, want %q", m["access_token"], tt.want)
			}
		})
	}
}

func TestFileCacheClear(t *testing.T) {
	dir := t.TempDir()
	c := newCache(dir)
	if had, err := c.Clear(); had || err != nil {
		t.Fatalf("Clear with nothing stored = %v, %v; want false, nil", had, err)
	}
	var f counter
	if _, err := c.Get(context.Background(), 0, f.fetch); err != nil {
		t.Fatal(err)
	}
	other := &auth.FileCache{Dir: dir, Key: testKey("other"), Now: fixedClock(testNow)}
	if _, err := other.Get(context.Background(), 0, f.fetch); err != nil {
		t.Fatal(err)
	}
	if had, err := c.Clear(); !had || err != nil {
		t.Fatalf("Clear = %v, %v; want true, nil", had, err)
	}
	if _, err := os.Stat(filepath.Join(dir, c.Key+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("token file still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, other.Key+".json")); err != nil {
		t.Errorf("Clear removed another key's token: %v", err)
	}
	if _, err := c.Get(context.Background(), 0, f.fetch); err != nil || f.calls() != 3 {
		t.Errorf("Get after Clear: %v, %d fetches, want 3", err, f.calls())
	}
}

func TestClearAll(t *testing.T) {
	dir := t.TempDir()
	var f counter
	keys := []string{testKey("a"), testKey("b")}
	for _, k := range keys {
		c := &auth.FileCache{Dir: dir, Key: k, Now: fixedClock(testNow)}
		if _, err := c.Get(context.Background(), 0, f.fetch); err != nil {
			t.Fatal(err)
		}
	}
	hex64 := strings.Repeat("ab", 32)
	foreign := []string{
		"notes.txt",
		"config.yaml",
		"abc.json",
		strings.Repeat("g", 64) + ".json", // 64 characters, not hex
		hex64 + ".txt",
		hex64[:63] + ".json",
		hex64 + "0.json",
		".tmp-12345",             // not a name securefile.Write gives
		".config.yaml.tmp-12345", // another file's temporary file
		"." + hex64 + ".lock.tmp-1",
		"." + hex64 + ".json.tmp-", // no digits
		"." + hex64 + ".json.tmp-1x",
		hex64, // no extension
	}
	for _, name := range foreign {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Temporary files of writes that never finished hold tokens, named
	// after the cache file.
	stored, err := os.ReadFile(filepath.Join(dir, keys[0]+".json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"." + keys[0] + ".json.tmp-123456", "." + testKey("c") + ".json.tmp-7"} {
		if err := os.WriteFile(filepath.Join(dir, name), stored, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	n, err := auth.ClearAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("ClearAll removed %d tokens, want 2", n)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	// The lock files stay: another process may be holding one.
	want := append(slices.Clone(foreign), "sub", keys[0]+".lock", keys[1]+".lock")
	slices.Sort(want)
	slices.Sort(left)
	if !slices.Equal(left, want) {
		t.Errorf("left %q, want %q", left, want)
	}

	if n, err := auth.ClearAll(filepath.Join(dir, "absent")); n != 0 || err != nil {
		t.Errorf("ClearAll(missing dir) = %d, %v", n, err)
	}
	if n, err := auth.ClearAll(dir); n != 0 || err != nil {
		t.Errorf("second ClearAll = %d, %v", n, err)
	}
}

func TestCacheKey(t *testing.T) {
	const url = "https://auth.pingone.com/" + envID + "/as/token"
	base := auth.CacheKey(url, clientID, "client_secret_basic", []string{"a", "b"}, []byte("secret"))
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(base) {
		t.Fatalf("CacheKey = %q, want 64 hex digits", base)
	}
	differ := map[string]string{
		"token URL":     auth.CacheKey("https://auth.pingone.eu/"+envID+"/as/token", clientID, "client_secret_basic", []string{"a", "b"}, []byte("secret")),
		"client ID":     auth.CacheKey(url, "other-client", "client_secret_basic", []string{"a", "b"}, []byte("secret")),
		"method":        auth.CacheKey(url, clientID, "client_secret_post", []string{"a", "b"}, []byte("secret")),
		"scopes":        auth.CacheKey(url, clientID, "client_secret_basic", []string{"a"}, []byte("secret")),
		"no scopes":     auth.CacheKey(url, clientID, "client_secret_basic", nil, []byte("secret")),
		"credential":    auth.CacheKey(url, clientID, "client_secret_basic", []string{"a", "b"}, []byte("secret2")),
		"no credential": auth.CacheKey(url, clientID, "client_secret_basic", []string{"a", "b"}, nil),
		"shifted parts": auth.CacheKey(url+clientID[:1], clientID[1:], "client_secret_basic", []string{"a", "b"}, []byte("secret")),
	}
	seen := map[string]string{base: "base"}
	for name, k := range differ {
		if prev, ok := seen[k]; ok {
			t.Errorf("CacheKey with a different %s equals the key for %s", name, prev)
		}
		seen[k] = name
	}
	same := map[string]string{
		"scopes reordered": auth.CacheKey(url, clientID, "client_secret_basic", []string{"b", "a"}, []byte("secret")),
		"repeat call":      auth.CacheKey(url, clientID, "client_secret_basic", []string{"a", "b"}, []byte("secret")),
	}
	for name, k := range same {
		if k != base {
			t.Errorf("CacheKey with %s differs", name)
		}
	}
	if strings.Contains(base, "secret") || strings.Contains(base, clientID) {
		t.Error("cache key reveals its inputs")
	}
	scopes := []string{"b", "a"}
	auth.CacheKey(url, clientID, "m", scopes, nil)
	if scopes[0] != "b" {
		t.Error("CacheKey sorted the caller's slice")
	}
	if nilKey, emptyKey := auth.CacheKey(url, clientID, "m", nil, nil), auth.CacheKey(url, clientID, "m", []string{}, nil); nilKey != emptyKey {
		t.Error("nil and empty scopes give different keys")
	}
}

func TestCacheDir(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "cache")
	xdg := filepath.Join(t.TempDir(), "xdg")
	tests := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr string
	}{
		{name: "P1CTL_CACHE_DIR", env: map[string]string{auth.EnvCacheDir: abs}, want: abs},
		{name: "P1CTL_CACHE_DIR with spaces", env: map[string]string{auth.EnvCacheDir: " " + abs + " "}, want: abs},
		{name: "XDG_CACHE_HOME", env: map[string]string{"XDG_CACHE_HOME": xdg}, want: filepath.Join(xdg, "p1ctl")},
		{name: "relative P1CTL_CACHE_DIR", env: map[string]string{auth.EnvCacheDir: "relcache"},
			wantErr: `no token cache directory (P1CTL_CACHE_DIR "relcache" is not an absolute path): set P1CTL_CACHE_DIR to an absolute path`},
		{name: "unexpanded tilde", env: map[string]string{auth.EnvCacheDir: "~/cache"}, wantErr: `"~/cache" is not an absolute path`},
		{name: "no home", env: map[string]string{"XDG_CACHE_HOME": "", "HOME": ""}, wantErr: "no token cache directory ("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// XDG_CACHE_HOME and HOME decide the user cache directory on
			// Linux and the BSDs only.
			if _, usesXDG := tt.env["XDG_CACHE_HOME"]; usesXDG && (runtime.GOOS == "windows" || runtime.GOOS == "darwin" || runtime.GOOS == "ios" || runtime.GOOS == "plan9") {
				t.Skip("the user cache directory does not come from XDG_CACHE_HOME here")
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			got, err := auth.CacheDir(tt.env[auth.EnvCacheDir])
			if tt.wantErr != "" {
				var dirErr *auth.CacheDirError
				if !errors.As(err, &dirErr) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("CacheDir() = %q, %v; want a *CacheDirError containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("CacheDir() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// A recently stored token that lacks minTTL is replaced when PingOne's
// tokens could meet minTTL, and kept when they could not.
func TestFileCacheFreshTokenAndMinTTL(t *testing.T) {
	tests := []struct {
		name      string
		lifetime  time.Duration // of the stored token
		age       time.Duration // since it was stored
		minTTL    time.Duration
		wantFetch bool
	}{
		{"a new token could meet minTTL", time.Hour, 2 * time.Minute, 59 * time.Minute, true},
		{"tokens live shorter than minTTL, stored moments ago", 45 * time.Second, 2 * time.Second, time.Minute, false},
		{"tokens live shorter than minTTL, a tenth of the life used", time.Hour, 6 * time.Minute, 2 * time.Hour, false},
		{"tokens live shorter than minTTL, more than a tenth used", time.Hour, 7 * time.Minute, 2 * time.Hour, true},
		{"expired", 45 * time.Second, 50 * time.Second, time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			stored := testNow.Add(-tt.age)
			seed := func(context.Context) (*auth.Token, error) {
				return &auth.Token{AccessToken: "stored", TokenType: "Bearer", Expiry: stored.Add(tt.lifetime)}, nil
			}
			if _, err := cacheAt(dir, stored).Replace(context.Background(), "", seed); err != nil {
				t.Fatal(err)
			}
			var f counter
			tok, err := newCache(dir).Get(context.Background(), tt.minTTL, f.fetch)
			if err != nil {
				t.Fatal(err)
			}
			if fetched := f.calls() == 1; fetched != tt.wantFetch || (tok.AccessToken == "stored") == tt.wantFetch {
				t.Errorf("got %q after %d fetches, want a fetch: %v", tok.AccessToken, f.calls(), tt.wantFetch)
			}
		})
	}
}
