package securefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "secret.json")
	for _, content := range []string{"first", "second, longer content"} {
		if err := Write(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", p, got, want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestWriteFailsWhereDirectoryCannotBeMade(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(filepath.Join(file, "sub", "x"), []byte("x")); err == nil {
		t.Fatal("want an error writing below a regular file")
	}
}

func TestWriteKeepsSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "config.yaml")
	if err := Write(target, []byte("old")); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symbolic link: %v", link, err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Errorf("link target holds %q, want %q", got, "new")
	}
}

func TestPrivateDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permissions are ACLs on Windows")
	}
	// What a read-only mount answers; a test cannot make one, and root
	// (which CI runs as) may chmod anything else.
	erofs := &fs.PathError{Op: "chmod", Err: syscall.EROFS}
	tests := []struct {
		name     string
		mode     os.FileMode // 0: the directory does not exist yet
		chmodErr error       // what chmod returns instead of changing the mode
		wantMode os.FileMode // permission and sticky bits afterwards
		wantErr  string
	}{
		{name: "created", wantMode: 0o700},
		{name: "private already", mode: 0o700, wantMode: 0o700},
		{name: "private and read-only: unchanged", mode: 0o500, wantMode: 0o500},
		{name: "readable by others: tightened", mode: 0o755, wantMode: 0o700},
		{name: "readable by group: tightened", mode: 0o750, wantMode: 0o700},
		{name: "read-only: tightened, no bit added", mode: 0o555, wantMode: 0o500},
		{name: "sticky bit kept", mode: 0o755 | os.ModeSticky, wantMode: 0o700 | os.ModeSticky},
		{name: "group-writable: refused, unchanged", mode: 0o770, wantMode: 0o770, wantErr: "writable by other users, mode 0770"},
		{name: "writable by others only: refused, unchanged", mode: 0o702, wantMode: 0o702, wantErr: "writable by other users, mode 0702"},
		{name: "writable by everyone: refused, unchanged", mode: 0o777, wantMode: 0o777, wantErr: "writable by other users, mode 0777"},
		{name: "sticky shared directory: refused, unchanged", mode: 0o777 | os.ModeSticky, wantMode: 0o777 | os.ModeSticky, wantErr: "writable by other users"},
		{name: "read-only mount, readable by others: used as it is", mode: 0o755, chmodErr: erofs, wantMode: 0o755},
		{name: "read-only mount, read-only: used as it is", mode: 0o555, chmodErr: erofs, wantMode: 0o555},
		{name: "read-only mount, writable by everyone: refused", mode: 0o777, chmodErr: erofs, wantMode: 0o777, wantErr: "writable by other users, mode 0777"},
		{name: "read-only mount, group-writable: refused", mode: 0o775, chmodErr: erofs, wantMode: 0o775, wantErr: "writable by other users, mode 0775"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "p1ctl")
			if tt.mode != 0 {
				if err := os.Mkdir(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(dir, tt.mode); err != nil {
					t.Fatal(err)
				}
			}
			chmodCalls := 0
			if tt.chmodErr != nil {
				stubChmod(t, func(string, os.FileMode) error {
					chmodCalls++
					return tt.chmodErr
				})
			}
			err := PrivateDir(dir)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("PrivateDir: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("PrivateDir = %v, want an error containing %q", err, tt.wantErr)
			}
			if tt.chmodErr != nil && tt.wantErr == "" && chmodCalls == 0 {
				t.Error("the failing chmod was not reached")
			}
			info, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := info.Mode() & (fs.ModePerm | fs.ModeSticky); got != tt.wantMode {
				t.Errorf("mode %v, want %v", got, tt.wantMode)
			}
		})
	}
}

// stubChmod makes PrivateDir call f instead of os.Chmod until the test
// ends; tests that use it must not run in parallel.
func stubChmod(t *testing.T, f func(string, os.FileMode) error) {
	t.Helper()
	saved := chmod
	chmod = f
	t.Cleanup(func() { chmod = saved })
}

