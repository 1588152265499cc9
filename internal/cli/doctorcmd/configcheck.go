package doctorcmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/p1ctl/p1ctl/internal/config"
)

// Setting is one resolved setting and where its value came from.
type Setting struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

// checkConfig resolves the settings and lists them with their sources.
func (d *doctor) checkConfig(context.Context) []Check {
	s, err := d.opts.Settings()
	if err != nil {
		return []Check{failFromError(CheckConfiguration, err)}
	}
	d.settings = s
	settings := resolvedSettings(s)
	c := pass(CheckConfiguration, fmt.Sprintf("%d settings resolved; %s", len(settings), describeProfile(s)))
	c.Data = map[string]any{
		"settings":      settings,
		"profile":       s.Profile,
		"configFile":    s.ConfigFile,
		"region":        s.Region.Code,
		"tokenURL":      s.TokenURL,
		"apiURL":        s.APIURL,
		"environmentId": s.EnvironmentID,
		"clientId":      s.ClientID,
		"authMethod":    s.AuthMethod,
	}
	rows := make([][]string, len(settings))
	for i, st := range settings {
		rows[i] = []string{st.Key, st.Value, st.Source}
	}
	c.lines = tableLines(rows)

	// A missing environment ID fails here only if the token URL needs
	// it; with a custom domain or --token-url the later checks use the
	// token's env claim or --target instead.
	err = s.CheckAPI()
	var rt config.Runtime
	if err == nil && d.opts.Runtime != nil {
		// The root command ran doctor with the default runtime settings
		// if one was bad: report it here rather than stop before output.
		rt, err = d.opts.Runtime()
	}
	if err != nil {
		f := failFromError(CheckConfiguration, err)
		f.Data, f.lines = c.Data, c.lines
		return []Check{f}
	}
	warnings := configWarnings(s)
	var hints []string
	if s.EnvironmentID == "" {
		warnings = append(warnings, fmt.Sprintf("no environment ID is configured; the token URL (%s) does not need one, so the Roles and Target environment checks use %s",
			tokenURLSource(s), d.environmentFallback()))
		hints = append(hints, "set "+config.HowToSet(config.KeyEnvironmentID)+" to check a given environment")
	}
	if err := rt.MinTTLErr; err != nil {
		msg := err.Error()
		if cfgErr := new(config.Error); errors.As(err, &cfgErr) {
			msg = cfgErr.Problem
		}
		warnings = append(warnings, config.EnvMinTTL+": "+msg+"; doctor does not use the token cache, but other commands stop on it")
		hints = append(hints, "set "+config.EnvMinTTL+" to e.g. 60s or 30m, or unset it")
	}
	if len(warnings) > 0 {
		c.Status = StatusWarn
		c.Detail += "; " + strings.Join(warnings, "; ")
		c.Hint = strings.Join(hints, "; ")
	}
	return []Check{c}
}

// environmentFallback says which environment the checks after the token
// request read when no environment ID is configured.
func (d *doctor) environmentFallback() string {
	if d.opts.Target != "" {
		return "the token's env claim (for the roles) and --target"
	}
	return "the token's env claim"
}

