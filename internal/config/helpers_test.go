package config_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/config"
)

// Well-formed environment IDs for tests.
const (
	envIDFlag    = "11111111-1111-4111-8111-111111111111"
	envIDEnv     = "22222222-2222-4222-8222-222222222222"
	envIDProfile = "33333333-3333-4333-8333-333333333333"
)

// isolate clears every PINGONE_* and P1CTL_* variable and points the user
// config directory at an empty temporary directory, so that neither the
// developer's environment nor a real config file leaks into a test. It
// returns the temporary config home.
func isolate(t *testing.T) string {
	t.Helper()
	names := map[string]bool{config.EnvProfile: true, config.EnvConfig: true, config.EnvDebug: true, config.EnvTimeout: true, config.EnvMinTTL: true, config.EnvNoCache: true, config.EnvRetries: true, config.EnvQuiet: true}
	for _, k := range config.Keys {
		for _, e := range k.Env {
			names[e] = true
		}
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "PINGONE_") || strings.HasPrefix(name, "P1CTL_") {
			names[name] = true
		}
	}
	for name := range names {
		t.Setenv(name, "") // restores the original value after the test
		os.Unsetenv(name)
	}
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("HOME", home)
	return home
}

// isolateWithLayers is isolate, then the lower layers for a test: profile,
// if not nil, as the "default" profile of a config file that P1CTL_CONFIG
// names, and the environment variables env.
func isolateWithLayers(t *testing.T, profile, env map[string]string) {
	t.Helper()
	dir := isolate(t)
	if profile != nil {
		t.Setenv(config.EnvConfig, writeFile(t, filepath.Join(dir, "config.yaml"), profileYAML("default", profile), 0o600))
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// defaultConfigPath is where Loader looks when neither --config nor
// P1CTL_CONFIG is set, given isolate's config home.
func defaultConfigPath(home string) string {
	return filepath.Join(home, "p1ctl", "config.yaml")
}

// writeFile writes content to path with mode perm, creating directories.
func writeFile(t *testing.T, path, content string, perm os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	// WriteFile does not change the mode of an existing file, and the umask
	// may have narrowed it.
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return path
}

// newFlags returns the global flag set parsed from args.
func newFlags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	config.AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parsing %q: %v", args, err)
	}
	return fs
}

// load runs Loader.Load with the flags parsed from args.
func load(t *testing.T, stdin io.Reader, args ...string) (*config.Settings, error) {
	t.Helper()
	return config.Loader{Flags: newFlags(t, args...), Stdin: stdin}.Load()
}

// mustLoad is load that fails the test on error.
func mustLoad(t *testing.T, args ...string) *config.Settings {
	t.Helper()
	s, err := load(t, nil, args...)
	if err != nil {
		t.Fatalf("Load(%q): %v", args, err)
	}
	return s
}

// wantConfigError asserts err is a *config.Error whose message contains
// every one of parts.
func wantConfigError(t *testing.T, err error, parts ...string) *config.Error {
	t.Helper()
	cfgErr := wantConfigErrorMultiline(t, err, parts...)
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q is not one line", err.Error())
	}
	return cfgErr
}

// wantConfigErrorMultiline is wantConfigError without the one-line check.
func wantConfigErrorMultiline(t *testing.T, err error, parts ...string) *config.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want a *config.Error containing %q, got nil", parts)
	}
	cfgErr, ok := err.(*config.Error)
	if !ok {
		t.Fatalf("want *config.Error, got %T: %v", err, err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err.Error(), p)
		}
	}
	return cfgErr
}
