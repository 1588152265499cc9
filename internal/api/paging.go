package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Page is one page of a PingOne HAL collection, such as
// {"_links": {"self": ..., "next": ...}, "_embedded": {"environments": [...]}, "count": N}.
type Page struct {
	// URL is the address the page was fetched from.
	URL string
	// Proto, Status and StatusCode are the response's status line, e.g.
	// "HTTP/1.1", "200 OK" and 200.
	Proto      string
	Status     string
	StatusCode int
	// Header is the response's header.
	Header http.Header
	// Body is the page exactly as received.
	Body []byte
	// IsCollection reports whether the page carried an _embedded object.
	IsCollection bool
	// Embedded holds the arrays of _embedded in the order they were sent.
	// An embedded single object counts as an array of one.
	Embedded []Collection
	// Next is the absolute URL of the next page, "" on the last page.
	Next string
	// Size is the page's own "size" member, the number of items it says it
	// carries; -1 when it has none.
	Size int
}

// Collection is one named member of a page's _embedded object.
type Collection struct {
	// Name is the member's name, e.g. "environments".
	Name string
	// Items are the resources exactly as received.
	Items []json.RawMessage
}

// Items returns the items of the embedded collection called name, or nil.
func (p *Page) Items(name string) []json.RawMessage {
	for _, c := range p.Embedded {
		if c.Name == name {
			return c.Items
		}
	}
	return nil
}

// Pager walks a PingOne HAL collection page by page, following
// _links.next.href until a page has none. Only one page is held at a time,
// so listing a collection of any size takes memory for one page.
//
// It follows a next link only to the scheme and host of the first page,
// since every request carries the bearer token, and stops with a
// *LinkError when a next link repeats a page already fetched, and with a
// *PagingError when a page carries more items than its own size says or
// the collection runs past Limits, so that no server, however it pages,
// can keep it busy or growing forever.
type Pager struct {
	// Limits bound the whole walk; NewPager sets DefaultPageLimits.
	Limits PageLimits

	client *Client
	header http.Header
	origin *url.URL
	next   string
	seen   map[string]struct{}
	err    error
	done   bool
	items  int
	pages  int
	bytes  int64
}

// PageLimits bound a walk through a collection. A zero field means no
// limit.
type PageLimits struct {
	// Items is the most items, over all pages, the pager accepts.
	Items int
	// Pages is the most pages it fetches.
	Pages int
	// Bytes is the most page body bytes it reads in all.
	Bytes int64
}

// DefaultPageLimits are far above any PingOne organisation's environment
// count (100 pages of the largest page PingOne sends hold 500,000), yet
// stop a server sending endless next links within a bounded amount of work.
var DefaultPageLimits = PageLimits{Items: 100_000, Pages: 100_000, Bytes: 1 << 30}

// NewPager returns a pager over the collection at path, which is relative
// to the client's base URL or absolute. header is sent with every request;
// it may be nil.
func (c *Client) NewPager(path string, header http.Header) *Pager {
	p := &Pager{Limits: DefaultPageLimits, client: c, header: header, next: c.URL(path), seen: make(map[string]struct{})}
	u, err := url.Parse(p.next)
	if err != nil || u.Host == "" {
		p.err = fmt.Errorf("cannot page through %q: not an absolute URL", p.next)
		return p
	}
	p.origin = u
	p.seen[pageKey(u)] = struct{}{}
	return p
}

// More reports whether another page is to be fetched.
func (p *Pager) More() bool { return !p.done }

// ErrNoMorePages is returned by Next after the last page.
var ErrNoMorePages = errors.New("no more pages")

// Next fetches the next page. When the server answered, the page is
// returned even with an error, so that callers can show what it sent: with an
// *Error for a non-2xx answer, a *ShapeError for a body that is not a JSON
// object, a *LinkError for a next link that is refused, or a *PagingError
// for a page carrying more items than its size or past p.Limits (whose
// items must then not be used). After any error, More reports false.
func (p *Pager) Next(ctx context.Context) (*Page, error) {
	if p.done {
		return nil, ErrNoMorePages
	}
	if p.err != nil {
		p.done = true
		return nil, p.err
	}
	page, err := p.fetch(ctx)
	if err != nil || page.Next == "" {
		p.done = true
		return page, err
	}
	p.next = page.Next
	return page, nil
}

