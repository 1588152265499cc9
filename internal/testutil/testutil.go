// Package testutil holds helpers shared by the project's tests.
package testutil

import (
	"bytes"
	"context"
	"net"
	"sync"
	"testing"
)

// SyncBuffer is a bytes.Buffer that a writer goroutine and a reading test
// may use at the same time.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what has been written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ClosedPort returns a loopback address ("127.0.0.1:port") that nothing
// listens on, for tests of refused connections.
func ClosedPort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// StaticToken is a token source for api.Client that always hands out
// itself and ignores invalidation.
type StaticToken string

// AccessToken returns the token.
func (t StaticToken) AccessToken(context.Context) (string, error) { return string(t), nil }

// Invalidate does nothing: the same token is handed out again.
func (StaticToken) Invalidate(context.Context, string) error { return nil }
