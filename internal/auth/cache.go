package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/securefile"
)

// EnvCacheDir overrides the token cache directory; config resolves it
// with the other runtime settings.
const EnvCacheDir = config.EnvCacheDir

// cacheFormat versions the cache file layout; files of another version are
// ignored and replaced.
const cacheFormat = 2

// lockRetry is how often a process waiting for another's token request
// checks the lock.
const lockRetry = 10 * time.Millisecond

// CacheDir returns the token cache directory: override (P1CTL_CACHE_DIR's
// value, config.Runtime.CacheDir) unless it is "", else
// <user cache dir>/p1ctl. The override must be an absolute path, as
// XDG_CACHE_HOME must: a relative one would put a cache, tokens included,
// in whatever directory p1ctl happens to run in. Its errors are
// *CacheDirError.
func CacheDir(override string) (string, error) {
	if d := strings.TrimSpace(override); d != "" {
		if !filepath.IsAbs(d) {
			return "", &CacheDirError{Err: fmt.Errorf("%s %q is not an absolute path", EnvCacheDir, d)}
		}
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", &CacheDirError{Err: err}
	}
	return filepath.Join(d, "p1ctl"), nil
}

// CacheDirError means there is no token cache directory to use: no home
// directory (a bare container, say) or a bad P1CTL_CACHE_DIR.
type CacheDirError struct {
	Err error
}

func (e *CacheDirError) Error() string {
	return fmt.Sprintf("no token cache directory (%v): set %s to an absolute path", e.Err, EnvCacheDir)
}

func (e *CacheDirError) Unwrap() error { return e.Err }

