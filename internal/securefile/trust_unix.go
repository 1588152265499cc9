//go:build unix

package securefile

import (
	"io/fs"
	"os"
)

// CheckTrusted returns an *UntrustedError when someone other than the
// current user (and root) could have changed the file info describes:
// group or others may write it, or another user owns it. That is the test
// ssh applies to ~/.ssh/config; the directories above are not checked.
func CheckTrusted(path string, info fs.FileInfo) error {
	uid, known := ownerID(info)
	if known && uid != os.Geteuid() && uid != 0 {
		return &UntrustedError{Path: path, Mode: info.Mode().Perm(), Owner: uid, OtherOwner: true}
	}
	if info.Mode().Perm()&0o022 != 0 {
		return &UntrustedError{Path: path, Mode: info.Mode().Perm(), Owner: uid}
	}
	return nil
}
