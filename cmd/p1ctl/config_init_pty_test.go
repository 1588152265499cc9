//go:build linux

package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/emulator"
)

// ptyTimeout bounds each wait for the program under test.
const ptyTimeout = 15 * time.Second

// TestConfigInitPTY drives `p1ctl config init` through a pseudo-terminal,
// as a person would: it answers the prompts, checks that the secret is
// not echoed, and reads back the profile written.
func TestConfigInitPTY(t *testing.T) {
	bin, home, env := ptySetup(t)
	path := filepath.Join(home, ".config", "p1ctl", "config.yaml")
	const secret = "pty-s3cret-never-echoed"

	t.Run("create", func(t *testing.T) {
		s := startPTY(t, bin, env, "config", "init", "--profile", "dev")
		s.expect(`Creating profile "dev" in ` + path)
		s.expect("Region (NA, EU, CA, AP, AU, SG) [NA]: ")
		s.send("mars")
		s.expect(`unknown region "mars"`)
		s.expect("Region (NA, EU, CA, AP, AU, SG) [NA]: ")
		s.send("eu")
		s.expect("Environment ID: ")
		s.send("not-a-uuid")
		s.expect(`environment ID "not-a-uuid" is not a UUID`)
		s.expect("Environment ID: ")
		s.send(emulator.DemoEnvironmentID)
		s.expect("Client ID: ")
		s.send(emulator.DemoClientID)
		s.expect("Client secret (input hidden): ")
		s.waitEcho(false)
		s.send(secret)
		s.expect(`Wrote profile "dev" to ` + path)
		if code := s.wait(); code != 0 {
			t.Fatalf("p1ctl exited with status %d; terminal:\n%s", code, s.output())
		}
		if strings.Contains(s.output(), secret) {
			t.Errorf("the secret appeared on the terminal:\n%s", s.output())
		}
		if !s.echoing() {
			t.Error("the terminal does not echo any more after p1ctl exited")
		}

		f := ptyReadConfig(t, path)
		want := config.Profile{
			"region":         "EU",
			"environment-id": emulator.DemoEnvironmentID,
			"client-id":      emulator.DemoClientID,
			"client-secret":  secret,
		}
		if !ptyEqualProfiles(f.Profiles["dev"], want) {
			t.Errorf("profile dev = %v, want %v", f.Profiles["dev"], want)
		}
		if f.ActiveProfile != "dev" {
			t.Errorf("active-profile = %q, want dev", f.ActiveProfile)
		}
		ptyAssertPerm(t, path, 0o600)
		ptyAssertPerm(t, filepath.Dir(path), 0o700)
	})

	t.Run("Enter keeps every value", func(t *testing.T) {
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := startPTY(t, bin, env, "config", "init", "--profile", "dev")
		s.expect(`Updating profile "dev"`)
		s.expect("Region (NA, EU, CA, AP, AU, SG) [EU]: ")
		s.send("")
		s.expect("Environment ID [" + emulator.DemoEnvironmentID + "]: ")
		s.send("")
		s.expect("Client ID [" + emulator.DemoClientID + "]: ")
		s.send("")
		s.expect("Client secret (input hidden; Enter keeps the current one): ")
		s.waitEcho(false)
		s.send("")
		if code := s.wait(); code != 0 {
			t.Fatalf("p1ctl exited with status %d; terminal:\n%s", code, s.output())
		}
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("the config file changed:\n%s\nwas:\n%s", after, before)
		}
		if strings.Contains(s.output(), secret) {
			t.Errorf("the stored secret appeared on the terminal:\n%s", s.output())
		}
	})

	t.Run("Ctrl-C at the secret prompt restores echo and writes nothing", func(t *testing.T) {
		s := startPTY(t, bin, env, "config", "init", "--profile", "other", "--region", "CA",
			"--environment-id", emulator.DemoEnvironmentID, "--client-id", emulator.DemoClientID)
		s.expect("region: CA (from --region)")
		s.expect("Client secret (input hidden): ")
		s.waitEcho(false)
		s.write("half-typed\x03") // ^C: the terminal sends SIGINT
		if code := s.wait(); code != 130 {
			t.Errorf("p1ctl exited with status %d, want 130; terminal:\n%s", code, s.output())
		}
		if !s.echoing() {
			t.Error("the terminal was left without echo")
		}
		if _, ok := ptyReadConfig(t, path).Profiles["other"]; ok {
			t.Error("an interrupted init wrote its profile")
		}
	})
}

