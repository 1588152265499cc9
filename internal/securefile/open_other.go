//go:build !unix

package securefile

// Windows has neither flag; ReadFile's Lstat stands in for openNoFollow,
// and it has no FIFOs in the file system to wait on.
const (
	openNonBlock = 0
	openNoFollow = 0
)

// NoFollowFlags are the flags that make os.OpenFile refuse a symbolic link
// and not wait on a FIFO; there are none on this system.
const NoFollowFlags = 0
