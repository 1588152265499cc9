// Package iostreams holds the standard streams a command reads and writes,
// so that tests can replace them.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are a command's standard input, output and error.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY     bool
	stdoutTTY    bool
	colorEnabled bool
}

// ColorEnabled reports whether output may carry colour: standard output
// is a terminal, NO_COLOR is unset or empty (no-color.org) and TERM is
// not "dumb".
func (s *IOStreams) ColorEnabled() bool { return s.colorEnabled }

// SetColorEnabled overrides ColorEnabled, for tests.
func (s *IOStreams) SetColorEnabled(on bool) { s.colorEnabled = on }

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// SetTTY marks the streams as terminals or not, for tests.
func (s *IOStreams) SetTTY(stdin, stdout bool) { s.stdinTTY, s.stdoutTTY = stdin, stdout }

// System returns the process's own streams.
func System() *IOStreams {
	stdoutTTY := term.IsTerminal(int(os.Stdout.Fd()))
	return &IOStreams{
		In:           os.Stdin,
		Out:          os.Stdout,
		ErrOut:       os.Stderr,
		stdinTTY:     term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY:    stdoutTTY,
		colorEnabled: stdoutTTY && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb",
	}
}

// Test returns streams backed by buffers: input, output and error output.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}
