package apicmd

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/iostreams"
)

func TestParseHeaders(t *testing.T) {
	tests := []struct {
		in   []string
		want http.Header
		err  string
	}{
		{nil, nil, ""},
		{[]string{"Accept: text/plain", "x-test:  a ", "X-Test: b", "Prefer: a: b"}, http.Header{"Accept": {"text/plain"}, "X-Test": {"a", "b"}, "Prefer": {"a: b"}}, ""},
		{[]string{"Empty:"}, http.Header{"Empty": {""}}, ""},
		{[]string{"no colon"}, nil, "is not of the form 'Name: value'"},
		{[]string{": value"}, nil, "is not of the form 'Name: value'"},
		{[]string{"Bad Name: x"}, nil, "is not of the form 'Name: value'"},
		{[]string{"X-Test: a\rInjected: b"}, nil, "the value contains control characters"},
		{[]string{"authorization: Bearer abc"}, nil, "p1ctl sends the access token itself"},
		{[]string{"Host: evil.example"}, nil, "the host comes from the PATH or URL"},
	}
	for _, tt := range tests {
		got, err := parseHeaders(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseHeaders(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseHeaders(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestPrinterHead(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	p := &printer{io: ios, include: true}
	h := http.Header{"Set-Cookie": {"a=secret", "b=secret"}, "Content-Type": {"application/json"}, "Correlation-Id": {"c1"}}
	if err := p.head("HTTP/2.0", "404 Not Found", h); err != nil {
		t.Fatal(err)
	}
	want := "HTTP/2.0 404 Not Found\nContent-Type: application/json\nCorrelation-Id: c1\nSet-Cookie: [REDACTED]\nSet-Cookie: [REDACTED]\n\n"
	if out.String() != want {
		t.Errorf("head\n%q\nwant\n%q", out.String(), want)
	}
	out.Reset()
	p.include = false
	if err := p.head("HTTP/1.1", "200 OK", h); err != nil || out.Len() != 0 {
		t.Errorf("without -i: %q, %v", out.String(), err)
	}
}
