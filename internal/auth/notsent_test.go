package auth_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/config"
)

// A deadline that passed before the token request (while settings and
// files were read) is a *NotSentError, with and without the cache, and
// nothing is sent.
func TestSourceDeadlineBeforeRequest(t *testing.T) {
	for _, store := range []string{"no cache", "cache"} {
		t.Run(store, func(t *testing.T) {
			requests := 0
			ts := newTokenServer(t, func(w http.ResponseWriter, _ int, _ request) {
				requests++
				writeJSON(w, 200, map[string]any{"access_token": "ok", "token_type": "Bearer"})
			})
			src := &auth.Source{Client: &auth.Client{TokenURL: ts.tokenURL(), ClientID: clientID, ClientSecret: clientSecret, HTTPClient: ts.Client()}, MinTTL: config.DefaultMinTTL}
			if store == "cache" {
				src.Store = newCache(t.TempDir())
			}
			ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
			defer cancel()
			_, err := src.Token(ctx)
			var notSent *auth.NotSentError
			if !errors.As(err, &notSent) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Token = %v, want a *NotSentError for the deadline", err)
			}
			if requests != 0 {
				t.Errorf("%d token requests", requests)
			}
		})
	}
}

// The cache's own path to an uncached fetch reports the same.
func TestFileCacheDeadlineBeforeRequest(t *testing.T) {
	var f counter
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := newCache(t.TempDir()).Replace(ctx, "", f.fetch)
	var notSent *auth.NotSentError
	if !errors.As(err, &notSent) || !errors.Is(err, context.DeadlineExceeded) || f.calls() != 0 {
		t.Errorf("Replace = %v after %d fetches, want a *NotSentError and none", err, f.calls())
	}
}
