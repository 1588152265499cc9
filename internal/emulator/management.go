package emulator

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Permissions the management endpoints require.
const (
	permReadEnvironment    = "orgmgt:read:environment"
	permReadRoleAssignment = "orgmgt:read:roleAssignment"
)

// Environment list paging.
const (
	defaultPageSize = 100
	maxPageSize     = 500
	cursorPrefix    = "p1emu-offset:"
)

// link is a HAL link.
type link struct {
	Href string `json:"href"`
}

// authorize authenticates the bearer token, answering 401 if it fails.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) (*clientRecord, bool) {
	c, missing, err := s.authenticate(r)
	if err != nil {
		writeInvalidToken(w, missing)
		return nil, false
	}
	return c, true
}

// can reports whether c holds a role granting perm on envID, either
// through an organization-scoped or an environment-scoped assignment.
func (s *Server) can(c *clientRecord, perm, envID string) bool {
	for _, ra := range c.RoleAssignments {
		role := s.data.roles[idKey(ra.RoleID)]
		if role == nil || !slices.Contains(role.Permissions, perm) {
			continue
		}
		switch ra.ScopeType {
		case ScopeTypeOrganization:
			return true
		case ScopeTypeEnvironment:
			if idKey(ra.ScopeID) == idKey(envID) {
				return true
			}
		}
	}
	return false
}

// canAnywhere reports whether c holds perm on anything at all.
func (s *Server) canAnywhere(c *clientRecord, perm string) bool {
	for _, ra := range c.RoleAssignments {
		if role := s.data.roles[idKey(ra.RoleID)]; role != nil && slices.Contains(role.Permissions, perm) {
			return true
		}
	}
	return false
}

// environmentFor returns the environment envID (a valid UUID) names if c
// holds perm on it. Otherwise it answers and returns false: 404 NOT_FOUND
// for an environment that does not exist, else 403 for a missing
// permission. With the MissingEnvironmentForbidden quirk, an environment
// that does not exist answers 403 too, unless c holds perm through an
// organization-level role (the only way to hold it on an environment that
// does not exist).
func (s *Server) environmentFor(w http.ResponseWriter, c *clientRecord, perm, envID string) (map[string]any, bool) {
	env := s.data.envByID[idKey(envID)]
	allowed := s.can(c, perm, envID)
	switch {
	case env == nil && (allowed || !s.Quirks().MissingEnvironmentForbidden):
		writeAPIError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Unable to find environment with ID: '%s'", envID))
		return nil, false
	case !allowed:
		writeForbidden(w)
		return nil, false
	}
	return env, true
}

// expandBillOfMaterials is the one expand value PingOne documents for
// environments.
const expandBillOfMaterials = "billOfMaterials"

// parseExpand checks the expand query parameter, answering 400 for a value
// other than billOfMaterials, and reports whether the bill of materials is
// to be embedded.
func parseExpand(w http.ResponseWriter, q url.Values) (bool, bool) {
	if !q.Has("expand") {
		return false, true
	}
	if q.Get("expand") != expandBillOfMaterials {
		writeInvalidData(w, "expand", "The expand parameter supports only billOfMaterials.")
		return false, false
	}
	return true, true
}

// billOfMaterialsResource is an environment's bill of materials as served
// on its own (GET .../billOfMaterials) or embedded (expand): a copy with a
// self link.
func (s *Server) billOfMaterialsResource(r *http.Request, env map[string]any) (map[string]any, bool) {
	bom, ok := env["billOfMaterials"].(map[string]any)
	if !ok {
		return nil, false
	}
	out := maps.Clone(bom)
	out["_links"] = map[string]link{
		"self": {s.apiBaseURL(r) + "/environments/" + env["id"].(string) + "/billOfMaterials"},
	}
	return out, true
}

// environmentResource returns the resource as served: a copy with HAL
// links based on the request's API URL and, with expand, the bill of
// materials embedded.
func (s *Server) environmentResource(r *http.Request, env map[string]any, expand bool) map[string]any {
	api := s.apiBaseURL(r)
	self := api + "/environments/" + env["id"].(string)
	links := map[string]link{
		"self":         {self},
		"organization": {api + "/organizations/" + s.data.orgID},
	}
	if lic, ok := lookupString(env, "license.id"); ok {
		links["license"] = link{api + "/licenses/" + lic}
	}
	if _, ok := env["billOfMaterials"]; ok {
		links["billOfMaterials"] = link{self + "/billOfMaterials"}
	}
	out := maps.Clone(env)
	out["_links"] = links
	if bom, ok := s.billOfMaterialsResource(r, env); ok && expand {
		out["_embedded"] = map[string]any{expandBillOfMaterials: bom}
	}
	return out
}

