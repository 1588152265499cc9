package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/p1ctl/p1ctl/internal/redact"
)

// maxTracedBody is how much of a body the debug trace shows.
const maxTracedBody = 4 << 10

// traceTransport writes a redacted trace of each exchange.
type traceTransport struct {
	base     http.RoundTripper
	out      io.Writer
	redactor *redact.Redactor
	mu       sync.Mutex
}

func (t *traceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		if b, err := req.GetBody(); err == nil {
			// The whole body, to mask it before it is cut: p1ctl's own
			// request bodies are already in memory.
			reqBody, _ = io.ReadAll(b)
			b.Close()
		}
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)

	var buf strings.Builder
	// Body also masks sensitive query parameters (?password=...).
	fmt.Fprintf(&buf, "> %s %s\n", req.Method, t.redactor.Body(req.URL.String()))
	buf.WriteString(t.redactor.Header(req.Header, "> "))
	t.writeBody(&buf, "> ", reqBody)
	if err != nil {
		fmt.Fprintf(&buf, "< error after %s: %s\n", elapsed, t.redactor.String(err.Error()))
		t.flush(buf.String())
		return nil, err
	}
	fmt.Fprintf(&buf, "< %s %s (%s)\n", resp.Proto, resp.Status, elapsed)
	buf.WriteString(t.redactor.Header(resp.Header, "< "))
	// The whole body (bounded by policyTransport's size limit), to mask it
	// before it is cut.
	body, readErr := io.ReadAll(resp.Body)
	t.writeBody(&buf, "< ", body)
	t.flush(buf.String())
	// Give the caller the body back, and any error reading it.
	resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(body), errReader(readErr)), closer: resp.Body}
	return resp, nil
}

// writeBody writes the start of body, masked whole before it is cut.
func (t *traceTransport) writeBody(buf *strings.Builder, prefix string, body []byte) {
	if len(body) == 0 {
		return
	}
	text, more := masked(t.redactor, body)
	text, truncated := excerpt(text, maxTracedBody, more)
	if truncated {
		text += redact.Ellipsis
	}
	if text = strings.TrimRight(text, "\n"); text != "" {
		for _, line := range strings.Split(text, "\n") {
			buf.WriteString(prefix + line + "\n")
		}
	}
	if truncated {
		buf.WriteString(prefix + "[body truncated]\n")
	}
}

func (t *traceTransport) flush(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	io.WriteString(t.out, s)
}

type replayBody struct {
	io.Reader
	closer io.Closer
}

func (b *replayBody) Close() error { return b.closer.Close() }

// errReader yields err once its turn comes in a MultiReader (nothing when
// err is nil).
func errReader(err error) io.Reader {
	if err == nil || err == io.EOF {
		return bytes.NewReader(nil)
	}
	return &failingReader{err: err}
}

type failingReader struct{ err error }

func (r *failingReader) Read([]byte) (int, error) { return 0, r.err }
