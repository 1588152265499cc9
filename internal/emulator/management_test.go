package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReadEnvironment(t *testing.T) {
	_, ts := newTestServer(t)
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)
	noRoles := basicToken(t, ts.URL, NoRolesClientID, NoRolesClientSecret)
	identity := basicToken(t, ts.URL, IdentityClientID, IdentityClientSecret)
	api := ts.URL + "/v1/environments/"

	tests := []struct {
		name   string
		id     string
		token  string
		status int
		code   string
		detail string
		msg    string
	}{
		{name: "own environment", id: DemoEnvironmentID, token: demo, status: 200},
		{name: "EU environment", id: EUEnvironmentID, token: demo, status: 200},
		{name: "upper-case ID", id: strings.ToUpper(EUEnvironmentID), token: demo, status: 200},
		{name: "org reader reads staging", id: StagingEnvironmentID, token: org, status: 200},
		{name: "no role on staging", id: StagingEnvironmentID, token: demo, status: 403, code: "ACCESS_FAILED", detail: "INSUFFICIENT_PERMISSIONS"},
		{name: "no roles at all", id: DemoEnvironmentID, token: noRoles, status: 403, code: "ACCESS_FAILED", detail: "INSUFFICIENT_PERMISSIONS"},
		{name: "role without permission", id: DemoEnvironmentID, token: identity, status: 403, code: "ACCESS_FAILED", detail: "INSUFFICIENT_PERMISSIONS"},
		{name: "unknown", id: "99999999-9999-4999-8999-999999999999", token: demo, status: 404, code: "NOT_FOUND",
			msg: "Unable to find environment with ID: '99999999-9999-4999-8999-999999999999'"},
		{name: "not a UUID", id: "production", token: demo, status: 400, code: "INVALID_DATA", detail: "INVALID_VALUE"},
		{name: "no token", id: DemoEnvironmentID, status: 401, code: "ACCESS_FAILED", detail: "INVALID_TOKEN"},
		{name: "garbage token", id: DemoEnvironmentID, token: "abc.def.ghi", status: 401, code: "ACCESS_FAILED", detail: "INVALID_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, api+tt.id, tt.token)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.body)
			}
			if ct := resp.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			body := resp.json(t)
			if tt.status == 200 {
				if !strings.EqualFold(body["id"].(string), tt.id) {
					t.Errorf("id = %v", body["id"])
				}
				return
			}
			if body["code"] != tt.code || detailCode(body) != tt.detail {
				t.Fatalf("body %s, want code %s detail %s", resp.body, tt.code, tt.detail)
			}
			if id, _ := body["id"].(string); !isUUID(id) || id != resp.header.Get("Correlation-Id") {
				t.Errorf("id %v, Correlation-Id %q", body["id"], resp.header.Get("Correlation-Id"))
			}
			if tt.msg != "" && body["message"] != tt.msg {
				t.Errorf("message = %v, want %q", body["message"], tt.msg)
			}
			if tt.status == 401 && !strings.HasPrefix(resp.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q", resp.header.Get("WWW-Authenticate"))
			}
			if tt.status == 400 {
				d := body["details"].([]any)[0].(map[string]any)
				if d["target"] != "id" {
					t.Errorf("target = %v", d["target"])
				}
			}
		})
	}
}

func TestEnvironmentResourceShape(t *testing.T) {
	_, ts := newTestServer(t)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)

	resp := get(t, ts.URL+"/v1/environments/"+EUEnvironmentID, org)
	if !strings.Contains(string(resp.body), `"name":"Développement – Zürich"`) {
		t.Errorf("non-ASCII name not served verbatim: %s", resp.body)
	}
	env := resp.json(t)
	for field, want := range map[string]any{
		"type": "SANDBOX", "region": "EU", "status": "ACTIVE", "subtype": "DEV",
		"createdAt": "2024-01-08T08:00:00Z",
	} {
		if env[field] != want {
			t.Errorf("%s = %v, want %v", field, env[field], want)
		}
	}
	links := env["_links"].(map[string]any)
	api := ts.URL + "/v1"
	for rel, href := range map[string]string{
		"self":         api + "/environments/" + EUEnvironmentID,
		"organization": api + "/organizations/" + DemoOrganizationID,
		"license":      api + "/licenses/e18c55cd-03fd-4c1a-a337-d375b48d4919",
	} {
		if got := links[rel].(map[string]any)["href"]; got != href {
			t.Errorf("_links.%s = %v, want %s", rel, got, href)
		}
	}
	if env["organization"].(map[string]any)["id"] != DemoOrganizationID {
		t.Errorf("organization = %v", env["organization"])
	}

	labs := get(t, ts.URL+"/v1/environments/"+LabsEnvironmentID, org).json(t)
	if labs["experimentalFlag"] != true {
		t.Errorf("unknown field not served back: %v", labs["experimentalFlag"])
	}
	bom := labs["billOfMaterials"].(map[string]any)
	if products := bom["products"].([]any); len(products) != 2 {
		t.Errorf("billOfMaterials.products = %v", products)
	}
	if _, ok := labs["_links"].(map[string]any)["billOfMaterials"]; !ok {
		t.Error("no billOfMaterials link")
	}
}

