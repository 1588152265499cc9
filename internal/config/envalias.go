package config

import (
	"fmt"
	"strings"
)

// EnvAlias is a variable other PingOne tools use for a setting, holding
// the value in another shape: Ping's SDK takes a top-level domain ("eu")
// where p1ctl takes a root domain ("pingone.eu"), and host names where
// p1ctl takes URLs.
type EnvAlias struct {
	// Env is the variable's name.
	Env string
	// Convert turns the variable's value into the setting's, or says why
	// it cannot.
	Convert func(value string) (string, error)
}

// topLevelDomain converts the SDK's PINGONE_TOP_LEVEL_DOMAIN ("com", "eu",
// ".com.au") into a root domain ("pingone.com", ...).
func topLevelDomain(value string) (string, error) {
	tld := strings.TrimPrefix(strings.ToLower(value), ".")
	domain := "pingone." + tld
	if _, err := LookupRootDomain(domain); err != nil {
		valid := make([]string, len(Regions))
		for i, r := range Regions {
			valid[i] = strings.TrimPrefix(r.RootDomain, "pingone.")
		}
		return "", fmt.Errorf("not a PingOne top-level domain (valid: %s)", strings.Join(valid, ", "))
	}
	return domain, nil
}

// hostURL returns a conversion from a bare host name, as the older SDK and
// Terraform's provider take it, into an HTTPS URL ending in path. example
// is such a host name, for the error message.
func hostURL(path, example string) func(string) (string, error) {
	return func(host string) (string, error) {
		if strings.Contains(host, "/") {
			return "", fmt.Errorf("give a host name such as %s, not a URL", example)
		}
		return "https://" + host + path, nil
	}
}

// EnvValue returns the value the environment, read through getenv, gives
// k: from p1ctl's own variables first (a blank one counts as unset), then
// from the other tools' differently-shaped ones, converted and checked.
// name is the variable it came from, "" when none is set.
func (k Key) EnvValue(getenv func(string) string) (value, name string, err error) {
	for _, env := range k.Env {
		if v := getenv(env); strings.TrimSpace(v) != "" {
			return v, env, nil
		}
	}
	for _, alias := range k.EnvAliases {
		raw := strings.TrimSpace(getenv(alias.Env))
		if raw == "" {
			continue
		}
		if shown, ok := maskUserinfo(raw); ok {
			// Neither the value nor a converter's error may repeat a
			// password.
			return "", "", &Error{Key: k.Name, Problem: fmt.Sprintf("%s=%q: must not contain user name or password", alias.Env, shown), Hint: "fix or unset " + alias.Env}
		}
		value, err := alias.Convert(raw)
		if err == nil {
			value, err = CheckValue(k.Name, value)
		}
		if err != nil {
			return "", "", &Error{Key: k.Name, Problem: fmt.Sprintf("%s=%q: %v", alias.Env, raw, err), Hint: "fix or unset " + alias.Env}
		}
		return value, alias.Env, nil
	}
	return "", "", nil
}
