package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/output"
)

// writer prints activities one at a time, as they arrive.
type writer interface {
	// add prints (or, for the table, records) one activity: raw as
	// received, a decoded.
	add(raw json.RawMessage, a *api.Activity) error
	// close finishes the output after the last activity.
	close() error
}

func newWriter(format output.Format, w io.Writer) writer {
	switch format {
	case output.FormatJSON:
		return &jsonWriter{w: w}
	case output.FormatYAML:
		return &yamlWriter{w: w}
	case formatNDJSON:
		return &ndjsonWriter{w: w}
	default:
		return &tableWriter{w: w, cols: output.NewColumns("TIME", "ACTION", "RESULT", "ACTOR", "RESOURCE")}
	}
}

// jsonWriter streams one indented JSON array, as output.JSON prints it.
type jsonWriter struct {
	w   io.Writer
	n   int
	buf bytes.Buffer
}

func (j *jsonWriter) add(raw json.RawMessage, _ *api.Activity) error {
	j.buf.Reset()
	if j.n == 0 {
		j.buf.WriteString("[\n  ")
	} else {
		j.buf.WriteString(",\n  ")
	}
	if err := json.Indent(&j.buf, bytes.TrimSpace(raw), "  ", "  "); err != nil {
		return err
	}
	j.n++
	_, err := j.w.Write(j.buf.Bytes())
	return err
}

func (j *jsonWriter) close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// ndjsonWriter prints each activity compacted on a line of its own: JSON
// strings cannot hold a raw newline, so a line is always one activity.
type ndjsonWriter struct {
	w   io.Writer
	buf bytes.Buffer
}

func (n *ndjsonWriter) add(raw json.RawMessage, _ *api.Activity) error {
	n.buf.Reset()
	if err := json.Compact(&n.buf, raw); err != nil {
		return err
	}
	n.buf.WriteByte('\n')
	_, err := n.w.Write(n.buf.Bytes())
	return err
}

func (n *ndjsonWriter) close() error { return nil }

// yamlWriter streams a YAML sequence, one "- " entry per activity.
type yamlWriter struct {
	w        io.Writer
	n        int
	buf, out bytes.Buffer
}

func (y *yamlWriter) add(raw json.RawMessage, _ *api.Activity) error {
	y.buf.Reset()
	if err := output.YAML(&y.buf, raw); err != nil {
		return err
	}
	y.out.Reset()
	prefix := "- "
	for line := range bytes.Lines(y.buf.Bytes()) {
		y.out.WriteString(prefix)
		y.out.Write(line)
		prefix = "  "
	}
	y.n++
	_, err := y.w.Write(y.out.Bytes())
	return err
}

func (y *yamlWriter) close() error {
	if y.n > 0 {
		return nil
	}
	_, err := io.WriteString(y.w, "[]\n")
	return err
}

// maxTableBytes bounds the cell text the table holds until the end. A
// variable so that tests can lower it.
var maxTableBytes int64 = 32 << 20

var errTableFull = errors.New("table full")

// tableWriter keeps the five column values of each row until the end,
// since column widths depend on every row.
type tableWriter struct {
	w    io.Writer
	cols *output.Columns
}

func (t *tableWriter) add(_ json.RawMessage, a *api.Activity) error {
	t.cols.Add(a.RecordedAt, a.Action.Type, a.Result.Status, actor(a), resources(a))
	if t.cols.Size() > maxTableBytes {
		return errTableFull
	}
	return nil
}

func (t *tableWriter) close() error { return t.cols.Render(t.w) }

// actor names who acted: the user if there is one, else the client, by
// name when PingOne gives one.
func actor(a *api.Activity) string {
	for _, who := range []*api.ActivityActor{a.Actors.User, a.Actors.Client} {
		if who != nil {
			return nameOrID(*who)
		}
	}
	return ""
}

// resources names what the activity concerned.
func resources(a *api.Activity) string {
	names := make([]string, len(a.Resources))
	for i, r := range a.Resources {
		names[i] = nameOrID(r)
		if r.Type != "" {
			names[i] = r.Type + " " + names[i]
		}
	}
	return strings.Join(names, ", ")
}

func nameOrID(r api.ActivityActor) string {
	if r.Name != "" {
		return r.Name
	}
	return r.ID
}