func TestBearerTokenValidity(t *testing.T) {
	clock := newFakeClock()
	s, ts := newTestServer(t, WithClock(clock.Now), WithTokenLifetime(time.Hour))
	u := ts.URL + "/v1/environments/" + DemoEnvironmentID
	tok := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)

	if resp := get(t, u, tok); resp.status != 200 {
		t.Fatalf("fresh token: status %d", resp.status)
	}
	clock.Advance(59 * time.Minute)
	if resp := get(t, u, tok); resp.status != 200 {
		t.Fatalf("token near expiry: status %d", resp.status)
	}
	clock.Advance(time.Minute)
	if resp := get(t, u, tok); resp.status != 401 || detailCode(resp.json(t)) != "INVALID_TOKEN" {
		t.Fatalf("expired token: status %d: %s", resp.status, resp.body)
	}

	// Revocation kills existing tokens only.
	old := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	s.RevokeTokens()
	if resp := get(t, u, old); resp.status != 401 {
		t.Fatalf("revoked token: status %d", resp.status)
	}
	if resp := get(t, u, basicToken(t, ts.URL, DemoClientID, DemoClientSecret)); resp.status != 200 {
		t.Fatalf("token after revocation: status %d", resp.status)
	}

	// Tokens of another emulator (another key) are refused.
	_, other := newTestServer(t)
	foreign := basicToken(t, other.URL, DemoClientID, DemoClientSecret)
	if resp := get(t, u, foreign); resp.status != 401 {
		t.Fatalf("foreign token: status %d", resp.status)
	}

	// Malformed Authorization headers.
	for _, h := range []string{"Basic abc", "Bearer", "Bearer  ", tok} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Authorization", h)
		if resp := do(t, req); resp.status != 401 {
			t.Errorf("Authorization %q: status %d", h, resp.status)
		}
	}
}

// listPage is a decoded environment list page.
type listPage struct {
	Links    map[string]struct{ Href string } `json:"_links"`
	Embedded struct {
		Environments []map[string]any `json:"environments"`
	} `json:"_embedded"`
	Count int `json:"count"`
	Size  int `json:"size"`
}

func listEnvironments(t *testing.T, u, token string) (listPage, response) {
	t.Helper()
	resp := get(t, u, token)
	var page listPage
	if resp.status == 200 {
		if err := json.Unmarshal(resp.body, &page); err != nil {
			t.Fatal(err)
		}
	}
	return page, resp
}