// ptySession is a p1ctl process whose standard streams are a terminal.
type ptySession struct {
	t    *testing.T
	ptmx *os.File // our end
	tty  *os.File // its end, kept open to read the terminal's settings
	cmd  *exec.Cmd
	done chan struct{} // the output reader has stopped

	mu   sync.Mutex
	out  bytes.Buffer
	seen int // output before this offset has been matched
	exit chan error
}

// ptySetup returns the p1ctl binary testscript.Main put on PATH, a fresh
// home directory, and an environment confined to it, plus extra
// variables.
func ptySetup(t *testing.T, extra ...string) (bin, home string, env []string) {
	t.Helper()
	bin, err := exec.LookPath("p1ctl")
	if err != nil {
		t.Fatal(err)
	}
	home = t.TempDir()
	env = append([]string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"TERM=dumb",
	}, extra...)
	return bin, home, env
}

func startPTY(t *testing.T, bin string, env []string, args ...string) *ptySession {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		ptmx.Close()
		tty.Close()
		t.Fatal(err)
	}
	s := &ptySession{t: t, ptmx: ptmx, tty: tty, cmd: cmd, done: make(chan struct{}), exit: make(chan error, 1)}
	go func() {
		defer close(s.done)
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { s.exit <- cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case <-s.exit:
		default:
			_ = cmd.Process.Kill()
			<-s.exit
		}
		tty.Close()
		ptmx.Close()
		<-s.done
	})
	return s
}

// expect waits for text to appear after what was matched before.
func (s *ptySession) expect(text string) {
	s.t.Helper()
	deadline := time.Now().Add(ptyTimeout)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		rest := s.out.String()[s.seen:]
		if i := strings.Index(rest, text); i >= 0 {
			s.seen += i + len(text)
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	s.t.Fatalf("waited %s for %q; terminal:\n%s", ptyTimeout, text, s.output())
}

// send types line and Enter.
func (s *ptySession) send(line string) {
	s.t.Helper()
	s.write(line + "\r")
}

func (s *ptySession) write(text string) {
	s.t.Helper()
	if _, err := io.WriteString(s.ptmx, text); err != nil {
		s.t.Fatal(err)
	}
}

// echoing reports whether the terminal echoes what is typed.
func (s *ptySession) echoing() bool {
	s.t.Helper()
	tio, err := unix.IoctlGetTermios(int(s.tty.Fd()), unix.TCGETS)
	if err != nil {
		s.t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// waitEcho waits until the program has turned echo on or off, so that
// nothing is typed before it is ready.
func (s *ptySession) waitEcho(on bool) {
	s.t.Helper()
	deadline := time.Now().Add(ptyTimeout)
	for s.echoing() != on {
		if time.Now().After(deadline) {
			s.t.Fatalf("echo still %v after %s; terminal:\n%s", !on, ptyTimeout, s.output())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// wait returns the process's exit status.
func (s *ptySession) wait() int {
	s.t.Helper()
	select {
	case err := <-s.exit:
		s.exit <- err // for Cleanup
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return exitErr.ExitCode()
		}
		if err != nil {
			s.t.Fatal(err)
		}
		return 0
	case <-time.After(ptyTimeout):
		s.t.Fatalf("p1ctl still running after %s; terminal:\n%s", ptyTimeout, s.output())
		return -1
	}
}

// output is everything the terminal showed so far.
func (s *ptySession) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

func ptyReadConfig(t *testing.T, path string) *config.File {
	t.Helper()
	f, err := config.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func ptyEqualProfiles(a, b config.Profile) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func ptyAssertPerm(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %04o, want %04o", path, got, want)
	}
}

// TestSecretStdinOnTerminal checks that --client-secret-stdin on a
// terminal is refused at once (exit 2) rather than waiting for a secret
// the terminal would echo.
func TestSecretStdinOnTerminal(t *testing.T) {
	bin, _, env := ptySetup(t, "PINGONE_CLIENT_ID="+emulator.DemoClientID, "PINGONE_ENVIRONMENT_ID="+emulator.DemoEnvironmentID)
	for _, args := range [][]string{
		{"token", "get", "--client-secret-stdin", "--no-cache"},
		{"env", "read", "--client-secret-stdin"},
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			s := startPTY(t, bin, env, args...)
			s.expect("p1ctl: --client-secret-stdin needs the secret piped into p1ctl: a terminal would echo it")
			if code := s.wait(); code != 2 {
				t.Fatalf("exit status %d, want 2; terminal:\n%s", code, s.output())
			}
		})
	}
}
