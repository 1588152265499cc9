package emulator

import (
	"errors"
	"fmt"
	"strings"
)

// filterOperators are the conditions PingOne documents for the environment
// list filter: each attribute it may test, with the one operator it
// accepts there. Anything else is refused.
var filterOperators = []struct{ attr, op string }{
	{"name", "sw"},
	{"id", "eq"},
	{"organization.id", "eq"},
	{"license.id", "eq"},
	{"status", "eq"},
}

// filterOperator returns the operator a filter may use with attr, if attr
// may be tested at all.
func filterOperator(attr string) (string, bool) {
	for _, f := range filterOperators {
		if f.attr == attr {
			return f.op, true
		}
	}
	return "", false
}

// supportedConditions lists filterOperators as "name sw, id eq, ...".
func supportedConditions() string {
	conds := make([]string, len(filterOperators))
	for i, f := range filterOperators {
		conds[i] = f.attr + " " + f.op
	}
	return strings.Join(conds, ", ")
}

// condition is one `attribute operator "value"` test of a SCIM filter.
type condition struct {
	attr  string
	op    string // "eq" or "sw"
	value string
}

// envFilter is a conjunction of conditions; the zero value matches all.
type envFilter []condition

// parseFilter parses the subset of SCIM filter syntax PingOne's
// environment list supports: the conditions of filterOperators, such as
// `name sw "v"` or `status eq "v"`, joined with `and`.
func parseFilter(s string) (envFilter, error) {
	toks, err := filterTokens(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errors.New("the filter is empty")
	}
	var f envFilter
	for i := 0; ; {
		if len(toks)-i < 3 {
			return nil, errors.New(`expected a condition such as name sw "Dev"`)
		}
		attr, op, val := toks[i], toks[i+1], toks[i+2]
		want, ok := filterOperator(attr.text)
		if attr.quoted || !ok {
			return nil, fmt.Errorf("unsupported attribute %q (supported: %s)", attr.text, supportedConditions())
		}
		opName := strings.ToLower(op.text)
		if op.quoted || opName != want {
			return nil, fmt.Errorf("unsupported operator %q for %s (supported: %s %s)", op.text, attr.text, attr.text, want)
		}
		if !val.quoted {
			return nil, fmt.Errorf("the value compared to %s must be a quoted string", attr.text)
		}
		f = append(f, condition{attr: attr.text, op: opName, value: val.text})
		i += 3
		if i == len(toks) {
			return f, nil
		}
		if toks[i].quoted || !strings.EqualFold(toks[i].text, "and") {
			return nil, fmt.Errorf("unsupported operator %q (conditions may only be joined with and)", toks[i].text)
		}
		i++
	}
}

// filterToken is a word or a quoted string of a filter.
type filterToken struct {
	text   string
	quoted bool
}

// filterTokens splits a filter into words and quoted strings (with \" and
// \\ escapes). Parentheses and brackets are not supported.
func filterTokens(s string) ([]filterToken, error) {
	var toks []filterToken
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '"':
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, errors.New("unterminated string")
				}
				if s[i] == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '"' {
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			toks = append(toks, filterToken{text: b.String(), quoted: true})
		case strings.ContainsRune("()[]", rune(c)):
			return nil, fmt.Errorf("unsupported character %q", c)
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\"()[]", rune(s[j])) {
				j++
			}
			toks = append(toks, filterToken{text: s[i:j]})
			i = j
		}
	}
	return toks, nil
}

// matches reports whether env satisfies every condition. Comparisons
// ignore letter case, as SCIM string comparisons do by default.
func (f envFilter) matches(env map[string]any) bool {
	for _, c := range f {
		got, ok := lookupString(env, c.attr)
		if !ok {
			return false
		}
		switch c.op {
		case "eq":
			if !strings.EqualFold(got, c.value) {
				return false
			}
		case "sw":
			if !strings.HasPrefix(strings.ToLower(got), strings.ToLower(c.value)) {
				return false
			}
		}
	}
	return true
}

// lookupString follows a dotted path (e.g. "organization.id") to a string.
func lookupString(obj map[string]any, path string) (string, bool) {
	var cur any = obj
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		cur = m[part]
	}
	s, ok := cur.(string)
	return s, ok
}
