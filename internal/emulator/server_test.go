package emulator

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStartAndClose(t *testing.T) {
	s, err := New(DefaultFixture())
	if err != nil {
		t.Fatal(err)
	}
	if s.URL() != "" {
		t.Errorf("URL before Start = %q", s.URL())
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close before Start: %v", err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || s.URL() != base {
		t.Fatalf("base %q, URL %q", base, s.URL())
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("second Start succeeded")
	}

	tok := basicToken(t, base, DemoClientID, DemoClientSecret)
	resp := get(t, base+"/v1/environments/"+DemoEnvironmentID, tok)
	if resp.status != 200 {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	self := resp.json(t)["_links"].(map[string]any)["self"].(map[string]any)["href"]
	if self != base+"/v1/environments/"+DemoEnvironmentID {
		t.Errorf("self link %v does not use the listener's URL", self)
	}

	// A request in flight during Close is cut off rather than waited for.
	s.InjectFault(Fault{Delay: time.Hour})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		resp, err := http.Get(base + "/v1/environments")
		if err == nil {
			resp.Body.Close()
		}
	}()
	time.Sleep(50 * time.Millisecond)
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung on a delayed request")
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := http.Get(base + "/as/jwks"); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	s, err := New(DefaultFixture())
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0", "192.0.2.1:0", "example.com:0", "no-port"} {
		if _, err := s.Start(addr); err == nil {
			_ = s.Close()
			t.Errorf("Start(%q) succeeded", addr)
		}
	}
	for _, addr := range []string{"localhost:0", "127.0.0.1:0"} {
		if err := checkLoopback(addr); err != nil {
			t.Errorf("checkLoopback(%q): %v", addr, err)
		}
	}
}

func TestCorrelationIDOnEveryResponse(t *testing.T) {
	_, ts := newTestServer(t)
	seen := map[string]bool{}
	for range 3 {
		resp := get(t, ts.URL+"/"+DemoEnvironmentID+"/as/jwks", "")
		id := resp.header.Get("Correlation-Id")
		if !isUUID(id) || seen[id] {
			t.Fatalf("Correlation-Id %q", id)
		}
		seen[id] = true
	}
}

func TestUUIDHelpers(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{DemoEnvironmentID, true},
		{strings.ToUpper(DemoEnvironmentID), true},
		{"3a1498e5ac2c4d1ca88e06ceb44623a0", false},
		{"3a1498e5-ac2c-4d1c-a88e-06ceb44623ag", false},
		{"3a1498e5-ac2c-4d1c-a88e_06ceb44623a0", false},
		{"", false},
	} {
		if got := isUUID(tt.s); got != tt.want {
			t.Errorf("isUUID(%q) = %v", tt.s, got)
		}
	}
	if a, b := derivedUUID("x", "1"), derivedUUID("x", "1"); a != b || !isUUID(a) || a == derivedUUID("x", "2") {
		t.Errorf("derivedUUID not stable/distinct: %s %s", a, b)
	}
	if u := newUUID(); !isUUID(u) || u[14] != '4' {
		t.Errorf("newUUID = %s", u)
	}
}
