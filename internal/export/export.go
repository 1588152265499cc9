// Package export renders the JSON document a command prints in the format
// chosen on the command line: indented JSON, YAML, one JSON value a line
// (ndjson), a jq expression's results (--jq) or a Go template (--template).
// One renderer serves every command, for a single value or a stream of
// list items. gojq and text/template do their work only when a flag asks
// for them: expressions and templates are compiled in Compile, never at
// package initialisation.
package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/template"

	"github.com/itchyny/gojq"

	"github.com/p1ctl/p1ctl/internal/output"
)

// FormatNDJSON prints each item of a list as compact JSON on a line of its
// own, written as it arrives.
const FormatNDJSON output.Format = "ndjson"

// Options are a command's output choices. The zero Format is the
// command's own (usually the table).
type Options struct {
	Format   output.Format
	JQ       string
	Template string
	// Color reports whether the template's color helper may write escape
	// sequences; nil means never.
	Color func() bool

	code *gojq.Code
	tmpl *template.Template
	st   *tmplState
}

// UsageError is a bad --jq expression, --template or combination of
// flags; commands report it as a usage error.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// Compile checks the flags and compiles --jq or --template. formatSet says
// whether -o was given: --jq and --template apply to JSON (the whole
// document) or ndjson (each item), and imply JSON when -o is not given.
func (o *Options) Compile(formatSet bool) error {
	if o.JQ != "" && o.Template != "" {
		return usageErrorf("--jq and --template cannot be used together")
	}
	if o.JQ == "" && o.Template == "" {
		return nil
	}
	flag := "--jq"
	if o.Template != "" {
		flag = "--template"
	}
	switch {
	case !formatSet:
		o.Format = output.FormatJSON
	case o.Format != output.FormatJSON && o.Format != FormatNDJSON:
		return usageErrorf("%s cannot be used with -o %s: it applies to JSON (-o json, or -o ndjson for a list)", flag, o.Format)
	}
	if o.JQ != "" {
		q, err := gojq.Parse(o.JQ)
		if err != nil {
			return usageErrorf("--jq %q: %v", o.JQ, err)
		}
		if o.code, err = gojq.Compile(q); err != nil {
			return usageErrorf("--jq %q: %v", o.JQ, err)
		}
		return nil
	}
	// One state for the whole output, so that an ndjson stream's
	// tablerows make one table.
	o.st = &tmplState{}
	t, err := template.New("--template").Funcs(o.funcs(o.st)).Parse(o.Template)
	if err != nil {
		return usageErrorf("--template: %v", err)
	}
	o.tmpl = t
	return nil
}

// IsData reports whether the output is a data format rather than the
// command's own rendering (table, bare token, ...).
func (o *Options) IsData() bool {
	switch o.Format {
	case output.FormatJSON, output.FormatYAML, FormatNDJSON:
		return true
	}
	return false
}

// Filtered reports whether --jq or --template was given.
func (o *Options) Filtered() bool { return o.JQ != "" || o.Template != "" }

// Write renders one document: a json.RawMessage or []byte is used as is
// (keeping its field order), any other value as encoding/json marshals it.
// ndjson prints the document compact on one line.
func (o *Options) Write(ctx context.Context, w io.Writer, doc any) error {
	switch {
	case o.code != nil || o.tmpl != nil:
		v, err := generic(doc)
		if err != nil {
			return err
		}
		if err := o.apply(ctx, w, v); err != nil {
			return err
		}
		return o.endTemplate()
	case o.Format == FormatNDJSON:
		raw, err := toRaw(doc)
		if err != nil {
			return err
		}
		return compactLine(w, raw)
	default:
		return output.Data(w, o.Format, doc)
	}
}

// apply runs --jq or --template over v.
func (o *Options) apply(ctx context.Context, w io.Writer, v any) error {
	if o.code != nil {
		return runJQ(ctx, o.code, w, v)
	}
	return o.execTemplate(w, v)
}

// runJQ writes each result of code over v on a line: strings raw, as gh
// prints them, anything else as compact JSON.
func runJQ(ctx context.Context, code *gojq.Code, w io.Writer, v any) error {
	var out bytes.Buffer
	iter := code.RunWithContext(ctx, v)
	for {
		r, ok := iter.Next()
		if !ok {
			break
		}
		if err, ok := r.(error); ok {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				break
			}
			w.Write(out.Bytes())
			return fmt.Errorf("--jq: %w", err)
		}
		if s, ok := r.(string); ok {
			out.WriteString(s)
		} else {
			b, err := gojq.Marshal(r)
			if err != nil {
				return fmt.Errorf("--jq: %w", err)
			}
			out.Write(b)
		}
		out.WriteByte('\n')
		// Long result streams reach the reader in pieces.
		if out.Len() >= 64<<10 {
			if _, err := w.Write(out.Bytes()); err != nil {
				return err
			}
			out.Reset()
		}
	}
	_, err := w.Write(out.Bytes())
	return err
}

// FilterJSON runs a compiled --jq over one JSON text, for `api`, whose
// answers are bodies rather than values. It fails with ErrNotJSON when
// body is not a single JSON value.
func (o *Options) FilterJSON(ctx context.Context, w io.Writer, body []byte) error {
	v, err := decode(body)
	if err != nil {
		return err
	}
	if err := o.apply(ctx, w, v); err != nil {
		return err
	}
	return o.endTemplate()
}

// ErrNotJSON is returned for a document or list item that is not one
// JSON value; other errors come from writing, --jq or --template.
var ErrNotJSON = errors.New("not a single JSON value")

// decode reads one JSON value, keeping numbers exact.
func decode(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotJSON, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: more than one value", ErrNotJSON)
	}
	return v, nil
}

// generic turns doc into the maps, slices and scalars gojq and templates
// walk, as -o json would print it.
func generic(doc any) (any, error) {
	raw, err := toRaw(doc)
	if err != nil {
		return nil, err
	}
	return decode(raw)
}

func toRaw(doc any) ([]byte, error) {
	switch x := doc.(type) {
	case json.RawMessage:
		return x, nil
	case []byte:
		return x, nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// compactLine writes raw as compact JSON and a newline.
func compactLine(w io.Writer, raw []byte) error {
	var b bytes.Buffer
	if err := json.Compact(&b, bytes.TrimSpace(raw)); err != nil {
		return fmt.Errorf("%w: %w", ErrNotJSON, err)
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}
