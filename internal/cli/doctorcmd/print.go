package doctorcmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// Indentation of the lines under a row and of a hint.
const (
	linesIndent = "     "
	hintIndent  = "   → "
)

// writeText prints the checklist: "SYMBOL  Name: detail" per check, the
// check's details indented below it, a hint under a failure or warning,
// and a summary. Everything passes through the redactor.
func writeText(w io.Writer, rep *Report, r *redact.Redactor) error {
	var b strings.Builder
	for _, c := range rep.Checks {
		fmt.Fprintf(&b, "%s  %s: %s\n", c.Status.Symbol(), c.Name, oneLine(c.Detail))
		for _, l := range c.lines {
			b.WriteString(linesIndent + l + "\n")
		}
		if c.Hint != "" && (c.Status == StatusFail || c.Status == StatusWarn) {
			b.WriteString(hintIndent + oneLine(c.Hint) + "\n")
		}
	}
	b.WriteString("\n" + summary(rep) + "\n")
	_, err := io.WriteString(w, r.String(b.String()))
	return err
}

func summary(rep *Report) string {
	warnings := ""
	if n := rep.Warnings(); n > 0 {
		warnings = fmt.Sprintf(" (%d %s)", n, plural(n, "warning", "warnings"))
	}
	if c := rep.Failed(); c != nil {
		return fmt.Sprintf("%s failed%s: exit status %d (see p1ctl help exit-codes)", c.Name, warnings, rep.ExitCode)
	}
	return "All checks passed" + warnings + "."
}

// writeData prints the report as -o, --jq or --template ask, redacted:
// the expression sees the redacted report, and its output is masked again.
func writeData(ctx context.Context, w io.Writer, o *export.Options, rep *Report, r *redact.Redactor) error {
	for i := range rep.Checks {
		c := &rep.Checks[i]
		c.Detail, c.Hint = r.String(c.Detail), r.String(c.Hint)
	}
	var buf bytes.Buffer
	if err := o.Write(ctx, &buf, rep); err != nil {
		return err
	}
	_, err := io.WriteString(w, r.String(buf.String()))
	return err
}

// tableLines lays rows out in aligned columns, one string per line.
func tableLines(rows [][]string) []string {
	if len(rows) == 0 {
		return nil
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		rows[i] = r
	}
	var buf bytes.Buffer
	if err := output.Table(&buf, nil, rows); err != nil {
		lines := make([]string, len(rows))
		for i, r := range rows {
			lines[i] = strings.Join(r, "  ")
		}
		return lines
	}
	return strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
}

// oneLine keeps a message on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