// A directory of another user is not taken over, even by root.
func TestPrivateDirOfAnotherUser(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() != 0 {
		t.Skip("needs root to make a directory owned by another user")
	}
	dir := filepath.Join(t.TempDir(), "theirs")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Skipf("chown: %v", err)
	}
	if err := PrivateDir(dir); err == nil || !strings.Contains(err.Error(), "belongs to another user") {
		t.Errorf("PrivateDir = %v, want a refusal", err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o755 {
		t.Errorf("mode changed to %04o", info.Mode().Perm())
	}
	// Private to its owner, but the owner is someone else: still refused.
	os.Chmod(dir, 0o700)
	if err := PrivateDir(dir); err == nil || !strings.Contains(err.Error(), "belongs to another user") {
		t.Errorf("PrivateDir of another user's 0700 directory = %v, want a refusal", err)
	}
}

// Write flushes the new data to disk before the rename makes it the file,
// and the directory after, so that a crash cannot leave an empty file.
func TestWriteSyncs(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	if err := Write(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	var events []string
	stubSync(t,
		func(f *os.File) error {
			data, err := os.ReadFile(f.Name())
			if err != nil {
				t.Fatal(err)
			}
			current, _ := os.ReadFile(path)
			events = append(events, "file "+string(data)+", path holds "+string(current))
			return f.Sync()
		},
		func(d string) error {
			current, _ := os.ReadFile(path)
			events = append(events, "dir "+filepath.Base(d)+", path holds "+string(current))
			return nil
		})
	if err := Write(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	want := []string{"file new, path holds old", "dir " + filepath.Base(dir) + ", path holds new"}
	if !slices.Equal(events, want) {
		t.Errorf("syncs %q, want %q", events, want)
	}
}

func TestWriteSyncErrors(t *testing.T) {
	eio := &fs.PathError{Op: "sync", Err: syscall.EIO}
	tests := []struct {
		name     string
		fileErr  error
		dirErr   error
		wantErr  bool
		wantData string
	}{
		{name: "file sync fails: old data kept", fileErr: eio, wantErr: true, wantData: "old"},
		{name: "directory sync fails", dirErr: eio, wantErr: true, wantData: "new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "config.yaml")
			if err := Write(path, []byte("old")); err != nil {
				t.Fatal(err)
			}
			stubSync(t,
				func(f *os.File) error {
					if tt.fileErr != nil {
						return tt.fileErr
					}
					return f.Sync()
				},
				func(string) error { return tt.dirErr })
			err := Write(path, []byte("new"))
			if gotErr := err != nil; gotErr != tt.wantErr || (gotErr && !errors.Is(err, syscall.EIO)) {
				t.Errorf("Write = %v, want error %v", err, tt.wantErr)
			}
			if got, _ := os.ReadFile(path); string(got) != tt.wantData {
				t.Errorf("file holds %q, want %q", got, tt.wantData)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("temporary files left behind: %v", entries)
			}
		})
	}
}

// Flushing a real directory works where it is supported and is skipped
// where it is not.
func TestSyncDirectory(t *testing.T) {
	if err := syncDirectory(t.TempDir()); err != nil {
		t.Errorf("syncDirectory: %v", err)
	}
}

// stubSync makes Write call syncF and syncD instead of flushing until the
// test ends; tests that use it must not run in parallel.
func stubSync(t *testing.T, syncF func(*os.File) error, syncD func(string) error) {
	t.Helper()
	savedF, savedD := syncFile, syncDir
	syncFile, syncDir = syncF, syncD
	t.Cleanup(func() { syncFile, syncDir = savedF, savedD })
}

func TestTempFileOf(t *testing.T) {
	tests := []struct {
		name   string
		target string
		ok     bool
	}{
		{".config.yaml.tmp-123456", "config.yaml", true},
		{".abc.json.tmp-1", "abc.json", true},
		{"..hidden.tmp-42", ".hidden", true},
		{".a.tmp-b.tmp-7", "a.tmp-b", true},
		{".tmp-123456", "", false}, // no target named
		{"config.yaml.tmp-1", "", false},
		{".config.yaml.tmp-", "", false},
		{".config.yaml.tmp-12x", "", false},
		{".config.yaml", "", false},
	}
	for _, tt := range tests {
		target, ok := TempFileOf(tt.name)
		if target != tt.target || ok != tt.ok {
			t.Errorf("TempFileOf(%q) = %q, %v; want %q, %v", tt.name, target, ok, tt.target, tt.ok)
		}
	}
}

// The temporary file names the file it replaces, so that a leftover one
// can be recognized.
func TestWriteTempFileName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token.json")
	var tmpName string
	stubSync(t, func(f *os.File) error { tmpName = filepath.Base(f.Name()); return nil }, func(string) error { return nil })
	if err := Write(path, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if target, ok := TempFileOf(tmpName); !ok || target != "token.json" {
		t.Errorf("temporary file %q: TempFileOf = %q, %v", tmpName, target, ok)
	}
}
