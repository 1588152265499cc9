package securefile

import (
	"fmt"
	"io/fs"
)

// UntrustedError is a file someone other than the current user (or root)
// could have changed; see CheckTrusted.
type UntrustedError struct {
	Path string
	Mode fs.FileMode
	// Owner is the file owner's user ID.
	Owner int
	// OtherOwner is set when Owner is neither the current user nor root;
	// otherwise group or others may write the file.
	OtherOwner bool
}

func (e *UntrustedError) Error() string {
	if e.OtherOwner {
		return fmt.Sprintf("%s belongs to another user (user ID %d)", e.Path, e.Owner)
	}
	return fmt.Sprintf("%s is writable by group or others (mode %04o)", e.Path, e.Mode)
}
