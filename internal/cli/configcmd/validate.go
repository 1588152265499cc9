package configcmd

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/netpolicy"
)

// hostNamePattern is config.Loader's rule for a custom domain.
var hostNamePattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// checkValue validates value for key by config.Loader's rules and returns
// it in the form to store: region codes in upper case, URLs without a
// trailing slash, file paths absolute (a profile is used from any
// directory).
func checkValue(key, value string) (string, error) {
	v := strings.TrimSpace(value)
	bad := func(format string, args ...any) error {
		return &config.Error{Problem: fmt.Sprintf(format, args...)}
	}
	if v == "" {
		return "", &config.Error{Problem: key + " cannot be empty", Hint: "remove it with p1ctl config unset " + key}
	}
	if netpolicy.HasControl(v) {
		return "", bad("%s contains control characters", key)
	}
	switch key {
	case config.KeyClientID:
		if strings.ContainsAny(v, " /?#") {
			return "", bad("client ID %q contains spaces or URL characters", v)
		}
	case config.KeyEnvironmentID:
		if !config.IsUUID(v) {
			return "", bad("environment ID %q is not a UUID", v)
		}
	case config.KeyRegion:
		r, err := config.LookupRegion(v)
		if err != nil {
			return "", bad("%v", err)
		}
		return r.Code, nil
	case config.KeyRootDomain:
		r, err := config.LookupRootDomain(v)
		if err != nil {
			return "", bad("%v", err)
		}
		return r.RootDomain, nil
	case config.KeyCustomDomain:
		d := strings.ToLower(strings.TrimSuffix(v, "."))
		if len(d) > 253 || !hostNamePattern.MatchString(d) {
			return "", bad("custom domain %q is not a host name (give the domain only, e.g. auth.example.com)", v)
		}
		return d, nil
	case config.KeyAuthURL, config.KeyTokenURL, config.KeyAPIURL:
		u, err := netpolicy.ParseBaseURL(v)
		if err != nil {
			return "", &config.Error{Problem: fmt.Sprintf("%s %q is not usable", key, v), Err: err}
		}
		return u.String(), nil
	case config.KeyAuthMethod:
		m := strings.ToLower(v)
		if !slices.Contains(config.AuthMethods, m) {
			return "", bad("unknown auth method %q (valid: %s)", v, strings.Join(config.AuthMethods, ", "))
		}
		return m, nil
	case config.KeyClientSecretFile, config.KeyPrivateKeyFile:
		abs, err := filepath.Abs(v)
		if err != nil {
			return "", &config.Error{Problem: fmt.Sprintf("%s %q is not usable", key, v), Err: err}
		}
		return abs, nil
	}
	return v, nil
}

// checkProfile applies config.Loader's rules across keys: a region and a
// root domain must agree, and a secret comes from one place.
func checkProfile(p config.Profile) error {
	if p[config.KeyRegion] != "" && p[config.KeyRootDomain] != "" {
		r, err1 := config.LookupRegion(p[config.KeyRegion])
		d, err2 := config.LookupRootDomain(p[config.KeyRootDomain])
		if err1 == nil && err2 == nil && r != d {
			return &config.Error{
				Problem: fmt.Sprintf("region %s uses root domain %s, but the profile's root domain is %s", r.Code, r.RootDomain, d.RootDomain),
				Hint:    "keep only one of them (p1ctl config unset region, or root-domain), or make them agree",
			}
		}
	}
	if p[config.KeyClientSecret] != "" && p[config.KeyClientSecretFile] != "" {
		return &config.Error{Problem: "the profile holds both client-secret and client-secret-file", Hint: "remove one with p1ctl config unset"}
	}
	return nil
}