func TestListEnvironments(t *testing.T) {
	_, ts := newTestServer(t)
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)
	list := ts.URL + "/v1/environments"
	q := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return list + "?" + v.Encode()
	}

	tests := []struct {
		name  string
		url   string
		token string
		want  []string
	}{
		{"demo sees its environments", list, demo, []string{DemoEnvironmentID, EUEnvironmentID}},
		{"org reader sees all", list, org, []string{DemoEnvironmentID, EUEnvironmentID, StagingEnvironmentID, LabsEnvironmentID}},
		{"name sw", q("filter", `name sw "d"`), org, []string{EUEnvironmentID}},
		{"name sw non-ASCII", q("filter", `name sw "développement – z"`), org, []string{EUEnvironmentID}},
		{"id eq", q("filter", `id eq "`+StagingEnvironmentID+`"`), org, []string{StagingEnvironmentID}},
		{"status and license.id", q("filter", `status eq "ACTIVE" AND license.id eq "e18c55cd-03fd-4c1a-a337-d375b48d4919"`), org, []string{EUEnvironmentID, StagingEnvironmentID, LabsEnvironmentID}},
		{"organization.id", q("filter", `organization.id eq "`+DemoOrganizationID+`"`), demo, []string{DemoEnvironmentID, EUEnvironmentID}},
		{"license.id and name", q("filter", `license.id eq "e18c55cd-03fd-4c1a-a337-d375b48d4919" and name sw "S"`), org, []string{StagingEnvironmentID}},
		{"parenthesised", q("filter", `(name sw "S") and (license.id eq "e18c55cd-03fd-4c1a-a337-d375b48d4919")`), org, []string{StagingEnvironmentID}},
		{"nested parentheses", q("filter", `((status eq "ACTIVE" and (name sw "d")))`), org, []string{EUEnvironmentID}},
		{"escaped quote", q("filter", `name sw "a\"b"`), org, nil},
		{"filter respects permissions", q("filter", `name sw "Staging"`), demo, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, resp := listEnvironments(t, tt.url, tt.token)
			if resp.status != 200 {
				t.Fatalf("status %d: %s", resp.status, resp.body)
			}
			var got []string
			for _, e := range page.Embedded.Environments {
				got = append(got, e["id"].(string))
				if _, ok := e["_links"]; !ok {
					t.Error("embedded environment without _links")
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if page.Count != len(tt.want) || page.Size != len(tt.want) {
				t.Errorf("count %d size %d, want %d", page.Count, page.Size, len(tt.want))
			}
			if page.Links["self"].Href != tt.url {
				t.Errorf("self = %q, want %q", page.Links["self"].Href, tt.url)
			}
			if _, ok := page.Links["next"]; ok {
				t.Error("unexpected next link")
			}
		})
	}
}

func TestListEnvironmentsPaging(t *testing.T) {
	_, ts := newTestServer(t)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)
	next := ts.URL + "/v1/environments?limit=3"
	var ids []string
	pages := 0
	for next != "" {
		pages++
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		page, resp := listEnvironments(t, next, org)
		if resp.status != 200 {
			t.Fatalf("status %d: %s", resp.status, resp.body)
		}
		if page.Count != 4 {
			t.Errorf("count = %d, want 4", page.Count)
		}
		for _, e := range page.Embedded.Environments {
			ids = append(ids, e["id"].(string))
		}
		next = page.Links["next"].Href
		if next != "" && !strings.Contains(next, "cursor=") {
			t.Fatalf("next link without cursor: %s", next)
		}
	}
	if pages != 2 || len(ids) != 4 {
		t.Fatalf("%d pages, ids %v", pages, ids)
	}
}

// TestListEnvironmentsFilterLimit checks PingOne's documented rule for
// limit with a filter: a filter made only of organization.id eq and
// license.id eq conditions is paged by limit, with next links that keep the
// filter, while limit is ignored with any other filter (every match on one
// page, no next link). Each case follows the next links to the end.
func TestListEnvironmentsFilterLimit(t *testing.T) {
	_, ts := newTestServer(t)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)
	const lic = "e18c55cd-03fd-4c1a-a337-d375b48d4919"
	licensed := []string{EUEnvironmentID, StagingEnvironmentID, LabsEnvironmentID}
	all := []string{DemoEnvironmentID, EUEnvironmentID, StagingEnvironmentID, LabsEnvironmentID}
	tests := []struct {
		name, filter, limit string
		sizes               []int // environments on each page, in order
		want                []string
	}{
		{"license.id pages", `license.id eq "` + lic + `"`, "1", []int{1, 1, 1}, licensed},
		{"license.id EQ pages", `license.id EQ "` + lic + `"`, "2", []int{2, 1}, licensed},
		{"organization.id pages", `organization.id eq "` + DemoOrganizationID + `"`, "3", []int{3, 1}, all},
		{"organization.id and license.id page", `organization.id eq "` + DemoOrganizationID + `" and license.id eq "` + lic + `"`, "2", []int{2, 1}, licensed},
		{"parenthesised organization.id and license.id page", `(organization.id eq "` + DemoOrganizationID + `") and ((license.id eq "` + lic + `"))`, "2", []int{2, 1}, licensed},
		{"license.id without limit: default page size", `license.id eq "` + lic + `"`, "", []int{3}, licensed},
		{"license.id with a limit above the matches", `license.id eq "` + lic + `"`, "3", []int{3}, licensed},
		{"status ignores limit 1", `status eq "ACTIVE"`, "1", []int{4}, all},
		{"status ignores limit 3", `status eq "ACTIVE"`, "3", []int{4}, all},
		{"status without limit", `status eq "ACTIVE"`, "", []int{4}, all},
		{"license.id and status ignores limit", `license.id eq "` + lic + `" and status eq "ACTIVE"`, "1", []int{3}, licensed},
		{"parenthesised name and license.id ignores limit", `(name sw "") and (license.id eq "` + lic + `")`, "2", []int{3}, licensed},
		{"organization.id and name ignores limit", `organization.id eq "` + DemoOrganizationID + `" and name sw ""`, "1", []int{4}, all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := url.Values{"filter": {tt.filter}}
			if tt.limit != "" {
				v.Set("limit", tt.limit)
			}
			next := ts.URL + "/v1/environments?" + v.Encode()
			var sizes []int
			var ids []string
			for next != "" {
				if len(sizes) > len(tt.sizes) {
					t.Fatalf("more than %d pages: %v so far", len(tt.sizes), sizes)
				}
				page, resp := listEnvironments(t, next, org)
				if resp.status != 200 {
					t.Fatalf("status %d: %s", resp.status, resp.body)
				}
				if page.Count != len(tt.want) || page.Size != len(page.Embedded.Environments) {
					t.Errorf("count %d, size %d for %d environments; want count %d", page.Count, page.Size, len(page.Embedded.Environments), len(tt.want))
				}
				sizes = append(sizes, len(page.Embedded.Environments))
				for _, e := range page.Embedded.Environments {
					ids = append(ids, e["id"].(string))
				}
				next = page.Links["next"].Href
				if next == "" {
					break
				}
				u, err := url.Parse(next)
				if err != nil {
					t.Fatal(err)
				}
				if q := u.Query(); q.Get("filter") != tt.filter || q.Get("limit") != tt.limit || !q.Has("cursor") {
					t.Errorf("next link %s: want the filter, limit %s and a cursor", next, tt.limit)
				}
			}
			if !slices.Equal(sizes, tt.sizes) {
				t.Errorf("page sizes %v, want %v", sizes, tt.sizes)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("environments %v, want %v", ids, tt.want)
			}
		})
	}
}

