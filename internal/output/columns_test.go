package output

import (
	"bytes"
	"testing"
)

// Columns lays rows out exactly as Table does.
func TestColumnsMatchesTable(t *testing.T) {
	header := []string{"ID", "NAME", "TYPE"}
	rows := [][]string{
		{"1", "Zürich", "A"},
		{"22", "日本", ""},
		{"333", "two\nlines \x1b[31mred", "SANDBOX"},
		{"", "", "C"},
		{"4", "", ""},
	}
	var want, got bytes.Buffer
	if err := Table(&want, header, rows); err != nil {
		t.Fatal(err)
	}
	c := NewColumns(header...)
	for _, r := range rows {
		c.Add(r...)
	}
	if err := c.Render(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("Columns:\n%q\nTable:\n%q", got.String(), want.String())
	}
	if c.Size() != int64(len("1Zürich"+"A"+"22日本"+`333two lines \x1b[31mredSANDBOX`+"C4")) {
		t.Errorf("Size() = %d", c.Size())
	}
}
