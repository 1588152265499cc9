package apicmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/api"
)

// indentDocs are JSON documents whose indentation indentWriter must match.
var indentDocs = []string{
	`{}`,
	`[]`,
	`{"a":[]}`,
	`{"a":{},"b":[{}],"c":[[],[1]]}`,
	`{"_embedded":{"things":[{"n":0},{"n":1}]},"count":2}`,
	`{"s":"brackets { [ ] } , : inside","e":"escaped \" quote and \\ backslash \\\" mixed","u":"\u00e9 é \ud83d\ude00"}`,
	`[1,-2.5e10,true,false,null,"x"]`,
	`"just a string"`,
	`42`,
	`{"deep":[[[[{"x":[{"y":{}}]}]]]]}`,
}

func indentAll(t testing.TB, compact string) string {
	t.Helper()
	var want bytes.Buffer
	if err := json.Indent(&want, []byte(compact), "", "  "); err != nil {
		t.Fatal(err)
	}
	return want.String()
}

// indentWriter indents a document written in any pieces exactly as
// json.Indent indents it whole.
func TestIndentWriterMatchesIndent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, doc := range indentDocs {
		want := indentAll(t, doc)
		for _, chunk := range []int{0, 1, 2, 3, 7} {
			var got bytes.Buffer
			w := &indentWriter{w: &got}
			for rest := doc; rest != ""; {
				n := chunk
				if n == 0 {
					n = 1 + rng.IntN(len(rest))
				}
				n = min(n, len(rest))
				if _, err := w.Write([]byte(rest[:n])); err != nil {
					t.Fatal(err)
				}
				rest = rest[n:]
			}
			if got.String() != want {
				t.Errorf("chunks of %d: %s\n got %q\nwant %q", chunk, doc, got.String(), want)
			}
		}
	}
}

// FuzzIndentWriter checks indentWriter against json.Indent on any valid
// JSON, written in two pieces.
func FuzzIndentWriter(f *testing.F) {
	for _, doc := range indentDocs {
		f.Add(doc, len(doc)/2)
	}
	f.Fuzz(func(t *testing.T, doc string, split int) {
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(doc)) != nil {
			return
		}
		c := compact.String()
		split = min(max(split, 0), len(c))
		var got bytes.Buffer
		w := &indentWriter{w: &got}
		w.Write([]byte(c[:split]))
		w.Write([]byte(c[split:]))
		if want := indentAll(t, c); got.String() != want {
			t.Fatalf("%s\n got %q\nwant %q", c, got.String(), want)
		}
	})
}

// The document written page by page is byte for byte the one built from
// all the pages, compact and indented, whatever the pages' collections.
func TestMergeWriterMatchesMergedDocument(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	item := func() json.RawMessage {
		// Items as servers send them: white space that compacting drops.
		return json.RawMessage(fmt.Sprintf("{ \"id\" : %d, \"s\": \"a, b ]\" ,\"x\":[ ] }", rng.IntN(1000)))
	}
	for round := range 200 {
		var pages [][]api.Collection
		for range rng.IntN(5) {
			var page []api.Collection
			for _, name := range []string{"things", "other", "things"} {
				if rng.IntN(3) == 0 {
					continue
				}
				c := api.Collection{Name: name}
				for range rng.IntN(4) {
					c.Items = append(c.Items, item())
				}
				page = append(page, c)
			}
			pages = append(pages, page)
		}
		var merged []api.Collection
		for _, page := range pages {
			merged = mergeCollections(merged, page)
		}
		compact, err := mergedDocument(merged)
		if err != nil {
			t.Fatal(err)
		}
		for _, indent := range []bool{false, true} {
			want := string(compact)
			if indent {
				want = indentAll(t, strings.TrimSpace(want)) + "\n"
			}
			var got bytes.Buffer
			w := newMergeWriter(&got, indent)
			for _, page := range pages {
				if err := w.add(page); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.close(); err != nil {
				t.Fatal(err)
			}
			if got.String() != want {
				t.Fatalf("round %d, indent %v, pages %v:\n got %q\nwant %q", round, indent, pages, got.String(), want)
			}
		}
	}
}

// Each page reaches the reader when it is added, before the next arrives.
func TestMergeWriterFlushesEachPage(t *testing.T) {
	var got bytes.Buffer
	w := newMergeWriter(&got, false)
	if err := w.add([]api.Collection{{Name: "things", Items: []json.RawMessage{json.RawMessage(`{"n":0}`)}}}); err != nil {
		t.Fatal(err)
	}
	if got.String() != `{"_embedded":{"things":[{"n":0}` {
		t.Errorf("after the first page: %q", got.String())
	}
	if err := w.add([]api.Collection{{Name: "things", Items: []json.RawMessage{json.RawMessage(`{"n":1}`)}}}); err != nil {
		t.Fatal(err)
	}
	if got.String() != `{"_embedded":{"things":[{"n":0},{"n":1}` {
		t.Errorf("after the second page: %q", got.String())
	}
}
