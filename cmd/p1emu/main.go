// Command p1emu serves the p1ctl PingOne emulator on a loopback address, so
// that p1ctl (or any script) can be tried without a PingOne tenant.
//
// Usage:
//
//	p1emu [--listen 127.0.0.1:0] [--fixture FILE] [--token-lifetime 1h] [--url-file FILE] [--print-env]
//	      [--missing-env-forbidden] [--tls [--ca-out FILE]] [--public-url URL]
//
// It prints "p1emu: serving PingOne emulator at http://127.0.0.1:PORT" on
// standard error and serves until interrupted (SIGINT or SIGTERM). The same
// base URL is the auth host and, with /v1 appended, the API base. With
// --print-env it prints shell export lines for the demo client on standard
// output (eval "$(p1emu --print-env ...)" style); with --url-file it writes
// the base URL to FILE once listening, atomically, and removes it on exit.
//
// With --tls it serves HTTPS with a certificate from a CA generated at
// start-up (PingOne's SDKs speak HTTPS only); --ca-out writes that CA's
// certificate for clients to trust (--print-env then exports
// SSL_CERT_FILE). --public-url puts a URL in every issuer, discovery
// document and _links href (and in the exports), for clients that reach
// the emulator under another address; by default they use the address
// each request was sent to. p1emu exits 1 when it cannot start (a busy
// port, say), 2 on bad usage.
//
// With --missing-env-forbidden it imitates a quirk PingOne documents: an
// environment that does not exist answers 403 ACCESS_FAILED /
// INSUFFICIENT_PERMISSIONS, as for a missing permission, rather than 404,
// to callers without an organization-level role (emulator.Quirks).
//
// Besides the PingOne endpoints, /_emulator/stats, /_emulator/requests,
// /_emulator/reset, /_emulator/faults, /_emulator/revoke and
// /_emulator/quirks let scripts inspect and steer the emulator (see package
// internal/emulator).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
