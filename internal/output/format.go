// Package output prints command results in the formats users choose: a
// plain table for people, JSON and YAML for programs. Printers write to the
// stream they are given and hold no state.
package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Format is an output format name.
type Format string

// The formats.
const (
	FormatTable  Format = "table"
	FormatJSON   Format = "json"
	FormatYAML   Format = "yaml"
	FormatHeader Format = "header"
	FormatRaw    Format = "raw"
)

// Data writes v in a data format: indented JSON for FormatJSON, YAML for
// FormatYAML.
func Data(w io.Writer, f Format, v any) error {
	switch f {
	case FormatJSON:
		return JSON(w, v)
	case FormatYAML:
		return YAML(w, v)
	default:
		return fmt.Errorf("%q is not a data format", f)
	}
}

// JSON writes v as indented JSON followed by a newline. A json.RawMessage
// or []byte is re-indented as is, keeping its field order and every field.
func JSON(w io.Writer, v any) error {
	var raw []byte
	switch x := v.(type) {
	case json.RawMessage:
		raw = x
	case []byte:
		raw = x
	default:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace(raw), "", "  "); err != nil {
		return fmt.Errorf("formatting JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// YAML writes v as YAML. A json.RawMessage or []byte is converted keeping
// its field order; other values are marshalled through JSON first so that
// the YAML keys are the JSON field names.
func YAML(w io.Writer, v any) error {
	var raw []byte
	switch x := v.(type) {
	case json.RawMessage:
		raw = x
	case []byte:
		raw = x
	default:
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return err
		}
	}
	var node yaml.Node
	// JSON is YAML, so decoding into a node keeps order and types.
	if err := yaml.Unmarshal(raw, &node); err != nil {
		return fmt.Errorf("converting to YAML: %w", err)
	}
	blockStyle(&node)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return err
	}
	return enc.Close()
}

// blockStyle turns JSON's flow style into YAML's block style, keeping
// quotes only where YAML needs them. The encoder quotes the strings a YAML
// 1.2 reader would take for another type ("123", "true", "null", ""); the
// strings only a YAML 1.1 reader (PyYAML, Ruby's Psych, older Go yaml.v2)
// would take for one ("yes", "on", "=", "1:20", "0b11") are quoted here.
func blockStyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle | yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && yaml11NonString(n.Value) {
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// yaml11Patterns are YAML 1.1's implicit types beyond YAML 1.2's, as PyYAML
// resolves them: integers in binary, octal with underscores and base 60;
// floats without digits before the point or in base 60; timestamps. They
// are compiled on first use, so start-up stays free of regexp compilation.
var yaml11Patterns = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		regexp.MustCompile(`^[-+]?(0b[0-1_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$`),
		regexp.MustCompile(`^([-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9][0-9_]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$`),
		regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}`),
	}
})

// yaml11NonString reports whether a YAML 1.1 reader would read s, written
// plain, as something other than the string s: a boolean (yes, No, ON,
// y, ...), a number, a timestamp, null, the value key "=" or the merge key
// "<<".
func yaml11NonString(s string) bool {
	switch s {
	case "", "~", "null", "Null", "NULL", "=", "<<",
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF":
		return true
	}
	// Every number and timestamp starts with a digit, a sign or a point:
	// spare the regular expressions the other strings.
	if c := s[0]; !('0' <= c && c <= '9' || c == '-' || c == '+' || c == '.') {
		return false
	}
	for _, re := range yaml11Patterns() {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}
