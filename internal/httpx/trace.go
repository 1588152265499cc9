package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
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
			reqBody, _ = io.ReadAll(io.LimitReader(b, maxMaskedBody+1))
			b.Close()
		}
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	elapsed := time.Since(start).Round(time.Millisecond)

	var buf strings.Builder
	// Body also masks sensitive query parameters (?password=...).
	fmt.Fprintf(&buf, "> %s %s\n", req.Method, t.redactor.Body(req.URL.String()))
	t.writeHeaders(&buf, "> ", req.Header)
	t.writeBody(&buf, "> ", reqBody)
	if err != nil {
		fmt.Fprintf(&buf, "< error after %s: %s\n", elapsed, t.redactor.String(err.Error()))
		t.flush(buf.String())
		return nil, err
	}
	fmt.Fprintf(&buf, "< %s %s (%s)\n", resp.Proto, resp.Status, elapsed)
	t.writeHeaders(&buf, "< ", resp.Header)
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxMaskedBody+1))
	t.writeBody(&buf, "< ", body)
	t.flush(buf.String())
	// Give the caller the whole body back: what was read, then the rest.
	resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(body), errReader(readErr), resp.Body), closer: resp.Body}
	return resp, nil
}

func (t *traceTransport) writeHeaders(buf *strings.Builder, prefix string, h http.Header) {
	masked := t.redactor.Header(h)
	names := make([]string, 0, len(masked))
	for name := range masked {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range masked[name] {
			// Body masks secrets in a URL's query too (Location, Referer).
			fmt.Fprintf(buf, "%s%s: %s\n", prefix, name, t.redactor.Body(v))
		}
	}
}

// writeBody writes the start of body, masked. body may hold one byte more
// than maxMaskedBody, to tell that more follows. It is masked whole before
// it is cut, and the start of a registered secret left at a cut is masked
// too.
func (t *traceTransport) writeBody(buf *strings.Builder, prefix string, body []byte) {
	if len(body) == 0 {
		return
	}
	more := len(body) > maxMaskedBody
	if more {
		body = body[:maxMaskedBody]
	}
	text, truncated := excerpt(t.redactor.Body(string(body)), maxTracedBody, more)
	if truncated {
		// Marking the cut lets the redactor mask a registered secret that
		// the cut, or the end of what was read, left incomplete.
		text = t.redactor.String(text + redact.Ellipsis)
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
