package apicmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
)

// paginate follows a HAL collection to its last page and prints
//
//	{"_embedded": {"<name>": [<items of every page>]}, "count": <number of items>}
//
// with each page's status line and headers first for -i. An answer that is
// not a collection and has no next link is printed as received.
//
// Without --jq or -i the document is written as the pages arrive (see
// mergeWriter), so memory stays flat however many pages there are; a page
// that fails midway leaves the document unfinished, after which its error
// body is printed on a line of its own and the exit status says what
// failed. --jq needs the whole document, and -i prints every page's
// headers before it, so both build it first, within the pager's item
// limit and maxBufferedBytes; streaming is bounded by the page count only.
func paginate(ctx context.Context, client *api.Client, req *request, p *printer) error {
	pager := client.NewPager(req.target.path, req.header)
	var (
		merged []api.Collection
		w      *mergeWriter // nil when the document is built first
	)
	if p.jq == nil && !p.include && !p.silent {
		w = newMergeWriter(p.io.Out, p.io.IsStdoutTTY())
	}
	if w != nil || p.silent {
		// Nothing is kept from page to page, so only the page count
		// bounds the walk (with --timeout): exporting a collection of
		// more than 100,000 items, such as a large user population, is
		// what this mode is for.
		pager.Limits = api.PageLimits{Pages: api.DefaultPageLimits.Pages}
	} else {
		// The document is built in memory first.
		pager.Limits.Bytes = maxBufferedBytes
	}
	first := true
	for pager.More() {
		page, err := pager.Next(ctx)
		if page != nil {
			if err := p.head(page.Proto, page.Status, page.Header); err != nil {
				return err
			}
		}
		if err != nil {
			if w != nil && w.wrote() {
				// End the unfinished document's line.
				if _, err := p.io.Out.Write([]byte("\n")); err != nil {
					return err
				}
			}
			var apiErr *api.Error
			if errors.As(err, &apiErr) && page != nil {
				if err := p.errorBody(page.Body); err != nil {
					return err
				}
			}
			return cmdutil.WithTarget(err, req.explain)
		}
		if first && !page.IsCollection && page.Next == "" {
			return p.result(ctx, page.Body, page.URL, page.StatusCode)
		}
		first = false
		switch {
		case w != nil:
			if err := w.add(page.Embedded); err != nil {
				return err
			}
		case !p.silent:
			merged = mergeCollections(merged, page.Embedded)
		}
	}
	switch {
	case w != nil:
		return w.close()
	case p.silent:
		return nil
	}
	doc, err := mergedDocument(merged)
	if err != nil {
		return err
	}
	return p.result(ctx, doc, client.URL(req.target.path), 200)
}

// maxBufferedBytes bounds the page bodies read when the --paginate
// document is built in memory (for --jq or -i). A variable so that tests
// can lower it.
var maxBufferedBytes int64 = 256 << 20

// mergeCollections appends each of page's collections to the one of the
// same name in merged, keeping the order in which names first appeared.
func mergeCollections(merged, page []api.Collection) []api.Collection {
next:
	for _, c := range page {
		for i := range merged {
			if merged[i].Name == c.Name {
				merged[i].Items = append(merged[i].Items, c.Items...)
				continue next
			}
		}
		merged = append(merged, api.Collection{Name: c.Name, Items: c.Items})
	}
	return merged
}

// mergedDocument writes the --paginate document, compact and ending with
// a newline; items are compacted but otherwise as received.
func mergedDocument(merged []api.Collection) ([]byte, error) {
	var b bytes.Buffer
	count := 0
	b.WriteString(`{"_embedded":{`)
	for i, c := range merged {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(c.Name)
		if err != nil {
			return nil, err
		}
		b.Write(name)
		b.WriteString(":[")
		for j, item := range c.Items {
			if j > 0 {
				b.WriteByte(',')
			}
			if err := json.Compact(&b, item); err != nil {
				return nil, err
			}
		}
		b.WriteByte(']')
		count += len(c.Items)
	}
	b.WriteString(`},"count":`)
	b.WriteString(strconv.Itoa(count))
	b.WriteString("}\n")
	return b.Bytes(), nil
}
