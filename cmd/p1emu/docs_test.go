package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/emulator"
)

// TestMain lets the test binary stand in for p1emu in the documentation
// snippets below: run with P1EMU_TEST_AS_MAIN=1 it is p1emu.
func TestMain(m *testing.M) {
	if os.Getenv("P1EMU_TEST_AS_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// startSnippet is the shell snippet that starts p1emu in a document: the
// first sh block that runs bin/p1emu with --url-file.
func startSnippet(t *testing.T, doc string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(data), -1) {
		if strings.Contains(m[1], "bin/p1emu ") && strings.Contains(m[1], "--url-file") {
			return m[1]
		}
	}
	t.Fatalf("%s has no snippet starting bin/p1emu --url-file", doc)
	return ""
}

// runSnippet runs a snippet with bash in a fresh directory whose bin/p1emu
// is this test binary (with extra p1emu arguments first) and whose
// bin/p1ctl only reports the settings it was given. It returns the
// output and the directory, and TMPDIR (where mktemp writes).
func runSnippet(t *testing.T, snippet string, p1emuArgs ...string) (stdout, stderr, dir, tmp string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, tmp = t.TempDir(), t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	p1emu := "#!/bin/sh\nP1EMU_TEST_AS_MAIN=1 exec '" + self + "' " + strings.Join(p1emuArgs, " ") + ` "$@"` + "\n"
	p1ctl := "#!/bin/sh\necho \"p1ctl $* env=$PINGONE_ENVIRONMENT_ID api=$PINGONE_API_URL\"\n"
	for name, script := range map[string]string{"p1emu": p1emu, "p1ctl": p1ctl} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", snippet)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Logf("snippet exit: %v", err)
	}
	return out.String(), errOut.String(), dir, tmp
}

// TestDocSnippetStartsEmulator runs the README's and docs/emulator.md's
// start-up snippets: p1emu on a free port, p1ctl given its settings, and
// nothing left behind, neither in the working directory nor in TMPDIR.
func TestDocSnippetStartsEmulator(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	// A port some other program holds: the snippets must not depend on a
	// fixed one.
	ln, err := net.Listen("tcp", "127.0.0.1:8080")
	if err == nil {
		defer ln.Close()
	}
	for _, doc := range []string{"README.md", "docs/emulator.md"} {
		t.Run(doc, func(t *testing.T) {
			stdout, stderr, dir, tmp := runSnippet(t, startSnippet(t, doc))
			if !strings.Contains(stdout, "env="+emulator.DemoEnvironmentID) || !regexp.MustCompile(`api=http://127\.0\.0\.1:\d+/v1`).MatchString(stdout) {
				t.Errorf("p1ctl did not get the emulator's settings: stdout %q, stderr %q", stdout, stderr)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("working directory holds %v, want only bin", entries)
			}
			if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
				t.Errorf("TMPDIR holds %v after the snippet", entries)
			}
		})
	}
}

// TestDocSnippetReportsStartFailure: when p1emu cannot start (here, its
// port is taken), the snippets show p1emu's own error and do not run p1ctl
// without settings.
func TestDocSnippetReportsStartFailure(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, doc := range []string{"README.md", "docs/emulator.md"} {
		t.Run(doc, func(t *testing.T) {
			stdout, stderr, _, tmp := runSnippet(t, startSnippet(t, doc), "--listen", ln.Addr().String())
			if strings.Contains(stdout, "p1ctl") {
				t.Errorf("p1ctl ran although p1emu did not start: %q", stdout)
			}
			if !strings.Contains(stderr, "p1emu:") || !strings.Contains(stderr, ln.Addr().String()) {
				t.Errorf("stderr %q does not carry p1emu's error naming %s", stderr, ln.Addr())
			}
			if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
				t.Errorf("TMPDIR holds %v after the snippet", entries)
			}
		})
	}
}

// TestDocFixtureExample loads the fixture example of docs/emulator.md.
func TestDocFixtureExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "emulator.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Fixture format.*?```yaml\n(.*?)```").FindSubmatch(data)
	if m == nil {
		t.Fatal("docs/emulator.md has no fixture example")
	}
	path := filepath.Join(t.TempDir(), "fixture.yaml")
	if err := os.WriteFile(path, m[1], 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := emulator.LoadFixture(path)
	if err != nil {
		t.Fatalf("the documented fixture does not load: %v", err)
	}
	if _, err := emulator.New(f); err != nil {
		t.Fatalf("the documented fixture is refused: %v", err)
	}
}
