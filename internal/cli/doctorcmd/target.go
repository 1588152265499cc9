package doctorcmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
)

// readerRoles are the roles known to read environments.
const readerRoles = "Environment Admin, Organization Admin or Configuration Read Only"

// grantHint says how to grant a role that can read environment id.
func grantHint(id string) string {
	return "grant the application a role that can read environment " + id + " (" + readerRoles +
		") in the admin console: Applications > the application > Roles > Grant Roles"
}

// checkTarget reads the target environment and, if that fails, explains
// the failure with the role assignments found before.
func (d *doctor) checkTarget(ctx context.Context) []Check {
	id, from := d.targetID()
	if id == "" {
		return []Check{fail(CheckTarget, cmdutil.ExitUsage,
			"no environment to read: no environment ID is configured and the token has no env claim",
			"set "+config.HowToSet(config.KeyEnvironmentID)+", or give --target")}
	}
	c := d.readTarget(ctx, id)
	if from == fromTokenEnv {
		c.Detail += "; no environment ID is configured, so doctor read the token's environment (its env claim)"
	}
	if c.Data == nil {
		c.Data = map[string]any{}
	}
	c.Data["idSource"] = from
	return []Check{c}
}

// readTarget reads environment id.
func (d *doctor) readTarget(ctx context.Context, id string) Check {
	s := d.settings
	env, err := d.api.GetEnvironment(ctx, id)
	if err != nil {
		return d.targetFailure(id, err)
	}
	detail := fmt.Sprintf("%s %q (%s, region %s) can be read", env.ID, env.Name, env.Type, env.Region)
	c := pass(CheckTarget, detail)
	c.Data = map[string]any{"id": env.ID, "name": env.Name, "type": env.Type, "region": env.Region}
	if env.Organization != nil {
		c.Data["organization"] = env.Organization.ID
	}
	// A regional API host serves its own region's environments: say so
	// if the configured environment is elsewhere.
	if apiRegion, ok := config.RegionForHost(hostOnly(s.APIURL)); ok && env.Region != "" && !strings.EqualFold(env.Region, apiRegion.Code) {
		c.Status = StatusWarn
		c.Detail += fmt.Sprintf("; but it is in region %s while the API host is in region %s", env.Region, apiRegion.Code)
		c.Hint = "set --region / PINGONE_REGION to " + env.Region
		if s.APIURLFrom == config.KeyAPIURL {
			c.Hint = "point --api-url / PINGONE_API_URL (" + sourceOf(s, config.KeyAPIURL) + ") at region " + env.Region + "'s API host"
		}
	}
	return c
}

func (d *doctor) targetFailure(id string, err error) Check {
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || (apiErr.Status != http.StatusForbidden && apiErr.Status != http.StatusNotFound) {
		c := failFromError(CheckTarget, cmdutil.WithTarget(err, cmdutil.TargetFor(d.settings, id, "reading environment")))
		c.Data = map[string]any{"id": id}
		return c
	}
	covering := d.covering(id)
	var c Check
	if apiErr.Status == http.StatusForbidden {
		c = fail(CheckTarget, cmdutil.ExitForbidden,
			fmt.Sprintf("the application may not read environment %s (%s): %s", id, apiErr.Error(), d.explainForbidden(id, covering)),
			grantHint(id))
	} else {
		explain, hint := d.explainNotFound(id, covering)
		c = fail(CheckTarget, cmdutil.ExitNotFound,
			fmt.Sprintf("environment %s was not found (%s): %s", id, apiErr.Error(), explain), hint)
	}
	if d.opts.Target == "" && d.envMismatch() {
		// The token comes from another environment than the configured
		// one (a custom domain or --token-url decides): the configured
		// ID is the likelier mistake than a missing role.
		c.code = cmdutil.ExitUsage
		c.Hint = fmt.Sprintf("the configured environment ID differs from the token's (%s): fix PINGONE_ENVIRONMENT_ID / --environment-id (%s), or %s if the token comes from the wrong environment; if both are right, %s",
			d.tokenEnv, sourceOf(d.settings, config.KeyEnvironmentID), d.authHostHint(), c.Hint)
	}
	c.Data = map[string]any{"id": id, "status": apiErr.Status, "rolesKnown": d.rolesKnown, "rolesCovering": roleNames(covering)}
	return c
}

// covering returns the assignments that apply to environment id.
func (d *doctor) covering(id string) []Assignment {
	out := []Assignment{}
	for _, a := range d.roles {
		if a.Covers(id) {
			out = append(out, a)
		}
	}
	return out
}

func (d *doctor) explainForbidden(id string, covering []Assignment) string {
	switch {
	case !d.rolesKnown:
		return "it has no role on that environment that can read it (its role assignments could not be read either)"
	case len(covering) == 0:
		return fmt.Sprintf("it has no role on that environment or on the organization (its roles cover: %s)", d.scopesSummary())
	default:
		return fmt.Sprintf("its roles there (%s) cannot read the environment itself", strings.Join(roleNames(covering), ", "))
	}
}

func (d *doctor) explainNotFound(id string, covering []Assignment) (string, string) {
	check := "check the ID (" + d.idSource() + ")"
	regionCheck := "and " + strings.TrimPrefix(d.apiHostHint(), "check ")
	switch {
	case !d.rolesKnown:
		return "the ID is probably wrong, or the application has no role on it", check + " " + regionCheck + "; if it is right, " + grantHint(id)
	case hasOrgRole(covering):
		return "the application has an organization-wide role and would see it, so the ID is probably wrong", check + " " + regionCheck
	case len(covering) > 0:
		return fmt.Sprintf("although the application has a role on it (%s): the API host may serve another region", strings.Join(roleNames(covering), ", ")),
			d.apiHostHint()
	default:
		return fmt.Sprintf("the application has no role on it (its roles cover: %s), so the ID is probably wrong, or the role is missing", d.scopesSummary()),
			check + " " + regionCheck + "; if it is right, " + grantHint(id)
	}
}

// idSource names where the target environment ID came from.
func (d *doctor) idSource() string {
	switch _, from := d.targetID(); from {
	case fromTarget:
		return "--target"
	case fromTokenEnv:
		return "the token's env claim: check --token-url / --custom-domain"
	}
	return "PINGONE_ENVIRONMENT_ID / --environment-id, " + sourceOf(d.settings, config.KeyEnvironmentID)
}

// scopesSummary lists the scopes the application's roles cover.
func (d *doctor) scopesSummary() string {
	if len(d.roles) == 0 {
		return "nothing"
	}
	var scopes []string
	seen := map[string]bool{}
	for _, a := range d.roles {
		s := strings.ToLower(a.ScopeType) + " " + a.ScopeID
		if !seen[s] {
			seen[s] = true
			scopes = append(scopes, s)
		}
	}
	return strings.Join(scopes, ", ")
}

func hasOrgRole(as []Assignment) bool {
	for _, a := range as {
		if a.ScopeType == ScopeOrganization {
			return true
		}
	}
	return false
}

func roleNames(as []Assignment) []string {
	names := []string{}
	seen := map[string]bool{}
	for _, a := range as {
		if !seen[a.RoleName] {
			seen[a.RoleName] = true
			names = append(names, a.RoleName)
		}
	}
	return names
}

func hostOnly(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Hostname()
	}
	return raw
}
