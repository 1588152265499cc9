package auth_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// A token endpoint (or a proxy before it) that echoes the Basic
// credential in a page shows no part of it in the error: the excerpt is
// masked with the client's Redactor before it is cut, across the cut
// included.
func TestRejectionExcerptMasksTheCredential(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte(clientID + ":" + clientSecret))
	r := &redact.Redactor{}
	r.AddClientSecret(clientID, clientSecret)
	for pad := 60; pad <= 130; pad += 5 {
		ts := newTokenServer(t, func(w http.ResponseWriter, _ int, _ request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, "<p>"+strings.Repeat("p", pad)+"Authorization: Basic "+basic+"</p>")
		})
		c := &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: ts.Client(), Now: fixedClock(testNow), Redactor: r}
		_, err := c.Fetch(context.Background())
		rej := wantRejected(t, err, http.StatusBadRequest)
		if rej.Snippet == "" {
			t.Fatalf("pad %d: no excerpt: %v", pad, err)
		}
		for k := 4; k <= len(basic); k++ {
			if strings.Contains(err.Error(), basic[:k]) {
				t.Fatalf("pad %d: error shows %q: %v", pad, basic[:k], err)
			}
		}
	}
}