func (p *Pager) fetch(ctx context.Context) (*Page, error) {
	resp, err := p.client.Do(ctx, Request{Method: http.MethodGet, Path: p.next, Header: p.header})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	page := &Page{URL: p.next, Proto: resp.Proto, Status: resp.Status, StatusCode: resp.StatusCode, Header: resp.Header, Size: -1}
	if page.Body, err = io.ReadAll(resp.Body); err != nil {
		return page, fmt.Errorf("reading the answer to GET %s: %w", p.next, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return page, ParseError(resp, page.Body, p.client.Redactor)
	}
	next, err := page.parse()
	if err != nil {
		return page, &ShapeError{Status: resp.StatusCode, URL: p.next, Snippet: Snippet(p.client.Redactor, page.Body), Err: err}
	}
	if err := p.count(page); err != nil {
		return page, err
	}
	if next == "" {
		return page, nil
	}
	if err := p.checkMore(); err != nil {
		return page, err
	}
	base := resp.Request.URL
	if base == nil {
		base = p.origin
	}
	if page.Next, err = p.checkNext(base, next); err != nil {
		page.Next = ""
		return page, err
	}
	return page, nil
}

// count adds page to the walk's totals and checks them: a page may not
// carry more items than its own size, nor take the walk past p.Limits.
func (p *Pager) count(page *Page) error {
	// size counts a page's collection; a page embedding several (a list
	// and an object beside it, say) is held to it for the largest.
	largest := 0
	for _, c := range page.Embedded {
		p.items += len(c.Items)
		largest = max(largest, len(c.Items))
	}
	p.pages++
	p.bytes += int64(len(page.Body))
	switch {
	case page.Size >= 0 && largest > page.Size:
		return &PagingError{URL: page.URL, Kind: PagingOverSize,
			Reason: fmt.Sprintf("the page carries %d items but its size says %d", largest, page.Size)}
	case p.Limits.Items > 0 && p.items > p.Limits.Items:
		return p.overLimit(fmt.Sprintf("the server has sent more than %d items", p.Limits.Items))
	case p.Limits.Bytes > 0 && p.bytes > p.Limits.Bytes:
		return p.overLimit("the server has sent more than " + byteSize(p.Limits.Bytes))
	}
	return nil
}

// checkMore is called on a page with a next link: one page more must
// stay within the page limit, and an item limit already reached will not
// take more.
func (p *Pager) checkMore() error {
	switch {
	case p.Limits.Pages > 0 && p.pages >= p.Limits.Pages:
		return p.overLimit(fmt.Sprintf("the server still links to a next page after %d pages", p.pages))
	case p.Limits.Items > 0 && p.items >= p.Limits.Items:
		return p.overLimit(fmt.Sprintf("the server still links to a next page after %d items", p.items))
	}
	return nil
}

func byteSize(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func (p *Pager) overLimit(reason string) error {
	return &PagingError{URL: p.next, Kind: PagingTooLong, Reason: reason}
}

// PagingKind says what a *PagingError refused.
type PagingKind int

const (
	// PagingOverSize is a page carrying more items than its own "size".
	PagingOverSize PagingKind = iota
	// PagingTooLong is a collection running past the pager's limits.
	PagingTooLong
	// PagingTooWide is output that would have to hold more than it may,
	// such as a table buffering its rows to align them.
	PagingTooWide
)

// PagingError is a collection the pager, or a command printing it, stopped
// walking because of what the server sent.
type PagingError struct {
	// URL is the page at which it stopped.
	URL string
	// Kind says which check failed.
	Kind PagingKind
	// Reason says what the server did.
	Reason string
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("stopped reading the collection at %s: %s", e.URL, e.Reason)
}

// Hint says what the user can do about it.
func (e *PagingError) Hint() string {
	switch e.Kind {
	case PagingOverSize:
		return "the answer contradicts itself, which PingOne's API does not do: check --api-url points at PingOne's management API"
	case PagingTooWide:
		return "use -o json or -o yaml, which print each page as it arrives, or narrow the list with --filter"
	default:
		return "p1ctl bounds a listing whatever the server sends; narrow it with a filter, and if the server's paging never ends, report it to PingOne support"
	}
}

// halPage is the part of a HAL page the pager reads.
type halPage struct {
	Links struct {
		Next *struct {
			Href string `json:"href"`
		} `json:"next"`
	} `json:"_links"`
	Embedded json.RawMessage `json:"_embedded"`
	Size     json.RawMessage `json:"size"`
}

// parse decodes the page's _embedded collections and returns its next
// link as sent.
func (p *Page) parse() (string, error) {
	if !bytes.HasPrefix(bytes.TrimSpace(p.Body), []byte("{")) {
		return "", errors.New("not a JSON object")
	}
	var wire halPage
	if err := json.Unmarshal(p.Body, &wire); err != nil {
		return "", err
	}
	// A size that is not a count (a string, negative, fractional, huge)
	// says nothing the pager can check.
	p.Size = -1
	if n, err := strconv.Atoi(string(wire.Size)); err == nil && n >= 0 {
		p.Size = n
	}
	if len(wire.Embedded) > 0 && !bytes.Equal(wire.Embedded, []byte("null")) {
		embedded, err := parseEmbedded(wire.Embedded)
		if err != nil {
			return "", err
		}
		p.IsCollection, p.Embedded = true, embedded
	}
	if wire.Links.Next == nil {
		return "", nil
	}
	return wire.Links.Next.Href, nil
}

// parseEmbedded decodes a HAL _embedded object, keeping its members' order.
func parseEmbedded(raw json.RawMessage) ([]Collection, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New(`"_embedded" is not an object`)
	}
	var out []Collection
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		c := Collection{Name: name}
		switch value[0] {
		case '[':
			if err := json.Unmarshal(value, &c.Items); err != nil {
				return nil, err
			}
		case '{':
			c.Items = []json.RawMessage{value}
		case 'n': // null: an empty member
		default:
			return nil, fmt.Errorf(`"_embedded.%s" is neither an array nor an object`, name)
		}
		out = append(out, c)
	}
	return out, nil
}

