package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/p1ctl/p1ctl/internal/emulator"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// run is p1emu's whole behaviour: it parses args, serves until ctx is done
// and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("p1emu", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "loopback `address` to listen on (port 0 picks a free port)")
	fixturePath := fs.String("fixture", "", "YAML fixture `file` to serve instead of the built-in demo data")
	lifetime := fs.Duration("token-lifetime", time.Hour, "lifetime of issued access tokens")
	urlFile := fs.String("url-file", "", "write the base URL to `file` once listening (removed on exit)")
	printEnv := fs.Bool("print-env", false, "print shell export lines for PINGONE_* variables on standard output")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a certificate from a CA generated at start-up")
	caOut := fs.String("ca-out", "", "with --tls, write the CA certificate (PEM) to `file` for clients to trust")
	publicURL := fs.String("public-url", "", "base `URL` for issuers, discovery documents and _links (default: the listening URL)")
	var quirks emulator.Quirks
	fs.BoolVar(&quirks.MissingEnvironmentForbidden, "missing-env-forbidden", false,
		"answer 403 INSUFFICIENT_PERMISSIONS rather than 404 for an environment that does not exist\nto callers without an organization-level role, as PingOne may")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: p1emu [flags]\n\nServes a local PingOne emulator for p1ctl until interrupted.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "p1emu: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if *lifetime <= 0 {
		fmt.Fprintf(stderr, "p1emu: --token-lifetime must be positive, got %v\n", *lifetime)
		return exitUsage
	}

	if *caOut != "" && !*useTLS {
		fmt.Fprintln(stderr, "p1emu: --ca-out needs --tls")
		return exitUsage
	}

	fixture := emulator.DefaultFixture()
	if *fixturePath != "" {
		f, err := emulator.LoadFixture(*fixturePath)
		if err != nil {
			fmt.Fprintf(stderr, "p1emu: %v\n", err)
			return exitError
		}
		fixture = f
	}
	opts := []emulator.Option{emulator.WithTokenLifetime(*lifetime), emulator.WithQuirks(quirks)}
	if *useTLS {
		opts = append(opts, emulator.WithTLS())
	}
	if *publicURL != "" {
		opts = append(opts, emulator.WithPublicURL(*publicURL))
	}
	srv, err := emulator.New(fixture, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "p1emu: %v\n", err)
		return exitError
	}
	if *caOut != "" {
		// Written before listening, so that a client never finds the URL
		// file without the CA it needs.
		if err := writeFileAtomic(*caOut, string(srv.CACertPEM())); err != nil {
			fmt.Fprintf(stderr, "p1emu: write CA file: %v\n", err)
			return exitError
		}
		defer os.Remove(*caOut)
	}
	base, err := srv.Start(*listen)
	if err != nil {
		fmt.Fprintf(stderr, "p1emu: %v\n", err)
		return exitError
	}
	defer srv.Close()

	fmt.Fprintf(stderr, "p1emu: serving PingOne emulator at %s\n", base)
	if *publicURL != "" {
		fmt.Fprintf(stderr, "p1emu: issuers and links use %s\n", *publicURL)
	}
	if *printEnv {
		// Clients are to use the address issuers and links name.
		envBase := base
		if *publicURL != "" {
			envBase = strings.TrimSuffix(*publicURL, "/")
		}
		writeEnv(stdout, envBase, fixture, *caOut)
	}
	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, base+"\n"); err != nil {
			fmt.Fprintf(stderr, "p1emu: write URL file: %v\n", err)
			return exitError
		}
		defer os.Remove(*urlFile)
	}

	<-ctx.Done()
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "p1emu: %v\n", err)
		return exitError
	}
	return exitOK
}

// writeEnv prints export lines pointing p1ctl at the emulator, with the
// credentials and authentication method of the demo client (or, for a
// custom fixture without it, of the first enabled client authenticating
// with a plain secret). PINGONE_AUTH_METHOD is always exported with the
// credentials, so that a client_secret_post client works and a method set
// elsewhere (a config profile, the caller's environment) does not apply.
func writeEnv(w io.Writer, base string, f *emulator.Fixture, caFile string) {
	vars := [][2]string{
		{"PINGONE_AUTH_URL", base},
		{"PINGONE_API_URL", base + "/v1"},
	}
	if caFile != "" {
		// Go (p1ctl, the SDK), OpenSSL and curl read the trusted CAs from
		// SSL_CERT_FILE; an absolute path survives a change of directory.
		if abs, err := filepath.Abs(caFile); err == nil {
			caFile = abs
		}
		vars = append(vars, [2]string{"SSL_CERT_FILE", caFile})
	}
	if c, ok := envClient(f); ok {
		vars = append(vars,
			[2]string{"PINGONE_ENVIRONMENT_ID", c.EnvironmentID},
			[2]string{"PINGONE_CLIENT_ID", c.ID},
			[2]string{"PINGONE_CLIENT_SECRET", c.Secret},
			[2]string{"PINGONE_AUTH_METHOD", authMethodSetting(c.AuthMethod)},
		)
	}
	for _, v := range vars {
		fmt.Fprintf(w, "export %s=%s\n", v[0], shellQuote(v[1]))
	}
}

// envClient picks the client whose credentials --print-env shows: the demo
// client if the fixture has it, else the first one; either way an enabled
// client with a secret sent as is (client_secret_basic or
// client_secret_post), which p1ctl can use from environment variables alone.
func envClient(f *emulator.Fixture) (emulator.Client, bool) {
	usable := func(c emulator.Client) bool {
		plain := c.AuthMethod == "" || c.AuthMethod == emulator.AuthMethodClientSecretBasic ||
			c.AuthMethod == emulator.AuthMethodClientSecretPost
		return plain && !c.Disabled && c.Secret != ""
	}
	for _, c := range f.Clients {
		if c.ID == emulator.DemoClientID && usable(c) {
			return c, true
		}
	}
	for _, c := range f.Clients {
		if usable(c) {
			return c, true
		}
	}
	return emulator.Client{}, false
}

// authMethodSetting is p1ctl's name (its --auth-method value) for a
// fixture's auth method: the PingOne name in lower case, with the empty
// default meaning client_secret_basic.
func authMethodSetting(method string) string {
	if method == "" {
		method = emulator.AuthMethodClientSecretBasic
	}
	return strings.ToLower(method)
}

// shellQuote quotes s for POSIX shells.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeFileAtomic writes content to path through a temporary file in the
// same directory and a rename, so readers never see a partial file.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return nil
}
