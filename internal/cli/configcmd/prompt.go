package configcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/p1ctl/p1ctl/internal/config"
)

// maxAnswerBytes bounds one answer.
const maxAnswerBytes = 64 << 10

// maxAttempts is how many invalid answers a question takes before giving up.
const maxAttempts = 5

// errEndOfInput is standard input ending before every question was answered.
var errEndOfInput = &config.Error{Problem: "standard input ended before every question was answered", Hint: "nothing was written; run p1ctl config init again"}

// prompter asks questions on a terminal. Questions go to out; answers are
// read from in one byte at a time, so that nothing typed ahead is
// buffered away from the next question or from the secret reader.
type prompter struct {
	ctx context.Context
	in  io.Reader
	out io.Writer
}

// ask asks question until check accepts the answer, and returns what check
// made of it. An empty answer means def; an empty def makes an answer
// required unless optional.
func (p *prompter) ask(question, def string, optional bool, check func(string) (string, error)) (string, error) {
	prompt := question
	if def != "" {
		prompt += " [" + def + "]"
	}
	prompt += ": "
	for range maxAttempts {
		fmt.Fprint(p.out, prompt)
		answer, err := p.await(func() (string, error) { return readLine(p.in) }, nil)
		if err != nil {
			return "", err
		}
		answer = strings.TrimSpace(answer)
		if answer == "" {
			answer = def
		}
		if answer == "" {
			if optional {
				return "", nil
			}
			fmt.Fprintln(p.out, "  An answer is required.")
			continue
		}
		v, err := check(answer)
		if err == nil {
			return v, nil
		}
		fmt.Fprintln(p.out, "  "+err.Error())
	}
	return "", &config.Error{Problem: "too many invalid answers to " + strings.ToLower(question), Hint: "nothing was written; run p1ctl config init again"}
}

// secret asks for a secret, without echoing it when in is a terminal,
// until check accepts it. keep allows an empty answer, meaning the current
// secret stays; then secret returns "".
func (p *prompter) secret(question string, keep bool, check func(string) (string, error)) (string, error) {
	for range maxAttempts {
		fmt.Fprint(p.out, question+": ")
		s, err := p.readSecret()
		if err != nil {
			return "", err
		}
		fmt.Fprintln(p.out) // the Enter that ended the secret was not echoed
		if strings.TrimSpace(s) == "" {
			if keep {
				return "", nil
			}
			fmt.Fprintln(p.out, "  A client secret is required.")
			continue
		}
		v, err := check(s)
		if err == nil {
			return v, nil
		}
		fmt.Fprintln(p.out, "  "+err.Error())
	}
	return "", &config.Error{Problem: "no usable client secret was given", Hint: "nothing was written; run p1ctl config init again"}
}

// readSecret reads a line with term.ReadPassword when in is a terminal,
// restoring the terminal if the read is interrupted.
func (p *prompter) readSecret() (string, error) {
	f, ok := p.in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return p.await(func() (string, error) { return readLine(p.in) }, nil)
	}
	fd := int(f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("reading the terminal's state: %w", err)
	}
	return p.await(func() (string, error) {
		b, err := term.ReadPassword(fd)
		return string(b), err
	}, func() { _ = term.Restore(fd, state) })
}

// await runs read, returning early when the context is cancelled (Ctrl-C)
// after calling onCancel. The abandoned read ends with the process.
func (p *prompter) await(read func() (string, error), onCancel func()) (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := read()
		ch <- result{s, err}
	}()
	select {
	case r := <-ch:
		if errors.Is(r.err, io.EOF) {
			return "", errEndOfInput
		}
		return r.s, r.err
	case <-p.ctx.Done():
		if onCancel != nil {
			onCancel()
		}
		fmt.Fprintln(p.out)
		return "", p.ctx.Err()
	}
}

// readLine reads up to a newline, one byte at a time.
func readLine(r io.Reader) (string, error) {
	var line []byte
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return strings.TrimSuffix(string(line), "\r"), nil
			}
			if len(line) >= maxAnswerBytes {
				return "", errors.New("answer too long")
			}
			line = append(line, buf[0])
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(line) > 0 {
				return string(line), nil
			}
			return "", err
		}
	}
}
