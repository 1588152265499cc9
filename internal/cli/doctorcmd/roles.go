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

// Role assignment scope types.
const (
	ScopeOrganization = "ORGANIZATION"
	ScopeEnvironment  = "ENVIRONMENT"
)

// maxRolePages bounds how many pages of role assignments doctor follows.
const maxRolePages = 20

// Assignment is one of the application's role assignments.
type Assignment struct {
	ID        string `json:"id"`
	RoleID    string `json:"roleId"`
	RoleName  string `json:"roleName"`
	ScopeType string `json:"scopeType"`
	ScopeID   string `json:"scopeId"`
}

// Covers reports whether the assignment applies to environment envID:
// scoped to it or to the whole organization.
func (a Assignment) Covers(envID string) bool {
	return a.ScopeType == ScopeOrganization || (a.ScopeType == ScopeEnvironment && strings.EqualFold(a.ScopeID, envID))
}

// roleAssignmentPage is one page of
// GET /environments/{envId}/applications/{appId}/roleAssignments.
type roleAssignmentPage struct {
	Links struct {
		Next *struct {
			Href string `json:"href"`
		} `json:"next"`
	} `json:"_links"`
	Embedded struct {
		RoleAssignments []struct {
			ID   string `json:"id"`
			Role struct {
				ID string `json:"id"`
			} `json:"role"`
			Scope struct {
				ID   string `json:"id"`
				Type string `json:"type"`
			} `json:"scope"`
		} `json:"roleAssignments"`
	} `json:"_embedded"`
}

// checkRoles lists the application's role assignments. For a worker
// application the client ID is the application ID.
func (d *doctor) checkRoles(ctx context.Context) []Check {
	s := d.settings
	client, err := d.opts.NewAPI(s.APIURL, d.tokens)
	if err != nil {
		return []Check{failFromError(CheckRoles, err)}
	}
	d.api = client
	envID, from := d.appEnvironment()
	if envID == "" {
		c := warn(CheckRoles, "no environment ID is configured and the token has no env claim, so the application's role assignments cannot be listed",
			"set "+config.HowToSet(config.KeyEnvironmentID)+" to the environment that holds the application")
		c.Data = map[string]any{"rolesKnown": false}
		return []Check{c}
	}
	c := d.listRoles(ctx, envID)
	if from != fromConfig {
		// Say which environment was read, and why.
		note := "environment " + envID + ", from " + describeSource(from)
		if strings.Contains(c.Detail, envID) {
			note = "the environment from " + describeSource(from)
		}
		if d.envMismatch() {
			note += ", not the configured " + s.EnvironmentID
		}
		c.Detail += " (" + note + ")"
	}
	if c.Data == nil {
		c.Data = map[string]any{}
	}
	c.Data["environmentId"], c.Data["idSource"] = envID, from
	return []Check{c}
}

// listRoles lists the application's role assignments in envID, with
// their role names.
func (d *doctor) listRoles(ctx context.Context, envID string) Check {
	s := d.settings
	assignments, err := d.listAssignments(ctx, envID, s.ClientID)
	if err != nil {
		return d.rolesFailure(envID, err)
	}
	d.roles, d.rolesKnown = assignments, true
	names := map[string]string{}
	for i, a := range d.roles {
		name, ok := names[a.RoleID]
		if !ok {
			name = d.roleName(ctx, a.RoleID)
			names[a.RoleID] = name
		}
		d.roles[i].RoleName = name
	}
	if len(d.roles) == 0 {
		c := warn(CheckRoles, fmt.Sprintf("application %s has no role assignments: it gets tokens but may not use the management API", s.ClientID),
			"grant it a role in the admin console: Applications > the application > Roles > Grant Roles")
		c.Data = map[string]any{"assignments": []Assignment{}}
		return c
	}
	target, _ := d.targetID()
	rows := make([][]string, len(d.roles))
	for i, a := range d.roles {
		row := []string{a.RoleName, a.ScopeType, a.ScopeID}
		if a.Covers(target) {
			row = append(row, "(covers the target environment)")
		}
		rows[i] = row
	}
	c := pass(CheckRoles, fmt.Sprintf("%d role %s", len(d.roles), plural(len(d.roles), "assignment", "assignments")))
	c.Data = map[string]any{"assignments": d.roles}
	c.lines = tableLines(rows)
	return c
}

// listAssignments reads every page of the application's role assignments.
func (d *doctor) listAssignments(ctx context.Context, envID, appID string) ([]Assignment, error) {
	path := "/environments/" + url.PathEscape(envID) + "/applications/" + url.PathEscape(appID) + "/roleAssignments"
	out := []Assignment{}
	for range maxRolePages {
		var page roleAssignmentPage
		if _, err := d.api.GetJSON(ctx, path, &page); err != nil {
			return nil, err
		}
		for _, ra := range page.Embedded.RoleAssignments {
			out = append(out, Assignment{ID: ra.ID, RoleID: ra.Role.ID, RoleName: ra.Role.ID, ScopeType: ra.Scope.Type, ScopeID: ra.Scope.ID})
		}
		if page.Links.Next == nil || page.Links.Next.Href == "" || page.Links.Next.Href == path {
			break
		}
		path = page.Links.Next.Href
	}
	return out, nil
}

// roleName looks a role's name up; on any error the ID stands in for it.
func (d *doctor) roleName(ctx context.Context, id string) string {
	var role struct {
		Name string `json:"name"`
	}
	if _, err := d.api.GetJSON(ctx, "/roles/"+url.PathEscape(id), &role); err != nil || role.Name == "" {
		return id
	}
	return role.Name
}

// rolesFailure reports why the role assignments in envID could not be
// read. Being refused (403) or not finding the application (404) is a
// warning: the last check still runs. Anything else fails.
func (d *doctor) rolesFailure(envID string, err error) Check {
	s := d.settings
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || apiErr.Status == http.StatusUnauthorized || apiErr.Status == http.StatusTooManyRequests || apiErr.Status >= 500 {
		return failFromError(CheckRoles, cmdutil.WithTarget(err, cmdutil.TargetFor(s, envID, "listing the application's role assignments in environment "+envID)))
	}
	var c Check
	switch apiErr.Status {
	case http.StatusForbidden:
		c = warn(CheckRoles,
			fmt.Sprintf("the application may not read its own role assignments in environment %s (%s), so they cannot be shown", envID, apiErr.Error()),
			"that needs a role with orgmgt:read:roleAssignment there (Environment Admin, Configuration Read Only or Organization Admin); without one it probably has no admin role on that environment")
	case http.StatusNotFound:
		c = warn(CheckRoles,
			fmt.Sprintf("client ID %s is not an application in environment %s (%s)", s.ClientID, envID, apiErr.Error()),
			"for a worker application the client ID is the application ID: check PINGONE_CLIENT_ID and PINGONE_ENVIRONMENT_ID name the application and the environment that holds it")
	default:
		c = warn(CheckRoles, fmt.Sprintf("PingOne refused to list the application's role assignments (%s)", apiErr.Error()), "")
	}
	c.Data = map[string]any{"status": apiErr.Status}
	return c
}
