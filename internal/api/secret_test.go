package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/redact"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

const (
	testEnvID  = "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0"
	testAppID  = "a397c6e6-5f60-4cf8-ab19-56b42d0df1e6"
	newSecret  = "new-secret-value-0123456789abcdef"
	prevSecret = "old-secret-value-0123456789abcdef"
)

// secretServer answers the secret endpoints with body, recording the
// rotation request's body.
func secretServer(t *testing.T, body string, got *map[string]any) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/environments/"+testEnvID+"/applications/"+testAppID+"/secret" || r.Method != http.MethodPost {
			http.Error(w, "unexpected", http.StatusTeapot)
			return
		}
		raw, _ := io.ReadAll(r.Body)
		if len(raw) > 0 {
			json.Unmarshal(raw, got)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return &Client{BaseURL: srv.URL + "/v1", HTTP: srv.Client(), Tokens: testutil.StaticToken("tok"), Redactor: &redact.Redactor{}}
}

func TestRotateApplicationSecretRegistersBothSecrets(t *testing.T) {
	var sent map[string]any
	c := secretServer(t, `{"secret":"`+newSecret+`","previous":{"secret":"`+prevSecret+`","expiresAt":"2026-01-02T13:54:34.487Z"}}`, &sent)
	keep := time.Date(2026, 1, 2, 13, 54, 34, 487e6, time.UTC)
	s, err := c.RotateApplicationSecret(context.Background(), testEnvID, testAppID, keep)
	if err != nil {
		t.Fatal(err)
	}
	if s.Secret != newSecret || s.Previous == nil || !s.Previous.ExpiresAt.Equal(keep) {
		t.Errorf("decoded %+v", s)
	}
	if prev, _ := sent["previous"].(map[string]any); prev["expiresAt"] != "2026-01-02T13:54:34.487Z" {
		t.Errorf("request body %v, want previous.expiresAt", sent)
	}
	if out := c.Redactor.String(newSecret + " " + prevSecret); strings.Contains(out, newSecret) || strings.Contains(out, prevSecret) {
		t.Errorf("redactor left a secret: %q", out)
	}
}

func TestRotateApplicationSecretWithoutKeepSendsNoBody(t *testing.T) {
	var sent map[string]any
	c := secretServer(t, `{"secret":"`+newSecret+`"}`, &sent)
	if _, err := c.RotateApplicationSecret(context.Background(), testEnvID, testAppID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if sent != nil {
		t.Errorf("request body %v, want none (the previous secret ends at once)", sent)
	}
}

func TestRotateApplicationSecretMalformedAnswerQuotesNothing(t *testing.T) {
	for _, body := range []string{
		`{"secret":"` + newSecret + `","previous":{"expiresAt":12}}`,
		`{"secret": "` + newSecret,
		`{"previous":{"secret":"` + prevSecret + `"}}`,
	} {
		c := secretServer(t, body, new(map[string]any))
		_, err := c.RotateApplicationSecret(context.Background(), testEnvID, testAppID, time.Time{})
		if err == nil {
			t.Fatalf("%s: no error", body)
		}
		if strings.Contains(err.Error(), newSecret) || strings.Contains(err.Error(), prevSecret) {
			t.Errorf("error quotes a secret: %v", err)
		}
	}
}
