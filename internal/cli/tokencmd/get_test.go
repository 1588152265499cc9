package tokencmd

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// --min-ttl follows config.CheckMinTTL, P1CTL_MIN_TTL's rule: 0s to 24h;
// anything else is a usage error naming the flag, before any token is
// asked for.
func TestGetMinTTL(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    *time.Duration // MinTTL passed to the token source
		wantErr string
	}{
		{name: "not given", args: nil},
		{name: "0s", args: []string{"--min-ttl", "0s"}, want: new(time.Duration(0))},
		{name: "30m", args: []string{"--min-ttl", "30m"}, want: new(30 * time.Minute)},
		{name: "24h", args: []string{"--min-ttl", "24h"}, want: new(24 * time.Hour)},
		{name: "over 24h", args: []string{"--min-ttl", "24h0m1s"}, wantErr: "--min-ttl 24h0m1s is not between 0s and 24h"},
		{name: "25h", args: []string{"--min-ttl", "25h"}, wantErr: "--min-ttl 25h0m0s is not between 0s and 24h"},
		{name: "negative", args: []string{"--min-ttl=-1s"}, wantErr: "--min-ttl -1s is not between 0s and 24h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, stdout, _ := iostreams.Test()
			f := &cmdutil.Factory{
				IOStreams: ios,
				Now:       func() time.Time { return testNow },
				Settings: func() (*config.Settings, error) {
					return &config.Settings{ClientID: testClient, ClientSecret: "s", EnvironmentID: testEnv,
						TokenURL: "https://auth.pingone.com/" + testEnv + "/as/token"}, nil
				},
			}
			var gotOpts *cmdutil.TokenOptions
			var opts *GetOptions
			cmd := NewCmdGet(f, func(o *GetOptions) error {
				opts = o
				o.TokenSource = func(to cmdutil.TokenOptions) (TokenGetter, error) {
					gotOpts = &to
					return &fakeSource{tok: &auth.Token{AccessToken: "tok", Expiry: testNow.Add(time.Hour)}}, nil
				}
				return getRun(context.Background(), o)
			})
			cmd.SetArgs(tt.args)
			cmd.SetOut(ios.ErrOut)
			cmd.SetErr(ios.ErrOut)
			cmd.SilenceUsage, cmd.SilenceErrors = true, true
			err := cmd.Execute()
			if tt.wantErr != "" {
				var flagErr *cmdutil.FlagError
				if !errors.As(err, &flagErr) || !errors.Is(err, config.ErrMinTTLRange) || err.Error() != tt.wantErr {
					t.Fatalf("err = %#v (%v), want a *cmdutil.FlagError %q wrapping config.ErrMinTTLRange", err, err, tt.wantErr)
				}
				if code := cmdutil.Describe(err).Code; code != cmdutil.ExitUsage {
					t.Errorf("exit code %d, want %d", code, cmdutil.ExitUsage)
				}
				if gotOpts != nil {
					t.Error("a token was asked for despite the bad --min-ttl")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if opts == nil || gotOpts == nil {
				t.Fatal("the token source was not used")
			}
			if (gotOpts.MinTTL == nil) != (tt.want == nil) || (tt.want != nil && *gotOpts.MinTTL != *tt.want) {
				t.Errorf("MinTTL %v, want %v", gotOpts.MinTTL, tt.want)
			}
			if got := stdout.String(); got != "tok\n" {
				t.Errorf("stdout %q", got)
			}
		})
	}
}

// The flag and the variable share one rule: whatever CheckMinTTL refuses,
// both refuse, each naming itself.
func TestGetMinTTLSameRuleAsVariable(t *testing.T) {
	for _, v := range []string{"-1ns", "0s", "1s", "24h", "24h0m0.000000001s", "48h"} {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatal(err)
		}
		_, envErr := config.ParseMinTTL(v)
		checkErr := config.CheckMinTTL(d)
		if (envErr == nil) != (checkErr == nil) {
			t.Errorf("%s: ParseMinTTL error %v, CheckMinTTL error %v", v, envErr, checkErr)
		}
		if checkErr != nil && !strings.Contains(envErr.Error(), "between 0s and 24h") {
			t.Errorf("%s: ParseMinTTL error %q does not state the range", v, envErr)
		}
	}
}