func TestListEnvironmentsErrors(t *testing.T) {
	_, ts := newTestServer(t)
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	noRoles := basicToken(t, ts.URL, NoRolesClientID, NoRolesClientSecret)
	list := ts.URL + "/v1/environments"
	tests := []struct {
		name, url, token string
		status           int
		code, target     string
	}{
		{"limit zero", list + "?limit=0", demo, 400, "INVALID_DATA", "limit"},
		{"limit too big", list + "?limit=501", demo, 400, "INVALID_DATA", "limit"},
		{"limit not a number", list + "?limit=ten", demo, 400, "INVALID_DATA", "limit"},
		{"or filter", list + "?filter=" + url.QueryEscape(`name sw "a" or name sw "b"`), demo, 400, "INVALID_DATA", "filter"},
		{"unknown attribute", list + "?filter=" + url.QueryEscape(`colour eq "blue"`), demo, 400, "INVALID_DATA", "filter"},
		{"unknown operator", list + "?filter=" + url.QueryEscape(`name co "x"`), demo, 400, "INVALID_DATA", "filter"},
		{"unquoted value", list + "?filter=" + url.QueryEscape(`name sw x`), demo, 400, "INVALID_DATA", "filter"},
		{"unterminated", list + "?filter=" + url.QueryEscape(`name sw "x`), demo, 400, "INVALID_DATA", "filter"},
		{"unclosed parenthesis", list + "?filter=" + url.QueryEscape(`(name sw "x"`), demo, 400, "INVALID_DATA", "filter"},
		{"unopened parenthesis", list + "?filter=" + url.QueryEscape(`name sw "x")`), demo, 400, "INVALID_DATA", "filter"},
		{"brackets", list + "?filter=" + url.QueryEscape(`[name sw "x"]`), demo, 400, "INVALID_DATA", "filter"},
		{"dangling and", list + "?filter=" + url.QueryEscape(`name sw "x" and`), demo, 400, "INVALID_DATA", "filter"},
		{"empty filter", list + "?filter=", demo, 400, "INVALID_DATA", "filter"},
		{"bad cursor", list + "?cursor=!!", demo, 400, "INVALID_DATA", "cursor"},
		{"foreign cursor", list + "?cursor=" + "b2Zmc2V0OjE", demo, 400, "INVALID_DATA", "cursor"},
		{"no roles", list, noRoles, 403, "ACCESS_FAILED", ""},
		{"no token", list, "", 401, "ACCESS_FAILED", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, tt.url, tt.token)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.body)
			}
			body := resp.json(t)
			if body["code"] != tt.code {
				t.Fatalf("code = %v, want %s", body["code"], tt.code)
			}
			if tt.target != "" {
				d := body["details"].([]any)[0].(map[string]any)
				if d["target"] != tt.target || d["code"] != "INVALID_VALUE" {
					t.Errorf("details[0] = %v", d)
				}
			}
		})
	}
}

