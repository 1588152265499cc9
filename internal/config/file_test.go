package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/config"
)

func TestFileWriteRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		file config.File
	}{
		{"empty", config.File{}},
		{"one profile", config.File{Profiles: map[string]config.Profile{"default": {"client-id": "c", "region": "EU"}}}},
		{"active profile and secrets", config.File{
			ActiveProfile: "prod",
			Profiles: map[string]config.Profile{
				"dev":  {"client-id": "dev", "client-secret": "s3cret: with # yaml chars", "environment-id": envIDProfile},
				"prod": {"client-id": "prod", "auth-url": "https://auth.example.com", "key-id": "k1"},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "a", "p1ctl")
			path := filepath.Join(dir, "config.yaml")
			if err := tt.file.Write(path); err != nil {
				t.Fatalf("Write: %v", err)
			}
			assertMode(t, dir, 0o700)
			assertMode(t, path, 0o600)
			got, err := config.ReadFile(path)
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			if !equalFiles(*got, tt.file) {
				t.Errorf("round trip: got %#v, want %#v", *got, tt.file)
			}
			// Overwriting keeps the mode and leaves no temporary files.
			if err := tt.file.Write(path); err != nil {
				t.Fatalf("second Write: %v", err)
			}
			assertMode(t, path, 0o600)
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("directory holds %q, want only config.yaml", names)
			}
		})
	}
}

func TestFileWriteReplacesLooseFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "config.yaml"), "old: stuff\n", 0o644)
	f := config.File{Profiles: map[string]config.Profile{"default": {"client-secret": "x"}}}
	if err := f.Write(path); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600)
}

func equalFiles(a, b config.File) bool {
	if a.ActiveProfile != b.ActiveProfile || len(a.Profiles) != len(b.Profiles) {
		return false
	}
	for name, p := range a.Profiles {
		q, ok := b.Profiles[name]
		if !ok || !(len(p) == 0 && len(q) == 0 || reflect.DeepEqual(p, q)) {
			return false
		}
	}
	return true
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %04o, want %04o", path, got, want)
	}
}

func TestParseFile(t *testing.T) {
	tests := []struct {
		name      string
		data      string
		wantNames []string
		wantErr   string
	}{
		{name: "empty", data: ""},
		{name: "comment only", data: "# nothing\n"},
		{name: "profiles sorted", data: "profiles:\n  zeta: {}\n  alpha:\n    region: EU\n  mid: {}\n", wantNames: []string{"alpha", "mid", "zeta"}},
		{name: "every key accepted", data: everyKeyProfile(), wantNames: []string{"all"}},
		{name: "unknown top-level key", data: "profile: x\n", wantErr: "invalid YAML"},
		{name: "unknown profile key", data: "profiles:\n  p:\n    secret: x\n", wantErr: `profile "p": unknown key "secret"`},
		{name: "flag-only name is not a key", data: "profiles:\n  p:\n    client-secret-stdin: true\n", wantErr: `unknown key "client-secret-stdin"`},
		{name: "not YAML", data: "\t: :\n", wantErr: "invalid YAML"},
		// p1ctl rewrites the file from what it read: a second document
		// would be lost.
		{name: "two documents", data: "profiles:\n  a: {}\n---\nprofiles:\n  b: {}\n", wantErr: "holds more than one YAML document"},
		{name: "a second document of another shape", data: "profiles: {}\n---\n- x\n", wantErr: "holds more than one YAML document"},
		{name: "leading ---", data: "---\nprofiles:\n  a: {}\n", wantNames: []string{"a"}},
		{name: "empty trailing document", data: "profiles:\n  a: {}\n---\n", wantNames: []string{"a"}},
		{name: "document end marker", data: "profiles:\n  a: {}\n...\n", wantNames: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := config.ParseFile([]byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseFile error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := f.ProfileNames(); !reflect.DeepEqual(got, tt.wantNames) && !(len(got) == 0 && len(tt.wantNames) == 0) {
				t.Errorf("ProfileNames() = %q, want %q", got, tt.wantNames)
			}
		})
	}
}

// yaml.v3 quotes the start of a value it cannot place; a misplaced secret
// must not show, while the line and the types do.
func TestParseFileErrorHidesValues(t *testing.T) {
	for _, tt := range []struct {
		name, data string
		want       []string
	}{
		{"secret indented as a profile", "profiles:\n  dev:\n  client-secret: Sup3rS3cretValue\n", []string{"line 3", "cannot unmarshal !!str into config.Profile"}},
		{"secret as a profile", "profiles:\n  dev: Sup3rS3cretValue\n", []string{"line 2", "!!str", "config.Profile"}},
		{"two errors", "profiles:\n  a: Sup3rS3cretValue\n  b: Sup3rS3cretOther\n", []string{"line 2", "line 3"}},
		{"secret as the active profile's list", "active-profile: [Sup3rS3cretValue]\n", []string{"line 1", "!!seq"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.ParseFile([]byte(tt.data))
			if err == nil {
				t.Fatal("ParseFile accepted the file")
			}
			for _, w := range append(tt.want, "invalid YAML") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "Sup3r") || strings.Contains(err.Error(), "`") {
				t.Errorf("error quotes the value: %q", err)
			}
		})
	}
}

func everyKeyProfile() string {
	var b strings.Builder
	b.WriteString("profiles:\n  all:\n")
	for _, k := range config.Keys {
		b.WriteString("    " + k.Name + ": x\n")
	}
	return b.String()
}

func TestDefaultPath(t *testing.T) {
	home := isolate(t)
	got, err := config.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := defaultConfigPath(home); got != want {
		t.Errorf("DefaultPath() = %q, want %q", got, want)
	}
}
