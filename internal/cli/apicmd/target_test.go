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
		{arg: `/environments?filter=name sw "Dev"`, path: "/environments?filter=name%20sw%20%22Dev%22", display: "/environments"},
		{arg: `/environments/` + env + `/users?filter=email eq "john+test@example.com"`, path: "/environments/" + env + "/users?filter=email%20eq%20%22john%2Btest%40example.com%22", display: "/environments/" + env + "/users", envID: env},
		{arg: `/environments?filter=name sw "100%"`, path: "/environments?filter=name%20sw%20%22100%25%22", display: "/environments"},
		{arg: `/environments?filter=name eq "a;b"`, path: "/environments?filter=name%20eq%20%22a%3Bb%22", display: "/environments"},
		{arg: `https://api.pingone.eu/v1/environments?filter=name eq "a+b"&limit=2`, path: "https://api.pingone.eu/v1/environments?filter=name%20eq%20%22a%2Bb%22&limit=2", display: "https://api.pingone.eu/v1/environments"},
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
		{arg: "https://user:secret@api.pingone.com/v1/x", err: `URL "https://[REDACTED]@api.pingone.com/v1/x" must not contain a user name or password`},
		{arg: "https://user@api.pingone.com/v1/x", err: `URL "https://[REDACTED]@api.pingone.com/v1/x" must not contain a user name or password`},
		{arg: "https:///v1/x", err: "has no host"},
		{arg: "/environments?a=%zz&filter=a b", path: "/environments?a=%25zz&filter=a%20b", display: "/environments"},
	}
	for _, tt := range tests {
		got, err := parseTarget(tt.arg)
		if tt.err != "" {
			p := cmdutil.Describe(err)
			code, msg := p.Code, p.String()
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

func TestEscapeQuery(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "limit=10&cursor=abc-DEF_1.2~3", "limit=10&cursor=abc-DEF_1.2~3"},
		{"order kept", "b=2&a=1&b=1", "b=2&a=1&b=1"},
		{"plus is literal", "filter=email eq \"john+test@example.com\"", "filter=email%20eq%20%22john%2Btest%40example.com%22"},
		{"space", "q=a b", "q=a%20b"},
		{"lone percent", `filter=name sw "100%"`, "filter=name%20sw%20%22100%25%22"},
		{"percent before non-hex", "q=%zz", "q=%25zz"},
		{"percent at end", "q=5%", "q=5%25"},
		{"percent with one hex digit", "q=%4", "q=%254"},
		{"valid escapes kept", "filter=name%20sw%20%22Dev%22&x=%2b%2B", "filter=name%20sw%20%22Dev%22&x=%2b%2B"},
		{"semicolon", `filter=name eq "a;b"`, "filter=name%20eq%20%22a%3Bb%22"},
		{"equals in value", "q=a=b", "q=a=b"},
		{"reserved", "q=/?:@!$'()*,#", "q=%2F%3F%3A%40%21%24%27%28%29%2A%2C%23"},
		{"non-ASCII", "name=Zürich", "name=Z%C3%BCrich"},
		{"unsafe ASCII", "q=<>\"\\^`{|}", "q=%3C%3E%22%5C%5E%60%7B%7C%7D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeQuery(tt.in); got != tt.want {
				t.Errorf("escapeQuery(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// Escaping is idempotent: an escaped query is kept as is.
			if got := escapeQuery(tt.want); got != tt.want {
				t.Errorf("escapeQuery(%q) = %q, want it unchanged", tt.want, got)
			}
		})
	}
}

func TestEnvironmentIn(t *testing.T) {
	const env = "d44e6307-e87e-4bda-b119-9b66b9db8c0f"
	tests := []struct {
		path string
		id   string
		self bool
	}{
		{"/environments/" + env, env, true},
		{"/environments/" + env + "/", env, true},
		{"/v1/environments/" + env, env, true},
		{"/environments/" + env + "/users", env, false},
		{"/environments", "", false},
		{"/users", "", false},
		{"/environments/not-a-uuid", "", false},
	}
	for _, tt := range tests {
		id, self := environmentIn(tt.path)
		if id != tt.id || self != tt.self {
			t.Errorf("environmentIn(%q) = %q, %v; want %q, %v", tt.path, id, self, tt.id, tt.self)
		}
	}
}
