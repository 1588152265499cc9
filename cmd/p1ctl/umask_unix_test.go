//go:build unix

package main

import "syscall"

// init fixes the umask the scripts' files are created with: p1ctl refuses
// a group-writable config file, which a umask of 002 would make of every
// config a script writes.
func init() { syscall.Umask(0o022) }
