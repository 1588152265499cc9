package auditcmd

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/export"
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

func newWriter(ctx context.Context, o *export.Options, w io.Writer) writer {
	if o.IsData() {
		return listWriter{o.List(ctx, w)}
	}
	return &tableWriter{w: w, cols: output.NewColumns("TIME", "ACTION", "RESULT", "ACTOR", "RESOURCE")}
}

// listWriter hands activities to the shared renderer: -o json, yaml and
// ndjson, --jq and --template.
type listWriter struct{ l *export.List }

func (lw listWriter) add(raw json.RawMessage, _ *api.Activity) error { return lw.l.Add(raw) }

func (lw listWriter) close() error { return lw.l.Close() }

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
