package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/p1ctl/p1ctl/internal/output"
)

// List renders a list whose items arrive one at a time (a page at a
// time from PingOne): the document is the JSON array of the items. JSON,
// YAML and ndjson are written as the items arrive, so memory stays flat
// however many there are; ndjson applies --jq or --template to each item
// as it arrives. --jq or --template over the JSON array needs the whole
// array, which is kept (as values) until Close; the caller bounds its
// size.
type List struct {
	o   *Options
	ctx context.Context
	w   io.Writer
	n   int
	buf bytes.Buffer
	out bytes.Buffer
	all []any // the items, for --jq or --template over the array
}

// List starts rendering a list to w. Nothing is written before the first
// Add or Close.
func (o *Options) List(ctx context.Context, w io.Writer) *List {
	return &List{o: o, ctx: ctx, w: w}
}

// Add renders (or keeps) one item, a JSON value as received.
func (l *List) Add(raw json.RawMessage) error {
	filtered := l.o.code != nil || l.o.tmpl != nil
	switch {
	case filtered && l.o.Format == FormatNDJSON:
		v, err := decode(raw)
		if err != nil {
			return err
		}
		return l.o.apply(l.ctx, l.w, v)
	case filtered:
		v, err := decode(raw)
		if err != nil {
			return err
		}
		l.all = append(l.all, v)
		return nil
	case l.o.Format == FormatNDJSON:
		return compactLine(l.w, raw)
	case l.o.Format == output.FormatYAML:
		return l.addYAML(raw)
	default:
		return l.addJSON(raw)
	}
}

// addJSON writes the next element of one indented JSON array, byte for
// byte what output.JSON prints for the whole array.
func (l *List) addJSON(raw json.RawMessage) error {
	l.buf.Reset()
	if l.n == 0 {
		l.buf.WriteString("[\n  ")
	} else {
		l.buf.WriteString(",\n  ")
	}
	if err := json.Indent(&l.buf, bytes.TrimSpace(raw), "  ", "  "); err != nil {
		return fmt.Errorf("%w: %w", ErrNotJSON, err)
	}
	l.n++
	_, err := l.w.Write(l.buf.Bytes())
	return err
}

// addYAML writes the next "- " entry of a YAML sequence.
func (l *List) addYAML(raw json.RawMessage) error {
	l.buf.Reset()
	if err := output.YAML(&l.buf, raw); err != nil {
		return fmt.Errorf("%w: %w", ErrNotJSON, err)
	}
	l.out.Reset()
	prefix := "- "
	for line := range bytes.Lines(l.buf.Bytes()) {
		l.out.WriteString(prefix)
		l.out.Write(line)
		prefix = "  "
	}
	l.n++
	_, err := l.w.Write(l.out.Bytes())
	return err
}

// Close finishes the output after the last item. A list that failed
// part-way is not closed, so that a JSON array is left unfinished and no
// program mistakes it for the whole list.
func (l *List) Close() error {
	filtered := l.o.code != nil || l.o.tmpl != nil
	switch {
	case filtered && l.o.Format == FormatNDJSON:
		return l.o.endTemplate()
	case filtered:
		all := l.all
		if all == nil {
			all = []any{}
		}
		l.all = nil
		if err := l.o.apply(l.ctx, l.w, all); err != nil {
			return err
		}
		return l.o.endTemplate()
	case l.o.Format == FormatNDJSON:
		return nil
	case l.o.Format == output.FormatYAML:
		if l.n > 0 {
			return nil
		}
		_, err := io.WriteString(l.w, "[]\n")
		return err
	default:
		end := "\n]\n"
		if l.n == 0 {
			end = "[]\n"
		}
		_, err := io.WriteString(l.w, end)
		return err
	}
}