func TestRoleAssignments(t *testing.T) {
	_, ts := newTestServer(t)
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	noRoles := basicToken(t, ts.URL, NoRolesClientID, NoRolesClientSecret)
	u := func(env, app string) string {
		return ts.URL + "/v1/environments/" + env + "/applications/" + app + "/roleAssignments"
	}

	resp := get(t, u(DemoEnvironmentID, DemoClientID), demo)
	if resp.status != 200 {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	var list struct {
		Embedded struct {
			RoleAssignments []struct {
				ID          string `json:"id"`
				Role        struct{ ID string }
				Scope       struct{ ID, Type string }
				Environment struct{ ID string }
				ReadOnly    *bool `json:"readOnly"`
			} `json:"roleAssignments"`
		} `json:"_embedded"`
		Count int `json:"count"`
		Size  int `json:"size"`
	}
	if err := json.Unmarshal(resp.body, &list); err != nil {
		t.Fatal(err)
	}
	ras := list.Embedded.RoleAssignments
	if len(ras) != 3 || list.Count != 3 || list.Size != 3 {
		t.Fatalf("got %d assignments (count %d): %s", len(ras), list.Count, resp.body)
	}
	first := ras[0]
	if first.ID != "ddbbfc2e-6f8f-4ea9-a749-b0101eef89d3" || first.Role.ID != EnvironmentAdminRoleID ||
		first.Scope.ID != DemoEnvironmentID || first.Scope.Type != "ENVIRONMENT" ||
		first.Environment.ID != DemoEnvironmentID || first.ReadOnly == nil || *first.ReadOnly {
		t.Errorf("first assignment = %+v", first)
	}

	tests := []struct {
		name, url, token string
		status           int
		code             string
	}{
		{"another app in the environment", u(DemoEnvironmentID, OrgReaderClientID), demo, 200, ""},
		{"no permission", u(DemoEnvironmentID, NoRolesClientID), noRoles, 403, "ACCESS_FAILED"},
		{"environment without role", u(StagingEnvironmentID, DemoClientID), demo, 403, "ACCESS_FAILED"},
		{"unknown app", u(DemoEnvironmentID, "99999999-9999-4999-8999-999999999999"), demo, 404, "NOT_FOUND"},
		{"app of another environment", u(EUEnvironmentID, DemoClientID), demo, 404, "NOT_FOUND"},
		{"unknown environment", u("99999999-9999-4999-8999-999999999999", DemoClientID), demo, 404, "NOT_FOUND"},
		{"bad environment id", u("prod", DemoClientID), demo, 400, "INVALID_DATA"},
		{"bad app id", u(DemoEnvironmentID, "app"), demo, 400, "INVALID_DATA"},
		{"no token", u(DemoEnvironmentID, DemoClientID), "", 401, "ACCESS_FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, tt.url, tt.token)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.body)
			}
			if tt.code != "" && resp.json(t)["code"] != tt.code {
				t.Fatalf("body %s, want code %s", resp.body, tt.code)
			}
		})
	}
}

func TestReadRole(t *testing.T) {
	_, ts := newTestServer(t)
	noRoles := basicToken(t, ts.URL, NoRolesClientID, NoRolesClientSecret)

	resp := get(t, ts.URL+"/v1/roles/"+EnvironmentAdminRoleID, noRoles)
	if resp.status != 200 {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	role := resp.json(t)
	if role["id"] != EnvironmentAdminRoleID || role["name"] != "Environment Admin" || role["description"] == "" {
		t.Errorf("role = %s", resp.body)
	}
	var perms []string
	for _, p := range role["permissions"].([]any) {
		perms = append(perms, p.(map[string]any)["id"].(string))
	}
	if !strings.Contains(strings.Join(perms, " "), "orgmgt:read:environment") {
		t.Errorf("permissions = %v", perms)
	}

	for _, tt := range []struct {
		name, id, token string
		status          int
		code            string
	}{
		{"unknown", "99999999-9999-4999-8999-999999999999", noRoles, 404, "NOT_FOUND"},
		{"not a UUID", "admin", noRoles, 400, "INVALID_DATA"},
		{"no token", EnvironmentAdminRoleID, "", 401, "ACCESS_FAILED"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, ts.URL+"/v1/roles/"+tt.id, tt.token)
			if resp.status != tt.status || resp.json(t)["code"] != tt.code {
				t.Fatalf("status %d: %s", resp.status, resp.body)
			}
		})
	}
}