// serveEnvironment answers GET /v1/environments/{id}.
func (s *Server) serveEnvironment(w http.ResponseWriter, r *http.Request, c *clientRecord, id string) {
	if !isUUID(id) {
		writeInvalidData(w, "id", "The environment ID must be a valid UUID.")
		return
	}
	expand, ok := parseExpand(w, r.URL.Query())
	if !ok {
		return
	}
	env, ok := s.environmentFor(w, c, permReadEnvironment, id)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, s.environmentResource(r, env, expand))
}

// serveBillOfMaterials answers GET /v1/environments/{id}/billOfMaterials,
// the target of an environment's billOfMaterials link. An environment
// whose fixture has no bill of materials answers 404, as it has no link.
func (s *Server) serveBillOfMaterials(w http.ResponseWriter, r *http.Request, c *clientRecord, id string) {
	if !isUUID(id) {
		writeInvalidData(w, "environmentId", "The environment ID must be a valid UUID.")
		return
	}
	env, ok := s.environmentFor(w, c, permReadEnvironment, id)
	if !ok {
		return
	}
	bom, ok := s.billOfMaterialsResource(r, env)
	if !ok {
		writeAPIError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Unable to find bill of materials for environment with ID: '%s'", id))
		return
	}
	writeJSON(w, http.StatusOK, bom)
}

// environmentList is the HAL collection of GET /v1/environments.
type environmentList struct {
	Links    map[string]link             `json:"_links"`
	Embedded map[string][]map[string]any `json:"_embedded"`
	Count    int                         `json:"count"`
	Size     int                         `json:"size"`
}

// serveEnvironments answers GET /v1/environments: the environments the
// caller may read, paged by limit and an opaque cursor. As PingOne
// documents, limit also pages a filter made only of organization.id eq and
// license.id eq conditions (the next link then carries the filter too),
// and is ignored with any other filter: every match comes on one page,
// with no next link (limit must still be valid). count is the number of
// matching environments, size the number on this page.
func (s *Server) serveEnvironments(w http.ResponseWriter, r *http.Request, c *clientRecord) {
	q := r.URL.Query()
	limit := defaultPageSize
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 || n > maxPageSize {
			writeInvalidData(w, "limit", fmt.Sprintf("The limit must be an integer from 1 to %d.", maxPageSize))
			return
		}
		limit = n
	}
	var filter envFilter
	if q.Has("filter") {
		f, err := parseFilter(q.Get("filter"))
		if err != nil {
			writeInvalidData(w, "filter", fmt.Sprintf("Unsupported filter: %v.", err))
			return
		}
		filter = f
	}
	expand, ok := parseExpand(w, q)
	if !ok {
		return
	}
	var order envOrder
	if q.Has("order") {
		o, err := parseOrder(q.Get("order"))
		if err != nil {
			writeInvalidData(w, "order", fmt.Sprintf("Unsupported order: %v.", err))
			return
		}
		order = o
	}
	offset := 0
	if q.Has("cursor") {
		n, err := decodeCursor(q.Get("cursor"))
		if err != nil {
			writeInvalidData(w, "cursor", "The cursor is not valid.")
			return
		}
		offset = n
	}
	if !s.canAnywhere(c, permReadEnvironment) {
		writeForbidden(w)
		return
	}

	var matching []map[string]any
	for _, env := range s.data.envs {
		if s.can(c, permReadEnvironment, env["id"].(string)) && filter.matches(env) {
			matching = append(matching, env)
		}
	}
	order.sort(matching)
	if !filter.honoursLimit() {
		limit = len(matching)
	}
	start := min(offset, len(matching))
	end := min(start+limit, len(matching))
	page := make([]map[string]any, 0, end-start)
	for _, env := range matching[start:end] {
		page = append(page, s.environmentResource(r, env, expand))
	}

	api := s.apiBaseURL(r)
	self := api + "/environments"
	if r.URL.RawQuery != "" {
		self += "?" + r.URL.RawQuery
	}
	links := map[string]link{"self": {self}}
	if end < len(matching) {
		next := url.Values{}
		for _, keep := range []string{"filter", "expand", "order"} {
			if q.Has(keep) {
				next.Set(keep, q.Get(keep))
			}
		}
		next.Set("limit", strconv.Itoa(limit))
		next.Set("cursor", encodeCursor(end))
		links["next"] = link{api + "/environments?" + next.Encode()}
	}
	writeJSON(w, http.StatusOK, environmentList{
		Links:    links,
		Embedded: map[string][]map[string]any{"environments": page},
		Count:    len(matching),
		Size:     len(page),
	})
}

