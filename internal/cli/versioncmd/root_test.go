package versioncmd_test

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/build"
	"github.com/p1ctl/p1ctl/internal/cli/factory"
	"github.com/p1ctl/p1ctl/internal/cli/root"
	"github.com/p1ctl/p1ctl/internal/cli/versioncmd"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// execRoot runs the real command tree with args.
func execRoot(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	flags := pflag.NewFlagSet("global", pflag.ContinueOnError)
	config.AddFlags(flags)
	cmd := root.NewCmdRoot(factory.New(ios, flags), flags)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func TestRootVersionFlagIsOneLine(t *testing.T) {
	out, errOut, err := execRoot(t, "--version")
	if err != nil {
		t.Fatal(err)
	}
	if want := versioncmd.Line(build.Current()) + "\n"; out != want {
		t.Errorf("p1ctl --version printed %q, want %q", out, want)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("p1ctl --version printed %d lines", strings.Count(out, "\n"))
	}
	if errOut != "" {
		t.Errorf("stderr: %q", errOut)
	}
}

// TestRootVersionIgnoresConfiguration: the version prints even when the
// settings p1ctl would otherwise reject are broken, and nothing is read.
func TestRootVersionIgnoresConfiguration(t *testing.T) {
	t.Setenv("P1CTL_TIMEOUT", "soon")
	t.Setenv("P1CTL_DEBUG", "maybe")
	t.Setenv("P1CTL_CONFIG", t.TempDir()+"/missing.yaml")
	t.Setenv("PINGONE_ENVIRONMENT_ID", "not-a-uuid")
	t.Setenv("PINGONE_REGION", "MARS")
	out, errOut, err := execRoot(t, "version")
	if err != nil {
		t.Fatalf("p1ctl version: %v", err)
	}
	if !strings.HasPrefix(out, "Version     "+build.Current().Version+"\n") {
		t.Errorf("stdout:\n%s", out)
	}
	if errOut != "" {
		t.Errorf("stderr: %q", errOut)
	}
}
