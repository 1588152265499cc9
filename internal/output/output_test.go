package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
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

// Values come from a server: a line break cannot add a row, and an escape
// sequence reaches the terminal escaped.
func TestTableShowsCellsOnOneLine(t *testing.T) {
	var buf bytes.Buffer
	err := Table(&buf, []string{"NAME", "TYPE"}, [][]string{{"two\nlines", "A"}, {"red \x1b[31mname", "B"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "NAME              TYPE\ntwo lines         A\nred \\x1b[31mname  B\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := FieldTable(&buf, []Field{{"Name", "a\tb\r\nc\a"}}); err != nil {
		t.Fatal(err)
	}
	if want := "Name  a b c\\a\n"; buf.String() != want {
		t.Errorf("FieldTable got %q, want %q", buf.String(), want)
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
	// Keys too: PyYAML reads plain yes and n keys as True and False.
	want := "name: Zürich\nid: \"0b1\"\n\"n\": 3\n\"yes\": \"true\"\nlist:\n  - a: x\nempty: {}\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestData(t *testing.T) {
	v := map[string]any{"name": "Zürich", "n": 3}
	tests := []struct {
		format  Format
		want    string
		wantErr bool
	}{
		{FormatJSON, "{\n  \"n\": 3,\n  \"name\": \"Zürich\"\n}\n", false},
		{FormatYAML, "\"n\": 3\nname: Zürich\n", false},
		{FormatTable, "", true},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			var buf bytes.Buffer
			err := Data(&buf, tt.format, v)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Data(%s) error = %v, want error %v", tt.format, err, tt.wantErr)
			}
			if buf.String() != tt.want {
				t.Errorf("Data(%s) wrote\n%s\nwant\n%s", tt.format, buf.String(), tt.want)
			}
		})
	}
}

// TestYAMLQuotesAmbiguousStrings checks that a string comes out quoted
// whenever a YAML 1.1 reader (PyYAML, Psych) or a YAML 1.2 reader would
// read it back as something else, and plain otherwise.
func TestYAMLQuotesAmbiguousStrings(t *testing.T) {
	tests := []struct {
		s      string
		quoted bool
	}{
		// YAML 1.1 booleans, null, the value and merge keys.
		{"yes", true}, {"Yes", true}, {"YES", true}, {"no", true}, {"No", true}, {"NO", true},
		{"y", true}, {"Y", true}, {"n", true}, {"N", true},
		{"on", true}, {"On", true}, {"ON", true}, {"off", true}, {"Off", true}, {"OFF", true},
		{"true", true}, {"False", true}, {"TRUE", true},
		{"null", true}, {"Null", true}, {"~", true}, {"", true},
		{"=", true}, {"<<", true},
		// Numbers, in YAML 1.2 and 1.1 forms.
		{"123", true}, {"-7", true}, {"+1", true}, {"1e3", true}, {"1.5", true}, {"0x1F", true},
		{"0o17", true}, {"017", true}, {"0b101", true}, {"1_000", true}, {"1:20", true},
		{"190:20:30.15", true}, {".5", true}, {"1.", true}, {".inf", true}, {"-.Inf", true}, {".NaN", true},
		// Timestamps.
		{"2001-12-14", true}, {"2001-12-14t21:59:43.10-05:00", true}, {"2001-1-5", true},
		// Indicators.
		{"- x", true}, {"a: b", true}, {"#x", true}, {"@x", true}, {"*x", true}, {"&x", true}, {"!x", true},
		// Ordinary strings stay plain.
		{"plain", false}, {"Zürich", false}, {"yesterday", false}, {"nope", false}, {"online", false},
		{"3a1498e5-ac2c-4d1c-a88e-06ceb44623a0", false}, {"f13dbf61-38ba-4fd6-abe2-4630b662794a", false},
		{"ACTIVE", false}, {"1.2.3", false}, {"v1", false}, {"a=b", false}, {"x~", false}, {"Development – Zürich", false},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			in, err := json.Marshal(map[string]string{"k": tt.s})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := YAML(&buf, in); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			value := strings.TrimSuffix(strings.TrimPrefix(out, "k: "), "\n")
			quoted := strings.HasPrefix(value, `"`) || strings.HasPrefix(value, `'`)
			if quoted != tt.quoted {
				t.Errorf("%q came out as %q, want quoted = %v", tt.s, out, tt.quoted)
			}
			// A YAML 1.2 reader reads back the same string.
			var back map[string]any
			if err := yaml.Unmarshal(buf.Bytes(), &back); err != nil {
				t.Fatalf("reading back %q: %v", out, err)
			}
			if back["k"] != tt.s {
				t.Errorf("%q read back as %#v", tt.s, back["k"])
			}
		})
	}
}
