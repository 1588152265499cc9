package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"
)

// newUUID returns a random (version 4) UUID, used for correlation IDs and
// token IDs.
func newUUID() string {
	var b [16]byte
	// crypto/rand.Read never returns an error (it crashes the program
	// instead when the system has no randomness to give).
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// derivedUUID returns a stable UUID (version 5 layout) computed from parts,
// for fixture items whose ID was left empty.
func derivedUUID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	var b [16]byte
	copy(b[:], sum[:16])
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// isUUID reports whether s has the canonical 8-4-4-4-12 hexadecimal shape
// PingOne uses for every identifier (either letter case).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// idKey is the map key under which an identifier is indexed: PingOne IDs
// compare without regard to letter case.
func idKey(id string) string { return strings.ToLower(id) }
