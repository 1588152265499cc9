package emulator

import (
	"net/url"
	"testing"
)

// TestParseFilterConditions checks that exactly the conditions PingOne
// documents for the environment list (name sw, id eq, organization.id eq,
// license.id eq, status eq) parse, and no other attribute and operator pair.
func TestParseFilterConditions(t *testing.T) {
	documented := map[string]bool{
		"name sw": true, "id eq": true, "organization.id eq": true,
		"license.id eq": true, "status eq": true,
	}
	attrs := []string{"name", "id", "organization.id", "license.id", "status", "type", "region", "description", "subtype"}
	ops := []string{"eq", "sw", "co", "ne"}
	for _, attr := range attrs {
		for _, op := range ops {
			cond := attr + " " + op
			t.Run(cond, func(t *testing.T) {
				_, err := parseFilter(cond + ` "x"`)
				if documented[cond] && err != nil {
					t.Errorf("documented condition refused: %v", err)
				}
				if !documented[cond] && err == nil {
					t.Error("undocumented condition accepted")
				}
			})
		}
	}
}

// TestListEnvironmentsUndocumentedFilters checks the whole answer to a
// filter PingOne does not document: the same 400 INVALID_DATA as any other
// bad filter, naming target "filter" and what is wrong.
func TestListEnvironmentsUndocumentedFilters(t *testing.T) {
	_, ts := newTestServer(t)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)
	const supported = "(supported: name sw, id eq, organization.id eq, license.id eq, status eq)"
	tests := []struct{ filter, message string }{
		{`region eq "NA"`, `Unsupported filter: unsupported attribute "region" ` + supported + "."},
		{`type eq "SANDBOX"`, `Unsupported filter: unsupported attribute "type" ` + supported + "."},
		{`name sw "S" and region eq "NA"`, `Unsupported filter: unsupported attribute "region" ` + supported + "."},
		{`name eq "Staging"`, `Unsupported filter: unsupported operator "eq" for name (supported: name sw).`},
		{`id sw "3a"`, `Unsupported filter: unsupported operator "sw" for id (supported: id eq).`},
		{`status sw "ACT"`, `Unsupported filter: unsupported operator "sw" for status (supported: status eq).`},
		{`organization.id sw "5f"`, `Unsupported filter: unsupported operator "sw" for organization.id (supported: organization.id eq).`},
		{`license.id sw "e1"`, `Unsupported filter: unsupported operator "sw" for license.id (supported: license.id eq).`},
		{`status eq "ACTIVE" and name co "S"`, `Unsupported filter: unsupported operator "co" for name (supported: name sw).`},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			resp := get(t, ts.URL+"/v1/environments?filter="+url.QueryEscape(tt.filter), org)
			if resp.status != 400 {
				t.Fatalf("status %d, want 400: %s", resp.status, resp.body)
			}
			body := resp.json(t)
			if body["code"] != "INVALID_DATA" || body["message"] != msgInvalidData {
				t.Errorf("code %v, message %v", body["code"], body["message"])
			}
			if id, _ := body["id"].(string); !isUUID(id) || id != resp.header.Get("Correlation-Id") {
				t.Errorf("id %v, Correlation-Id %q", body["id"], resp.header.Get("Correlation-Id"))
			}
			details, _ := body["details"].([]any)
			if len(details) != 1 {
				t.Fatalf("details = %v", body["details"])
			}
			d, _ := details[0].(map[string]any)
			if d["code"] != "INVALID_VALUE" || d["target"] != "filter" || d["message"] != tt.message {
				t.Errorf("details[0] = %v, want INVALID_VALUE on filter: %q", d, tt.message)
			}
		})
	}
}
