package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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

// MaxFileSize bounds the config file: a few profiles take a few KiB, and
// the bound keeps parsing well under a second.
const MaxFileSize = 1 << 20

// maxProfiles bounds the profiles of a config file: yaml.v3 checks a
// mapping for repeated keys in time quadratic in their number.
const maxProfiles = 2000

// ReadFile reads and validates the config file at path. A file that does
// not exist yields an error satisfying errors.Is(err, fs.ErrNotExist).
// A file p1ctl refuses to read is a *Error: not a regular file (a FIFO
// would block, /dev/zero never end), larger than MaxFileSize, or one that
// someone other than the user or root could have changed (see
// securefile.CheckTrusted): it decides where the client secret is sent.
func ReadFile(path string) (*File, error) {
	data, info, err := securefile.ReadFile(path, MaxFileSize)
	var notRegular *securefile.NotRegularError
	var tooLarge *securefile.TooLargeError
	switch {
	case errors.As(err, &notRegular):
		return nil, &Error{Problem: "config file " + notRegular.Error(), Hint: "point --config / " + EnvConfig + " at a regular file"}
	case errors.As(err, &tooLarge):
		return nil, &Error{Problem: "config file " + tooLarge.Error(), Hint: "check that --config / " + EnvConfig + " names p1ctl's config file"}
	case err != nil:
		return nil, err
	}
	if err := securefile.CheckTrusted(path, info); err != nil {
		return nil, untrustedError(err)
	}
	return ParseFile(data)
}

// untrustedError is the *Error for a config file others could have
// changed, with the command that makes it the user's own.
func untrustedError(err error) error {
	var ue *securefile.UntrustedError
	if !errors.As(err, &ue) {
		return err
	}
	path := ShellQuote(ue.Path)
	problem := "config file " + ue.Error() + ", so someone else could choose where the client secret is sent"
	if ue.OtherOwner {
		chown := fmt.Sprintf("chown %d %s", os.Geteuid(), path)
		if os.Geteuid() != 0 {
			// Only root can give a file away.
			chown = "sudo " + chown
		}
		return &Error{Problem: problem, Hint: fmt.Sprintf("if its content is yours, make it yours with %s (then chmod go-w %s); otherwise remove it", chown, path)}
	}
	return &Error{Problem: problem, Hint: "run chmod go-w " + path}
}

// ParseFile decodes and validates config-file contents in one walk over
// the YAML nodes, so that every problem is told with its line and in
// words: unknown top-level keys and unknown profile keys are errors, so a
// typo does not silently fall back to a default; so are values of the
// wrong shape, such as a list where a profile should be. No message
// quotes a value (a misplaced secret must not show) or names a Go type.
//
// The file must hold one YAML document: p1ctl rewrites the file from what
// it read, so a second document would be dropped silently.
func ParseFile(data []byte) (*File, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		return &File{}, nil
	}
	if err != nil {
		// A syntax error names a line, never a value.
		return nil, fmt.Errorf("invalid YAML: %s", strings.Join(strings.Fields(err.Error()), " "))
	}
	if !atEnd(dec) {
		return nil, errors.New("it holds more than one YAML document (separated by ---); keep one")
	}
	if err := checkRepeatedKeys(&doc); err != nil {
		return nil, err
	}
	var d fileDecoder
	f := d.file(&doc)
	if len(d.problems) == 0 {
		return f, nil
	}
	if n := len(d.problems) - maxShapeProblems; n > 0 {
		d.problems = append(d.problems[:maxShapeProblems], fmt.Sprintf("and %d more problems", n))
	}
	return nil, errors.New(strings.Join(d.problems, "; "))
}

// checkRepeatedKeys reports a key repeated in a mapping, in time linear
// in the size of the document.
func checkRepeatedKeys(doc *yaml.Node) error {
	stack := []*yaml.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		// An alias's target is in the document: walked where it stands.
		if n.Kind == yaml.AliasNode {
			continue
		}
		stack = append(stack, n.Content...)
		if n.Kind != yaml.MappingNode {
			continue
		}
		seen := make(map[string]*yaml.Node, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			if key.Kind != yaml.ScalarNode {
				continue
			}
			if first, ok := seen[key.Value]; ok {
				return fmt.Errorf("line %d: key %q repeated (first at line %d)", key.Line, key.Value, first.Line)
			}
			seen[key.Value] = key
		}
	}
	return nil
}

// The top-level keys of the config file, as File's yaml tags name them.
const (
	topActiveProfile = "active-profile"
	topProfiles      = "profiles"
)

