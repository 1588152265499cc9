//go:build !unix

package securefile

import "io/fs"

// ownedByCurrentUser cannot tell without Unix ownership; PrivateDir does not
// reach it on Windows.
func ownedByCurrentUser(fs.FileInfo) bool { return true }

// ownerID cannot tell without Unix ownership.
func ownerID(fs.FileInfo) (int, bool) { return 0, false }