// TestManagementAuthenticatesFirst checks that on the management API a
// missing or invalid token is answered 401 before the path (404) or the
// method (405) is looked at, while the auth host's public paths need none.
func TestManagementAuthenticatesFirst(t *testing.T) {
	_, ts := newTestServer(t)
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	tests := []struct {
		name, method, path, token string
		status                    int
		code                      string
	}{
		{"unknown API path, no token", http.MethodGet, "/v1/organizations", "", 401, "ACCESS_FAILED"},
		{"unknown API path, bad token", http.MethodGet, "/v1/environments/" + DemoEnvironmentID + "/populations", "not-a-token", 401, "ACCESS_FAILED"},
		{"API root, no token", http.MethodGet, "/v1", "", 401, "ACCESS_FAILED"},
		{"wrong method, no token", http.MethodDelete, "/v1/environments/" + DemoEnvironmentID, "", 401, "ACCESS_FAILED"},
		{"wrong method, bad token", http.MethodPost, "/v1/environments", "not-a-token", 401, "ACCESS_FAILED"},
		{"unknown API path, valid token", http.MethodGet, "/v1/organizations", demo, 404, "NOT_FOUND"},
		{"wrong method, valid token", http.MethodDelete, "/v1/environments/" + DemoEnvironmentID, demo, 405, "METHOD_NOT_ALLOWED"},
		{"unknown auth host path, no token", http.MethodGet, "/" + DemoEnvironmentID + "/as/authorize", "", 404, "NOT_FOUND"},
		{"root, no token", http.MethodGet, "/", "", 404, "NOT_FOUND"},
		{"JWKS wrong method, no token", http.MethodPost, "/" + DemoEnvironmentID + "/as/jwks", "", 405, "METHOD_NOT_ALLOWED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, ts.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp := do(t, req)
			body := resp.json(t)
			if resp.status != tt.status || body["code"] != tt.code {
				t.Fatalf("status %d, want %d %s: %s", resp.status, tt.status, tt.code, resp.body)
			}
			if id, _ := body["id"].(string); id != resp.header.Get("Correlation-Id") || !isUUID(id) {
				t.Errorf("id %q, Correlation-Id %q", id, resp.header.Get("Correlation-Id"))
			}
			if _, ok := body["message"].(string); !ok {
				t.Errorf("no message: %s", resp.body)
			}
			if tt.status == 401 {
				if detailCode(body) != "INVALID_TOKEN" {
					t.Errorf("details: %s", resp.body)
				}
				if !strings.HasPrefix(resp.header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate = %q", resp.header.Get("WWW-Authenticate"))
				}
				if resp.header.Get("Allow") != "" {
					t.Errorf("Allow %q on a 401", resp.header.Get("Allow"))
				}
			}
		})
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	s, ts := newTestServer(t)
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	for _, path := range []string{"/", "/v1", "/v1/organizations", "/v1/environments/" + DemoEnvironmentID + "/populations", "/" + DemoEnvironmentID + "/as/authorize"} {
		resp := get(t, ts.URL+path, demo)
		if resp.status != 404 || resp.json(t)["code"] != "NOT_FOUND" {
			t.Errorf("%s: status %d: %s", path, resp.status, resp.body)
		}
	}
	if got := s.Count(EndpointUnknown); got != 5 {
		t.Errorf("Count(unknown) = %d", got)
	}
	for _, path := range []string{"/v1/environments", "/v1/environments/" + DemoEnvironmentID, "/v1/roles/" + EnvironmentAdminRoleID, "/" + DemoEnvironmentID + "/as/jwks"} {
		req, _ := http.NewRequest(http.MethodDelete, ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+demo)
		resp := do(t, req)
		if resp.status != 405 || resp.header.Get("Allow") != http.MethodGet || resp.json(t)["code"] != "METHOD_NOT_ALLOWED" {
			t.Errorf("DELETE %s: status %d, Allow %q: %s", path, resp.status, resp.header.Get("Allow"), resp.body)
		}
	}
}
