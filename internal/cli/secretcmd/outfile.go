package secretcmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
)

// outFile is --out FILE made ready before the rotation: a private
// temporary file beside FILE, so that a FILE that cannot be written fails
// before PingOne changes anything, and FILE appears whole or not at all.
type outFile struct {
	path  string
	force bool
	tmp   *os.File
}

// prepareOut checks path's directory and creates the temporary file.
// Problems the user can fix (no such directory, FILE exists without
// --force) are usage errors.
func prepareOut(path string, force bool) (*outFile, error) {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, cmdutil.FlagErrorf("--out %s: directory %s does not exist", path, dir)
	}
	if info, err := os.Lstat(path); err == nil {
		if info.IsDir() {
			return nil, cmdutil.FlagErrorf("--out %s is a directory", path)
		}
		if !force {
			return nil, cmdutil.FlagErrorf("--out %s already exists; pass --force to replace it", path)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, cmdutil.FlagErrorf("--out %s: %v", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, cmdutil.FlagErrorf("--out %s: cannot create a file in %s: %v", path, dir, errors.Unwrap(err))
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("--out %s: %w", path, err)
	}
	return &outFile{path: path, force: force, tmp: tmp}, nil
}

// commit writes secret (no trailing newline: CI secret stores would keep
// it) and moves the file into place. Without --force it never replaces a
// FILE created meanwhile: a hard link fails if FILE exists.
func (o *outFile) commit(secret string) error {
	name := o.tmp.Name()
	defer os.Remove(name)
	if _, err := o.tmp.WriteString(secret); err != nil {
		o.tmp.Close()
		return err
	}
	if err := o.tmp.Sync(); err != nil {
		o.tmp.Close()
		return err
	}
	if err := o.tmp.Close(); err != nil {
		return err
	}
	if o.force {
		return os.Rename(name, o.path)
	}
	err := os.Link(name, o.path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	// No hard links on this filesystem (FAT, some network shares): claim
	// the name exclusively, then rename the whole file over it.
	f, err := os.OpenFile(o.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	return os.Rename(name, o.path)
}

// abort removes the temporary file.
func (o *outFile) abort() {
	o.tmp.Close()
	os.Remove(o.tmp.Name())
}
