package configcmd

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/p1ctl/p1ctl/internal/config"
)

// checkValue validates value for key by the rules settings are loaded
// with (config.CheckValue) and returns it in the form to store: canonical,
// and file paths absolute (a profile is used from any directory).
func checkValue(key, value string) (string, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return "", &config.Error{Problem: key + " cannot be empty", Hint: "remove it with p1ctl config unset " + key}
	}
	v, err := config.CheckValue(key, v)
	if err != nil {
		return "", &config.Error{Problem: err.Error()}
	}
	if key == config.KeyClientSecretFile || key == config.KeyPrivateKeyFile {
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
