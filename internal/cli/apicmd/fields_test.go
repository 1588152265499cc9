package apicmd

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSplitKey(t *testing.T) {
	tests := []struct {
		key  string
		want []string
		err  string
	}{
		{"a", []string{"a"}, ""},
		{"a[b]", []string{"a", "b"}, ""},
		{"a[b][c]", []string{"a", "b", "c"}, ""},
		{"a[]", []string{"a", ""}, ""},
		{"a[][b]", []string{"a", "", "b"}, ""},
		{"[a]", nil, "has no name before ["},
		{"a[b", nil, "brackets do not match"},
		{"a[b]c", nil, "brackets do not match"},
		{"a[][]", nil, "arrays of arrays"},
	}
	for _, tt := range tests {
		got, err := splitKey(tt.key)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("splitKey(%q) error %v, want %q", tt.key, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitKey(%q) = %q, %v; want %q", tt.key, got, err, tt.want)
		}
	}
}

func TestJSONBody(t *testing.T) {
	tests := []struct {
		fields []field
		want   string
		err    string
	}{
		{nil, `{}`, ""},
		{[]field{{"a", "<&>"}, {"b", int64(-3)}, {"c", false}, {"d", nil}}, `{"a":"<&>","b":-3,"c":false,"d":null}`, ""},
		{[]field{{"a", "1"}, {"a", "2"}}, `{"a":"2"}`, ""},
		{[]field{{"a[b][c]", "x"}, {"a[b][d]", "y"}, {"a[e]", true}}, `{"a":{"b":{"c":"x","d":"y"},"e":true}}`, ""},
		{[]field{{"l[]", "x"}, {"l[]", int64(2)}}, `{"l":["x",2]}`, ""},
		{[]field{{"o[][id]", "1"}, {"o[][name]", "one"}, {"o[][id]", "2"}}, `{"o":[{"id":"1","name":"one"},{"id":"2"}]}`, ""},
		{[]field{{"a", "1"}, {"a[b]", "2"}}, "", `"a" is given both as a value and with nested keys`},
		{[]field{{"a[b]", "1"}, {"a", "2"}}, "", `"a" is given both`},
		{[]field{{"a[]", "1"}, {"a[b]", "2"}}, "", `"a" is given both`},
		{[]field{{"a[b]", "1"}, {"a[]", "2"}}, "", `"a" is given both`},
	}
	for _, tt := range tests {
		got, err := jsonBody(tt.fields)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("jsonBody(%v) error %v, want %q", tt.fields, err, tt.err)
			}
			continue
		}
		if err != nil || string(got) != tt.want {
			t.Errorf("jsonBody(%v) = %s, %v; want %s", tt.fields, got, err, tt.want)
		}
	}
}

func TestTypedValue(t *testing.T) {
	file := filepath.Join(t.TempDir(), "v")
	if err := os.WriteFile(file, []byte("42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want any
	}{
		{"true", true},
		{"false", false},
		{"null", nil},
		{"42", int64(42)},
		{"-7", int64(-7)},
		{"1.5", "1.5"},
		{"99999999999999999999", "99999999999999999999"},
		{"True", "True"},
		{"", ""},
		{"x@y", "x@y"},
		{"@" + file, "42\n"},
		{"@-", "from stdin"},
	}
	for _, tt := range tests {
		got, err := typedValue("k", tt.in, &stdinOnce{r: strings.NewReader("from stdin")})
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("typedValue(%q) = %#v, %v; want %#v", tt.in, got, err, tt.want)
		}
	}
}

func TestAddQuery(t *testing.T) {
	tests := []struct {
		path   string
		fields []field
		want   string
	}{
		{"/things?b=1", []field{{"a", "x y"}, {"t", true}, {"n", int64(3)}, {"z", nil}, {"b", "2"}}, "/things?b=1&a=x%20y&t=true&n=3&z=&b=2"},
		{"https://h/x", []field{{"a", "1"}}, "https://h/x?a=1"},
		// The typed query, already escaped, is kept as it is and in its
		// order; a plus in a field stays a plus.
		{"/environments?limit=1&filter=name%20sw%20%22D%22", []field{{"x", "a+b&c"}}, "/environments?limit=1&filter=name%20sw%20%22D%22&x=a%2Bb%26c"},
	}
	for _, tt := range tests {
		if got := addQuery(tt.path, tt.fields); got != tt.want {
			t.Errorf("addQuery(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
