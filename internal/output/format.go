// Package output prints command results in the formats users choose: a
// plain table for people, JSON and YAML for programs. Printers write to the
// stream they are given and hold no state.
package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

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

// ParseFormat checks s against the formats a command allows.
func ParseFormat(s string, allowed ...Format) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(allowed, f) {
		return f, nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return "", fmt.Errorf("unknown output format %q (valid: %s)", s, strings.Join(names, ", "))
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
// quotes only where YAML needs them.
func blockStyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle | yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle
	for _, c := range n.Content {
		blockStyle(c)
	}
}
