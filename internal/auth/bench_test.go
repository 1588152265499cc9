package auth

import (
	"context"
	"testing"
	"time"
)

// BenchmarkFileCacheWarm measures what a warm-cache `p1ctl token get` does
// beyond start-up: read one small file and check the token's expiry.
func BenchmarkFileCacheWarm(b *testing.B) {
	c := &FileCache{Dir: b.TempDir(), Key: CacheKey("https://auth.pingone.com/x/as/token", "client", "client_secret_basic", nil, []byte("secret"))}
	fetch := func(context.Context) (*Token, error) {
		return &Token{AccessToken: "token", TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}, nil
	}
	ctx := context.Background()
	if _, err := c.Get(ctx, time.Minute, fetch); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get(ctx, time.Minute, fetch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCacheKey measures deriving the cache file name.
func BenchmarkCacheKey(b *testing.B) {
	scopes := []string{"p1ctl:read", "pas:admin"}
	for b.Loop() {
		CacheKey("https://auth.pingone.com/x/as/token", "client", "client_secret_basic", scopes, []byte("secret"))
	}
}