// CacheKey identifies a token: everything that changes which token comes
// back. The credential (client secret or private key) enters only as a
// hash, so rotating it misses the cache, and the key itself is hashed again
// so that a file name reveals nothing.
func CacheKey(tokenURL, clientID, method string, scopes []string, credential []byte) string {
	sorted := slices.Clone(scopes)
	slices.Sort(sorted)
	credHash := sha256.Sum256(credential)
	h := sha256.New()
	for _, part := range []string{tokenURL, clientID, method, strings.Join(sorted, " "), hex.EncodeToString(credHash[:])} {
		fmt.Fprintf(h, "%d:%s\n", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// FileCache stores one token per key as a JSON file (mode 0600) in Dir, a
// directory only this user can write to (see securefile.PrivateDir), with a
// lock file per key so that concurrent processes make one token request
// between them. It implements Store. A cache that cannot be used (read-only
// home, say) is bypassed after one warning.
type FileCache struct {
	Dir string
	Key string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Warn receives, at most once, the reason the cache is bypassed.
	Warn func(string)

	warnOnce sync.Once
	dirOnce  sync.Once
	dirErr   error
}

type cacheFile struct {
	Format      int       `json:"format"`
	Key         string    `json:"key"`
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type"`
	Scope       string    `json:"scope,omitempty"`
	Expiry      time.Time `json:"expires_at"`
	// Stored is when the token was stored, just after it arrived from the
	// token endpoint.
	Stored time.Time `json:"stored_at"`
}

func (c *FileCache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *FileCache) path() string     { return filepath.Join(c.Dir, c.Key+".json") }
func (c *FileCache) lockPath() string { return filepath.Join(c.Dir, c.Key+".lock") }

// Get returns the cached token if it has at least minTTL left; otherwise it
// takes the key's lock, looks again (another process may have just fetched
// one), and only then fetches and stores a new token.
//
// When PingOne issues tokens that live shorter than minTTL, no token can
// meet it, so a token about as fresh as a new one is taken instead (see
// fresh): N processes started at once still make one request between them.
func (c *FileCache) Get(ctx context.Context, minTTL time.Duration, fetch func(context.Context) (*Token, error)) (*Token, error) {
	began := c.now()
	if err := c.ensureDir(); err != nil {
		c.warn(err)
		return c.fetchUncached(ctx, fetch)
	}
	if tok, stored := c.read(); tok.Valid(began, minTTL) || fresh(tok, stored, began, began, minTTL) {
		return tok, nil
	}
	unlock, ok := c.lock(ctx)
	if !ok {
		return c.fetchUncached(ctx, fetch)
	}
	defer unlock()
	now := c.now()
	if tok, stored := c.read(); tok.Valid(now, minTTL) || fresh(tok, stored, began, now, minTTL) {
		return tok, nil
	}
	return c.fetchAndStore(ctx, fetch)
}

// fresh reports whether an unexpired token stored at stored, which does
// not have minTTL left, is still as good as one a call that began at began
// could fetch now: it was stored after the call began (by the process whose
// lock the call waited for), or PingOne's tokens live shorter than minTTL,
// so no new one would meet it either, and this one has used at most a
// tenth of its lifetime, so a new one would last at most that much longer.
func fresh(tok *Token, stored, began, now time.Time, minTTL time.Duration) bool {
	if !tok.Valid(now, 0) {
		return false
	}
	lifetime := tok.Expiry.Sub(stored)
	return !stored.Before(began) || (lifetime < minTTL && now.Sub(stored)*10 <= lifetime)
}

// Replace fetches and stores a new token unless the stored one differs from
// stale and is still usable: then another process has already replaced it.
// A stored token equal to stale is removed first, so that it is not used
// again even if the fetch fails. An empty stale always fetches.
func (c *FileCache) Replace(ctx context.Context, stale string, fetch func(context.Context) (*Token, error)) (*Token, error) {
	if err := c.ensureDir(); err != nil {
		c.warn(err)
		return c.fetchUncached(ctx, fetch)
	}
	unlock, ok := c.lock(ctx)
	if !ok {
		return c.fetchUncached(ctx, fetch)
	}
	defer unlock()
	if stale != "" {
		tok, _ := c.read()
		if tok.Valid(c.now(), 0) && tok.AccessToken != stale {
			return tok, nil
		}
		if tok != nil && tok.AccessToken == stale {
			if _, err := c.Clear(); err != nil {
				c.warn(err)
			}
		}
	}
	return c.fetchAndStore(ctx, fetch)
}

// Clear removes the key's cached token and reports whether there was one.
func (c *FileCache) Clear() (bool, error) {
	err := os.Remove(c.path())
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// ClearAll removes every cached token in dir and returns how many it
// removed. It also removes the temporary files of token writes that never
// finished (a process killed between writing and renaming one), which hold
// tokens too but are not counted; a write under way at that moment fails
// and its process continues without the cache. Files that are not p1ctl's
// are left alone, and so are the lock files: a process may hold one while
// it fetches a token, and removing it would let the next process lock a new
// file and fetch a second token.
func ClearAll(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		token := isTokenFile(name)
		if !token && !isTokenTempFile(e) {
			continue
		}
		err := os.Remove(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return n, err
		}
		if token {
			n++
		}
	}
	return n, nil
}

// isTokenFile reports whether name is that of a cache file: a cache key
// and ".json".
func isTokenFile(name string) bool {
	key, ok := strings.CutSuffix(name, ".json")
	return ok && isCacheKey(key)
}

func isCacheKey(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// isTokenTempFile reports whether e is a temporary file that
// securefile.Write left while writing a cache file.
func isTokenTempFile(e fs.DirEntry) bool {
	target, ok := securefile.TempFileOf(e.Name())
	return ok && e.Type().IsRegular() && isTokenFile(target)
}

// read returns the stored token and when it was stored, or nil if there is
// none or the file is corrupt, truncated, of another format or for another
// key. A file whose times cannot be right (stored in the future, or expiring
// later than any token PingOne issues, after a clock change or an edit) is
// ignored too, so that it is replaced rather than trusted.
func (c *FileCache) read() (*Token, time.Time) {
	// A link, FIFO or device there is corrupt, as is an oversized file:
	// ignored here, replaced by the next write.
	data, _, err := securefile.ReadFileNoFollow(c.path(), maxCacheEntry)
	if err != nil {
		return nil, time.Time{}
	}
	var f cacheFile
	if json.Unmarshal(data, &f) != nil || f.Format != cacheFormat || f.Key != c.Key || checkToken(f.AccessToken, f.TokenType) != nil {
		return nil, time.Time{}
	}
	now := c.now()
	if f.Stored.IsZero() || f.Stored.After(now.Add(clockSlack)) || f.Expiry.After(now.Add(maxTokenLifetime)) {
		return nil, time.Time{}
	}
	return &Token{AccessToken: f.AccessToken, TokenType: f.TokenType, Scope: f.Scope, Expiry: f.Expiry}, f.Stored
}

// maxCacheEntry bounds what read takes of a cache file; one is well under
// 8 KiB.
const maxCacheEntry = 64 << 10

// clockSlack is how far in the future a cache file's store time may be
// before the file is distrusted: clocks of processes on one machine agree,
// but a file may have been written a moment before a small clock step.
const clockSlack = 5 * time.Second

// lock takes the key's lock file. While another process holds it (its
// token request is under way), lock waits, but for at most half of the time
// ctx has left, so that this process can still fetch a token of its own when
// the holder is stuck (suspended, say); it then warns once. ok is false when
// the token must be fetched without the cache.
func (c *FileCache) lock(ctx context.Context) (unlock func(), ok bool) {
	waitCtx := ctx
	if deadline, has := ctx.Deadline(); has {
		var cancel context.CancelFunc
		waitCtx, cancel = context.WithDeadline(ctx, time.Now().Add(time.Until(deadline)/2))
		defer cancel()
	}
	c.removeBadLock()
	// Never through a link, nor waiting on a FIFO, should one appear now.
	l := flock.New(c.lockPath(), flock.SetPermissions(0o600), flock.SetFlag(os.O_CREATE|os.O_RDONLY|securefile.NoFollowFlags))
	locked, err := l.TryLockContext(waitCtx, lockRetry)
	switch {
	case locked && err == nil:
		return func() { l.Unlock() }, true
	case ctx.Err() != nil:
		// Cancelled or out of time: fetchUncached reports it.
	case waitCtx.Err() != nil:
		c.warnf("waited too long for another p1ctl's token request (lock %s); continuing without the cache", c.lockPath())
	default:
		c.warn(fmt.Errorf("cannot lock %s: %w", c.lockPath(), err))
	}
	return nil, false
}

// removeBadLock removes a lock path that is not a regular file: p1ctl
// makes none, so a link or FIFO there is corrupt, and locking through it
// would create or open the file it points to.
func (c *FileCache) removeBadLock() {
	if info, err := os.Lstat(c.lockPath()); err == nil && !info.Mode().IsRegular() {
		_ = os.Remove(c.lockPath())
	}
}

// ensureDir makes sure, once per FileCache, that the cache directory exists
// and that no one else can change what is in it, before anything in it is
// trusted.
func (c *FileCache) ensureDir() error {
	c.dirOnce.Do(func() { c.dirErr = securefile.PrivateDir(c.Dir) })
	return c.dirErr
}

func (c *FileCache) fetchUncached(ctx context.Context, fetch func(context.Context) (*Token, error)) (*Token, error) {
	if ctx.Err() != nil {
		return nil, &NotSentError{Err: ctx.Err()}
	}
	return fetch(ctx)
}

func (c *FileCache) fetchAndStore(ctx context.Context, fetch func(context.Context) (*Token, error)) (*Token, error) {
	tok, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.write(tok); err != nil {
		c.warn(err)
	}
	return tok, nil
}

// write stores tok atomically: a temporary file renamed over the old one,
// so a reader never sees half a file. A link in its place is replaced, not
// written through.
func (c *FileCache) write(tok *Token) error {
	data, err := json.Marshal(cacheFile{Format: cacheFormat, Key: c.Key, AccessToken: tok.AccessToken, TokenType: tok.TokenType, Scope: tok.Scope, Expiry: tok.Expiry, Stored: c.now()})
	if err != nil {
		return err
	}
	return securefile.Replace(c.path(), data)
}

func (c *FileCache) warn(err error) {
	c.warnf("token cache %s is not usable (%v); continuing without it", c.Dir, unwrapPathError(err))
}

// warnf reports, at most once per cache, why the cache is bypassed.
func (c *FileCache) warnf(format string, args ...any) {
	c.warnOnce.Do(func() {
		if c.Warn != nil {
			c.Warn(fmt.Sprintf(format, args...))
		}
	})
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s %s: %w", pe.Op, pe.Path, pe.Err)
	}
	return err
}
