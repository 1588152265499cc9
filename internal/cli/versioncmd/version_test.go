package versioncmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/build"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

var release = build.Info{
	Version:   "v1.2.3",
	Commit:    "0123456789abcdef0123456789abcdef01234567",
	Date:      "2026-11-24T10:00:00Z",
	GoVersion: "go1.26.8",
	Platform:  "linux/arm64",
}

// run executes `version args...` as a child of a root whose own hook
// fails, with info as the build information. The factory's settings fail
// the test and its network functions are nil: version must use neither.
func run(t *testing.T, info build.Info, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios,
		Settings: func() (*config.Settings, error) {
			t.Error("version loaded the settings")
			return nil, errors.New("no settings")
		},
	}
	cmd := NewCmdVersion(f, func(o *VersionOptions) error {
		o.Info = func() build.Info { return info }
		return versionRun(o)
	})
	parent := &cobra.Command{
		Use:           "p1ctl",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(*cobra.Command, []string) error {
			return errors.New("the root hook ran")
		},
	}
	parent.AddCommand(cmd)
	parent.SetArgs(append([]string{"version"}, args...))
	parent.SetOut(out)
	parent.SetErr(errOut)
	err = parent.Execute()
	return out.String(), errOut.String(), err
}

func TestVersionTable(t *testing.T) {
	out, errOut, err := run(t, release)
	if err != nil {
		t.Fatal(err)
	}
	want := `Version     v1.2.3
Commit      0123456789abcdef0123456789abcdef01234567
Built       2026-11-24T10:00:00Z
Go version  go1.26.8
Platform    linux/arm64
`
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if errOut != "" {
		t.Errorf("stderr: %q", errOut)
	}
}

func TestVersionTableLeavesOutUnknownFields(t *testing.T) {
	out, _, err := run(t, build.Info{Version: "dev", GoVersion: "go1.26.8", Platform: "darwin/amd64"})
	if err != nil {
		t.Fatal(err)
	}
	want := "Version     dev\nGo version  go1.26.8\nPlatform    darwin/amd64\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

func TestVersionJSON(t *testing.T) {
	out, _, err := run(t, release, "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got build.Info
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if got != release {
		t.Errorf("got %+v, want %+v", got, release)
	}
	var fields map[string]any
	if err := json.Unmarshal([]byte(out), &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "commit", "date", "goVersion", "platform"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("no %q in %s", k, out)
		}
	}
	if len(fields) != 5 {
		t.Errorf("unexpected fields in %s", out)
	}
}

func TestVersionJSONLeavesOutUnknownCommit(t *testing.T) {
	out, _, err := run(t, build.Info{Version: "dev", GoVersion: "go1.26.8", Platform: "linux/amd64"}, "--output=JSON")
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"version\": \"dev\",\n  \"goVersion\": \"go1.26.8\",\n  \"platform\": \"linux/amd64\"\n}\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

func TestVersionYAML(t *testing.T) {
	out, _, err := run(t, release, "-o", "yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := `version: v1.2.3
commit: 0123456789abcdef0123456789abcdef01234567
date: "2026-11-24T10:00:00Z"
goVersion: go1.26.8
platform: linux/arm64
`
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

func TestVersionUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"-o", "xml"}, {"extra"}} {
		out, _, err := run(t, release, args...)
		if err == nil {
			t.Errorf("%q: no error", args)
			continue
		}
		if out != "" {
			t.Errorf("%q: stdout %q", args, out)
		}
		if args[0] == "-o" && !strings.Contains(err.Error(), "valid formats are table, json or yaml") {
			t.Errorf("%q: %v does not list the formats", args, err)
		}
	}
}

func TestLine(t *testing.T) {
	for _, tc := range []struct {
		info build.Info
		want string
	}{
		{release, "p1ctl version v1.2.3 (0123456789abcdef0123456789abcdef01234567, 2026-11-24T10:00:00Z) go1.26.8 linux/arm64"},
		{build.Info{Version: "v1.2.3", Commit: "abc", GoVersion: "go1.26.8", Platform: "windows/amd64"}, "p1ctl version v1.2.3 (abc) go1.26.8 windows/amd64"},
		{build.Info{Version: "dev", GoVersion: "go1.26.8", Platform: "linux/amd64"}, "p1ctl version dev go1.26.8 linux/amd64"},
	} {
		if got := Line(tc.info); got != tc.want {
			t.Errorf("Line(%+v) = %q, want %q", tc.info, got, tc.want)
		}
	}
}

// TestVersionWritesOnlyStdout checks the real build information path.
func TestVersionWritesOnlyStdout(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	cmd := NewCmdVersion(&cmdutil.Factory{IOStreams: ios}, nil)
	cmd.SetArgs([]string{"-o", "json"})
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var got build.Info
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if got != build.Current() {
		t.Errorf("got %+v, want %+v", got, build.Current())
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr: %q", errOut)
	}
}
