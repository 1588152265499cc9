package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// missingEnvironmentID is a well-formed environment ID no fixture knows.
const missingEnvironmentID = "99999999-9999-4999-8999-999999999999"

// orgIdentityClientID holds Identity Data Admin on the whole organization:
// an organization-level role that cannot read environments.
const (
	orgIdentityClientID     = "0c9f4a52-3b36-4c4e-9d43-5f1f8e0f6a11"
	orgIdentityClientSecret = "org-identity-secret"
)

// quirkFixture is the default fixture plus orgIdentityClientID.
func quirkFixture() *Fixture {
	f := DefaultFixture()
	f.Clients = append(f.Clients, Client{
		ID:            orgIdentityClientID,
		Secret:        orgIdentityClientSecret,
		EnvironmentID: DemoEnvironmentID,
		RoleAssignments: []RoleAssignment{
			{RoleID: IdentityDataAdminRoleID, ScopeType: ScopeTypeOrganization},
		},
	})
	return f
}

// envURL and roleAssignmentsURL are the environment-scoped endpoints.
func envURL(base, envID string) string { return base + "/v1/environments/" + envID }

func roleAssignmentsURL(base, envID, appID string) string {
	return base + "/v1/environments/" + envID + "/applications/" + appID + "/roleAssignments"
}

// TestMissingEnvironmentQuirk checks who gets 403 rather than 404 for an
// environment that does not exist with the MissingEnvironmentForbidden
// quirk (everyone but holders of the permission through an
// organization-level role), that everyone gets 404 without it, and that an
// existing environment answers the same either way.
func TestMissingEnvironmentQuirk(t *testing.T) {
	type call struct {
		name   string
		url    func(base string) string
		client string
		// want is the status without the quirk, then with it.
		want [2]int
	}
	missingEnv := func(base string) string { return envURL(base, missingEnvironmentID) }
	missingRAs := func(base string) string { return roleAssignmentsURL(base, missingEnvironmentID, DemoClientID) }
	calls := []call{
		{"environment: environment-level role", missingEnv, DemoClientID, [2]int{404, 403}},
		{"environment: organization-level role with the permission", missingEnv, OrgReaderClientID, [2]int{404, 404}},
		{"environment: organization-level role without the permission", missingEnv, orgIdentityClientID, [2]int{404, 403}},
		{"environment: environment-level role without the permission", missingEnv, IdentityClientID, [2]int{404, 403}},
		{"environment: no roles", missingEnv, NoRolesClientID, [2]int{404, 403}},
		{"role assignments: environment-level role", missingRAs, DemoClientID, [2]int{404, 403}},
		{"role assignments: organization-level role with the permission", missingRAs, OrgReaderClientID, [2]int{404, 404}},
		{"role assignments: no roles", missingRAs, NoRolesClientID, [2]int{404, 403}},
		{"existing environment without a role", func(base string) string { return envURL(base, StagingEnvironmentID) }, DemoClientID, [2]int{403, 403}},
		{"existing environment with a role", func(base string) string { return envURL(base, DemoEnvironmentID) }, DemoClientID, [2]int{200, 200}},
		{"existing environment, organization-level role without the permission", func(base string) string { return envURL(base, DemoEnvironmentID) }, orgIdentityClientID, [2]int{403, 403}},
		{"existing environment's role assignments without a role", func(base string) string { return roleAssignmentsURL(base, StagingEnvironmentID, DemoClientID) }, DemoClientID, [2]int{403, 403}},
	}
	secrets := map[string]string{
		DemoClientID:        DemoClientSecret,
		OrgReaderClientID:   OrgReaderClientSecret,
		orgIdentityClientID: orgIdentityClientSecret,
		IdentityClientID:    IdentityClientSecret,
		NoRolesClientID:     NoRolesClientSecret,
	}
	for i, quirk := range []bool{false, true} {
		_, ts := newTestServerWith(t, quirkFixture(), WithQuirks(Quirks{MissingEnvironmentForbidden: quirk}))
		tokens := make(map[string]string)
		for id, secret := range secrets {
			tokens[id] = basicToken(t, ts.URL, id, secret)
		}
		for _, c := range calls {
			name := c.name
			if quirk {
				name += " (quirk)"
			}
			t.Run(name, func(t *testing.T) {
				resp := get(t, c.url(ts.URL), tokens[c.client])
				if resp.status != c.want[i] {
					t.Fatalf("status %d, want %d: %s", resp.status, c.want[i], resp.body)
				}
				body := resp.json(t)
				switch resp.status {
				case 403:
					if body["code"] != "ACCESS_FAILED" || detailCode(body) != "INSUFFICIENT_PERMISSIONS" {
						t.Errorf("body %s", resp.body)
					}
				case 404:
					if want := "Unable to find environment with ID: '" + missingEnvironmentID + "'"; body["code"] != "NOT_FOUND" || body["message"] != want {
						t.Errorf("body %s, want NOT_FOUND %q", resp.body, want)
					}
				}
			})
		}
	}
}