// LinkError is a next-page link the pager refused to follow.
type LinkError struct {
	// URL is the page whose link was refused.
	URL string
	// Next is the link.
	Next string
	// Reason says why.
	Reason string
	// Loop is set when the link leads back to a page already fetched, on
	// the right host: the server's paging loops. Otherwise the link leads
	// elsewhere or cannot be used.
	Loop bool
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("refused to follow the next-page link of %s: %s", e.URL, e.Reason)
}

// checkNext resolves href against the page it came from and checks it may
// be followed: same scheme and host as the first page, no user info, and
// not a page already fetched.
func (p *Pager) checkNext(base *url.URL, href string) (string, error) {
	refuse := func(reason string) (string, error) {
		return "", &LinkError{URL: p.next, Next: href, Reason: reason}
	}
	if strings.ContainsFunc(href, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return refuse("it contains control characters")
	}
	ref, err := url.Parse(href)
	if err != nil {
		return refuse(fmt.Sprintf("it is not a valid URL (%v)", errors.Unwrap(err)))
	}
	u := base.ResolveReference(ref)
	if u.User != nil {
		return refuse("it carries a user name or password")
	}
	if !sameOrigin(u, p.origin) {
		return refuse(fmt.Sprintf("it points at %s://%s, not %s://%s; the access token is never sent to another host",
			u.Scheme, u.Host, p.origin.Scheme, p.origin.Host))
	}
	key := pageKey(u)
	if _, dup := p.seen[key]; dup {
		return "", &LinkError{URL: p.next, Next: href, Loop: true,
			Reason: fmt.Sprintf("it repeats a page already fetched (%s); the server's paging loops", key)}
	}
	p.seen[key] = struct{}{}
	return u.String(), nil
}

// pageKey identifies a page for loop detection: its cursor when it has
// one, else its URL with the query in a canonical order.
func pageKey(u *url.URL) string {
	q := u.Query()
	if c := q.Get("cursor"); c != "" {
		return "cursor " + c
	}
	c := *u
	c.RawQuery = q.Encode()
	c.Fragment = ""
	return c.String()
}

// sameOrigin reports whether a and b have the same scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}