// maxShapeProblems caps how many problems ParseFile reports at once.
const maxShapeProblems = 5

// fileDecoder builds a File from YAML nodes, collecting the problems it
// finds in file order.
type fileDecoder struct {
	problems []string
	// merged counts the pairs merges have copied: aliases merged into
	// aliases could otherwise multiply a small file into billions.
	merged int
}

// maxMergedPairs bounds the pairs merges copy into a file's mappings.
const maxMergedPairs = 100_000

// at records a problem found at n's line.
func (d *fileDecoder) at(n *yaml.Node, format string, args ...any) {
	d.problems = append(d.problems, fmt.Sprintf("line %d: ", n.Line)+fmt.Sprintf(format, args...))
}

// file decodes the document: a mapping of the known top-level keys.
func (d *fileDecoder) file(doc *yaml.Node) *File {
	f := &File{}
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = resolveAlias(root.Content[0])
	}
	switch {
	case isNull(root):
		return f
	case root.Kind != yaml.MappingNode:
		d.at(root, "the file must hold keys (%s), not %s", strings.Join(topLevelKeys, ", "), describeNode(root))
	}
	for _, kv := range d.pairs(root) {
		key, value := kv[0], kv[1]
		if key.Kind != yaml.ScalarNode {
			d.at(key, "a top-level key must be a name, not %s", describeNode(key))
			continue
		}
		switch key.Value {
		case topActiveProfile:
			f.ActiveProfile = d.scalar(value, topActiveProfile, "a profile name")
		case topProfiles:
			f.Profiles = d.profiles(value)
		default:
			d.problems = append(d.problems, unknownTopLevelKey(key))
		}
	}
	return f
}

// profiles decodes the value of the top-level profiles key: profiles by
// name, each a mapping of known keys to single values.
func (d *fileDecoder) profiles(n *yaml.Node) map[string]Profile {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.at(n, "%s must hold profiles by name, not %s", topProfiles, describeNode(n))
		return nil
	}
	pairs := d.pairs(n)
	if len(pairs) > maxProfiles {
		d.at(n, "%s holds %d profiles; p1ctl reads at most %d", topProfiles, len(pairs), maxProfiles)
		return nil
	}
	profiles := make(map[string]Profile, len(pairs))
	for _, kv := range pairs {
		nameNode, profile := kv[0], kv[1]
		if nameNode.Kind != yaml.ScalarNode {
			d.at(nameNode, "a profile name must be a single value, not %s", describeNode(nameNode))
			continue
		}
		name := nameNode.Value
		profiles[name] = nil
		if isNull(profile) {
			continue
		}
		if profile.Kind != yaml.MappingNode {
			hint := ""
			if _, ok := LookupKey(name); ok {
				// The usual cause: a key indented at the level of the
				// profile names.
				hint = fmt.Sprintf(" (is %s meant to be indented under a profile?)", name)
			}
			d.at(profile, "profile %q must hold keys and values, not %s%s", name, describeNode(profile), hint)
			continue
		}
		p := Profile{}
		for _, kv := range d.pairs(profile) {
			key, value := kv[0], kv[1]
			if key.Kind != yaml.ScalarNode {
				d.at(key, "profile %q: a key must be a name, not %s", name, describeNode(key))
				continue
			}
			if _, ok := LookupKey(key.Value); !ok {
				d.problems = append(d.problems, fmt.Sprintf("profile %q: unknown key %q", name, key.Value))
				continue
			}
			p[key.Value] = d.scalar(value, fmt.Sprintf("profile %q: %s", name, key.Value), "a single value")
		}
		profiles[name] = p
	}
	return profiles
}

// scalar returns the single value n holds as YAML reads it, "" for null;
// what names it in a problem, want the shape it must have.
func (d *fileDecoder) scalar(n *yaml.Node, what, want string) string {
	if isNull(n) {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		d.at(n, "%s must be %s, not %s", what, want, describeNode(n))
		return ""
	}
	var s string
	if err := n.Decode(&s); err != nil {
		// Not the decoder's message: it quotes the value.
		d.at(n, "%s is not a valid %s value", what, n.ShortTag())
	}
	return s
}

// topLevelKeys lists the keys a config file may hold at the top level.
var topLevelKeys = []string{topActiveProfile, topProfiles}