// TestMissingEnvironmentForbiddenBody checks that with the quirk, the 403
// for an environment that does not exist is, header and body, the 403 for
// an existing environment the caller may not read: a client cannot tell
// them apart, as with PingOne.
func TestMissingEnvironmentForbiddenBody(t *testing.T) {
	_, ts := newTestServer(t, WithQuirks(Quirks{MissingEnvironmentForbidden: true}))
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	for _, tt := range []struct{ name, missing, forbidden string }{
		{"environment", envURL(ts.URL, missingEnvironmentID), envURL(ts.URL, StagingEnvironmentID)},
		{"role assignments", roleAssignmentsURL(ts.URL, missingEnvironmentID, DemoClientID), roleAssignmentsURL(ts.URL, StagingEnvironmentID, DemoClientID)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// normalize replaces the correlation ID, the only part that
			// differs between two answers.
			normalize := func(resp response) (int, http.Header, string) {
				id := resp.header.Get("Correlation-Id")
				if !isUUID(id) {
					t.Fatalf("Correlation-Id %q", id)
				}
				h := resp.header.Clone()
				h.Del("Correlation-Id")
				h.Del("Date")
				return resp.status, h, strings.ReplaceAll(string(resp.body), id, "CORRELATION-ID")
			}
			gotStatus, gotHeader, gotBody := normalize(get(t, tt.missing, demo))
			wantStatus, wantHeader, wantBody := normalize(get(t, tt.forbidden, demo))
			if gotStatus != http.StatusForbidden || wantStatus != http.StatusForbidden {
				t.Fatalf("status %d for a missing environment, %d for a forbidden one; want 403 for both", gotStatus, wantStatus)
			}
			if gotBody != wantBody {
				t.Errorf("missing environment body\n%s\nwant the forbidden one's\n%s", gotBody, wantBody)
			}
			if !strings.Contains(gotBody, `"id":"CORRELATION-ID"`) {
				t.Errorf("body id is not the Correlation-Id: %s", gotBody)
			}
			if len(gotHeader) != len(wantHeader) {
				t.Errorf("headers %v, want %v", gotHeader, wantHeader)
			}
			for k := range wantHeader {
				if gotHeader.Get(k) != wantHeader.Get(k) {
					t.Errorf("header %s = %q, want %q", k, gotHeader.Get(k), wantHeader.Get(k))
				}
			}
		})
	}
}

// TestQuirksSetAndReset checks SetQuirks, and that Reset returns to the
// quirks given to New.
func TestQuirksSetAndReset(t *testing.T) {
	on := Quirks{MissingEnvironmentForbidden: true}
	for _, start := range []Quirks{{}, on} {
		s, ts := newTestServer(t, WithQuirks(start))
		demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
		status := func() int { return get(t, envURL(ts.URL, missingEnvironmentID), demo).status }
		want := func(q Quirks) int {
			if q.MissingEnvironmentForbidden {
				return 403
			}
			return 404
		}
		other := Quirks{MissingEnvironmentForbidden: !start.MissingEnvironmentForbidden}

		if got := s.Quirks(); got != start {
			t.Errorf("start %+v: Quirks() = %+v", start, got)
		}
		if got := status(); got != want(start) {
			t.Errorf("start %+v: status %d, want %d", start, got, want(start))
		}
		s.SetQuirks(other)
		if got := status(); got != want(other) || s.Quirks() != other {
			t.Errorf("start %+v: after SetQuirks(%+v): status %d, Quirks() %+v", start, other, got, s.Quirks())
		}
		s.Reset()
		if got := status(); got != want(start) || s.Quirks() != start {
			t.Errorf("start %+v: after Reset: status %d, Quirks() %+v", start, got, s.Quirks())
		}
	}
}

func TestAdminQuirks(t *testing.T) {
	s, ts := newTestServer(t)
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	status := func() int { return get(t, envURL(ts.URL, missingEnvironmentID), demo).status }

	if resp := adminPost(t, ts.URL+"/_emulator/quirks", `{"missingEnvironmentForbidden":true}`); resp.status != http.StatusNoContent {
		t.Fatalf("set: status %d: %s", resp.status, resp.body)
	}
	if got := status(); got != 403 {
		t.Errorf("with the quirk: status %d, want 403", got)
	}
	// A quirk the body omits is off.
	if resp := adminPost(t, ts.URL+"/_emulator/quirks", `{}`); resp.status != http.StatusNoContent {
		t.Fatalf("clear: status %d: %s", resp.status, resp.body)
	}
	if got := status(); got != 404 {
		t.Errorf("after {}: status %d, want 404", got)
	}
	adminPost(t, ts.URL+"/_emulator/quirks", `{"missingEnvironmentForbidden":true}`)
	if resp := adminPost(t, ts.URL+"/_emulator/reset", ""); resp.status != http.StatusNoContent {
		t.Fatalf("reset: status %d", resp.status)
	}
	if got := status(); got != 404 {
		t.Errorf("after reset: status %d, want 404", got)
	}

	for _, tt := range []struct{ name, body string }{
		{"not JSON", `{`},
		{"empty", ``},
		{"unknown quirk", `{"newEnvironmentNotFound":true}`},
		{"not a boolean", `{"missingEnvironmentForbidden":"yes"}`},
		{"trailing data", `{} {}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp := adminPost(t, ts.URL+"/_emulator/quirks", tt.body)
			if resp.status != http.StatusBadRequest || resp.json(t)["error"] == "" {
				t.Fatalf("status %d: %s", resp.status, resp.body)
			}
			if s.Quirks() != (Quirks{}) {
				t.Errorf("quirks changed to %+v", s.Quirks())
			}
		})
	}
	if resp := get(t, ts.URL+"/_emulator/quirks", ""); resp.status != http.StatusMethodNotAllowed || resp.header.Get("Allow") != "POST" {
		t.Errorf("GET quirks: status %d, Allow %q", resp.status, resp.header.Get("Allow"))
	}
}
