package auth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

type cannedTransport struct {
	status      int
	contentType string
	body        string
}

func (c cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: c.status,
		Header:     http.Header{"Content-Type": {c.contentType}},
		Body:       io.NopCloser(strings.NewReader(c.body)),
		Request:    req,
	}, nil
}

// FuzzTokenResponse feeds arbitrary token endpoint answers to Fetch: it must
// return either a usable token (b64token syntax, Bearer) or one of its typed
// errors, never panic.
func FuzzTokenResponse(f *testing.F) {
	f.Add(200, "application/json", `{"access_token":"abc","token_type":"Bearer","expires_in":3600,"scope":"a b"}`)
	f.Add(200, "application/json", `{"access_token":"abc","expires_in":"3600"}`)
	f.Add(200, "application/json", `{"access_token":"","expires_in":-5}`)
	f.Add(401, "application/json", `{"error":"invalid_client","error_description":"Request denied"}`)
	f.Add(404, "application/json", `{"id":"x","code":"NOT_FOUND","message":"gone"}`)
	f.Add(502, "text/html", `<html>bad gateway</html>`)
	f.Add(200, "application/x-www-form-urlencoded", `access_token=abc&expires_in=60`)
	f.Add(200, "application/json", `{"access_token":`)
	f.Add(200, "application/json", `{"access_token":"a\u001b[2Jb","token_type":"Bearer"}`)
	f.Add(200, "application/json", `{"access_token":"abc==","token_type":"DPoP"}`)
	f.Add(200, "application/x-www-form-urlencoded", `access_token=a%0D%0Ab&token_type=bearer`)
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		if status < 100 || status > 999 {
			return
		}
		c := &Client{
			TokenURL:     "https://auth.pingone.com/3a1498e5-ac2c-4d1c-a88e-06ceb44623a0/as/token",
			ClientID:     "client",
			ClientSecret: "secret",
			HTTPClient:   &http.Client{Transport: cannedTransport{status, contentType, body}},
		}
		tok, err := c.Fetch(context.Background())
		if err == nil {
			if tok.AccessToken == "" || tok.Expiry.IsZero() {
				t.Fatalf("token without value or expiry: %+v", tok)
			}
			if checkToken(tok.AccessToken, tok.TokenType) != nil || tok.TokenType != "Bearer" {
				t.Fatalf("unusable token handed out: %q %q", tok.AccessToken, tok.TokenType)
			}
			return
		}
		var rej *RejectedError
		var bad *ResponseError
		if !errors.As(err, &rej) && !errors.As(err, &bad) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
	})
}
