package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/emulator"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// formatCommands are the commands that print a JSON document, each with
// the top-level keys whose values change from one run to the next.
// audit is left out: each run's token request adds to the log it reads;
// its flags are the same AddJSONFlags (see internal/cli/auditcmd).
var formatCommands = []struct {
	args     []string
	volatile []string
}{
	{args: []string{"env", "read"}},
	{args: []string{"env", "list"}},
	{args: []string{"token", "get"}, volatile: []string{"expires_in"}},
	{args: []string{"token", "inspect"}, volatile: []string{"expiresIn"}},
	{args: []string{"doctor"}},
	{args: []string{"config", "list"}},
	{args: []string{"config", "view"}},
	{args: []string{"version"}},
	{args: []string{"api", "/environments/" + emulator.DemoEnvironmentID}},
}

// runP1ctl runs p1ctl in-process and returns its output and exit status.
func runP1ctl(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	code = Run(context.Background(), args, ios, nil)
	return out.String(), errOut.String(), code
}

// formatsEnv points p1ctl at an emulator, with a config file holding two
// profiles for the config commands.
func formatsEnv(t *testing.T) {
	srv, err := emulator.New(emulator.DefaultFixture())
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("P1CTL_CACHE_DIR", filepath.Join(dir, "cache"))
	t.Setenv("P1CTL_MAX_RETRIES", "0")
	for _, k := range []string{"P1CTL_PROFILE", "P1CTL_CONFIG", "PINGONE_REGION"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("PINGONE_CLIENT_ID", emulator.DemoClientID)
	t.Setenv("PINGONE_CLIENT_SECRET", emulator.DemoClientSecret)
	t.Setenv("PINGONE_ENVIRONMENT_ID", emulator.DemoEnvironmentID)
	t.Setenv("PINGONE_AUTH_URL", base)
	t.Setenv("PINGONE_API_URL", base+"/v1")
	cfg := "profiles:\n  default:\n    region: EU\n    client-id: " + emulator.DemoClientID + "\n  prod:\n    region: NA\n"
	if err := os.MkdirAll(filepath.Join(dir, "p1ctl"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p1ctl", "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

func parseJSON(t *testing.T, what, s string, volatile []string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s is not JSON: %v\n%s", what, err, s)
	}
	if m, ok := v.(map[string]any); ok {
		for _, k := range volatile {
			delete(m, k)
		}
	}
	return v
}

// TestFormatsOnEveryJSONCommand checks that --jq and --template see the
// document -o json prints, on every command that prints one.
func TestFormatsOnEveryJSONCommand(t *testing.T) {
	formatsEnv(t)
	for _, c := range formatCommands {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			run := func(extra ...string) (string, string, int) {
				return runP1ctl(t, append(append([]string{}, c.args...), extra...)...)
			}
			asJSON, stderr, code := run("-o", "json")
			if c.args[0] == "api" {
				asJSON, stderr, code = run()
			}
			if code != 0 {
				t.Fatalf("-o json: exit %d: %s", code, stderr)
			}
			want := parseJSON(t, "-o json", asJSON, c.volatile)

			out, stderr, code := run("--jq", ".")
			if code != 0 {
				t.Fatalf("--jq .: exit %d: %s", code, stderr)
			}
			if got := parseJSON(t, "--jq .", out, c.volatile); !reflect.DeepEqual(got, want) {
				t.Errorf("--jq . = %v\nwant %v", got, want)
			}

			// The first string in the document prints raw, unquoted.
			const first = `[paths(type == "string")][0] as $p | getpath($p)`
			quoted, _, _ := run("--jq", first+" | tojson")
			var s string
			if err := json.Unmarshal([]byte(quoted), &s); err != nil || s == "" || strings.Contains(s, "\n") {
				t.Fatalf("no usable string in the document: %q (%v)", quoted, err)
			}
			if out, _, code := run("--jq", first); code != 0 || out != s+"\n" {
				t.Errorf("--jq string: exit %d, %q, want %q", code, out, s+"\n")
			}

			// The template sees the same document: its length as jq counts.
			length, _, _ := run("--jq", "length")
			if out, stderr, code := run("--template", "{{len .}}"); code != 0 || out+"\n" != length {
				t.Errorf("--template {{len .}}: exit %d %s, %q, want %q", code, stderr, out, length)
			}
			if out, stderr, code := run("--template", "{{"+`tablerow "n" (len .)`+"}}"); code != 0 || out != "n  "+length {
				t.Errorf("--template tablerow: exit %d %s, %q, want %q", code, stderr, out, "n  "+length)
			}

			for _, bad := range []struct {
				args  []string
				named string
			}{
				{[]string{"--jq", ".["}, ".["},
				{[]string{"--jq", "nosuchfunction"}, "nosuchfunction"},
				{[]string{"--template", "{{.x"}, "--template"},
				{[]string{"--template", "{{nosuchhelper .}}"}, "nosuchhelper"},
				{[]string{"--jq", ".", "--template", "{{.}}"}, "--template"},
			} {
				out, stderr, code := run(bad.args...)
				if code != cmdutil.ExitUsage || !strings.Contains(stderr, bad.named) || out != "" {
					t.Errorf("%q: exit %d, stderr %q, stdout %q; want exit %d naming %q", bad.args, code, stderr, out, cmdutil.ExitUsage, bad.named)
				}
			}
		})
	}
}