// encodeCursor makes the opaque cursor of the page starting at offset.
func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

// decodeCursor reverses encodeCursor.
func decodeCursor(cursor string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return 0, fmt.Errorf("decode cursor: %w", err)
	}
	num, ok := strings.CutPrefix(string(raw), cursorPrefix)
	if !ok {
		return 0, fmt.Errorf("cursor %q: not made by this server", cursor)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("cursor %q: bad offset", cursor)
	}
	return n, nil
}

// roleAssignment is one entry of a role assignment list.
type roleAssignment struct {
	ID          string          `json:"id"`
	Role        idRef           `json:"role"`
	Scope       assignmentScope `json:"scope"`
	Environment idRef           `json:"environment"`
	ReadOnly    bool            `json:"readOnly"`
	Links       map[string]link `json:"_links"`
}

// idRef is a reference to a resource by ID.
type idRef struct {
	ID string `json:"id"`
}

// assignmentScope is what a role assignment applies to.
type assignmentScope struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// roleAssignmentList is the HAL collection of role assignments.
type roleAssignmentList struct {
	Links    map[string]link             `json:"_links"`
	Embedded map[string][]roleAssignment `json:"_embedded"`
	Count    int                         `json:"count"`
	Size     int                         `json:"size"`
}

// serveRoleAssignments answers
// GET /v1/environments/{envId}/applications/{appId}/roleAssignments.
func (s *Server) serveRoleAssignments(w http.ResponseWriter, r *http.Request, c *clientRecord, envID, appID string) {
	if !isUUID(envID) {
		writeInvalidData(w, "environmentId", "The environment ID must be a valid UUID.")
		return
	}
	if !isUUID(appID) {
		writeInvalidData(w, "applicationId", "The application ID must be a valid UUID.")
		return
	}
	if _, ok := s.environmentFor(w, c, permReadRoleAssignment, envID); !ok {
		return
	}
	app := s.clientIn(envID, appID)
	if app == nil {
		writeAPIError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Unable to find application with ID: '%s'", appID))
		return
	}
	api := s.apiBaseURL(r)
	self := api + "/environments/" + envID + "/applications/" + appID + "/roleAssignments"
	items := make([]roleAssignment, 0, len(app.RoleAssignments))
	for _, ra := range app.RoleAssignments {
		items = append(items, roleAssignment{
			ID:          ra.ID,
			Role:        idRef{ra.RoleID},
			Scope:       assignmentScope{ID: ra.ScopeID, Type: ra.ScopeType},
			Environment: idRef{app.EnvironmentID},
			ReadOnly:    ra.ReadOnly,
			Links: map[string]link{
				"self": {self + "/" + ra.ID},
				"role": {api + "/roles/" + ra.RoleID},
			},
		})
	}
	writeJSON(w, http.StatusOK, roleAssignmentList{
		Links:    map[string]link{"self": {self}},
		Embedded: map[string][]roleAssignment{"roleAssignments": items},
		Count:    len(items),
		Size:     len(items),
	})
}

// roleResource is a role as served.
type roleResource struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Permissions []idRef         `json:"permissions"`
	Links       map[string]link `json:"_links"`
}

// serveRole answers GET /v1/roles/{id}. Any valid token may read roles.
func (s *Server) serveRole(w http.ResponseWriter, r *http.Request, _ *clientRecord, id string) {
	if !isUUID(id) {
		writeInvalidData(w, "roleId", "The role ID must be a valid UUID.")
		return
	}
	role := s.data.roles[idKey(id)]
	if role == nil {
		writeAPIError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Unable to find role with ID: '%s'", id))
		return
	}
	perms := make([]idRef, len(role.Permissions))
	for i, p := range role.Permissions {
		perms[i] = idRef{p}
	}
	writeJSON(w, http.StatusOK, roleResource{
		ID:          role.ID,
		Name:        role.Name,
		Description: role.Description,
		Permissions: perms,
		Links:       map[string]link{"self": {s.apiBaseURL(r) + "/roles/" + role.ID}},
	})
}
