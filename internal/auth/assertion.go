package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/securefile"
)

// AssertionType is the client_assertion_type of RFC 7523 JWT client
// authentication.
const AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLifetime is how long an assertion is valid from the moment it
// is signed: long enough for clock skew, far below PingOne's one-hour
// maximum.
const assertionLifetime = 2 * time.Minute

// assertionBackdate is how far before the signing time an assertion's iat
// and nbf are set, so that a client clock slightly ahead of PingOne's does
// not make PingOne see an assertion that is not valid yet.
const assertionBackdate = 30 * time.Second

// AssertionSigner signs RFC 7523 client assertions.
type AssertionSigner struct {
	signer jose.Signer
	// Algorithm is the JWS algorithm used, e.g. HS256 or RS256.
	Algorithm jose.SignatureAlgorithm
	// KeyFingerprint is the SHA-256 of the private key file, so that a
	// rotated key misses the token cache; empty for client_secret_jwt.
	KeyFingerprint []byte
}

// KeyError is a private key that cannot be used.
type KeyError struct {
	File string
	Err  error
}

func (e *KeyError) Error() string {
	var notRegular *securefile.NotRegularError
	var tooLarge *securefile.TooLargeError
	if errors.As(e.Err, &notRegular) || errors.As(e.Err, &tooLarge) {
		// These name the file themselves.
		return "private key " + e.Err.Error()
	}
	return "private key " + e.File + ": " + e.Err.Error()
}

// maxKeyFileSize bounds a private key file; a PEM key takes a few KiB.
const maxKeyFileSize = 1 << 20

func (e *KeyError) Unwrap() error { return e.Err }

// NewSecretSigner returns a signer for client_secret_jwt: HS256 keyed with
// the client secret.
func NewSecretSigner(secret string) (*AssertionSigner, error) {
	if len(secret) < 32 {
		return nil, errors.New("client_secret_jwt needs a client secret of at least 32 bytes (HS256 key size); PingOne's generated secrets are long enough")
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(secret)}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, err
	}
	return &AssertionSigner{signer: s, Algorithm: jose.HS256}, nil
}

// NewKeySigner returns a signer for private_key_jwt with the PEM private key
// in file: RSA keys sign with RS256, EC keys with ES256, ES384 or ES512 by
// curve. keyID, if set, is sent as the kid header.
func NewKeySigner(file, keyID string) (*AssertionSigner, error) {
	// A FIFO would block and /dev/zero never end: regular files only.
	data, _, err := securefile.ReadFile(file, maxKeyFileSize)
	if err != nil {
		return nil, &KeyError{File: file, Err: err}
	}
	key, err := ParsePrivateKey(data)
	if err != nil {
		return nil, &KeyError{File: file, Err: err}
	}
	var alg jose.SignatureAlgorithm
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, &KeyError{File: file, Err: fmt.Errorf("RSA key has %d bits; at least 2048 are required", k.N.BitLen())}
		}
		alg = jose.RS256
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256():
			alg = jose.ES256
		case elliptic.P384():
			alg = jose.ES384
		case elliptic.P521():
			alg = jose.ES512
		default:
			return nil, &KeyError{File: file, Err: errors.New("unsupported elliptic curve")}
		}
	default:
		return nil, &KeyError{File: file, Err: fmt.Errorf("unsupported key type %T (use an RSA or EC key)", key)}
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if keyID != "" {
		opts = opts.WithHeader("kid", keyID)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		return nil, &KeyError{File: file, Err: err}
	}
	sum := sha256.Sum256(data)
	return &AssertionSigner{signer: s, Algorithm: alg, KeyFingerprint: sum[:]}, nil
}

// ParsePrivateKey decodes a PEM private key: PKCS #8, PKCS #1 (RSA) or
// SEC 1 (EC).
func ParsePrivateKey(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found (expected -----BEGIN PRIVATE KEY-----)")
	}
	if block.Type == "ENCRYPTED PRIVATE KEY" || x509.IsEncryptedPEMBlock(block) { //nolint:staticcheck // detecting, not decrypting
		return nil, errors.New("the key is encrypted; decrypt it first (openssl pkey -in KEY -out PLAIN)")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("PEM block is %q, not a private key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot parse the key: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("unsupported key type %T", key)
	}
	return signer, nil
}

// Sign returns a fresh client assertion: iss and sub are the client ID,
// aud the token endpoint, with a unique jti, iat and nbf assertionBackdate
// before now, and exp assertionLifetime after now. An assertion is meant to
// be sent once: servers may refuse a jti they have seen.
func (s *AssertionSigner) Sign(clientID, tokenURL string, now time.Time) (string, error) {
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", err
	}
	claims := jwt.Claims{
		Issuer:    clientID,
		Subject:   clientID,
		Audience:  jwt.Audience{tokenURL},
		ID:        hex.EncodeToString(jti),
		IssuedAt:  jwt.NewNumericDate(now.Add(-assertionBackdate)),
		NotBefore: jwt.NewNumericDate(now.Add(-assertionBackdate)),
		Expiry:    jwt.NewNumericDate(now.Add(assertionLifetime)),
	}
	return jwt.Signed(s.signer).Claims(claims).Serialize()
}

// KeyFileWarning returns a warning when the private key file can be read
// by group or others, or "" when its permissions are tight.
func KeyFileWarning(file string) string {
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm()&0o077 == 0 {
		return ""
	}
	return fmt.Sprintf("private key %s is readable by group or others (mode %04o): run chmod 600 %s", file, info.Mode().Perm(), config.ShellQuote(file))
}