// resolvedSettings lists every setting that has a value, in the order of
// config.Keys, then the derived ones, each with its source. Secrets are
// redacted; settings that do not take effect say what decided instead.
func resolvedSettings(s *config.Settings) []Setting {
	var out []Setting
	for _, k := range config.Keys {
		if s.Values[k.Name] == "" {
			continue
		}
		src := s.Sources[k.Name].String()
		if by, ok := s.Ignored[k.Name]; ok {
			src += "; ignored: " + by + " decides"
		} else if by := regionIgnoredBy(s, k.Name); by != "" {
			src += "; ignored: " + by + " decide the hosts"
		}
		out = append(out, Setting{Key: k.Name, Value: s.Redacted(k.Name), Source: src})
	}
	// The values in use that were not set directly.
	if s.Values[config.KeyAuthMethod] == "" {
		out = append(out, Setting{Key: config.KeyAuthMethod, Value: s.AuthMethod, Source: "default"})
	}
	if s.RegionFrom != config.KeyRegion {
		src := "default"
		if s.RegionFrom != "" {
			src = "from " + s.RegionFrom
			if by := regionIgnoredBy(s, s.RegionFrom); by != "" {
				src += "; ignored: " + by + " decide the hosts"
			}
		}
		out = append(out, Setting{Key: config.KeyRegion, Value: s.Region.Code, Source: src})
	}
	out = append(out, Setting{Key: "token URL", Value: s.TokenURL, Source: tokenURLSource(s)})
	if s.APIURLFrom != config.KeyAPIURL {
		out = append(out, Setting{Key: "API URL", Value: s.APIURL, Source: "from the region"})
	}
	return append(out,
		Setting{Key: "profile", Value: orNone(s.Profile)},
		Setting{Key: "config file", Value: orNone(s.ConfigFile), Source: configFileState(s.ConfigFile)},
	)
}

func tokenURLSource(s *config.Settings) string {
	switch {
	case s.TokenURL == "":
		return "cannot be built without an environment ID"
	case s.TokenURLFrom == config.KeyTokenURL:
		return "from token-url"
	case s.TokenURLFrom == config.KeyAuthURL:
		return "from auth-url and environment-id"
	case s.TokenURLFrom == config.KeyCustomDomain:
		return "from custom-domain"
	default:
		return "from the region and environment-id"
	}
}

func configFileState(path string) string {
	if path == "" {
		return "no user config directory"
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return "not found (optional)"
	}
	return "read"
}

func describeProfile(s *config.Settings) string {
	if s.Profile == "" {
		return "no config profile"
	}
	return fmt.Sprintf("profile %q", s.Profile)
}

// regionIgnoredBy returns the settings that decide both hosts in the
// region's place, as "auth-url and api-url", if key is region or
// root-domain, is set without being in s.Ignored, and neither the token
// URL nor the API URL comes from the region; else "". The region then
// decides nothing doctor checks, although config records no key in
// s.Ignored for it: two keys decide in its place.
func regionIgnoredBy(s *config.Settings, key string) string {
	if (key != config.KeyRegion && key != config.KeyRootDomain) || s.Values[key] == "" {
		return ""
	}
	if _, ok := s.Ignored[key]; ok {
		return ""
	}
	// An empty TokenURLFrom or APIURLFrom (Settings built by hand)
	// counts as the region.
	if s.TokenURLFrom == "" || s.TokenURLFrom == config.KeyRegion || s.APIURLFrom == "" || s.APIURLFrom == config.KeyRegion {
		return ""
	}
	return s.TokenURLFrom + " and " + s.APIURLFrom
}

// configWarnings names settings that are valid but likely mistakes:
// settings that do not take effect, a client ID that cannot be PingOne's.
func configWarnings(s *config.Settings) []string {
	var w []string
	for _, k := range config.Keys {
		if by, ok := s.Ignored[k.Name]; ok {
			w = append(w, fmt.Sprintf("%s (%s) is ignored: %s (%s) decides", k.Name, s.Sources[k.Name], by, s.Sources[by]))
		} else if regionIgnoredBy(s, k.Name) != "" {
			w = append(w, fmt.Sprintf("%s (%s) is ignored: %s (%s) and %s (%s) decide the hosts", k.Name, s.Sources[k.Name],
				s.TokenURLFrom, s.Sources[s.TokenURLFrom], s.APIURLFrom, s.Sources[s.APIURLFrom]))
		}
	}
	if !config.IsUUID(s.ClientID) {
		w = append(w, fmt.Sprintf("client ID %q is not a UUID, as PingOne's client IDs are", s.ClientID))
	}
	return append(w, s.Warnings...)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
