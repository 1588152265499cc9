package secretcmd

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// A FILE created between prepare and commit is never replaced without
// --force, and no temporary file stays behind either way.
func TestOutFileNeverReplacesAFileThatAppeared(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret")
	out, err := prepareOut(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("theirs"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := out.commit("new-secret-value"); !errors.Is(err, fs.ErrExist) {
		t.Errorf("commit over a file that appeared: %v, want it to exist already", err)
	}
	out.abort()
	if got, _ := os.ReadFile(path); string(got) != "theirs" {
		t.Errorf("FILE now holds %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only FILE", len(entries))
	}

	forced, err := prepareOut(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := forced.commit("new-secret-value"); err != nil {
		t.Fatal(err)
	}
	forced.abort()
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("forced FILE: %v, mode %v", err, info.Mode())
	}
	if got, _ := os.ReadFile(path); string(got) != "new-secret-value" {
		t.Errorf("forced FILE holds %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries after --force, want only FILE", len(entries))
	}
}
