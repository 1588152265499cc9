package apicmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// printer writes answers to standard output as the flags ask.
type printer struct {
	io       *iostreams.IOStreams
	redactor *redact.Redactor
	include  bool
	silent   bool
	out      *export.Options // -o ndjson, --jq, --template
}

// head prints the status line and headers for -i, masked as the --debug
// trace masks them.
func (p *printer) head(proto, status string, h http.Header) error {
	if !p.include {
		return nil
	}
	_, err := io.WriteString(p.io.Out, proto+" "+status+"\n"+p.redactor.Header(h, "")+"\n")
	return err
}

// errorBody prints the body of an error answer, unfiltered, ending it with
// a newline if it lacks one so that the error message on standard error
// starts on a line of its own.
func (p *printer) errorBody(body []byte) error {
	if p.silent {
		return nil
	}
	if len(body) > 0 && body[len(body)-1] != '\n' {
		body = append(body[:len(body):len(body)], '\n')
	}
	return p.body(body)
}

// result prints a successful answer's body, through --jq or --template
// if given.
func (p *printer) result(ctx context.Context, body []byte, url string, status int) error {
	switch {
	case p.silent:
		return nil
	case p.out.Filtered():
		return p.filter(ctx, body, url, status)
	default:
		return p.body(body)
	}
}

// body writes body as received, or indented when standard output is a
// terminal and the body is JSON.
func (p *printer) body(body []byte) error {
	if len(body) == 0 {
		return nil
	}
	if p.io.IsStdoutTTY() && json.Valid(body) {
		var b bytes.Buffer
		if err := json.Indent(&b, bytes.TrimSpace(body), "", "  "); err == nil {
			b.WriteByte('\n')
			_, err := p.io.Out.Write(b.Bytes())
			return err
		}
	}
	_, err := p.io.Out.Write(body)
	return err
}

// filter runs --jq or --template over a JSON body: with --jq, string
// results print without quotes, other results as compact JSON, one per
// line. An empty body prints nothing.
func (p *printer) filter(ctx context.Context, body []byte, url string, status int) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	err := p.out.FilterJSON(ctx, p.io.Out, body)
	if errors.Is(err, export.ErrNotJSON) {
		flag := "--jq"
		if p.out.Template != "" {
			flag = "--template"
		}
		return &api.ShapeError{Status: status, URL: url, Snippet: api.Snippet(p.redactor, body), Err: fmt.Errorf("cannot apply %s: %w", flag, jsonProblem(err))}
	}
	return err
}

// jsonProblem names a JSON decoding failure briefly.
func jsonProblem(err error) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the answer is not valid JSON")
	}
	return err
}