// runGitHubOutput runs `token get` with args and GITHUB_OUTPUT=ghOutput
// ("" for unset), the token source answering tok. It reports whether a
// token was asked for.
func runGitHubOutput(t *testing.T, ghOutput, tok string, args ...string) (stdout string, asked bool, err error) {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{
		IOStreams: ios,
		Now:       func() time.Time { return testNow },
		Settings: func() (*config.Settings, error) {
			return &config.Settings{ClientID: testClient, ClientSecret: "s", EnvironmentID: testEnv,
				TokenURL: "https://auth.pingone.com/" + testEnv + "/as/token"}, nil
		},
	}
	cmd := NewCmdGet(f, func(o *GetOptions) error {
		o.Getenv = func(k string) string {
			if k == "GITHUB_OUTPUT" {
				return ghOutput
			}
			return ""
		}
		o.TokenSource = func(cmdutil.TokenOptions) (TokenGetter, error) {
			asked = true
			return &fakeSource{tok: &auth.Token{AccessToken: tok, Expiry: testNow.Add(time.Hour)}}, nil
		}
		return getRun(context.Background(), o)
	})
	cmd.SetArgs(args)
	cmd.SetOut(ios.ErrOut)
	cmd.SetErr(ios.ErrOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err = cmd.Execute()
	return out.String(), asked, err
}

// --github-output prints only the mask command, then appends NAME=token to
// the runner's file, after what is there, leaving its mode alone.
func TestGetGitHubOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "set_output")
	if err := os.WriteFile(path, []byte("earlier=1\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	// A mode the runner chose; umask may have narrowed WriteFile's.
	if err := os.Chmod(path, 0o664); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := runGitHubOutput(t, path, "eyJ.a-b_c.d", "--github-output", "access-token", "--min-ttl", "5m")
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "::add-mask::eyJ.a-b_c.d\n" {
		t.Errorf("stdout %q, want only the mask command", stdout)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "earlier=1\naccess-token=eyJ.a-b_c.d\n" {
		t.Errorf("GITHUB_OUTPUT holds %q", data)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o664 {
		t.Errorf("GITHUB_OUTPUT mode changed: %v %v", fi.Mode(), err)
	}
}

// The runner unescapes %25, %0D and %0A in a command's value: a token
// holding "%0A" must be masked as itself.
func TestGetGitHubOutputEscapesMask(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := runGitHubOutput(t, path, "a%0Ab", "--github-output", "t")
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "::add-mask::a%250Ab\n" {
		t.Errorf("stdout %q", stdout)
	}
	if data, _ := os.ReadFile(path); string(data) != "t=a%0Ab\n" {
		t.Errorf("GITHUB_OUTPUT holds %q", data)
	}
}

// Every mistake is an error before anything is printed or written; those
// of the command line and environment are usage errors (exit 2) found
// before a token is asked for.
func TestGetGitHubOutputErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "out")
	if err := os.WriteFile(file, []byte("x=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		ghOutput string
		token    string
		args     []string
		wantCode int
		wantIn   string // a fact the message must name
		asks     bool   // the token is asked for before the error
	}{
		{name: "no GITHUB_OUTPUT", args: []string{"--github-output", "token"}, wantCode: cmdutil.ExitUsage, wantIn: "GITHUB_OUTPUT"},
		{name: "blank GITHUB_OUTPUT", ghOutput: " ", args: []string{"--github-output", "token"}, wantCode: cmdutil.ExitUsage, wantIn: "GITHUB_OUTPUT"},
		{name: "empty name", ghOutput: file, args: []string{"--github-output", ""}, wantCode: cmdutil.ExitUsage, wantIn: "--github-output"},
		{name: "name with =", ghOutput: file, args: []string{"--github-output", "a=b"}, wantCode: cmdutil.ExitUsage, wantIn: "--github-output"},
		{name: "name with newline", ghOutput: file, args: []string{"--github-output", "a\nb=c"}, wantCode: cmdutil.ExitUsage, wantIn: "--github-output"},
		{name: "name starting with a digit", ghOutput: file, args: []string{"--github-output", "1token"}, wantCode: cmdutil.ExitUsage, wantIn: "--github-output"},
		{name: "name starting with -", ghOutput: file, args: []string{"--github-output=-token"}, wantCode: cmdutil.ExitUsage, wantIn: "--github-output"},
		{name: "name with a non-ASCII letter", ghOutput: file, args: []string{"--github-output", "tokén"}, wantCode: cmdutil.ExitUsage, wantIn: "--github-output"},
		{name: "with -o", ghOutput: file, args: []string{"--github-output", "token", "-o", "json"}, wantCode: cmdutil.ExitUsage, wantIn: "--output"},
		{name: "with --jq", ghOutput: file, args: []string{"--github-output", "token", "--jq", ".access_token"}, wantCode: cmdutil.ExitUsage, wantIn: "--jq"},
		{name: "with --template", ghOutput: file, args: []string{"--github-output", "token", "--template", "{{.access_token}}"}, wantCode: cmdutil.ExitUsage, wantIn: "--template"},
		{name: "missing file", ghOutput: filepath.Join(dir, "nosuch"), args: []string{"--github-output", "token"}, wantCode: cmdutil.ExitError, wantIn: "GITHUB_OUTPUT"},
		{name: "not a regular file", ghOutput: os.DevNull, args: []string{"--github-output", "token"}, wantCode: cmdutil.ExitError, wantIn: "GITHUB_OUTPUT"},
		{name: "token with a newline", ghOutput: file, token: "a\nevil=1", args: []string{"--github-output", "token"}, wantCode: cmdutil.ExitError, wantIn: "GITHUB_OUTPUT", asks: true},
		{name: "token with a space", ghOutput: file, token: "a b", args: []string{"--github-output", "token"}, wantCode: cmdutil.ExitError, wantIn: "GITHUB_OUTPUT", asks: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token
			if tok == "" {
				tok = "tok"
			}
			stdout, asked, err := runGitHubOutput(t, tt.ghOutput, tok, tt.args...)
			if err == nil {
				t.Fatal("no error")
			}
			p := cmdutil.Describe(err)
			code, msg := p.Code, p.String()
			if code != tt.wantCode || !strings.Contains(msg, tt.wantIn) {
				t.Errorf("exit %d %q, want %d naming %s", code, msg, tt.wantCode, tt.wantIn)
			}
			if asked != tt.asks {
				t.Errorf("token asked for: %v, want %v", asked, tt.asks)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if data, _ := os.ReadFile(file); string(data) != "x=1\n" {
				t.Errorf("GITHUB_OUTPUT changed: %q", data)
			}
			if _, err := os.Stat(filepath.Join(dir, "nosuch")); err == nil {
				t.Error("GITHUB_OUTPUT was created")
			}
		})
	}
}
