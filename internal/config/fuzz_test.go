package config

import (
	"testing"
)

// FuzzParseFile checks that no config file, however malformed, panics the
// parser, and that what it accepts only holds known keys.
func FuzzParseFile(f *testing.F) {
	for _, seed := range []string{
		"",
		"active-profile: dev\nprofiles:\n  dev:\n    client-id: abc\n    region: EU\n",
		"profiles: [not, a, map]",
		"profiles:\n  x:\n    client_id: typo\n",
		"active-profile: {a: b}",
		"profiles:\n  a: &x {region: NA}\n  b: *x\n",
		"\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseFile(data)
		if err != nil {
			return
		}
		for name, p := range file.Profiles {
			for key := range p {
				if _, ok := LookupKey(key); !ok {
					t.Fatalf("profile %q kept unknown key %q", name, key)
				}
			}
		}
	})
}
