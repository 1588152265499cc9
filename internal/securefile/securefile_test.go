package securefile

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
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
	tests := []struct {
		name     string
		mode     os.FileMode // 0: the directory does not exist yet
		wantMode os.FileMode
		wantErr  string
	}{
		{name: "created", wantMode: 0o700},
		{name: "private already", mode: 0o700, wantMode: 0o700},
		{name: "readable by others: tightened", mode: 0o755, wantMode: 0o700},
		{name: "group-writable: refused, unchanged", mode: 0o770, wantMode: 0o770, wantErr: "writable by other users, mode 0770"},
		{name: "writable by everyone: refused, unchanged", mode: 0o777, wantMode: 0o777, wantErr: "writable by other users, mode 0777"},
		{name: "sticky shared directory: refused, unchanged", mode: 0o777 | os.ModeSticky, wantMode: 0o777, wantErr: "writable by other users"},
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
			err := PrivateDir(dir)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("PrivateDir: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("PrivateDir = %v, want an error containing %q", err, tt.wantErr)
			}
			info, err := os.Stat(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := info.Mode().Perm(); got != tt.wantMode {
				t.Errorf("mode %04o, want %04o", got, tt.wantMode)
			}
		})
	}
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
