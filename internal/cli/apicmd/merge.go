package apicmd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strconv"

	"github.com/p1ctl/p1ctl/internal/api"
)

// mergeWriter writes the --paginate document page by page, byte for byte
// what mergedDocument makes of all the pages at once: the items of the
// first collection seen go out as their pages arrive, so memory stays
// flat however many pages there are; the items of any other collection
// (PingOne pages hold one) are kept until the first one's list is closed.
type mergeWriter struct {
	out     *bufio.Writer
	flush   func() error // flushes out and any writer behind it
	started bool         // the document's start is written
	name    string       // the collection being written, once there is one
	written int          // its items written so far
	others  []api.Collection
}

// newMergeWriter returns a mergeWriter writing to w, indented as
// json.Indent with two spaces would when indent is set.
func newMergeWriter(w io.Writer, indent bool) *mergeWriter {
	if indent {
		ind := &indentWriter{w: w}
		out := bufio.NewWriter(ind)
		return &mergeWriter{out: out, flush: out.Flush}
	}
	out := bufio.NewWriter(w)
	return &mergeWriter{out: out, flush: out.Flush}
}

// add writes one page's collections, and flushes them so that the reader
// sees each page as it arrives.
func (m *mergeWriter) add(page []api.Collection) error {
	for _, c := range page {
		if !m.started {
			m.started = true
			m.name = c.Name
			if err := m.open(c.Name); err != nil {
				return err
			}
		}
		if c.Name != m.name {
			m.others = mergeCollections(m.others, []api.Collection{c})
			continue
		}
		for _, item := range c.Items {
			if m.written > 0 {
				m.out.WriteByte(',')
			}
			if err := compactTo(m.out, item); err != nil {
				return err
			}
			m.written++
		}
	}
	return m.flush()
}

// wrote reports whether any of the document has been written.
func (m *mergeWriter) wrote() bool { return m.started }

// open writes the document's start, up to the first collection's list.
func (m *mergeWriter) open(name string) error {
	quoted, err := json.Marshal(name)
	if err != nil {
		return err
	}
	m.out.WriteString(`{"_embedded":{`)
	m.out.Write(quoted)
	m.out.WriteString(":[")
	return nil
}

// close writes the rest of the document: the end of the first list, the
// other collections, and the count of all items.
func (m *mergeWriter) close() error {
	count := m.written
	if m.started {
		m.out.WriteByte(']')
	} else {
		m.out.WriteString(`{"_embedded":{`)
	}
	for i, c := range m.others {
		if i > 0 || m.started {
			m.out.WriteByte(',')
		}
		quoted, err := json.Marshal(c.Name)
		if err != nil {
			return err
		}
		m.out.Write(quoted)
		m.out.WriteString(":[")
		for j, item := range c.Items {
			if j > 0 {
				m.out.WriteByte(',')
			}
			if err := compactTo(m.out, item); err != nil {
				return err
			}
		}
		m.out.WriteByte(']')
		count += len(c.Items)
	}
	m.out.WriteString(`},"count":`)
	m.out.WriteString(strconv.Itoa(count))
	m.out.WriteString("}\n")
	return m.flush()
}

// compactTo writes item without insignificant white space.
func compactTo(w *bufio.Writer, item json.RawMessage) error {
	var b bytes.Buffer
	if err := json.Compact(&b, item); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// indentWriter indents compact JSON written to it in any pieces, as
// json.Indent(dst, src, "", "  ") would indent the whole: each element on
// its own line, two spaces a level, and empty objects and arrays kept as
// {} and []. It holds back only an opening bracket until it knows whether
// the bracket's value is empty.
type indentWriter struct {
	w        io.Writer
	buf      []byte
	depth    int
	inString bool
	escaped  bool
	pending  byte // an opening bracket whose line break is not yet written
}

func (iw *indentWriter) Write(p []byte) (int, error) {
	iw.buf = iw.buf[:0]
	for _, c := range p {
		if iw.inString {
			iw.buf = append(iw.buf, c)
			switch {
			case iw.escaped:
				iw.escaped = false
			case c == '\\':
				iw.escaped = true
			case c == '"':
				iw.inString = false
			}
			continue
		}
		if iw.pending != 0 {
			open := iw.pending
			iw.pending = 0
			if c == ']' && open == '[' || c == '}' && open == '{' {
				iw.buf = append(iw.buf, c)
				continue
			}
			iw.depth++
			iw.newline()
		}
		switch c {
		case '{', '[':
			iw.buf = append(iw.buf, c)
			iw.pending = c
		case '}', ']':
			iw.depth--
			iw.newline()
			iw.buf = append(iw.buf, c)
		case ',':
			iw.buf = append(iw.buf, c)
			iw.newline()
		case ':':
			iw.buf = append(iw.buf, ':', ' ')
		case '"':
			iw.buf = append(iw.buf, c)
			iw.inString = true
		default:
			iw.buf = append(iw.buf, c)
		}
	}
	if _, err := iw.w.Write(iw.buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

// newline starts a line at the current depth.
func (iw *indentWriter) newline() {
	iw.buf = append(iw.buf, '\n')
	for range iw.depth {
		iw.buf = append(iw.buf, ' ', ' ')
	}
}
