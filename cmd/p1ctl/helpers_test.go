package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/emulator"
)

// startEmulator serves the demo fixture on loopback until the test ends and
// returns the server and its base URL.
func startEmulator(t *testing.T, opts ...emulator.Option) (*emulator.Server, string) {
	t.Helper()
	srv, err := emulator.New(emulator.DefaultFixture(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, base
}

// p1ctlBinary is the p1ctl that testscript.Main put on PATH: this test
// binary, which runs cli.Main when invoked under that name.
func p1ctlBinary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("p1ctl")
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// cleanEnv returns the process environment without any PINGONE_ or P1CTL_
// variable, plus extra. Under -race it skips the race runtime's one-second
// pause at exit.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PINGONE_") || strings.HasPrefix(kv, "P1CTL_") {
			continue
		}
		env = append(env, kv)
	}
	return append(append(env, "GORACE=atexit_sleep_ms=0"), extra...)
}
