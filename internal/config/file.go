package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

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
//
// The file must hold one YAML document: p1ctl rewrites the file from what
// it read, so a second document would be dropped silently.
func ParseFile(data []byte) (*File, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(&f)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(err)
	}
	if err == nil && !atEnd(dec) {
		return nil, errors.New("it holds more than one YAML document (separated by ---); keep one")
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

// atEnd reports whether dec has no document left but empty ones (a
// trailing "---" is harmless).
func atEnd(dec *yaml.Decoder) bool {
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		switch {
		case errors.Is(err, io.EOF):
			return true
		case err != nil || !emptyDocument(&doc):
			return false
		}
	}
}

// emptyDocument reports whether doc holds nothing but a null.
func emptyDocument(doc *yaml.Node) bool {
	for _, n := range doc.Content {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!null" {
			return false
		}
	}
	return true
}

// yamlError turns a yaml.v3 error into one line without the values it
// quotes: a type error such as "cannot unmarshal !!str `Sup3rS3...`"
// would otherwise show the start of a misplaced secret.
func yamlError(err error) error {
	msg := err.Error()
	var typeErr *yaml.TypeError
	if errors.As(err, &typeErr) {
		msg = strings.Join(typeErr.Errors, "; ")
	}
	msg = quotedValue().ReplaceAllString(msg, "")
	return fmt.Errorf("invalid YAML: %s", strings.Join(strings.Fields(msg), " "))
}

// quotedValue matches a value yaml.v3 quotes in backquotes, with the space
// before it. It is compiled on first use: start-up stays lean.
var quotedValue = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(" ?`[^`]*`")
})

// holdsSecret reports whether any profile stores a client secret.
func (f *File) holdsSecret() bool {
	for _, p := range f.Profiles {
		if strings.TrimSpace(p[KeyClientSecret]) != "" {
			return true
		}
	}
	return false
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
