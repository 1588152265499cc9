package secretcmd

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/emulator"
	"github.com/p1ctl/p1ctl/internal/keychain"
)

// TestMain puts go-keyring's in-memory backend in place of the OS
// keychain: no test may touch the developer's real one.
func TestMain(m *testing.M) {
	keyring.MockInit()
	os.Exit(m.Run())
}

// profileRig is newRig whose settings come from a config-file profile for
// the demo worker, holding secretLines (YAML, indented for the profile),
// plus env.
func profileRig(t *testing.T, secretLines string, env map[string]string) (*rig, string) {
	t.Helper()
	r := newRig(t)
	s, _ := r.opts.Settings()
	base := strings.TrimSuffix(s.APIURL, "/v1")
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	content := "profiles:\n  default:\n    auth-url: " + base + "\n    api-url: " + s.APIURL +
		"\n    environment-id: " + emulator.DemoEnvironmentID + "\n    client-id: " + emulator.DemoClientID + "\n" + secretLines
	if err := os.WriteFile(cfg, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		if k == config.EnvConfig {
			return cfg
		}
		return env[k]
	}
	loaded, err := config.Loader{Getenv: getenv}.Load()
	if err != nil {
		t.Fatal(err)
	}
	r.opts.Settings = func() (*config.Settings, error) { return loaded, nil }
	r.opts.AppID = emulator.DemoClientID
	r.opts.UpdateProfile = true
	return r, cfg
}

// wantStored checks the rotation stored a new secret that got returns,
// and that neither the output nor the config file shows it (unless the
// config file is where it belongs).
func wantStored(t *testing.T, r *rig, cfg, got string, inConfig bool) {
	t.Helper()
	if got == "" || got == emulator.DemoClientSecret {
		t.Fatalf("stored secret %q is not a new one", got)
	}
	var res RotateResult
	if err := json.Unmarshal(r.stdout.Bytes(), &res); err != nil || !res.Verified || res.Profile == "" {
		t.Errorf("result %+v (%v), want verified and stored in the profile", res, err)
	}
	for name, out := range map[string]string{"stdout": r.stdout.String(), "stderr": r.stderr.String()} {
		if strings.Contains(out, got) {
			t.Errorf("%s shows the new secret", name)
		}
	}
	data, _ := os.ReadFile(cfg)
	if strings.Contains(string(data), got) != inConfig {
		t.Errorf("config file holds the new secret: %v, want %v", !inConfig, inConfig)
	}
}

func TestRotateUpdateProfile(t *testing.T) {
	t.Run("keychain", func(t *testing.T) {
		keyring.MockInit()
		if err := keyring.Set(keychain.Service, "default", emulator.DemoClientSecret); err != nil {
			t.Fatal(err)
		}
		r, cfg := profileRig(t, "    client-secret-store: keyring\n", nil)
		if err := rotateRun(context.Background(), r.opts); err != nil {
			t.Fatalf("rotate: %v (stderr %s)", err, r.stderr)
		}
		got, _ := keyring.Get(keychain.Service, "default")
		wantStored(t, r, cfg, got, false)
	})
	t.Run("secret file", func(t *testing.T) {
		secretFile := filepath.Join(t.TempDir(), "secret")
		if err := os.WriteFile(secretFile, []byte(emulator.DemoClientSecret+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		r, cfg := profileRig(t, "    client-secret-file: "+secretFile+"\n", nil)
		if err := rotateRun(context.Background(), r.opts); err != nil {
			t.Fatalf("rotate: %v (stderr %s)", err, r.stderr)
		}
		data, _ := os.ReadFile(secretFile)
		wantStored(t, r, cfg, strings.TrimSpace(string(data)), false)
	})
	t.Run("config file", func(t *testing.T) {
		r, cfg := profileRig(t, "    client-secret: "+emulator.DemoClientSecret+"\n", nil)
		if err := rotateRun(context.Background(), r.opts); err != nil {
			t.Fatalf("rotate: %v (stderr %s)", err, r.stderr)
		}
		f, err := config.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		wantStored(t, r, cfg, f.Profiles["default"][config.KeyClientSecret], true)
	})
}

func TestRotateUpdateProfileRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   map[string]string
		setup func(*RotateOptions)
		flag  string
	}{
		{"another application", nil, func(o *RotateOptions) { o.AppID = emulator.PostClientID; o.VerifyMethod = config.AuthClientSecretPost }, "configured client"},
		{"secret from the environment", map[string]string{"PINGONE_CLIENT_SECRET": emulator.DemoClientSecret}, func(*RotateOptions) {}, "PINGONE_CLIENT_SECRET"},
		{"with --out", nil, func(o *RotateOptions) { o.Out = "-" }, "--out"},
		{"previous ended at once", nil, func(o *RotateOptions) { o.KeepPrevious = 0 }, "--keep-previous"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, cfg := profileRig(t, "    client-secret: "+emulator.DemoClientSecret+"\n", tc.env)
			before, _ := os.ReadFile(cfg)
			tc.setup(r.opts)
			p := cmdutil.Describe(rotateRun(context.Background(), r.opts))
			if p.Code != cmdutil.ExitUsage || !strings.Contains(p.String(), "--update-profile") || !strings.Contains(p.String(), tc.flag) {
				t.Errorf("exit %d %q, want %d naming --update-profile and %s", p.Code, p.String(), cmdutil.ExitUsage, tc.flag)
			}
			if n := r.srv.Count(""); n != 0 {
				t.Errorf("%d requests, want none", n)
			}
			if after, _ := os.ReadFile(cfg); string(after) != string(before) {
				t.Errorf("config file changed:\n%s", after)
			}
		})
	}
}

// A new secret that fails its check is stored nowhere: the profile keeps
// the previous one, which stays valid.
func TestRotateUpdateProfileUnverified(t *testing.T) {
	keyring.MockInit()
	if err := keyring.Set(keychain.Service, "default", emulator.DemoClientSecret); err != nil {
		t.Fatal(err)
	}
	r, _ := profileRig(t, "    client-secret-store: keyring\n", nil)
	r.srv.SetQuirks(emulator.Quirks{RejectNewSecret: true})
	err := rotateRun(context.Background(), r.opts)
	var silent *cmdutil.SilentError
	if !errors.As(err, &silent) || silent.Code != cmdutil.ExitAuth {
		t.Fatalf("err = %v, want exit %d", err, cmdutil.ExitAuth)
	}
	if got, _ := keyring.Get(keychain.Service, "default"); got != emulator.DemoClientSecret {
		t.Error("the keychain item changed although the new secret failed its check")
	}
	if !strings.Contains(r.stderr.String(), "not stored") {
		t.Errorf("stderr does not say the secret was not stored: %s", r.stderr)
	}
}
