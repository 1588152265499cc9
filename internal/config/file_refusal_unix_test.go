//go:build unix

package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/p1ctl/p1ctl/internal/config"
)

// A config file (default location, --config or P1CTL_CONFIG) is refused
// before anything is resolved when it is not a regular file, too large, or
// could have been changed by someone else: it decides where the client
// secret goes. Each refusal names the file. A FIFO would hang this test
// until go test's own timeout without the check.
func TestLoadRefusesConfigFile(t *testing.T) {
	profile := "profiles:\n  default:\n    token-url: https://evil.example.com/as/token\n"
	tests := []struct {
		name string
		// make creates the config file at path.
		make func(t *testing.T, path string)
		// want are the facts the message must hold besides the path;
		// PATH stands for the path.
		want []string
	}{
		{name: "FIFO", make: func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"FIFO", "regular file"}},
		{name: "link to /dev/zero", make: func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"device"}},
		{name: "directory", make: func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"directory"}},
		{name: "larger than 1 MiB", make: func(t *testing.T, path string) {
			writeFile(t, path, profile+strings.Repeat("#", config.MaxFileSize), 0o600)
		}, want: []string{"1 MiB"}},
		{name: "writable by everyone", make: func(t *testing.T, path string) {
			writeFile(t, path, profile, 0o666)
		}, want: []string{"0666", "chmod go-w PATH"}},
		{name: "writable by group", make: func(t *testing.T, path string) {
			writeFile(t, path, profile, 0o620)
		}, want: []string{"0620", "chmod go-w PATH"}},
		{name: "link to a file writable by everyone", make: func(t *testing.T, path string) {
			target := writeFile(t, path+".target", profile, 0o666)
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"0666", "chmod go-w"}},
	}
	for _, tt := range tests {
		for _, how := range []string{"default", "--config", config.EnvConfig} {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				home := isolate(t)
				t.Setenv("PINGONE_CLIENT_ID", "5b41efba-9307-4181-b0e2-c52a68e3b165")
				t.Setenv("PINGONE_CLIENT_SECRET", "S3cr3t-value")
				path := defaultConfigPath(home)
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				var args []string
				switch how {
				case "--config":
					path = filepath.Join(t.TempDir(), "p1ctl.yaml")
					args = []string{"--config", path}
				case config.EnvConfig:
					path = filepath.Join(t.TempDir(), "p1ctl.yaml")
					t.Setenv(config.EnvConfig, path)
				}
				tt.make(t, path)
				s, err := load(t, nil, args...)
				if s != nil {
					t.Errorf("settings resolved (token URL %q)", s.TokenURL)
				}
				want := []string{path}
				for _, w := range tt.want {
					want = append(want, strings.ReplaceAll(w, "PATH", path))
				}
				cfgErr := wantConfigError(t, err, want...)
				if cfgErr.Key != "" || strings.Contains(err.Error(), "S3cr3t") {
					t.Errorf("error %q", err)
				}
			})
		}
	}
}

// A config file of another user is refused even when no one else may
// write it; the advice is to take it over or remove it.
func TestLoadRefusesConfigOfAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a file owned by another user")
	}
	isolate(t)
	path := writeFile(t, filepath.Join(t.TempDir(), "config.yaml"), "profiles:\n  default:\n    token-url: https://evil.example.com/as/token\n", 0o644)
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Skipf("chown: %v", err)
	}
	_, err := load(t, nil, "--config", path)
	wantConfigError(t, err, path, "65534", "chown 0 "+path)
	// Owned by root, as a file an administrator installed: trusted.
	if err := os.Chown(path, 0, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := load(t, nil, "--config", path); err != nil {
		t.Errorf("root's file: %v", err)
	}
}

// A file of at most MaxFileSize bytes is read; one byte more is not.
func TestReadFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	head := "profiles:\n  default:\n    region: EU\n"
	path := writeFile(t, filepath.Join(dir, "config.yaml"), head+strings.Repeat("#", config.MaxFileSize-len(head)), 0o600)
	if _, err := config.ReadFile(path); err != nil {
		t.Errorf("file of exactly %d bytes: %v", config.MaxFileSize, err)
	}
	writeFile(t, path, head+strings.Repeat("#", config.MaxFileSize-len(head)+1), 0o600)
	wantConfigError(t, mustFail(config.ReadFile(path)), "1 MiB")
}

func mustFail(_ *config.File, err error) error { return err }

// The client secret file must be a regular file of at most 64 KiB: a
// FIFO (process substitution included) would block regardless of
// --timeout, /dev/zero never end; pipes go to --client-secret-stdin.
func TestLoadRefusesSecretFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	large := writeFile(t, filepath.Join(dir, "large"), strings.Repeat("s", 64<<10+1), 0o600)
	exact := writeFile(t, filepath.Join(dir, "exact"), strings.Repeat("s", 64<<10), 0o600)
	for _, tt := range []struct {
		file string
		want []string
	}{
		{fifo, []string{"FIFO", "--client-secret-stdin"}},
		{"/dev/zero", []string{"device", "--client-secret-stdin"}},
		{large, []string{"64 KiB", "--client-secret-file"}},
	} {
		isolate(t)
		_, err := load(t, nil, "--client-id", "5b41efba-9307-4181-b0e2-c52a68e3b165", "--environment-id", "3a1498e5-ac2c-4d1c-a88e-06ceb44623a0", "--client-secret-file", tt.file)
		if cfgErr := wantConfigError(t, err, append([]string{tt.file}, tt.want...)...); cfgErr.Key != config.KeyClientSecretFile {
			t.Errorf("%s: error key %q", tt.file, cfgErr.Key)
		}
	}
	s, err := load(t, nil, "--client-id", "5b41efba-9307-4181-b0e2-c52a68e3b165", "--client-secret-file", exact)
	if err != nil || len(s.ClientSecret) != 64<<10 {
		t.Errorf("secret of exactly 64 KiB: %v", err)
	}
}
