package jwtinfo

import (
	"errors"
	"testing"
)

// FuzzDecode feeds arbitrary text to Decode, which reads tokens pasted by
// users and tokens from servers: it must return a token or a
// *MalformedError, never panic.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		"eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJjbGllbnRfaWQiOiJjIiwic2NvcGUiOiJhIGIiLCJleHAiOjE3OTU1MjI3NDJ9.c2ln",
		"Bearer eyJhbGciOiJFUzI1NiJ9.eyJzY29wZSI6WyJhIiwiYiJdfQ.c2ln",
		"Authorization: Bearer eyJhbGciOiJub25lIn0.e30.",
		"eyJhbGciOiJSUzI1NiJ9.bm90LWpzb24.c2ln",
		"eyJhbGciOiJSUzI1NiJ9.eyJleHAiOiJzb29uIn0.c2ln",
		"opaque-token-value",
		"a.b.c.d.e",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := Decode(raw)
		if err != nil {
			var malformed *MalformedError
			if !errors.As(err, &malformed) {
				t.Fatalf("Decode error %T is not a *MalformedError: %v", err, err)
			}
			return
		}
		if tok == nil {
			t.Fatal("Decode returned neither a token nor an error")
		}
		_ = tok.OtherNames()
	})
}
