package emulator

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// secretURL is the secret endpoint of an application in the demo environment.
func secretURL(base, appID string) string {
	return base + "/v1/environments/" + DemoEnvironmentID + "/applications/" + appID + "/secret"
}

// send makes an API request with a bearer token and an optional JSON body.
func send(t *testing.T, method, u, token, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

// tokenStatus is the token endpoint's status for id and secret.
func tokenStatus(t *testing.T, base, id, secret string) int {
	t.Helper()
	return postForm(t, tokenURL(base, DemoEnvironmentID), clientCredentials(), id, secret).status
}

func TestRotateSecretKeepsPreviousUntilExpiry(t *testing.T) {
	clock := newFakeClock()
	_, ts := newTestServer(t, WithClock(clock.Now))
	admin := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	expires := clock.Now().Add(time.Hour).Format(time.RFC3339)

	resp := send(t, http.MethodPost, secretURL(ts.URL, DemoClientID), admin, `{"previous":{"expiresAt":"`+expires+`"}}`)
	if resp.status != http.StatusOK {
		t.Fatalf("rotate: status %d: %s", resp.status, resp.body)
	}
	m := resp.json(t)
	secret, _ := m["secret"].(string)
	prev, _ := m["previous"].(map[string]any)
	if secret == "" || secret == DemoClientSecret || prev["secret"] != DemoClientSecret || prev["expiresAt"] == nil {
		t.Fatalf("rotate answer = %s", resp.body)
	}
	if got := tokenStatus(t, ts.URL, DemoClientID, secret); got != http.StatusOK {
		t.Errorf("new secret: status %d, want 200", got)
	}
	if got := tokenStatus(t, ts.URL, DemoClientID, DemoClientSecret); got != http.StatusOK {
		t.Errorf("previous secret before expiry: status %d, want 200", got)
	}
	clock.Advance(time.Hour)
	if got := tokenStatus(t, ts.URL, DemoClientID, DemoClientSecret); got == http.StatusOK {
		t.Error("previous secret accepted after its expiry")
	}
	if got := tokenStatus(t, ts.URL, DemoClientID, secret); got != http.StatusOK {
		t.Errorf("new secret after the previous expired: status %d, want 200", got)
	}
}

func TestRotateSecretWithoutPreviousAndDeletePrevious(t *testing.T) {
	_, ts := newTestServer(t)
	admin := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)

	// No body: the old secret ends at once.
	resp := send(t, http.MethodPost, secretURL(ts.URL, PostClientID), admin, "")
	if resp.status != http.StatusOK || resp.json(t)["previous"] != nil {
		t.Fatalf("rotate without body: status %d: %s", resp.status, resp.body)
	}
	req := postForm(t, tokenURL(ts.URL, DemoEnvironmentID), clientCredentialsWith(PostClientID, PostClientSecret), "", "")
	if req.status == http.StatusOK {
		t.Error("replaced secret still accepted with no previous kept")
	}

	// Kept, then deleted early.
	expires := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	first := send(t, http.MethodPost, secretURL(ts.URL, DemoClientID), admin, `{"previous":{"expiresAt":"`+expires+`"}}`)
	if first.status != http.StatusOK {
		t.Fatalf("rotate: status %d", first.status)
	}
	if got := send(t, http.MethodDelete, secretURL(ts.URL, DemoClientID)+"/previous", admin, "").status; got != http.StatusNoContent {
		t.Fatalf("delete previous: status %d, want 204", got)
	}
	if got := tokenStatus(t, ts.URL, DemoClientID, DemoClientSecret); got == http.StatusOK {
		t.Error("previous secret accepted after delete-previous")
	}
	if got := tokenStatus(t, ts.URL, DemoClientID, first.json(t)["secret"].(string)); got != http.StatusOK {
		t.Errorf("current secret after delete-previous: status %d", got)
	}
}

// clientCredentialsWith is a client_secret_post token request form.
func clientCredentialsWith(id, secret string) map[string][]string {
	f := clientCredentials()
	f.Set("client_id", id)
	f.Set("client_secret", secret)
	return f
}

func TestRotateSecretRefusals(t *testing.T) {
	_, ts := newTestServer(t)
	org := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	none := basicToken(t, ts.URL, NoRolesClientID, NoRolesClientSecret)
	for _, tc := range []struct {
		name, token, url, body string
		status                 int
		detail                 string
	}{
		{"no permission", none, secretURL(ts.URL, DemoClientID), "", http.StatusForbidden, "INSUFFICIENT_PERMISSIONS"},
		{"read-only role assignment", org, secretURL(ts.URL, LockedClientID), "", http.StatusForbidden, "INSUFFICIENT_PERMISSIONS"},
		{"unknown application", org, secretURL(ts.URL, "00000000-0000-4000-8000-000000000001"), "", http.StatusNotFound, ""},
		{"previous too long", org, secretURL(ts.URL, DemoClientID), `{"previous":{"expiresAt":"` + time.Now().Add(31*24*time.Hour).UTC().Format(time.RFC3339) + `"}}`, http.StatusBadRequest, "INVALID_VALUE"},
		{"not a UUID", org, secretURL(ts.URL, "nope"), "", http.StatusBadRequest, "INVALID_VALUE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := send(t, http.MethodPost, tc.url, tc.token, tc.body)
			if resp.status != tc.status || detailCode(resp.json(t)) != tc.detail {
				t.Errorf("status %d detail %q, want %d %q: %s", resp.status, detailCode(resp.json(t)), tc.status, tc.detail, resp.body)
			}
		})
	}
	// A refused rotation changes nothing.
	if got := tokenStatus(t, ts.URL, DemoClientID, DemoClientSecret); got != http.StatusOK {
		t.Errorf("demo secret after refused rotations: status %d", got)
	}
}

func TestRejectNewSecretQuirk(t *testing.T) {
	s, ts := newTestServer(t)
	org := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	s.SetQuirks(Quirks{RejectNewSecret: true})
	expires := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	resp := send(t, http.MethodPost, secretURL(ts.URL, DemoClientID), org, `{"previous":{"expiresAt":"`+expires+`"}}`)
	secret, _ := resp.json(t)["secret"].(string)
	if got := tokenStatus(t, ts.URL, DemoClientID, secret); got == http.StatusOK {
		t.Error("new secret accepted with RejectNewSecret")
	}
	if got := tokenStatus(t, ts.URL, DemoClientID, DemoClientSecret); got != http.StatusOK {
		t.Errorf("previous secret with RejectNewSecret: status %d, want 200", got)
	}
}
