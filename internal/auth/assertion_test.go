package auth_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/p1ctl/p1ctl/internal/auth"
)

func TestParsePrivateKey(t *testing.T) {
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	encryptedPKCS1 := pem.EncodeToMemory(&pem.Block{
		Type:    "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"},
		Bytes:   []byte("ciphertext-ciphertext-ciphertext"),
	})
	tests := []struct {
		name     string
		data     func(t *testing.T) []byte
		wantType string
		wantErr  string
	}{
		{name: "PKCS8 RSA", data: func(t *testing.T) []byte { return pkcs8PEM(t, rsaKey()) }, wantType: "*rsa.PrivateKey"},
		{name: "PKCS1 RSA", data: func(*testing.T) []byte { return pkcs1PEM(rsaKey()) }, wantType: "*rsa.PrivateKey"},
		{name: "PKCS8 EC", data: func(t *testing.T) []byte { return pkcs8PEM(t, ecKey()) }, wantType: "*ecdsa.PrivateKey"},
		{name: "SEC1 EC", data: func(t *testing.T) []byte { return sec1PEM(t, ecKey()) }, wantType: "*ecdsa.PrivateKey"},
		{name: "PKCS8 Ed25519", data: func(t *testing.T) []byte { return pkcs8PEM(t, edKey) }, wantType: "ed25519.PrivateKey"},
		{name: "SEC1 with text around it", data: func(t *testing.T) []byte {
			return append([]byte("key for CI\n"), append(sec1PEM(t, ecKey()), "trailer\n"...)...)
		}, wantType: "*ecdsa.PrivateKey"},
		{name: "legacy encrypted PEM", data: func(*testing.T) []byte { return encryptedPKCS1 }, wantErr: "the key is encrypted; decrypt it first"},
		// openssl genpkey -aes256 writes PKCS #8 "ENCRYPTED PRIVATE KEY"
		// blocks, the form most people will meet: the message says the key
		// is encrypted and how to decrypt it, not that it is "not a
		// private key".
		{name: "encrypted PKCS8", data: func(*testing.T) []byte {
			return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("0123456789abcdef")})
		}, wantErr: "openssl pkey"},
		{name: "garbage", data: func(*testing.T) []byte { return []byte("this is not a key") }, wantErr: "no PEM block"},
		{name: "empty", data: func(*testing.T) []byte { return nil }, wantErr: "no PEM block"},
		{name: "certificate", data: func(*testing.T) []byte {
			return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("x")})
		}, wantErr: `"CERTIFICATE", not a private key`},
		{name: "public key", data: func(*testing.T) []byte {
			return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("x")})
		}, wantErr: "not a private key"},
		{name: "PKCS8 header with garbage", data: func(*testing.T) []byte {
			return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("garbage")})
		}, wantErr: "cannot parse the key"},
		{name: "PKCS1 header with PKCS8 body", data: func(t *testing.T) []byte {
			block, _ := pem.Decode(pkcs8PEM(t, rsaKey()))
			return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: block.Bytes})
		}, wantErr: "cannot parse the key"},
		{name: "SEC1 header with garbage", data: func(*testing.T) []byte {
			return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte{0x30, 0x01}})
		}, wantErr: "cannot parse the key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := auth.ParsePrivateKey(tt.data(t))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if key != nil {
					t.Errorf("key = %T alongside an error", key)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%T", key); got != tt.wantType {
				t.Errorf("key type %s, want %s", got, tt.wantType)
			}
		})
	}
}

func TestNewKeySigner(t *testing.T) {
	smallRSA, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	tests := []struct {
		name    string
		data    func(t *testing.T) []byte
		wantAlg jose.SignatureAlgorithm
		wantErr string
	}{
		{name: "RSA 2048 PKCS1", data: func(*testing.T) []byte { return pkcs1PEM(rsaKey()) }, wantAlg: jose.RS256},
		{name: "RSA 2048 PKCS8", data: func(t *testing.T) []byte { return pkcs8PEM(t, rsaKey()) }, wantAlg: jose.RS256},
		{name: "EC P-256", data: func(t *testing.T) []byte { return sec1PEM(t, ecKey()) }, wantAlg: jose.ES256},
		{name: "EC P-384", data: func(t *testing.T) []byte { return sec1PEM(t, p384) }, wantAlg: jose.ES384},
		{name: "EC P-521", data: func(t *testing.T) []byte { return pkcs8PEM(t, p521) }, wantAlg: jose.ES512},
		{name: "RSA 1024 too small", data: func(*testing.T) []byte { return pkcs1PEM(smallRSA) }, wantErr: "1024 bits; at least 2048"},
		{name: "Ed25519 unsupported", data: func(t *testing.T) []byte { return pkcs8PEM(t, edKey) }, wantErr: "unsupported key type"},
		{name: "garbage", data: func(*testing.T) []byte { return []byte("nope") }, wantErr: "no PEM block"},
		{name: "encrypted PKCS8", data: func(*testing.T) []byte {
			return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("0123456789abcdef")})
		}, wantErr: "the key is encrypted; decrypt it first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data(t)
			path := writeKey(t, data, 0o600)
			s, err := auth.NewKeySigner(path, "kid")
			if tt.wantErr != "" {
				var keyErr *auth.KeyError
				if !errors.As(err, &keyErr) || keyErr.File != path || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "private key "+path+": ") {
					t.Fatalf("err = %T %v, want a *KeyError for %s containing %q", err, err, path, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Algorithm != tt.wantAlg {
				t.Errorf("Algorithm = %s, want %s", s.Algorithm, tt.wantAlg)
			}
			if len(s.KeyFingerprint) != 32 {
				t.Errorf("KeyFingerprint has %d bytes", len(s.KeyFingerprint))
			}
			assertion, err := s.Sign(clientID, "https://auth.example.com/as/token", testNow)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Count(assertion, ".") != 2 {
				t.Errorf("assertion %q is not a compact JWS", assertion)
			}
		})
	}
}

func TestNewKeySignerMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.pem")
	_, err := auth.NewKeySigner(path, "")
	var keyErr *auth.KeyError
	if !errors.As(err, &keyErr) || keyErr.File != path || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %T %v", err, err)
	}
}

// A rotated key must miss the token cache: the fingerprint follows the file.
func TestKeyFingerprintDiffers(t *testing.T) {
	a, err := auth.NewKeySigner(writeKey(t, pkcs1PEM(rsaKey()), 0o600), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := auth.NewKeySigner(writeKey(t, sec1PEM(t, ecKey()), 0o600), "")
	if err != nil {
		t.Fatal(err)
	}
	if string(a.KeyFingerprint) == string(b.KeyFingerprint) {
		t.Error("two keys share a fingerprint")
	}
}

func TestNewSecretSigner(t *testing.T) {
	tests := []struct {
		secret  string
		wantErr bool
	}{
		{"", true},
		{"short", true},
		{strings.Repeat("x", 31), true},
		{strings.Repeat("x", 32), false},
		{clientSecret, false},
	}
	for _, tt := range tests {
		s, err := auth.NewSecretSigner(tt.secret)
		if tt.wantErr {
			if err == nil || !strings.Contains(err.Error(), "at least 32 bytes") {
				t.Errorf("NewSecretSigner(%d bytes) err = %v", len(tt.secret), err)
			}
			if err != nil && tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error leaks the secret: %v", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("NewSecretSigner(%d bytes): %v", len(tt.secret), err)
			continue
		}
		if s.Algorithm != jose.HS256 || s.KeyFingerprint != nil {
			t.Errorf("signer = %+v", s)
		}
		assertion, err := s.Sign(clientID, "https://t/as/token", testNow)
		if err != nil {
			t.Fatal(err)
		}
		verifyAssertion(t, assertion, jose.HS256, []byte(tt.secret), "https://t/as/token", testNow.Add(time.Second))
	}
}

// An assertion is valid from 30 s before it is signed, so that a client
// clock slightly ahead of PingOne's does not make it "not valid yet", until
// two minutes after.
func TestSignTimes(t *testing.T) {
	secret, err := auth.NewSecretSigner(clientSecret)
	if err != nil {
		t.Fatal(err)
	}
	key, err := auth.NewKeySigner(writeKey(t, sec1PEM(t, ecKey()), 0o600), "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		signer *auth.AssertionSigner
		alg    jose.SignatureAlgorithm
		key    any
	}{
		{"client_secret_jwt", secret, jose.HS256, []byte(clientSecret)},
		{"private_key_jwt", key, jose.ES256, &ecKey().PublicKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const url = "https://auth.example.com/as/token"
			a, err := tt.signer.Sign(clientID, url, testNow)
			if err != nil {
				t.Fatal(err)
			}
			// Checked as a server whose clock is 20 s behind would.
			_, claims := verifyAssertion(t, a, tt.alg, tt.key, url, testNow.Add(-20*time.Second))
			for name, got := range map[string]*jwt.NumericDate{"iat": claims.IssuedAt, "nbf": claims.NotBefore} {
				if got == nil {
					t.Errorf("no %s", name)
				} else if !got.Time().Equal(testNow.Add(-30 * time.Second)) {
					t.Errorf("%s = %v, want %v", name, got.Time().UTC(), testNow.Add(-30*time.Second))
				}
			}
			if exp := claims.Expiry.Time(); !exp.Equal(testNow.Add(2 * time.Minute)) {
				t.Errorf("exp = %v, want %v", exp, testNow.Add(2*time.Minute))
			}
		})
	}
}

func TestKeyFileWarning(t *testing.T) {
	tests := []struct {
		mode     os.FileMode
		wantWarn bool
	}{
		{0o600, false},
		{0o400, false},
		{0o640, true},
		{0o644, true},
		{0o604, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%04o", tt.mode), func(t *testing.T) {
			path := writeKey(t, []byte("key"), tt.mode)
			w := auth.KeyFileWarning(path)
			if !tt.wantWarn {
				if w != "" {
					t.Errorf("warning %q", w)
				}
				return
			}
			for _, part := range []string{path, fmt.Sprintf("%04o", tt.mode), "chmod 600"} {
				if !strings.Contains(w, part) {
					t.Errorf("warning %q lacks %q", w, part)
				}
			}
		})
	}
	if w := auth.KeyFileWarning(filepath.Join(t.TempDir(), "absent")); w != "" {
		t.Errorf("warning for a missing file: %q", w)
	}
	// The command in the warning works when pasted: a path with a space
	// (macOS's "Application Support") is quoted.
	spaced := filepath.Join(t.TempDir(), "my keys")
	if err := os.Mkdir(spaced, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(spaced, "key.pem")
	if err := os.WriteFile(path, []byte("key"), 0o644); err != nil {
		t.Fatal(err)
	}
	if w := auth.KeyFileWarning(path); !strings.HasSuffix(w, "run chmod 600 '"+path+"'") {
		t.Errorf("warning %q does not end with a quoted chmod command", w)
	}
}
