package config

import (
	"fmt"
	"sort"
	"strings"
)

// Region is a PingOne geography. Each region has its own top-level domain,
// and so its own auth and API hosts.
type Region struct {
	// Code is PingOne's region code: NA, EU, CA, AP, AU or SG.
	Code string
	// RootDomain is the domain under which the region's hosts live, such as
	// "pingone.eu". The auth host is "auth."+RootDomain and the API host
	// "api."+RootDomain.
	RootDomain string
}

// AuthBaseURL is the region's auth host as an HTTPS URL.
func (r Region) AuthBaseURL() string { return "https://auth." + r.RootDomain }

// APIBaseURL is the region's management API base URL, including "/v1".
func (r Region) APIBaseURL() string { return "https://api." + r.RootDomain + "/v1" }

// Regions lists every PingOne region in a stable order.
var Regions = []Region{
	{Code: "NA", RootDomain: "pingone.com"},
	{Code: "EU", RootDomain: "pingone.eu"},
	{Code: "CA", RootDomain: "pingone.ca"},
	{Code: "AP", RootDomain: "pingone.asia"},
	{Code: "AU", RootDomain: "pingone.com.au"},
	{Code: "SG", RootDomain: "pingone.sg"},
}

// DefaultRegion is used when neither a region nor a root domain is configured.
var DefaultRegion = Regions[0]

// regionAliases maps other accepted spellings to region codes, among them
// the names Terraform's provider took in PINGONE_REGION (AsiaPacific,
// Canada, Europe, NorthAmerica).
var regionAliases = map[string]string{
	"ASIA":          "AP",
	"ASIAPACIFIC":   "AP",
	"ASIA_PACIFIC":  "AP",
	"NORTHAMERICA":  "NA",
	"NORTH_AMERICA": "NA",
	"EUROPE":        "EU",
	"CANADA":        "CA",
	"AUSTRALIA":     "AU",
	"SINGAPORE":     "SG",
}

// RegionCodes returns the accepted region codes, for help text and completion.
func RegionCodes() []string {
	codes := make([]string, len(Regions))
	for i, r := range Regions {
		codes[i] = r.Code
	}
	return codes
}

// RootDomains returns the accepted root domains, for help text and completion.
func RootDomains() []string {
	domains := make([]string, len(Regions))
	for i, r := range Regions {
		domains[i] = r.RootDomain
	}
	return domains
}

// LookupRegion finds a region by code or alias, in any case.
func LookupRegion(code string) (Region, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if alias, ok := regionAliases[c]; ok {
		c = alias
	}
	for _, r := range Regions {
		if r.Code == c {
			return r, nil
		}
	}
	return Region{}, fmt.Errorf("unknown region %q (valid: %s)", code, strings.Join(RegionCodes(), ", "))
}

// LookupRootDomain finds the region whose root domain is domain. A leading
// "auth." or "api." and a trailing dot are tolerated, since users often paste
// a host name.
func LookupRootDomain(domain string) (Region, error) {
	d := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(domain), "."))
	d = strings.TrimPrefix(strings.TrimPrefix(d, "auth."), "api.")
	for _, r := range Regions {
		if r.RootDomain == d {
			return r, nil
		}
	}
	domains := RootDomains()
	sort.Strings(domains)
	return Region{}, fmt.Errorf("unknown root domain %q (valid: %s)", domain, strings.Join(domains, ", "))
}

// RegionForHost names the region a host belongs to, if it is a PingOne
// regional host such as "auth.pingone.eu".
func RegionForHost(host string) (Region, bool) {
	h := strings.ToLower(host)
	for _, r := range Regions {
		if h == "auth."+r.RootDomain || h == "api."+r.RootDomain {
			return r, true
		}
	}
	return Region{}, false
}
