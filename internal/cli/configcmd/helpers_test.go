package configcmd

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

const (
	envID    = "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0"
	clientID = "5b41efba-9307-4181-b0e2-c52a68e3b165"
)

// twoProfiles is a config file with an active profile and another one.
const twoProfiles = `active-profile: dev
profiles:
  dev:
    client-id: dev-client
    client-secret: dev-secret
    environment-id: ` + envID + `
    region: EU
  prod:
    client-id: prod-client
    client-secret-file: /run/secrets/p1
`

// location returns a Location for a config file in a fresh directory,
// holding content unless it is empty.
func location(t *testing.T, content string) Location {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p1ctl", "config.yaml")
	if content != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return Location{Path: path}
}

// readBack reads the config file at loc, failing the test if it is
// missing or invalid.
func readBack(t *testing.T, loc Location) *config.File {
	t.Helper()
	f, err := config.ReadFile(loc.Path)
	if err != nil {
		t.Fatalf("reading the written config file: %v", err)
	}
	return f
}

func testStreams() (*iostreams.IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	return iostreams.Test()
}

// wantError checks that err is of the type target points to and that
// its message holds every fragment.
func wantError(t *testing.T, err error, target any, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %T", target)
	}
	if !errors.As(err, target) {
		t.Fatalf("error %q is a %T, want %T", err, err, target)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not contain %q", err, f)
		}
	}
}

func wantProfile(t *testing.T, got, want config.Profile) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("profile = %v, want %v", got, want)
	}
}

// flagSet returns p1ctl's global flags with the ones in set given, by
// flag name, as on a command line.
func flagSet(t *testing.T, set map[string]string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("p1ctl", pflag.ContinueOnError)
	config.AddFlags(fs)
	for name, v := range set {
		if err := fs.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	return fs
}
