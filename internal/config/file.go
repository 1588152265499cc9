package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/p1ctl/p1ctl/internal/securefile"
)

// File is p1ctl's YAML config file:
//
//	active-profile: dev
//	profiles:
//	  dev:
//	    client-id: ...
//	    environment-id: ...
//	    region: EU
type File struct {
	// ActiveProfile is used when neither --profile nor P1CTL_PROFILE names one.
	ActiveProfile string `yaml:"active-profile,omitempty"`
	// Profiles maps profile names to their settings.
	Profiles map[string]Profile `yaml:"profiles,omitempty"`
}

// Profile maps config keys (see Keys) to values.
type Profile map[string]string

// DefaultPath returns <user config dir>/p1ctl/config.yaml.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "p1ctl", "config.yaml"), nil
}

// ReadFile reads and validates the config file at path. A file that does
// not exist yields an error satisfying errors.Is(err, fs.ErrNotExist).
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseFile(data)
}

// ParseFile decodes and validates config-file contents. Unknown top-level
// keys and unknown profile keys are errors, so a typo does not silently fall
// back to a default.
func ParseFile(data []byte) (*File, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		var typeErr *yaml.TypeError
		if errors.As(err, &typeErr) {
			return nil, fmt.Errorf("invalid YAML: %s", strings.Join(typeErr.Errors, "; "))
		}
		return nil, fmt.Errorf("invalid YAML: %s", strings.Join(strings.Fields(err.Error()), " "))
	}
	for _, name := range f.ProfileNames() {
		for key := range f.Profiles[name] {
			if _, ok := LookupKey(key); !ok {
				return nil, fmt.Errorf("profile %q: unknown key %q", name, key)
			}
		}
	}
	return &f, nil
}

// ProfileNames returns the profile names in sorted order.
func (f *File) ProfileNames() []string {
	names := make([]string, 0, len(f.Profiles))
	for name := range f.Profiles {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Write stores f at path atomically, creating the directory with mode 0700
// and the file with mode 0600: profiles may hold client secrets.
func (f *File) Write(path string) error {
	data, err := yaml.Marshal(f)
	if err != nil {
		return err
	}
	return securefile.Write(path, data)
}
