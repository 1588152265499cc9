package token

import (
	"context"
	"errors"
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
