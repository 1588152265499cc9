package config_test

import (
	"fmt"
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
		wantErr   []string
	}{
		{name: "empty", data: ""},
		{name: "comment only", data: "# nothing\n"},
		{name: "profiles sorted", data: "profiles:\n  zeta: {}\n  alpha:\n    region: EU\n  mid: {}\n", wantNames: []string{"alpha", "mid", "zeta"}},
		{name: "every key accepted", data: everyKeyProfile(), wantNames: []string{"all"}},
		{name: "unknown top-level key", data: "foo: 1\n", wantErr: []string{`"foo"`, "line 1", "active-profile, profiles"}},
		{name: "profile for profiles", data: "active-profile: a\nprofile:\n  a: {}\n", wantErr: []string{`"profile"`, "line 2", `did you mean "profiles"?`}},
		{name: "active_profile for active-profile", data: "active_profile: a\n", wantErr: []string{`"active_profile"`, "line 1", `did you mean "active-profile"?`}},
		{name: "a profile key at the top level", data: "client-id: x\n", wantErr: []string{`"client-id"`, "line 1", "belongs in a profile"}},
		{name: "an anchor's key at the top level", data: "base: &b {}\nprofiles: {}\n", wantErr: []string{`"base"`, "line 1"}},
		{name: "file of the wrong shape", data: "- a\n", wantErr: []string{"line 1: ", "not a list"}},
		{name: "profiles of the wrong shape", data: "profiles: x\n", wantErr: []string{"line 1: ", "profiles", "not a single value"}},
		{name: "profile value of the wrong shape", data: "profiles:\n  a:\n    region: [EU]\n", wantErr: []string{"line 3: ", `profile "a"`, "region", "not a list"}},
		{name: "unknown key in a merged profile", data: "profiles:\n  a: &a {colour: x}\n  b:\n    <<: *a\n", wantErr: []string{`profile "a"`, `"colour"`}},
		{name: "merged profile", data: "profiles:\n  a: &a {region: EU}\n  b:\n    <<: *a\n    client-id: c\n", wantNames: []string{"a", "b"}},
		{name: "empty profile and empty values", data: "profiles:\n  a:\n  b:\n    region:\nactive-profile:\n", wantNames: []string{"a", "b"}},
		{name: "duplicate key", data: "profiles:\n  a: {region: EU, region: NA}\n", wantErr: []string{"line 2: ", `"region"`}},
		{name: "repeated profile", data: "profiles:\n  a: {}\n  b: {}\n  a: {}\n", wantErr: []string{"line 4: ", `"a"`, "line 2"}},
		{name: "repeated top-level key", data: "profiles: {}\nactive-profile: a\nprofiles: {}\n", wantErr: []string{"line 3: ", `"profiles"`, "line 1"}},
		{name: "merged key overridden", data: "profiles:\n  a: &a {region: EU}\n  b:\n    <<: *a\n    region: NA\n", wantNames: []string{"a", "b"}},
		{name: "unknown profile key", data: "profiles:\n  p:\n    secret: x\n", wantErr: []string{`profile "p"`, `"secret"`}},
		{name: "flag-only name is not a key", data: "profiles:\n  p:\n    client-secret-stdin: true\n", wantErr: []string{`"client-secret-stdin"`}},
		{name: "not YAML", data: "\t: :\n", wantErr: []string{"invalid YAML"}},
		// p1ctl rewrites the file from what it read: a second document
		// would be lost.
		{name: "two documents", data: "profiles:\n  a: {}\n---\nprofiles:\n  b: {}\n", wantErr: []string{"more than one YAML document"}},
		{name: "a second document of another shape", data: "profiles: {}\n---\n- x\n", wantErr: []string{"more than one YAML document"}},
		{name: "leading ---", data: "---\nprofiles:\n  a: {}\n", wantNames: []string{"a"}},
		{name: "empty trailing document", data: "profiles:\n  a: {}\n---\n", wantNames: []string{"a"}},
		{name: "document end marker", data: "profiles:\n  a: {}\n...\n", wantNames: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := config.ParseFile([]byte(tt.data))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("ParseFile accepted the file, want an error naming %q", tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("ParseFile error %q does not name %q", err, w)
					}
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

// A misplaced secret must not show in a message about the file's shape,
// while the line and the shapes do.
func TestParseFileErrorHidesValues(t *testing.T) {
	for _, tt := range []struct {
		name, data string
		want       []string
	}{
		{"secret indented as a profile", "profiles:\n  dev:\n  client-secret: Sup3rS3cretValue\n", []string{`line 3: profile "client-secret" must hold keys and values, not a single value (is client-secret meant to be indented under a profile?)`}},
		{"secret as a profile", "profiles:\n  dev: Sup3rS3cretValue\n", []string{`line 2: profile "dev" must hold keys and values, not a single value`}},
		{"two errors", "profiles:\n  a: Sup3rS3cretValue\n  b: [Sup3rS3cretOther]\n", []string{"line 2: ", "; line 3: ", "not a list"}},
		{"secret as the active profile's list", "active-profile: [Sup3rS3cretValue]\n", []string{"line 1: active-profile must be a profile name, not a list"}},
		{"secret as a profile's key", "profiles:\n  a:\n    ? [Sup3rS3cretValue]\n    : x\n", []string{`line 3: profile "a": a key must be a name, not a list`}},
		{"secret as a profile's name", "profiles:\n  ? [Sup3rS3cretValue]\n  : {}\n", []string{"line 2: a profile name must be a single value, not a list"}},
		{"secret in a value the decoder rejects", "profiles:\n  a:\n    region: !!timestamp Sup3rS3cretValue\n", []string{"line 3: ", "region", "!!timestamp"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.ParseFile([]byte(tt.data))
			if err == nil {
				t.Fatal("ParseFile accepted the file")
			}
			for _, w := range tt.want {
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

// Messages about the file's shape describe it in words: no Go type
// (config.File, map[string]string, ...) reaches the user.
func TestParseFileErrorsNameNoGoTypes(t *testing.T) {
	for _, data := range []string{
		"foo: 1\n",
		"profile:\n  a: {}\n",
		"- a\n",
		"just a string\n",
		"profiles: [a, b]\n",
		"profiles: x\n",
		"profiles:\n  a: 1\n",
		"profiles:\n  a: [x]\n",
		"profiles:\n  a:\n    region: {x: y}\n",
		"profiles:\n  a:\n    region: [EU]\n",
		"profiles:\n  ? {a: b}\n  : {}\n",
		"active-profile: {a: b}\n",
		"active-profile: [a]\n",
		"? [a]\n: x\n",
		"profiles:\n  b: &b [x]\n  a:\n    <<: *b\n",
		"profiles:\n  a:\n    <<: x\n",
	} {
		t.Run(data, func(t *testing.T) {
			_, err := config.ParseFile([]byte(data))
			if err == nil {
				t.Fatal("ParseFile accepted the file")
			}
			for _, goType := range []string{"config.", "map[", "string", "type "} {
				if strings.Contains(err.Error(), goType) {
					t.Errorf("error %q names a Go type (%q)", err, goType)
				}
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

func TestCheckProfileName(t *testing.T) {
	for name, ok := range map[string]bool{
		"default": true, "prod-eu": true, "a.b_c": true, "0": true, strings.Repeat("a", 64): true,
		"": false, "-x": false, ".x": false, "a b": false, "a/b": false, "ünï": false, strings.Repeat("a", 65): false,
	} {
		err := config.CheckProfileName(name)
		if (err == nil) != ok {
			t.Errorf("CheckProfileName(%q) = %v, want ok %v", name, err, ok)
		}
		if err != nil {
			wantConfigError(t, err, fmt.Sprintf("%q", name), "64")
		}
	}
}

// A file holds at most 2000 profiles: yaml.v3's check for repeated keys
// takes time quadratic in their number.
func TestParseFileProfileLimit(t *testing.T) {
	profiles := func(n int) []byte {
		var b strings.Builder
		b.WriteString("profiles:\n")
		for i := range n {
			fmt.Fprintf(&b, "  p%d:\n", i)
		}
		return []byte(b.String())
	}
	if f, err := config.ParseFile(profiles(2000)); err != nil || len(f.Profiles) != 2000 {
		t.Fatalf("2000 profiles: %v", err)
	}
	if _, err := config.ParseFile(profiles(2001)); err == nil || !strings.Contains(err.Error(), "2001 profiles") {
		t.Errorf("2001 profiles: %v, want a refusal counting them", err)
	}
}

// Merged keys follow YAML: a mapping's own key beats a merged one, and
// of several merged mappings the earlier wins.
func TestParseFileMergePrecedence(t *testing.T) {
	f, err := config.ParseFile([]byte("profiles:\n  eu: &eu {region: EU, key-id: k1}\n  ca: &ca {region: CA, client-id: c}\n" +
		"  x:\n    region: NA\n    <<: [*eu, *ca]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Profile{"region": "NA", "key-id": "k1", "client-id": "c"}
	if got := f.Profiles["x"]; !reflect.DeepEqual(got, want) {
		t.Errorf("profile x = %v, want %v", got, want)
	}
}

// Aliases merged into aliases could multiply a small file into billions
// of keys: the merges are bounded, and the file is refused.
func TestParseFileMergeBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("profiles:\n  a0: &a0 {region: EU}\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "  a%d: &a%d {<<: [", i, i)
		for j := range 20 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]}\n")
	}
	_, err := config.ParseFile([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "merges") {
		t.Errorf("ParseFile = %v, want a refusal of the merges", err)
	}
}

// A merge must name mappings; what else it names is refused at its line.
func TestParseFileMergeOfNonMapping(t *testing.T) {
	_, err := config.ParseFile([]byte("profiles:\n  a:\n    <<: Sup3rS3cret\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3: ") || !strings.Contains(err.Error(), "<<") || strings.Contains(err.Error(), "Sup3r") {
		t.Errorf("ParseFile = %v, want a refusal at line 3 naming <<, without the value", err)
	}
}
