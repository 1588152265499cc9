package auth

import (
	"errors"
	"io"
	"net/http"
)

// maxTokenAnswer is how much of a token answer golang.org/x/oauth2 reads:
// it parses what fits and ignores the rest.
const maxTokenAnswer = 1 << 20

// maxAnswerHead is how much of a token answer is kept to quote when it
// holds no token: as much as httpx.Snippet masks.
const maxAnswerHead = 16 << 10

// answerTransport records, for one token request, what golang.org/x/oauth2
// reports as text only or not at all: the error that ended reading the
// answer (a timeout or a broken connection, not an unusable answer),
// whether the answer runs past the part oauth2 reads, and what the answer
// was when oauth2 found no token in it.
type answerTransport struct {
	base        http.RoundTripper
	host        string
	status      int
	contentType string
	head        []byte
	readErr     error
	tooLarge    bool
}

func (t *answerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	t.host, t.status, t.contentType = req.URL.Host, resp.StatusCode, resp.Header.Get("Content-Type")
	resp.Body = &answerBody{ReadCloser: resp.Body, t: t}
	return resp, nil
}

type answerBody struct {
	io.ReadCloser
	t    *answerTransport
	read int64
}

func (b *answerBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
	if room := maxAnswerHead - len(b.t.head); room > 0 {
		b.t.head = append(b.t.head, p[:min(n, room)]...)
	}
	if err != nil && err != io.EOF {
		b.t.readErr = err
	}
	return n, err
}

// Close notes whether oauth2, which stops at maxTokenAnswer, left a byte.
func (b *answerBody) Close() error {
	if b.read >= maxTokenAnswer && b.t.readErr == nil {
		var one [1]byte
		n, _ := io.ReadFull(b.ReadCloser, one[:])
		b.t.tooLarge = n > 0
	}
	return b.ReadCloser.Close()
}

// redirectStop hands a token request's 307 or 308 redirect back to Fetch as
// next, for it to send the next attempt there with a new client assertion,
// after checking it with the HTTP client's redirect policy given every hop
// so far.
type redirectStop struct {
	check func(*http.Request, []*http.Request) error
	via   []*http.Request
	next  string
}

func (r *redirectStop) stop(req *http.Request, via []*http.Request) error {
	r.via = append(r.via, via[len(via)-1])
	if r.check != nil {
		if err := r.check(req, r.via); err != nil {
			return err
		}
	} else if len(r.via) >= 10 { // http.Client's default
		return errors.New("stopped after 10 redirects")
	}
	if code := req.Response.StatusCode; code == http.StatusTemporaryRedirect || code == http.StatusPermanentRedirect {
		r.next = req.URL.String()
	} // else a redirect to a GET, which cannot answer a token request
	return http.ErrUseLastResponse
}
