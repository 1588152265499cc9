//go:build race

package interop

// Under go test -race, p1ctl is built with the race detector too, so that
// races in real token requests against oidc-provider are caught.
func init() { raceEnabled = true }
