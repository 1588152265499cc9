package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func adminPost(t *testing.T, u, body string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

func TestAdminStatsAndReset(t *testing.T) {
	s, ts := newTestServer(t)
	tok := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	get(t, ts.URL+"/v1/environments/"+DemoEnvironmentID, tok)
	get(t, ts.URL+"/v1/environments", tok)

	resp := get(t, ts.URL+"/_emulator/stats", "")
	if resp.status != 200 {
		t.Fatalf("status %d", resp.status)
	}
	var stats map[string]int
	if err := json.Unmarshal(resp.body, &stats); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"token": 1, "environment": 1, "environments": 1, "jwks": 0, "openid-configuration": 0,
		"role-assignments": 0, "role": 0, "unknown": 0, "total": 3}
	for k, v := range want {
		if got, ok := stats[k]; !ok || got != v {
			t.Errorf("stats[%s] = %d (present %v), want %d", k, got, ok, v)
		}
	}
	if s.Count("") != 3 {
		t.Errorf("admin requests were counted: %d", s.Count(""))
	}

	resp = get(t, ts.URL+"/_emulator/requests", "")
	var reqs []Request
	if err := json.Unmarshal(resp.body, &reqs); err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 3 || reqs[0].Endpoint != "token" || reqs[0].Method != "POST" || reqs[0].Status != 200 ||
		reqs[1].Path != "/v1/environments/"+DemoEnvironmentID || reqs[0].Time.IsZero() {
		t.Errorf("requests = %+v", reqs)
	}

	s.InjectFault(Fault{Status: 500})
	if resp := adminPost(t, ts.URL+"/_emulator/reset", ""); resp.status != http.StatusNoContent {
		t.Fatalf("reset: status %d", resp.status)
	}
	if s.Count("") != 0 {
		t.Errorf("Count after reset = %d", s.Count(""))
	}
	if resp := get(t, ts.URL+"/v1/environments", tok); resp.status != 200 {
		t.Errorf("fault survived reset: %d", resp.status)
	}
}

func TestAdminFaults(t *testing.T) {
	s, ts := newTestServer(t)
	resp := adminPost(t, ts.URL+"/_emulator/faults", `{"endpoint":"token","status":429,"retryAfter":1,"times":2,"delay":"10ms"}`)
	if resp.status != http.StatusNoContent {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	for i := range 2 {
		if resp := tokenRequest(t, ts.URL); resp.status != 429 || resp.header.Get("Retry-After") != "1" {
			t.Fatalf("request %d: status %d, Retry-After %q", i, resp.status, resp.header.Get("Retry-After"))
		}
	}
	if resp := tokenRequest(t, ts.URL); resp.status != 200 {
		t.Fatalf("third request: %d", resp.status)
	}

	resp = adminPost(t, ts.URL+"/_emulator/faults", `{"status":502,"body":"<html>bad gateway</html>","contentType":"text/html","retryAfter":"5","bodySize":0}`)
	if resp.status != http.StatusNoContent {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	s.mu.Lock()
	got := s.faults[0].Fault
	s.mu.Unlock()
	if got != (Fault{Status: 502, Body: "<html>bad gateway</html>", ContentType: "text/html", RetryAfter: "5"}) {
		t.Errorf("fault = %+v", got)
	}

	for _, tt := range []struct{ name, body string }{
		{"not JSON", `{`},
		{"unknown field", `{"colour":"blue"}`},
		{"unknown endpoint", `{"endpoint":"users"}`},
		{"negative times", `{"times":-1}`},
		{"bad status", `{"status":99}`},
		{"bad delay", `{"delay":"soon"}`},
		{"negative delay", `{"delay":"-1s"}`},
		{"negative size", `{"bodySize":-1}`},
		{"bad retryAfter", `{"retryAfter":true}`},
		{"trailing data", `{} {}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := adminPost(t, ts.URL+"/_emulator/faults", tt.body)
			if resp.status != http.StatusBadRequest || resp.json(t)["error"] == "" {
				t.Fatalf("status %d: %s", resp.status, resp.body)
			}
		})
	}
}

func TestAdminRevoke(t *testing.T) {
	_, ts := newTestServer(t)
	tok := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	if resp := adminPost(t, ts.URL+"/_emulator/revoke", ""); resp.status != http.StatusNoContent {
		t.Fatalf("status %d", resp.status)
	}
	if resp := get(t, ts.URL+"/v1/environments/"+DemoEnvironmentID, tok); resp.status != 401 {
		t.Fatalf("revoked token: status %d", resp.status)
	}
}

func TestAdminErrors(t *testing.T) {
	s, ts := newTestServer(t)
	s.InjectFault(Fault{Status: 500, Delay: time.Second}) // admin endpoints ignore faults
	if resp := get(t, ts.URL+"/_emulator/nope", ""); resp.status != 404 || resp.json(t)["error"] == "" {
		t.Errorf("unknown admin path: %d %s", resp.status, resp.body)
	}
	if resp := get(t, ts.URL+"/_emulator", ""); resp.status != 404 {
		t.Errorf("admin root: %d", resp.status)
	}
	resp := get(t, ts.URL+"/_emulator/reset", "")
	if resp.status != 405 || resp.header.Get("Allow") != "POST" {
		t.Errorf("GET reset: %d, Allow %q", resp.status, resp.header.Get("Allow"))
	}
	if resp := adminPost(t, ts.URL+"/_emulator/stats", ""); resp.status != 405 {
		t.Errorf("POST stats: %d", resp.status)
	}
}
