package emulator

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// attrOp is an attribute a filter tests and the operator it tests it with.
type attrOp struct{ attr, op string }

// filterOperators are the conditions PingOne documents for the environment
// list filter: each attribute it may test, with the one operator it
// accepts there. Anything else is refused.
var filterOperators = []attrOp{
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

// pagedFilterConditions are the conditions with which PingOne still honours
// limit: its docs allow limit with an eq on organization.id or license.id,
// and say limit is ignored with other filters.
var pagedFilterConditions = []attrOp{
	{"organization.id", "eq"},
	{"license.id", "eq"},
}

// honoursLimit reports whether a list with this filter is paged by limit:
// with no filter, or one made only of pagedFilterConditions. With any other
// filter PingOne ignores limit and answers every match on one page.
func (f envFilter) honoursLimit() bool {
	for _, c := range f {
		if !slices.Contains(pagedFilterConditions, attrOp{c.attr, c.op}) {
			return false
		}
	}
	return true
}

// parseFilter parses the subset of SCIM filter syntax PingOne's
// environment list supports: the conditions of filterOperators, such as
// `name sw "v"` or `status eq "v"`, joined with `and`, each condition or
// group of them optionally in parentheses, as in
// `(name sw "v") and (license.id eq "v")`. `or`, `not` and brackets are
// refused.
func parseFilter(s string) (envFilter, error) {
	toks, err := filterTokens(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errors.New("the filter is empty")
	}
	p := &filterParser{toks: toks}
	f, err := p.conjunction(nil)
	if err != nil {
		return nil, err
	}
	if p.i < len(toks) {
		// filterTokens balances parentheses, so only a stray ")" can be
		// left over; this guards the invariant all the same.
		return nil, fmt.Errorf("unbalanced parenthesis: the %q at position %d has no matching \"(\"", toks[p.i].text, toks[p.i].pos)
	}
	return f, nil
}

// filterParser is a recursive descent parser over a filter's tokens:
//
//	conjunction = term *( "and" term )
//	term        = "(" conjunction ")" / attribute operator quoted-value
type filterParser struct {
	toks []filterToken
	i    int
}

// conjunction parses terms joined with and, appending their conditions to
// f. It stops at the end of the filter or before a ")".
func (p *filterParser) conjunction(f envFilter) (envFilter, error) {
	for {
		var err error
		if f, err = p.term(f); err != nil {
			return nil, err
		}
		if p.i == len(p.toks) || p.toks[p.i].is(")") {
			return f, nil
		}
		t := p.toks[p.i]
		if t.is("(") {
			return nil, fmt.Errorf("expected and before the \"(\" at position %d", t.pos)
		}
		if t.quoted || !strings.EqualFold(t.text, "and") {
			return nil, fmt.Errorf("unsupported operator %q (conditions may only be joined with and)", t.text)
		}
		p.i++
	}
}

// term parses one condition, or a parenthesised conjunction, appending
// its conditions to f.
func (p *filterParser) term(f envFilter) (envFilter, error) {
	if p.i < len(p.toks) && p.toks[p.i].is("(") {
		open := p.toks[p.i]
		p.i++
		f, err := p.conjunction(f)
		if err != nil {
			return nil, err
		}
		if p.i == len(p.toks) {
			// Unreachable after filterTokens' balance check; kept so a
			// parse never reads past the tokens.
			return nil, fmt.Errorf("unbalanced parenthesis: the \"(\" at position %d is never closed", open.pos)
		}
		p.i++ // the ")" that conjunction stopped at
		return f, nil
	}
	errNoCondition := errors.New(`expected a condition such as name sw "Dev"`)
	if p.i == len(p.toks) || p.toks[p.i].isParen() {
		return nil, errNoCondition
	}
	attr := p.toks[p.i]
	want, ok := filterOperator(attr.text)
	if attr.quoted || !ok {
		return nil, fmt.Errorf("unsupported attribute %q (supported: %s)", attr.text, supportedConditions())
	}
	if len(p.toks)-p.i < 3 || slices.ContainsFunc(p.toks[p.i+1:p.i+3], filterToken.isParen) {
		return nil, errNoCondition
	}
	op, val := p.toks[p.i+1], p.toks[p.i+2]
	opName := strings.ToLower(op.text)
	if op.quoted || opName != want {
		return nil, fmt.Errorf("unsupported operator %q for %s (supported: %s %s)", op.text, attr.text, attr.text, want)
	}
	if !val.quoted {
		return nil, fmt.Errorf("the value compared to %s must be a quoted string", attr.text)
	}
	p.i += 3
	return append(f, condition{attr: attr.text, op: opName, value: val.text}), nil
}

// filterToken is a word, a quoted string or a parenthesis of a filter.
type filterToken struct {
	text   string
	quoted bool
	pos    int // 1-based character position in the filter
}

// is reports whether t is the unquoted word or parenthesis s.
func (t filterToken) is(s string) bool { return !t.quoted && t.text == s }

// isParen reports whether t is a parenthesis.
func (t filterToken) isParen() bool { return t.is("(") || t.is(")") }

// filterTokens splits a filter into words, quoted strings (with \" and \\
// escapes) and parentheses, checking that the parentheses balance.
// Brackets are not supported.
func filterTokens(s string) ([]filterToken, error) {
	var toks []filterToken
	var open []int // positions of the "(" not yet closed
	for i := 0; i < len(s); {
		pos := utf8.RuneCountInString(s[:i]) + 1
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
			toks = append(toks, filterToken{text: b.String(), quoted: true, pos: pos})
		case c == '(':
			open = append(open, pos)
			toks = append(toks, filterToken{text: "(", pos: pos})
			i++
		case c == ')':
			if len(open) == 0 {
				return nil, fmt.Errorf("unbalanced parenthesis: the \")\" at position %d has no matching \"(\"", pos)
			}
			open = open[:len(open)-1]
			toks = append(toks, filterToken{text: ")", pos: pos})
			i++
		case c == '[' || c == ']':
			return nil, fmt.Errorf("unsupported character %q", c)
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\"()[]", rune(s[j])) {
				j++
			}
			toks = append(toks, filterToken{text: s[i:j], pos: pos})
			i = j
		}
	}
	if len(open) > 0 {
		return nil, fmt.Errorf("unbalanced parenthesis: the \"(\" at position %d is never closed", open[len(open)-1])
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
