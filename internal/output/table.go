package output

import (
	"bytes"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Field is one row of a field/value table.
type Field struct {
	Name  string
	Value string
}

// plainTable returns a borderless, left-aligned table writer: columns
// separated by spaces, the way kubectl and gh print, so output stays easy to
// read and to grep.
func plainTable(w io.Writer, header []string) *tablewriter.Table {
	opts := []tablewriter.Option{
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{
				Separators: tw.Separators{BetweenRows: tw.Off, BetweenColumns: tw.Off},
				Lines:      tw.Lines{ShowHeaderLine: tw.Off, ShowFooterLine: tw.Off, ShowTop: tw.Off, ShowBottom: tw.Off},
			},
		})),
		tablewriter.WithConfig(tablewriter.Config{
			Header: tw.CellConfig{
				Alignment:  tw.CellAlignment{Global: tw.AlignLeft},
				Formatting: tw.CellFormatting{AutoFormat: tw.Off},
				Padding:    tw.CellPadding{Global: tw.Padding{Left: "", Right: "  ", Overwrite: true}},
			},
			Row: tw.CellConfig{
				Alignment:  tw.CellAlignment{Global: tw.AlignLeft},
				Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone},
				Padding:    tw.CellPadding{Global: tw.Padding{Left: "", Right: "  ", Overwrite: true}},
			},
		}),
		tablewriter.WithTrimSpace(tw.Off),
	}
	t := tablewriter.NewTable(w, opts...)
	if len(header) > 0 {
		t.Header(header)
	}
	return t
}

// FieldTable writes fields as a two-column name/value table, leaving out
// fields whose value is empty. Like Table, it shows each value on one line
// (see OneLine).
func FieldTable(w io.Writer, fields []Field) error {
	var buf bytes.Buffer
	t := plainTable(&buf, nil)
	for _, f := range fields {
		if f.Value == "" {
			continue
		}
		if err := t.Append(oneLineCells([]string{f.Name, f.Value})); err != nil {
			return err
		}
	}
	return render(t, &buf, w)
}

// Table writes rows under header. Each cell is shown on one line with
// control characters escaped (see OneLine): the values come from a server,
// and a line break or escape sequence in an environment's name must neither
// break the table nor drive the terminal.
func Table(w io.Writer, header []string, rows [][]string) error {
	var buf bytes.Buffer
	t := plainTable(&buf, header)
	for _, r := range rows {
		if err := t.Append(oneLineCells(r)); err != nil {
			return err
		}
	}
	return render(t, &buf, w)
}

func oneLineCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = OneLine(c)
	}
	return out
}

// render renders t into buf and copies it to w without the padding the
// last column leaves at the end of each line.
func render(t *tablewriter.Table, buf *bytes.Buffer, w io.Writer) error {
	if err := t.Render(); err != nil {
		return err
	}
	var out bytes.Buffer
	for line := range bytes.Lines(buf.Bytes()) {
		out.Write(bytes.TrimRight(line, " \n"))
		out.WriteByte('\n')
	}
	_, err := w.Write(out.Bytes())
	return err
}
