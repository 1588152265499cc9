package output

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestFieldTable(t *testing.T) {
	var buf bytes.Buffer
	err := FieldTable(&buf, []Field{
		{"ID", "abc"},
		{"Name", "Développement – Zürich"},
		{"Description", ""},
		{"Type", "SANDBOX"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "ID    abc\nName  Développement – Zürich\nType  SANDBOX\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
}

func TestTableAlignsWideCharacters(t *testing.T) {
	var buf bytes.Buffer
	err := Table(&buf, []string{"NAME", "TYPE"}, [][]string{{"Zürich", "A"}, {"日本", "B"}, {"plain", "C"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "NAME    TYPE\nZürich  A\n日本    B\nplain   C\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"raw keeps order and unknown fields", json.RawMessage(`{"z":1,"a":{"b":[1,2]},"x-new":true}` + "\n"), "{\n  \"z\": 1,\n  \"a\": {\n    \"b\": [\n      1,\n      2\n    ]\n  },\n  \"x-new\": true\n}\n"},
		{"struct", struct {
			A string `json:"a"`
		}{"<&>"}, "{\n  \"a\": \"<&>\"\n}\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := JSON(&buf, tt.in); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if buf.String() != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, buf.String(), tt.want)
		}
	}
	if err := JSON(&bytes.Buffer{}, []byte("{bad")); err == nil {
		t.Error("invalid raw JSON: want error")
	}
}

func TestYAML(t *testing.T) {
	var buf bytes.Buffer
	in := json.RawMessage(`{"name":"Zürich","id":"0b1","n":3,"yes":"true","list":[{"a":"x"}],"empty":{}}`)
	if err := YAML(&buf, in); err != nil {
		t.Fatal(err)
	}
	// Strings that YAML would read as another type stay quoted.
	want := "name: Zürich\nid: \"0b1\"\nn: 3\nyes: \"true\"\nlist:\n  - a: x\nempty: {}\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestParseFormat(t *testing.T) {
	if f, err := ParseFormat("JSON", FormatTable, FormatJSON); err != nil || f != FormatJSON {
		t.Errorf("ParseFormat(JSON) = %q, %v", f, err)
	}
	if _, err := ParseFormat("xml", FormatTable, FormatJSON); err == nil || err.Error() != `unknown output format "xml" (valid: table, json)` {
		t.Errorf("ParseFormat(xml) error = %v", err)
	}
}
