package apicmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
)

// field is one -f or -F parameter.
type field struct {
	key string
	// value is a string, bool, int64 or nil (JSON null).
	value any
}

// stdinOnce hands out standard input to one reader only.
type stdinOnce struct {
	r    io.Reader
	used string
}

func (s *stdinOnce) read(who string) ([]byte, error) {
	if s.used != "" {
		return nil, cmdutil.FlagErrorf("%s and %s both read standard input; only one can", s.used, who)
	}
	s.used = who
	data, err := io.ReadAll(s.r)
	if err != nil {
		return nil, fmt.Errorf("%s: reading standard input: %w", who, err)
	}
	return data, nil
}

// FieldFlag is one -f or -F value; they are kept in command-line order,
// which decides the order of array items.
type FieldFlag struct {
	// Typed is true for -F.
	Typed bool
	// KeyValue is the flag's key=value argument.
	KeyValue string
}

// fieldFlags is the pflag.Value of -f (typed false) and -F (typed true),
// which append to one list.
type fieldFlags struct {
	dst   *[]FieldFlag
	typed bool
}

func (f *fieldFlags) String() string { return "" }

func (f *fieldFlags) Set(s string) error {
	*f.dst = append(*f.dst, FieldFlag{Typed: f.typed, KeyValue: s})
	return nil
}

func (f *fieldFlags) Type() string { return "string" }

// parseFields parses -f (raw, always strings) and -F (typed) values.
func parseFields(flags []FieldFlag, stdin *stdinOnce) ([]field, error) {
	var fields []field
	for _, ff := range flags {
		name := "--raw-field"
		if ff.Typed {
			name = "--field"
		}
		key, value, err := splitField(name, ff.KeyValue)
		if err != nil {
			return nil, err
		}
		var v any = value
		if ff.Typed {
			if v, err = typedValue(key, value, stdin); err != nil {
				return nil, err
			}
		}
		fields = append(fields, field{key, v})
	}
	return fields, nil
}

func splitField(flag, kv string) (string, string, error) {
	key, value, ok := strings.Cut(kv, "=")
	if !ok || key == "" {
		return "", "", cmdutil.FlagErrorf("%s %q is not of the form key=value", flag, kv)
	}
	if _, err := splitKey(key); err != nil {
		return "", "", cmdutil.FlagErrorf("%s %q: %v", flag, kv, err)
	}
	return key, value, nil
}

// typedValue gives a -F value its JSON type: true, false, null, integers,
// @FILE (the file's contents) and @- (standard input); anything else is a
// string.
func typedValue(key, v string, stdin *stdinOnce) (any, error) {
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	case "@-":
		data, err := stdin.read("--field " + key)
		if err != nil {
			return nil, err
		}
		return string(data), nil
	}
	if name, ok := strings.CutPrefix(v, "@"); ok {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--field %s: %v", key, err)
		}
		return string(data), nil
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, nil
	}
	return v, nil
}

// readInput reads the --input body.
func readInput(name string, stdin *stdinOnce) ([]byte, error) {
	if name == "-" {
		return stdin.read("--input -")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, cmdutil.FlagErrorf("--input: %v", err)
	}
	return data, nil
}

// splitKey splits a nested key: "a[b][]" is a, b, "" ("" appends to an
// array).
func splitKey(key string) ([]string, error) {
	i := strings.IndexByte(key, '[')
	if i < 0 {
		return []string{key}, nil
	}
	if i == 0 {
		return nil, fmt.Errorf("key %q has no name before [", key)
	}
	parts := []string{key[:i]}
	for rest := key[i:]; rest != ""; {
		end := strings.IndexByte(rest, ']')
		if rest[0] != '[' || end < 0 {
			return nil, fmt.Errorf("key %q: brackets do not match", key)
		}
		parts = append(parts, rest[1:end])
		rest = rest[end+1:]
	}
	for i, p := range parts[1:] {
		if p == "" && i+2 < len(parts) && parts[i+2] == "" {
			return nil, fmt.Errorf("key %q: arrays of arrays ([][]) are not supported", key)
		}
	}
	return parts, nil
}

// jsonBody builds the JSON object body from fields; nested keys build
// nested objects and arrays.
func jsonBody(fields []field) ([]byte, error) {
	root := map[string]any{}
	for _, f := range fields {
		parts, err := splitKey(f.key)
		if err != nil {
			return nil, cmdutil.FlagErrorf("field %q: %v", f.key, err)
		}
		if err := setField(root, parts, f.value); err != nil {
			return nil, cmdutil.FlagErrorf("field %q: %v", f.key, err)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// setField sets parts (a nested key) in obj. A later plain value replaces an
// earlier one; a value where an object or array already is, or the other
// way round, is an error. In an array of objects (a[][b]), a key goes into
// the last object unless it already has it, as in gh.
func setField(obj map[string]any, parts []string, v any) error {
	name, rest := parts[0], parts[1:]
	existing, exists := obj[name]
	conflict := fmt.Errorf("%q is given both as a value and with nested keys", name)
	switch {
	case len(rest) == 0:
		switch existing.(type) {
		case map[string]any, []any:
			return conflict
		}
		obj[name] = v
		return nil
	case rest[0] == "":
		arr, ok := existing.([]any)
		if exists && !ok {
			return conflict
		}
		if len(rest) == 1 {
			obj[name] = append(arr, v)
			return nil
		}
		var elem map[string]any
		if n := len(arr); n > 0 {
			if m, ok := arr[n-1].(map[string]any); ok {
				if _, has := m[rest[1]]; !has {
					elem = m
				}
			}
		}
		if elem == nil {
			elem = map[string]any{}
			arr = append(arr, elem)
		}
		obj[name] = arr
		return setField(elem, rest[1:], v)
	default:
		child, ok := existing.(map[string]any)
		if exists && !ok {
			return conflict
		}
		if !ok {
			child = map[string]any{}
			obj[name] = child
		}
		return setField(child, rest, v)
	}
}

// addQuery appends fields, as strings, to the query of path (a path or URL
// whose query is already escaped). The query as typed stays as it is, in
// its order; the fields follow in theirs.
func addQuery(path string, fields []field) string {
	q := make([]string, 0, len(fields))
	for _, f := range fields {
		q = append(q, queryEscape(f.key)+"="+queryEscape(queryValue(f.value)))
	}
	base, rawQuery, _ := strings.Cut(path, "?")
	if rawQuery != "" {
		q = append([]string{rawQuery}, q...)
	}
	return base + "?" + strings.Join(q, "&")
}

// queryEscape escapes s for a query, a space as %20 like the typed query
// (url.QueryEscape writes '+', which some servers read as a plus).
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func queryValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	default:
		return fmt.Sprint(x)
	}
}