// unknownTopLevelKey describes an unknown top-level key, with the key it
// most likely stands for: "profile" for "profiles", or a profile key
// written outside any profile.
func unknownTopLevelKey(key *yaml.Node) string {
	var hint string
	switch _, isProfileKey := LookupKey(key.Value); {
	case isProfileKey:
		hint = fmt.Sprintf("%s belongs in a profile, under %s: NAME:; ", key.Value, topProfiles)
	default:
		for _, known := range topLevelKeys {
			if looseKey(key.Value) == looseKey(known) {
				hint = fmt.Sprintf("did you mean %q? ", known)
			}
		}
	}
	return fmt.Sprintf("unknown top-level key %q at line %d (%svalid: %s)", key.Value, key.Line, hint, strings.Join(topLevelKeys, ", "))
}

// looseKey folds the usual misspellings of a key: case, '_' or nothing
// for '-', a plural.
func looseKey(s string) string {
	s = strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(s))
	return strings.TrimSuffix(s, "s")
}

// pairs returns a mapping's key and value nodes, aliases resolved, as
// YAML merges them: the pairs of merged mappings ("<<: *anchor") first,
// the earlier of several last, then the mapping's own, so that taking
// the last value of a key gives YAML's precedence. A merge of anything
// but mappings is a problem.
func (d *fileDecoder) pairs(n *yaml.Node) [][2]*yaml.Node {
	var walk func(m *yaml.Node, depth int) [][2]*yaml.Node
	walk = func(m *yaml.Node, depth int) [][2]*yaml.Node {
		if m.Kind != yaml.MappingNode || depth > 8 {
			return nil
		}
		var merged, own [][2]*yaml.Node
		for i := 0; i+1 < len(m.Content); i += 2 {
			key, value := resolveAlias(m.Content[i]), resolveAlias(m.Content[i+1])
			if !isMergeKey(key) {
				own = append(own, [2]*yaml.Node{key, value})
				continue
			}
			sources := []*yaml.Node{value}
			if value.Kind == yaml.SequenceNode {
				sources = slices.Clone(value.Content)
				slices.Reverse(sources)
			}
			for _, src := range sources {
				if src = resolveAlias(src); src.Kind != yaml.MappingNode {
					d.at(src, "<< must merge a mapping, not %s", describeNode(src))
					continue
				}
				if d.merged > maxMergedPairs {
					d.at(key, "merges copy more than %d keys", maxMergedPairs)
					return nil
				}
				pairs := walk(src, depth+1)
				d.merged += 1 + len(pairs)
				merged = append(merged, pairs...)
			}
		}
		return append(merged, own...)
	}
	return walk(n, 0)
}

// isMergeKey reports whether n is YAML's merge key, "<<".
func isMergeKey(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "<<" && (n.Tag == "" || n.Tag == "!" || n.ShortTag() == "!!merge")
}

// resolveAlias returns the node an alias stands for, n itself otherwise.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is empty or null, which the decoder takes as
// "not set".
func isNull(n *yaml.Node) bool {
	return n.Kind == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describeNode names n's kind for a message, without its value.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	default:
		return "a single value"
	}
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

// MissingProfile is the error for profile name, which f does not hold:
// from says where the name came from ("" for none worth saying), path is
// the file's ("" for an unnamed one). A name p1ctl could not create is
// refused as such, with no advice to create it; a name it can create needs
// no quoting in the advice.
func (f *File) MissingProfile(name, from, path string) error {
	if err := CheckProfileName(name); err != nil {
		return err
	}
	hint := "create it with p1ctl config init --profile " + name
	if names := f.ProfileNames(); len(names) > 0 {
		hint = "known profiles: " + strings.Join(names, ", ") + "; or " + hint
	}
	if path == "" {
		path = "the config file"
	}
	problem := fmt.Sprintf("profile %q is not in %s", name, path)
	if from != "" {
		problem = fmt.Sprintf("profile %q (from %s) is not in %s", name, from, path)
	}
	return &Error{Problem: problem, Hint: hint}
}

// maxProfileNameLen is the longest profile name p1ctl creates.
const maxProfileNameLen = 64

// CheckProfileName returns a *Error unless name is a profile name p1ctl
// can create: a letter or digit, then letters, digits, '.', '_' and '-',
// at most 64 in all. Such names are easy to type and need no quoting in a
// shell. A file edited by hand may hold other names; they stay usable.
func CheckProfileName(name string) error {
	if !validProfileName(name) {
		return &Error{Problem: fmt.Sprintf("profile name %q is not usable", name), Hint: "use up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit"}
	}
	return nil
}

func validProfileName(name string) bool {
	if name == "" || len(name) > maxProfileNameLen {
		return false
	}
	for i, r := range name {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		case i > 0 && (r == '.' || r == '_' || r == '-'):
		default:
			return false
		}
	}
	return true
}
