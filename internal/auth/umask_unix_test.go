//go:build unix

package auth

import "syscall"

// init fixes the umask of the tests' directories: under umask 002 a
// t.TempDir is group-writable, which the cache rightly refuses to trust.
func init() { syscall.Umask(0o022) }
