package emulator

import (
	"net/url"
	"slices"
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
			checkFilterRefused(t, resp, tt.message)
		})
	}
}

// TestListEnvironmentsMalformedParentheses checks the whole answer to a
// filter whose parentheses do not balance or sit where no condition can:
// the same 400 INVALID_DATA as any other bad filter, saying which
// parenthesis is wrong and where (counting characters, not bytes).
func TestListEnvironmentsMalformedParentheses(t *testing.T) {
	_, ts := newTestServer(t)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)
	tests := []struct{ filter, message string }{
		{`(name sw "x"`, `Unsupported filter: unbalanced parenthesis: the "(" at position 1 is never closed.`},
		{`name sw "x")`, `Unsupported filter: unbalanced parenthesis: the ")" at position 12 has no matching "(".`},
		{`(name sw "Zü") and (status eq "ACTIVE"`, `Unsupported filter: unbalanced parenthesis: the "(" at position 20 is never closed.`},
		{`(name sw "x") or (status eq "ACTIVE")`, `Unsupported filter: unsupported operator "or" (conditions may only be joined with and).`},
		{`(name sw "x") (status eq "ACTIVE")`, `Unsupported filter: expected and before the "(" at position 15.`},
		{`()`, `Unsupported filter: expected a condition such as name sw "Dev".`},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			resp := get(t, ts.URL+"/v1/environments?filter="+url.QueryEscape(tt.filter), org)
			checkFilterRefused(t, resp, tt.message)
		})
	}
}

// checkFilterRefused checks that resp is PingOne's 400 INVALID_DATA for a
// bad filter: one INVALID_VALUE detail on target "filter" saying message.
func checkFilterRefused(t *testing.T, resp response, message string) {
	t.Helper()
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
	if d["code"] != "INVALID_VALUE" || d["target"] != "filter" || d["message"] != message {
		t.Errorf("details[0] = %v, want INVALID_VALUE on filter: %q", d, message)
	}
}

// TestParseFilterParentheses checks that conditions and and-groups may be
// wrapped in parentheses, at any depth, without changing what the filter
// tests, and that misplaced or unbalanced parentheses are refused with
// what is wrong.
func TestParseFilterParentheses(t *testing.T) {
	const lic = "e18c55cd-03fd-4c1a-a337-d375b48d4919"
	nameTest := condition{"name", "sw", "TEST-"}
	licence := condition{"license.id", "eq", lic}
	active := condition{"status", "eq", "ACTIVE"}
	tests := []struct {
		filter string
		want   envFilter
		err    string
	}{
		{filter: `(name sw "TEST-") and (license.id eq "` + lic + `")`, want: envFilter{nameTest, licence}},
		{filter: `(name sw "TEST-")`, want: envFilter{nameTest}},
		{filter: `((name sw "TEST-"))`, want: envFilter{nameTest}},
		{filter: `( name sw "TEST-" )`, want: envFilter{nameTest}},
		{filter: `(name sw "TEST-")AND(license.id eq "` + lic + `")`, want: envFilter{nameTest, licence}},
		{filter: `(name sw "TEST-" and license.id eq "` + lic + `")`, want: envFilter{nameTest, licence}},
		{filter: `name sw "TEST-" and (license.id eq "` + lic + `" and (status eq "ACTIVE"))`, want: envFilter{nameTest, licence, active}},
		{filter: `((name sw "TEST-") and license.id eq "` + lic + `") and status eq "ACTIVE"`, want: envFilter{nameTest, licence, active}},
		{filter: `(name sw "a) and (b")`, want: envFilter{{"name", "sw", "a) and (b"}}},

		{filter: `(name sw "x"`, err: `unbalanced parenthesis: the "(" at position 1 is never closed`},
		{filter: `((name sw "x")`, err: `unbalanced parenthesis: the "(" at position 1 is never closed`},
		{filter: `(name sw "x") and ((status eq "A")`, err: `unbalanced parenthesis: the "(" at position 19 is never closed`},
		{filter: `name sw "x")`, err: `unbalanced parenthesis: the ")" at position 12 has no matching "("`},
		{filter: `(name sw "x"))`, err: `unbalanced parenthesis: the ")" at position 14 has no matching "("`},
		{filter: `)name sw "x"(`, err: `unbalanced parenthesis: the ")" at position 1 has no matching "("`},
		{filter: `(name sw "Zürich" ))`, err: `unbalanced parenthesis: the ")" at position 20 has no matching "("`},
		{filter: `(name sw "x") (status eq "A")`, err: `expected and before the "(" at position 15`},
		{filter: `()`, err: `expected a condition such as name sw "Dev"`},
		{filter: `(name sw "x" and)`, err: `expected a condition such as name sw "Dev"`},
		{filter: `(name sw)`, err: `expected a condition such as name sw "Dev"`},
		{filter: `name (sw "x")`, err: `expected a condition such as name sw "Dev"`},
		{filter: `name sw ("x")`, err: `expected a condition such as name sw "Dev"`},
		{filter: `(name sw "a" or name sw "b")`, err: `unsupported operator "or" (conditions may only be joined with and)`},
		{filter: `(name sw "a") or (name sw "b")`, err: `unsupported operator "or" (conditions may only be joined with and)`},
		{filter: `not (name sw "a")`, err: `unsupported attribute "not" (supported: name sw, id eq, organization.id eq, license.id eq, status eq)`},
		{filter: `(region eq "NA")`, err: `unsupported attribute "region" (supported: name sw, id eq, organization.id eq, license.id eq, status eq)`},
		{filter: `[name sw "x"]`, err: `unsupported character '['`},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			got, err := parseFilter(tt.filter)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("conditions %v, want %v", got, tt.want)
			}
		})
	}
}

// TestHonoursLimit checks which parsed filters PingOne pages by limit: no
// filter, or one made only of organization.id eq and license.id eq.
func TestHonoursLimit(t *testing.T) {
	tests := []struct {
		filter string
		want   bool
	}{
		{`organization.id eq "o"`, true},
		{`license.id eq "l"`, true},
		{`license.id EQ "l"`, true},
		{`(organization.id eq "o") and (license.id eq "l")`, true},
		{`license.id eq "l" and license.id eq "m"`, true},
		{`id eq "i"`, false},
		{`name sw "n"`, false},
		{`status eq "ACTIVE"`, false},
		{`license.id eq "l" and name sw "n"`, false},
		{`(name sw "n") and (organization.id eq "o")`, false},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := parseFilter(tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.honoursLimit(); got != tt.want {
				t.Errorf("honoursLimit() = %v, want %v", got, tt.want)
			}
		})
	}
	if !envFilter(nil).honoursLimit() {
		t.Error("no filter: limit not honoured")
	}
}
