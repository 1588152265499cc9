package output

import (
	"io"
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Columns is a table built row by row, for lists too long to hand to
// Table at once: it keeps only each row's cells, shown on one line (see
// OneLine), and their widths until Render, and lays them out as Table does
// (left-aligned columns two spaces apart, no trailing blanks), measuring
// widths with tablewriter's own function so both align alike. It uses the
// uncached variant: tablewriter's cache would keep every cell it measured.
type Columns struct {
	header []string
	rows   [][]string
	widths []int
	size   int64
}

// NewColumns returns an empty table under header.
func NewColumns(header ...string) *Columns {
	c := &Columns{header: header, widths: make([]int, len(header))}
	c.measure(header)
	return c
}

// Add appends a row of len(header) cells.
func (c *Columns) Add(cells ...string) {
	row := make([]string, len(c.header))
	for i := range row {
		if i < len(cells) {
			row[i] = OneLine(cells[i])
			c.size += int64(len(row[i]))
		}
	}
	c.measure(row)
	c.rows = append(c.rows, row)
}

// Size is the number of bytes of cell text held.
func (c *Columns) Size() int64 { return c.size }

func (c *Columns) measure(row []string) {
	for i, cell := range row {
		c.widths[i] = max(c.widths[i], twwidth.WidthNoCache(cell))
	}
}

// Render writes the header and the rows.
func (c *Columns) Render(w io.Writer) error {
	var line strings.Builder
	for _, row := range append([][]string{c.header}, c.rows...) {
		line.Reset()
		for i, cell := range row {
			line.WriteString(cell)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", c.widths[i]-twwidth.WidthNoCache(cell)+2))
			}
		}
		text := strings.TrimRight(line.String(), " ") + "\n"
		if _, err := io.WriteString(w, text); err != nil {
			return err
		}
	}
	return nil
}
