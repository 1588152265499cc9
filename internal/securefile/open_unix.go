//go:build unix

package securefile

import "syscall"

// openNonBlock makes opening a FIFO return at once instead of waiting for a
// writer; a regular file reads as usual.
const openNonBlock = syscall.O_NONBLOCK

// openNoFollow makes opening a symbolic link fail instead of following it.
const openNoFollow = syscall.O_NOFOLLOW

// NoFollowFlags are the flags that make os.OpenFile refuse a symbolic link
// as the last element of a path and not wait on a FIFO.
const NoFollowFlags = openNonBlock | openNoFollow
