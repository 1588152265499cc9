package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/output"
)

const doc = `{"id":"e1","name":"Dev <1>","n":12345678901234567890,"tags":["a","b"],"items":[{"k":"x"},{"k":"y"}],"at":"2026-01-02T03:04:05Z"}`

func render(t *testing.T, o *Options, formatSet bool, v any) (string, error) {
	t.Helper()
	if err := o.Compile(formatSet); err != nil {
		return "", err
	}
	var out bytes.Buffer
	err := o.Write(t.Context(), &out, v)
	return out.String(), err
}

func TestJQSeesTheJSONDocument(t *testing.T) {
	var want bytes.Buffer
	if err := output.JSON(&want, json.RawMessage(doc)); err != nil {
		t.Fatal(err)
	}
	got, err := render(t, &Options{JQ: "."}, false, json.RawMessage(doc))
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal([]byte(got), &a); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(want.Bytes(), &b)
	if !jsonEqual(a, b) {
		t.Errorf("--jq . = %s, want %s", got, want.String())
	}
	// Numbers keep every digit.
	if !strings.Contains(got, "12345678901234567890") {
		t.Errorf("big number changed: %s", got)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestJQResults(t *testing.T) {
	tests := map[string]string{
		".name":        "Dev <1>\n",
		".tags":        `["a","b"]` + "\n",
		".tags[]":      "a\nb\n",
		".items[0]":    `{"k":"x"}` + "\n",
		"empty":        "",
		".n":           "12345678901234567890\n",
		".name | halt": "",
	}
	for expr, want := range tests {
		got, err := render(t, &Options{JQ: expr}, false, json.RawMessage(doc))
		if err != nil {
			t.Errorf("%s: %v", expr, err)
		} else if got != want {
			t.Errorf("%s = %q, want %q", expr, got, want)
		}
	}
}

func TestTemplateHelpers(t *testing.T) {
	at := time.Now().Add(-3 * time.Hour).UTC().Format(time.RFC3339)
	v := map[string]any{"name": "Development environment", "at": at, "ts": "2026-01-02T03:04:05Z",
		"envs": []any{map[string]any{"id": "a", "n": 1}, map[string]any{"id": "bb", "n": 22}}}
	tests := []struct{ tmpl, want string }{
		{`{{.name}}`, "Development environment"},
		{`{{timefmt "2006-01-02" .ts}}`, "2026-01-02"},
		{`{{timeago .at}}`, "3 hours ago"},
		{`{{truncate 8 .name}}`, "Devel..."},
		{`{{truncate 30 .name}}`, "Development environment"},
		{`{{join ", " (pluck "id" .envs)}}`, "a, bb"},
		{`{{color "red" .name}}`, "Development environment"},
		{`{{range .envs}}{{tablerow .id .n}}{{end}}`, "a   1\nbb  22\n"},
		{`{{range .envs}}{{tablerow .id .n}}{{end}}{{tablerender}}end`, "a   1\nbb  22\nend"},
	}
	for _, tt := range tests {
		got, err := render(t, &Options{Template: tt.tmpl}, false, v)
		if err != nil {
			t.Errorf("%s: %v", tt.tmpl, err)
		} else if got != tt.want {
			t.Errorf("%s = %q, want %q", tt.tmpl, got, tt.want)
		}
	}
}

func TestTemplateColor(t *testing.T) {
	for _, on := range []bool{false, true} {
		o := &Options{Template: `{{color "green+b" .x}}`, Color: func() bool { return on }}
		got, err := render(t, o, false, map[string]any{"x": "ok"})
		if err != nil {
			t.Fatal(err)
		}
		if has := strings.Contains(got, "\x1b["); has != on {
			t.Errorf("colour enabled %v: output %q", on, got)
		}
		if !strings.Contains(got, "ok") {
			t.Errorf("output %q lacks the text", got)
		}
	}
	o := &Options{Template: `{{color "mauve" .x}}`, Color: func() bool { return true }}
	if _, err := render(t, o, false, map[string]any{"x": "ok"}); err == nil || !strings.Contains(err.Error(), "mauve") {
		t.Errorf("unknown colour: error %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		o         Options
		formatSet bool
		want      string
	}{
		{Options{JQ: ".["}, false, ".["},
		{Options{JQ: "nosuchfn"}, false, "nosuchfn"},
		{Options{Template: "{{.x"}, false, "--template"},
		{Options{Template: "{{nosuch .x}}"}, false, "nosuch"},
		{Options{JQ: ".", Template: "x"}, false, "--template"},
		{Options{JQ: ".", Format: output.FormatYAML}, true, "yaml"},
		{Options{Template: "x", Format: output.FormatTable}, true, "table"},
	}
	for _, tt := range tests {
		err := tt.o.Compile(tt.formatSet)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want a usage error naming %q", tt.o, err, tt.want)
		}
	}
}

func TestListFormats(t *testing.T) {
	items := []string{`{"id":"a","n":1}`, `{"id":"b","n":2}`}
	tests := []struct {
		o    Options
		want string
	}{
		{Options{Format: output.FormatJSON}, "[\n  {\n    \"id\": \"a\",\n    \"n\": 1\n  },\n  {\n    \"id\": \"b\",\n    \"n\": 2\n  }\n]\n"},
		{Options{Format: FormatNDJSON}, `{"id":"a","n":1}` + "\n" + `{"id":"b","n":2}` + "\n"},
		{Options{Format: FormatNDJSON, JQ: ".id"}, "a\nb\n"},
		{Options{JQ: "length"}, "2\n"},
		{Options{JQ: ".[1].id"}, "b\n"},
		{Options{Template: `{{range .}}{{tablerow .id .n}}{{end}}`}, "a  1\nb  2\n"},
		{Options{Format: FormatNDJSON, Template: `{{tablerow .id .n}}`}, "a  1\nb  2\n"},
	}
	for _, tt := range tests {
		if err := tt.o.Compile(tt.o.Format != ""); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		l := tt.o.List(t.Context(), &out)
		for _, it := range items {
			if err := l.Add(json.RawMessage(it)); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		if out.String() != tt.want {
			t.Errorf("%+v: %q, want %q", tt.o, out.String(), tt.want)
		}
	}
}

// TestNDJSONWritesEachItem checks that an ndjson item is written when it
// is added, not at Close.
func TestNDJSONWritesEachItem(t *testing.T) {
	for _, o := range []Options{{Format: FormatNDJSON}, {Format: FormatNDJSON, JQ: ".id"}} {
		if err := o.Compile(true); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		l := o.List(t.Context(), &out)
		l.Add(json.RawMessage(`{"id":"a"}`))
		if !strings.Contains(out.String(), "a") {
			t.Errorf("%+v: nothing written after the first item", o)
		}
	}
}
