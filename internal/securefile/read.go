package securefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// NotRegularError is a path that names something other than a regular
// file: a FIFO, a device, a socket, a directory, or (for ReadFileNoFollow)
// a symbolic link. Reading a FIFO would wait for a writer, and a device
// such as /dev/zero never ends.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, describeType(e.Mode))
}

// describeType names the kind of file mode is, for a message.
func describeType(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeSymlink != 0:
		return "a symbolic link"
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0:
		return "a device"
	case mode.IsDir():
		return "a directory"
	default:
		return "a special file"
	}
}

// TooLargeError is a file larger than its reader accepts.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	size := fmt.Sprintf("%d bytes", e.Limit)
	switch {
	case e.Limit >= 1<<20 && e.Limit%(1<<20) == 0:
		size = fmt.Sprintf("%d MiB", e.Limit>>20)
	case e.Limit >= 1<<10 && e.Limit%(1<<10) == 0:
		size = fmt.Sprintf("%d KiB", e.Limit>>10)
	}
	return fmt.Sprintf("%s is larger than %s", e.Path, size)
}

// ReadFile returns the contents of path, which must be a regular file (a
// symbolic link to one is followed) of at most limit bytes. Anything else
// is refused without blocking: a *NotRegularError for a FIFO, device,
// socket or directory, a *TooLargeError past limit. It also returns the
// file's information, from the open file.
func ReadFile(path string, limit int64) ([]byte, fs.FileInfo, error) {
	return readFile(path, limit, true)
}

// ReadFileNoFollow is ReadFile, but a symbolic link at path is refused as
// a *NotRegularError rather than followed: for files in a private
// directory, where a link can only be a planted or corrupt entry.
func ReadFileNoFollow(path string, limit int64) ([]byte, fs.FileInfo, error) {
	return readFile(path, limit, false)
}

func readFile(path string, limit int64, follow bool) ([]byte, fs.FileInfo, error) {
	stat, flags := os.Stat, os.O_RDONLY|openNonBlock
	if !follow {
		stat, flags = os.Lstat, flags|openNoFollow
	}
	// Looking first spares opening a device at all: opening some has
	// effects of its own (a terminal, a tape).
	info, err := stat(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			// The look stands for the open: "open x: no such file".
			pe.Op = "open"
		}
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, &NotRegularError{Path: path, Mode: info.Mode()}
	}
	f, err := os.OpenFile(path, flags, 0)
	if errors.Is(err, syscall.ELOOP) {
		// Replaced by a link since the look.
		return nil, nil, &NotRegularError{Path: path, Mode: fs.ModeSymlink}
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	// What was opened decides: the path may have changed since the look.
	info, err = f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, &NotRegularError{Path: path, Mode: info.Mode()}
	}
	if info.Size() > limit {
		return nil, nil, &TooLargeError{Path: path, Limit: limit}
	}
	// The size may grow while the file is read: the limit holds anyway.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		return nil, nil, &TooLargeError{Path: path, Limit: limit}
	}
	return data, info, nil
}
