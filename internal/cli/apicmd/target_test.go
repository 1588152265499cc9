package apicmd

import (
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
)

func TestParseTarget(t *testing.T) {
	const env = "d44e6307-e87e-4bda-b119-9b66b9db8c0f"
	tests := []struct {
		arg                  string
		path, display, envID string
		err                  string
	}{
		{arg: "/environments", path: "/environments", display: "/environments"},
		{arg: "environments", path: "/environments", display: "/environments"},
		{arg: "/environments/" + env + "/users?limit=10", path: "/environments/" + env + "/users?limit=10", display: "/environments/" + env + "/users", envID: env},
		{arg: "/environments/not-a-uuid", path: "/environments/not-a-uuid", display: "/environments/not-a-uuid"},
		{arg: `/environments?filter=name sw "Dev"`, path: "/environments?filter=name+sw+%22Dev%22", display: "/environments"},
		{arg: "/environments?filter=name%20sw%20%22Dev%22", path: "/environments?filter=name%20sw%20%22Dev%22", display: "/environments"},
		{arg: "/environments?name=Zürich", path: "/environments?name=Z%C3%BCrich", display: "/environments"},
		{arg: "/a b#frag", path: "/a%20b", display: "/a%20b"},
		{arg: "https://api.pingone.eu/v1/environments/" + env + "?x=1", path: "https://api.pingone.eu/v1/environments/" + env + "?x=1", display: "https://api.pingone.eu/v1/environments/" + env, envID: env},
		{arg: "HTTPS://API.pingone.eu/v1/x", path: "https://API.pingone.eu/v1/x", display: "https://API.pingone.eu/v1/x"},
		{arg: "http://127.0.0.1:8080/v1/x", path: "http://127.0.0.1:8080/v1/x", display: "http://127.0.0.1:8080/v1/x"},
		{arg: "http://localhost/v1/x", path: "http://localhost/v1/x", display: "http://localhost/v1/x"},
		{arg: "", err: "the PATH or URL is empty"},
		{arg: "/environments/../users", err: `path "/environments/../users" contains ".."`},
		{arg: "/environments/%2e%2e/users", err: `contains ".."`},
		{arg: "..", err: `contains ".."`},
		{arg: "https://api.pingone.com/v1/../x", err: `contains ".."`},
		{arg: "/environments/x\n", err: "contains control characters"},
		{arg: "/environments/x\x1b[31m", err: "contains control characters"},
		{arg: "/environments/x\u200b", err: "contains control characters"},
		{arg: `/environments\x`, err: "contains a backslash"},
		{arg: "//evil.example/v1", err: "starts with //"},
		{arg: "ftp://evil.example/v1", err: "only https:// URLs"},
		{arg: "http://api.pingone.com/v1/x", err: "HTTPS is required"},
		{arg: "https://user:secret@api.pingone.com/v1/x", err: `URL "https://user:xxxxx@api.pingone.com/v1/x" must not contain a user name or password`},
		{arg: "https://user@api.pingone.com/v1/x", err: "must not contain a user name or password"},
		{arg: "https:///v1/x", err: "has no host"},
		{arg: "/environments?a=%zz&filter=a b", err: "invalid URL escape"},
	}
	for _, tt := range tests {
		got, err := parseTarget(tt.arg)
		if tt.err != "" {
			code, msg := cmdutil.Describe(err)
			if err == nil || code != cmdutil.ExitUsage || !strings.Contains(msg, tt.err) {
				t.Errorf("parseTarget(%q) = %+v, %v; want usage error %q", tt.arg, got, err, tt.err)
			}
			if strings.Contains(msg, "secret") {
				t.Errorf("parseTarget(%q): message %q shows the password", tt.arg, msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseTarget(%q): %v", tt.arg, err)
			continue
		}
		if got.path != tt.path || got.display != tt.display || got.envID != tt.envID {
			t.Errorf("parseTarget(%q) = %+v\nwant path %q display %q env %q", tt.arg, got, tt.path, tt.display, tt.envID)
		}
	}
}
