package emulator

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// activityFilter is a parsed activity filter: a time range on recordedAt
// (or createdAt, which the emulator records at the same instant) and at
// most one other condition, as PingOne documents.
type activityFilter struct {
	after, before time.Time // exclusive bounds
	attr, value   string    // the other condition, attr lower case; "" if none
}

// activityEqAttrs are the attributes PingOne documents for eq in an
// activity filter, lower case.
var activityEqAttrs = []string{"actors.client.id", "actors.user.id", "action.type", "resources.id", "resources.type", "correlationid"}

// parseActivityFilter parses `recordedat gt "T1" and recordedat lt "T2"
// [and ATTR eq "V"]`, attribute names and operators in any case. It
// refuses a filter without both bounds, with a second condition besides
// them, or with anything else PingOne does not document.
func parseActivityFilter(s string) (activityFilter, error) {
	var f activityFilter
	toks, err := filterTokens(s)
	if err != nil {
		return f, err
	}
	for i := 0; i < len(toks); {
		if i > 0 {
			if t := toks[i]; t.quoted || !strings.EqualFold(t.text, "and") {
				return f, fmt.Errorf("unsupported operator %q (conditions may only be joined with and)", t.text)
			}
			i++
		}
		if len(toks)-i < 3 {
			return f, errors.New(`expected a condition such as recordedAt gt "2026-01-01T00:00:00Z"`)
		}
		attr, op, val := toks[i], toks[i+1], toks[i+2]
		i += 3
		if attr.quoted || op.quoted || attr.isParen() || op.isParen() {
			return f, errors.New("parentheses are not supported in activity filters")
		}
		if !val.quoted {
			return f, fmt.Errorf("the value compared to %s must be a quoted string", attr.text)
		}
		name, opName := strings.ToLower(attr.text), strings.ToLower(op.text)
		switch name {
		case "recordedat", "createdat":
			t, err := time.Parse(time.RFC3339Nano, val.text)
			if err != nil {
				return f, fmt.Errorf("%s: %q is not an RFC 3339 date-time", attr.text, val.text)
			}
			switch opName {
			case "gt":
				f.after = t
			case "ge":
				f.after = t.Add(-time.Nanosecond)
			case "lt":
				f.before = t
			case "le":
				f.before = t.Add(time.Nanosecond)
			default:
				return f, fmt.Errorf("unsupported operator %q for %s (supported: gt, ge, lt, le)", op.text, attr.text)
			}
		default:
			if !containsFold(activityEqAttrs, name) {
				return f, fmt.Errorf("unsupported attribute %q", attr.text)
			}
			if opName != "eq" {
				return f, fmt.Errorf("unsupported operator %q for %s (supported: eq)", op.text, attr.text)
			}
			if f.attr != "" {
				return f, fmt.Errorf("only one condition besides the time range is supported (%s and %s)", f.attr, name)
			}
			f.attr, f.value = name, val.text
		}
	}
	if f.after.IsZero() || f.before.IsZero() {
		return f, errors.New(`the filter must hold a time range, e.g. recordedAt gt "2026-01-01T00:00:00Z" and recordedAt lt "2026-01-02T00:00:00Z"`)
	}
	return f, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// matches reports whether a satisfies the filter. IDs and types compare
// ignoring case, as SCIM string comparisons do by default.
func (f activityFilter) matches(a *Activity) bool {
	if !a.time.After(f.after) || !a.time.Before(f.before) {
		return false
	}
	eq := func(s string) bool { return strings.EqualFold(s, f.value) }
	switch f.attr {
	case "":
		return true
	case "actors.client.id":
		return eq(a.Actors.Client.ID)
	case "actors.user.id":
		return false // the emulator's actors are clients only
	case "action.type":
		return eq(a.Action.Type)
	case "correlationid":
		return eq(a.CorrelationID)
	case "resources.id", "resources.type":
		for _, r := range a.Resources {
			if (f.attr == "resources.id" && eq(r.ID)) || (f.attr == "resources.type" && eq(r.Type)) {
				return true
			}
		}
	}
	return false
}
