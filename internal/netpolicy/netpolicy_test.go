package netpolicy

import (
	"errors"
	"strings"
	"testing"
)

func TestIsLoopbackHost(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"localhost", true},
		{"LOCALHOST", true},
		{"api.localhost", false},
		{"127.0.0.1", true},
		{"127.10.20.30", true},
		{"::1", true},
		{"[::1]", true},
		{"128.0.0.1", false},
		{"10.0.0.1", false},
		{"auth.pingone.com", false},
		{"localhost.example.com", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsLoopbackHost(tt.host); got != tt.want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

func TestParseBaseURL(t *testing.T) {
	tests := []struct {
		raw     string
		want    string
		wantErr string
	}{
		{raw: "https://auth.pingone.eu", want: "https://auth.pingone.eu"},
		{raw: "https://api.pingone.com/v1/", want: "https://api.pingone.com/v1"},
		{raw: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{raw: "http://[::1]:9/v1", want: "http://[::1]:9/v1"},
		{raw: "http://localhost:1234/", want: "http://localhost:1234"},
		{raw: "http://auth.pingone.com", wantErr: "HTTPS is required"},
		{raw: "ftp://auth.pingone.com", wantErr: "unsupported URL scheme"},
		{raw: "auth.pingone.com", wantErr: "not an absolute URL"},
		{raw: "https://user:pw@auth.pingone.com", wantErr: "user name or password"},
		{raw: "https://auth.pingone.com?x=1", wantErr: "query or fragment"},
		{raw: "https://auth.pingone.com#frag", wantErr: "query or fragment"},
		{raw: "https://auth.pingone.com/\n", wantErr: "control characters"},
		{raw: "https://auth.pingone.com\\@evil.example", wantErr: "backslashes"},
		{raw: "https://auth.pingone.com:99999", wantErr: "port"},
	}
	for _, tt := range tests {
		u, err := ParseBaseURL(tt.raw)
		if tt.wantErr != "" {
			if err == nil || !contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseBaseURL(%q) error = %v, want containing %q", tt.raw, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseBaseURL(%q) unexpected error: %v", tt.raw, err)
			continue
		}
		if u.String() != tt.want {
			t.Errorf("ParseBaseURL(%q) = %q, want %q", tt.raw, u, tt.want)
		}
	}
}

func TestCheckTransportSentinel(t *testing.T) {
	u, _ := ParseBaseURL("https://x.example")
	u.Scheme = "http"
	if err := CheckTransport(u); !errors.Is(err, ErrInsecureScheme) {
		t.Fatalf("got %v, want ErrInsecureScheme", err)
	}
}

func TestHasControl(t *testing.T) {
	for s, want := range map[string]bool{"abc": false, "a\tb": true, "a\u200bb": true, "Zürich": false, "a\x7f": true} {
		if got := HasControl(s); got != want {
			t.Errorf("HasControl(%q) = %v, want %v", s, got, want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestHost(t *testing.T) {
	for raw, want := range map[string]string{
		"https://auth.pingone.eu/x/as/token": "auth.pingone.eu",
		"http://127.0.0.1:8080/v1":           "127.0.0.1:8080",
		"not a url":                          "not a url",
		"":                                   "",
	} {
		if got := Host(raw); got != want {
			t.Errorf("Host(%q) = %q, want %q", raw, got, want)
		}
	}
}
