package main

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/emulator"
)

// TestSignalsCancelRequests checks that Ctrl-C and SIGTERM cancel an
// in-flight request at once and exit 130 / 143 with one line, no stack trace.
func TestSignalsCancelRequests(t *testing.T) {
	srv, base := startEmulator(t)
	srv.InjectFault(emulator.Fault{Endpoint: emulator.EndpointToken, Delay: time.Minute})

	bin := p1ctlBinary(t)
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "token", "get", "--no-cache")
			cmd.Env = cleanEnv(
				"PINGONE_AUTH_URL="+base,
				"PINGONE_ENVIRONMENT_ID="+emulator.DemoEnvironmentID,
				"PINGONE_CLIENT_ID="+emulator.DemoClientID,
				"PINGONE_CLIENT_SECRET="+emulator.DemoClientSecret,
				"XDG_CONFIG_HOME="+t.TempDir(),
			)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the request is in flight at the emulator.
			for deadline := time.Now().Add(10 * time.Second); srv.Count(emulator.EndpointToken) == 0; {
				if time.Now().After(deadline) {
					t.Fatal("the token request never reached the emulator")
				}
				time.Sleep(10 * time.Millisecond)
			}
			srv.Reset()
			srv.InjectFault(emulator.Fault{Endpoint: emulator.EndpointToken, Delay: time.Minute})
			sent := time.Now()
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if elapsed := time.Since(sent); elapsed > 5*time.Second {
				t.Errorf("exit took %s after the signal", elapsed)
			}
			var exitErr *exec.ExitError
			if !errors.As(err, &exitErr) || exitErr.ExitCode() != tt.code {
				t.Fatalf("exit = %v, want status %d; stderr: %s", err, tt.code, stderr.String())
			}
			if got := stderr.String(); got != "p1ctl: interrupted\n" || strings.Contains(got, "goroutine") {
				t.Errorf("stderr = %q, want %q", got, "p1ctl: interrupted\n")
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
		})
	}
}

// TestSecondInterruptStops checks that a second Ctrl-C stops p1ctl even when
// it is blocked somewhere the first one's cancellation does not reach: here
// reading a client secret from a standard input that never closes.
func TestSecondInterruptStops(t *testing.T) {
	cmd := exec.Command(p1ctlBinary(t), "token", "get", "--client-secret-stdin")
	cmd.Env = cleanEnv(
		"PINGONE_ENVIRONMENT_ID="+emulator.DemoEnvironmentID,
		"PINGONE_CLIENT_ID="+emulator.DemoClientID,
		"XDG_CONFIG_HOME="+t.TempDir(),
	)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// Time enough to start and block on standard input, even under -race.
	time.Sleep(500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		t.Fatalf("exited on the first Ctrl-C (%v): the read it was blocked in cannot be cancelled, so this test proves nothing", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			t.Fatalf("exit = %v, want death by SIGINT", err)
		}
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
			t.Errorf("exit = %v, want death by SIGINT", err)
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("still running 5s after the second Ctrl-C")
	}
}
