//go:build unix

package auth_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/auth"
)

// What the cache directory may hold in place of a cache file or lock file
// that p1ctl never made: each is ignored and replaced, nothing outside the
// directory is read, created or written, and nothing blocks (a FIFO would
// hang these tests until go test's own timeout).
func TestFileCacheTamperedEntries(t *testing.T) {
	key := testKey("")
	validEntry, _ := json.Marshal(map[string]any{"format": 2, "key": key, "access_token": "planted", "token_type": "Bearer", "expires_at": testNow.Add(time.Hour), "stored_at": testNow.Add(-time.Minute)})
	tests := []struct {
		name string
		// plant puts something at path (the cache file or the lock file)
		// and returns the outside file that must stay as it was ("" for
		// none), with what it must hold ("" for: must not exist).
		plant  func(t *testing.T, path string) (outside, holds string)
		onLock bool
	}{
		{name: "entry links to a valid entry elsewhere", plant: func(t *testing.T, path string) (string, string) {
			outside := filepath.Join(t.TempDir(), "elsewhere.json")
			mustWrite(t, outside, string(validEntry))
			mustSymlink(t, outside, path)
			return outside, string(validEntry)
		}},
		{name: "entry links to a file of the user", plant: func(t *testing.T, path string) (string, string) {
			outside := filepath.Join(t.TempDir(), ".bashrc")
			mustWrite(t, outside, "precious")
			mustSymlink(t, outside, path)
			return outside, "precious"
		}},
		{name: "entry links to a missing file", plant: func(t *testing.T, path string) (string, string) {
			outside := filepath.Join(t.TempDir(), "created")
			mustSymlink(t, outside, path)
			return outside, ""
		}},
		{name: "entry links to /dev/zero", plant: func(t *testing.T, path string) (string, string) {
			mustSymlink(t, "/dev/zero", path)
			return "", ""
		}},
		{name: "entry is a FIFO", plant: func(t *testing.T, path string) (string, string) {
			mustMkfifo(t, path)
			return "", ""
		}},
		{name: "lock links to a missing file", onLock: true, plant: func(t *testing.T, path string) (string, string) {
			outside := filepath.Join(t.TempDir(), "created")
			mustSymlink(t, outside, path)
			return outside, ""
		}},
		{name: "lock links to a file of the user", onLock: true, plant: func(t *testing.T, path string) (string, string) {
			outside := filepath.Join(t.TempDir(), ".bashrc")
			mustWrite(t, outside, "precious")
			os.Chmod(outside, 0o644)
			mustSymlink(t, outside, path)
			return outside, "precious"
		}},
		{name: "lock is a FIFO", onLock: true, plant: func(t *testing.T, path string) (string, string) {
			mustMkfifo(t, path)
			return "", ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, key+".json")
			if tt.onLock {
				path = filepath.Join(dir, key+".lock")
			}
			outside, holds := tt.plant(t, path)
			var outsideBefore os.FileInfo
			if outside != "" && holds != "" {
				outsideBefore, _ = os.Stat(outside)
			}
			var warnings []string
			c := newCache(dir)
			c.Warn = func(s string) { warnings = append(warnings, s) }
			var f counter
			tok, err := c.Get(context.Background(), time.Minute, f.fetch)
			if err != nil {
				t.Fatal(err)
			}
			if f.calls() != 1 || tok.AccessToken != "token-1" {
				t.Errorf("got %q after %d fetches, want a fetched token", tok.AccessToken, f.calls())
			}
			if len(warnings) > 0 {
				t.Errorf("warned %q; the entry should just be replaced", warnings)
			}
			entry, err := os.Lstat(filepath.Join(dir, key+".json"))
			if err != nil || !entry.Mode().IsRegular() {
				t.Errorf("cache file after Get: %v, %v; want a regular file", entry, err)
			}
			if m := storedFile(t, c); m["access_token"] != "token-1" {
				t.Errorf("stored %v, want the fetched token", m["access_token"])
			}
			switch {
			case outside == "":
			case holds == "":
				if _, err := os.Lstat(outside); !os.IsNotExist(err) {
					t.Errorf("%s was created outside the cache directory", outside)
				}
			default:
				after, err := os.Stat(outside)
				got, _ := os.ReadFile(outside)
				if err != nil || string(got) != holds || after.Mode() != outsideBefore.Mode() {
					t.Errorf("%s changed: %q, %v", outside, got, err)
				}
			}
			// A second process finds the token just stored.
			var g counter
			if tok, err := newCache(dir).Get(context.Background(), time.Minute, g.fetch); err != nil || tok.AccessToken != "token-1" || g.calls() != 0 {
				t.Errorf("second Get: %v, %v after %d fetches", tok, err, g.calls())
			}
		})
	}
}

// ClearAll removes a link named like a cache file, not what it points to.
func TestClearAllRemovesLinkNotTarget(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "precious")
	mustWrite(t, outside, "precious")
	mustSymlink(t, outside, filepath.Join(dir, testKey("")+".json"))
	if _, err := auth.ClearAll(dir); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(outside); err != nil || string(got) != "precious" {
		t.Errorf("link target: %q, %v", got, err)
	}
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func mustMkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}
