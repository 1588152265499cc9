package export

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/p1ctl/p1ctl/internal/output"
)

// tmplState is what one --template run accumulates: the writer and the
// rows of tablerow until tablerender (or the end) lays them out.
type tmplState struct {
	w    io.Writer
	rows [][]string
}

// funcs returns the template helpers gh offers, bound to st. Built when
// --template is given, so that no map is set up at start-up.
func (o *Options) funcs(st *tmplState) template.FuncMap {
	now := time.Now()
	return template.FuncMap{
		"color": func(style string, input any) (string, error) {
			s, err := scalarString(input)
			if err != nil {
				return "", err
			}
			if o.Color == nil || !o.Color() {
				return s, nil
			}
			return colorize(style, s)
		},
		"timefmt": func(layout, input string) (string, error) {
			t, err := time.Parse(time.RFC3339, input)
			if err != nil {
				return "", err
			}
			return t.Format(layout), nil
		},
		"timeago": func(input string) (string, error) {
			t, err := time.Parse(time.RFC3339, input)
			if err != nil {
				return "", err
			}
			return timeAgo(now.Sub(t)), nil
		},
		"truncate": truncate,
		"join": func(sep string, input []any) (string, error) {
			parts := make([]string, len(input))
			for i, item := range input {
				s, err := scalarString(item)
				if err != nil {
					return "", err
				}
				parts[i] = s
			}
			return strings.Join(parts, sep), nil
		},
		"pluck": func(field string, input []any) ([]any, error) {
			out := make([]any, 0, len(input))
			for _, item := range input {
				obj, ok := item.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("pluck: %s is not an object", typeName(item))
				}
				out = append(out, obj[field])
			}
			return out, nil
		},
		"tablerow": func(fields ...any) (string, error) {
			row := make([]string, len(fields))
			for i, f := range fields {
				s, err := scalarString(f)
				if err != nil {
					return "", fmt.Errorf("tablerow: %v", err)
				}
				// Server text must not move the cursor or break the row.
				row[i] = output.OneLine(s)
			}
			st.rows = append(st.rows, row)
			return "", nil
		},
		"tablerender": func() (string, error) {
			return "", st.render()
		},
	}
}

// execTemplate runs --template over v, writing to w.
func (o *Options) execTemplate(w io.Writer, v any) error {
	o.st.w = w
	if err := o.tmpl.Execute(w, v); err != nil {
		return fmt.Errorf("--template: %w", err)
	}
	return nil
}

// endTemplate renders a table the template left open.
func (o *Options) endTemplate() error {
	if o.st == nil {
		return nil
	}
	return o.st.render()
}

// render writes the rows as left-aligned columns two spaces apart.
func (st *tmplState) render() error {
	if len(st.rows) == 0 {
		return nil
	}
	var widths []int
	for _, row := range st.rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], twwidth.WidthNoCache(c))
		}
	}
	var b strings.Builder
	for _, row := range st.rows {
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-twwidth.WidthNoCache(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	st.rows = nil
	_, err := io.WriteString(st.w, b.String())
	return err
}

// scalarString prints a JSON scalar as text: numbers as received, null as
// nothing.
func scalarString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case int:
		return strconv.Itoa(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("cannot print %s as text", typeName(v))
}

func typeName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}

// truncate shortens s to at most width columns, ending it with "..."
// when there is room for it.
func truncate(width int, s string) string {
	if twwidth.WidthNoCache(s) <= width {
		return s
	}
	tail := ""
	if width >= 5 {
		tail, width = "...", width-3
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		rw := twwidth.WidthNoCache(string(r))
		if used+rw > width {
			break
		}
		b.WriteRune(r)
		used += rw
	}
	return b.String() + tail
}

// timeAgo says how long ago in words, as gh does.
func timeAgo(ago time.Duration) string {
	switch {
	case ago < time.Minute:
		return "just now"
	case ago < time.Hour:
		return plural(int(ago.Minutes()), "minute")
	case ago < 24*time.Hour:
		return plural(int(ago.Hours()), "hour")
	case ago < 30*24*time.Hour:
		return plural(int(ago.Hours())/24, "day")
	case ago < 365*24*time.Hour:
		return plural(int(ago.Hours())/24/30, "month")
	}
	return plural(int(ago.Hours())/24/365, "year")
}

func plural(n int, unit string) string {
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s ago", n, unit)
}

// ansiColors are the SGR codes of the colour names color accepts.
var ansiColors = [...]string{"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"}

// colorize wraps s in the escape sequences of style, written as
// FOREGROUND[+ATTRIBUTES][:BACKGROUND], e.g. "red", "green+b",
// "white+u:blue" (attributes: b bold, d dim, i italic, u underline,
// h bright).
func colorize(style, s string) (string, error) {
	fg, bg, _ := strings.Cut(style, ":")
	name, attrs, _ := strings.Cut(fg, "+")
	var codes []string
	if name != "" {
		c, err := colorCode(name, 30)
		if err != nil {
			return "", err
		}
		if strings.Contains(attrs, "h") {
			c += 60
		}
		codes = append(codes, strconv.Itoa(c))
	}
	for _, a := range attrs {
		switch a {
		case 'b':
			codes = append(codes, "1")
		case 'd':
			codes = append(codes, "2")
		case 'i':
			codes = append(codes, "3")
		case 'u':
			codes = append(codes, "4")
		case 'h':
		default:
			return "", fmt.Errorf("color: unknown attribute %q in %q", a, style)
		}
	}
	if bg != "" {
		c, err := colorCode(bg, 40)
		if err != nil {
			return "", err
		}
		codes = append(codes, strconv.Itoa(c))
	}
	if len(codes) == 0 {
		return s, nil
	}
	return "\x1b[" + strings.Join(codes, ";") + "m" + s + "\x1b[0m", nil
}

func colorCode(name string, base int) (int, error) {
	for i, n := range ansiColors {
		if n == name {
			return base + i, nil
		}
	}
	return 0, fmt.Errorf("color: unknown colour %q", name)
}
