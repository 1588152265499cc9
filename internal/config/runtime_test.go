package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/config"
)

func TestRuntime(t *testing.T) {
	// rt returns the defaults changed by mod.
	rt := func(mod func(*config.Runtime)) config.Runtime {
		r := config.Runtime{Timeout: config.DefaultTimeout, MaxRetries: config.DefaultMaxRetries, MinTTL: config.DefaultMinTTL}
		if mod != nil {
			mod(&r)
		}
		return r
	}
	debug := func(r *config.Runtime) { r.Debug = true }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    config.Runtime
		wantErr []string
	}{
		{name: "defaults", want: rt(nil)},
		{name: "--debug", args: []string{"--debug"}, want: rt(debug)},
		{name: "P1CTL_DEBUG=1", env: map[string]string{"P1CTL_DEBUG": "1"}, want: rt(debug)},
		{name: "P1CTL_DEBUG=true", env: map[string]string{"P1CTL_DEBUG": "true"}, want: rt(debug)},
		{name: "P1CTL_DEBUG=0", env: map[string]string{"P1CTL_DEBUG": "0"}, want: rt(nil)},
		{name: "--debug=false beats P1CTL_DEBUG=1", args: []string{"--debug=false"}, env: map[string]string{"P1CTL_DEBUG": "1"}, want: rt(nil)},
		{name: "P1CTL_DEBUG=yes", env: map[string]string{"P1CTL_DEBUG": "yes"}, wantErr: []string{"P1CTL_DEBUG", `"yes"`}},
		{name: "--timeout", args: []string{"--timeout", "5s"}, want: rt(func(r *config.Runtime) { r.Timeout = 5 * time.Second })},
		{name: "P1CTL_TIMEOUT", env: map[string]string{"P1CTL_TIMEOUT": "2m"}, want: rt(func(r *config.Runtime) { r.Timeout = 2 * time.Minute })},
		{name: "--timeout beats P1CTL_TIMEOUT", args: []string{"--timeout=750ms"}, env: map[string]string{"P1CTL_TIMEOUT": "2m"}, want: rt(func(r *config.Runtime) { r.Timeout = 750 * time.Millisecond })},
		{name: "P1CTL_TIMEOUT=0", env: map[string]string{"P1CTL_TIMEOUT": "0"}, wantErr: []string{"timeout", `"0"`, "P1CTL_TIMEOUT", "--timeout"}},
		{name: "--timeout=0s", args: []string{"--timeout=0s"}, wantErr: []string{"timeout", `"0s"`}},
		{name: "--timeout negative", args: []string{"--timeout=-1s"}, wantErr: []string{"timeout", `"-1s"`}},
		{name: "P1CTL_TIMEOUT not a duration", env: map[string]string{"P1CTL_TIMEOUT": "30"}, wantErr: []string{"timeout", `"30"`, "P1CTL_TIMEOUT"}},
		{name: "P1CTL_NO_CACHE=1", env: map[string]string{"P1CTL_NO_CACHE": "1"}, want: rt(func(r *config.Runtime) { r.NoCache = true })},
		{name: "P1CTL_NO_CACHE=false", env: map[string]string{"P1CTL_NO_CACHE": "false"}, want: rt(nil)},
		{name: "P1CTL_NO_CACHE=maybe", env: map[string]string{"P1CTL_NO_CACHE": "maybe"}, wantErr: []string{"P1CTL_NO_CACHE", `"maybe"`}},
		{name: "--max-retries", args: []string{"--max-retries", "5"}, want: rt(func(r *config.Runtime) { r.MaxRetries = 5 })},
		{name: "--max-retries beats P1CTL_MAX_RETRIES", args: []string{"--max-retries=1"}, env: map[string]string{"P1CTL_MAX_RETRIES": "7"}, want: rt(func(r *config.Runtime) { r.MaxRetries = 1 })},
		{name: "P1CTL_MAX_RETRIES=10", env: map[string]string{"P1CTL_MAX_RETRIES": "10"}, want: rt(func(r *config.Runtime) { r.MaxRetries = 10 })},
		{name: "zero retries means none", env: map[string]string{"P1CTL_MAX_RETRIES": "0"}, want: rt(func(r *config.Runtime) { r.MaxRetries = -1 })},
		{name: "--max-retries=0", args: []string{"--max-retries=0"}, want: rt(func(r *config.Runtime) { r.MaxRetries = -1 })},
		{name: "P1CTL_MAX_RETRIES=11", env: map[string]string{"P1CTL_MAX_RETRIES": "11"}, wantErr: []string{"max retries", `"11"`, "P1CTL_MAX_RETRIES", "--max-retries"}},
		{name: "--max-retries=-1", args: []string{"--max-retries=-1"}, wantErr: []string{"max retries", `"-1"`}},
		{name: "P1CTL_MAX_RETRIES=lots", env: map[string]string{"P1CTL_MAX_RETRIES": "lots"}, wantErr: []string{"max retries", `"lots"`, "P1CTL_MAX_RETRIES"}},
		{name: "-q", args: []string{"-q"}, want: rt(func(r *config.Runtime) { r.Quiet = true })},
		{name: "P1CTL_QUIET=1", env: map[string]string{"P1CTL_QUIET": "1"}, want: rt(func(r *config.Runtime) { r.Quiet = true })},
		{name: "--quiet=false beats P1CTL_QUIET", args: []string{"--quiet=false"}, env: map[string]string{"P1CTL_QUIET": "1"}, want: rt(nil)},
		{name: "P1CTL_QUIET=hush", env: map[string]string{"P1CTL_QUIET": "hush"}, wantErr: []string{"P1CTL_QUIET", `"hush"`}},
		{name: "blank variables count as unset", env: map[string]string{"P1CTL_DEBUG": " ", "P1CTL_TIMEOUT": " ", "P1CTL_MIN_TTL": "\t", "P1CTL_MAX_RETRIES": " ", "P1CTL_QUIET": " "}, want: rt(nil)},
		// A bad P1CTL_MIN_TTL stops only the commands that use the cache:
		// it is MinTTLErr, not Runtime's error.
		{name: "a bad P1CTL_MIN_TTL is not Runtime's error", env: map[string]string{"P1CTL_MIN_TTL": "soon"}, want: rt(func(r *config.Runtime) { r.MinTTL = 0 })},
		{name: "P1CTL_CACHE_DIR", env: map[string]string{"P1CTL_CACHE_DIR": " /var/cache/p1 "}, want: rt(func(r *config.Runtime) { r.CacheDir = "/var/cache/p1" })},
		{name: "everything", args: []string{"--debug", "--timeout", "1m", "--quiet", "--max-retries", "2"}, env: map[string]string{"P1CTL_NO_CACHE": "TRUE"},
			want: config.Runtime{Debug: true, Timeout: time.Minute, NoCache: true, MaxRetries: 2, Quiet: true, MinTTL: config.DefaultMinTTL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			got, err := config.Loader{Flags: newFlags(t, tt.args...)}.Runtime()
			if tt.wantErr != nil {
				wantConfigError(t, err, tt.wantErr...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.MinTTL == 0 && got.MinTTLErr != nil {
				got.MinTTLErr = nil
			}
			if got != tt.want {
				t.Errorf("Runtime = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRuntimeNilFlags(t *testing.T) {
	isolate(t)
	t.Setenv("P1CTL_TIMEOUT", "3s")
	rt, err := config.Loader{}.Runtime()
	if err != nil {
		t.Fatal(err)
	}
	if rt.Timeout != 3*time.Second {
		t.Errorf("Timeout = %v, want 3s", rt.Timeout)
	}
}

func TestRuntimeMinTTL(t *testing.T) {
	tests := []struct {
		name, env string
		want      time.Duration
		wantErr   []string
	}{
		{name: "unset means the default", want: config.DefaultMinTTL},
		{name: "blank means the default", env: "\t", want: config.DefaultMinTTL},
		{name: "90s", env: "90s", want: 90 * time.Second},
		{name: "0s reuses tokens until expiry", env: "0s", want: 0},
		{name: "24h", env: "24h", want: 24 * time.Hour},
		{name: "25h", env: "25h", wantErr: []string{`"25h"`, "24h", "P1CTL_MIN_TTL"}},
		{name: "negative", env: "-5s", wantErr: []string{"between 0s and 24h"}},
		{name: "garbage", env: "soon", wantErr: []string{`"soon"`, "P1CTL_MIN_TTL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			t.Setenv(config.EnvMinTTL, tt.env)
			rt, err := config.Loader{}.Runtime()
			if err != nil {
				t.Fatalf("Runtime: %v; a bad P1CTL_MIN_TTL must stop only the cache's users", err)
			}
			got, err := rt.MinTTL, rt.MinTTLErr
			if len(tt.wantErr) == 0 {
				if err != nil || got != tt.want {
					t.Errorf("MinTTL = %v, %v; want %v", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("MinTTL = %v, want an error", got)
			}
			var cfgErr *config.Error
			if !errors.As(err, &cfgErr) {
				t.Errorf("error %T, want *config.Error", err)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestParseMinTTL(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"0s", 0, false},
		{"90s", 90 * time.Second, false},
		{"30m", 30 * time.Minute, false},
		{"24h", 24 * time.Hour, false},
		{"24h0m1s", 0, true},
		{"-1ns", 0, true},
		{"60", 0, true},
		{"", 0, true},
	} {
		got, err := config.ParseMinTTL(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseMinTTL(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "24h") {
			t.Errorf("ParseMinTTL(%q) error %q does not state the range", tt.in, err)
		}
	}
}

func TestCheckMinTTL(t *testing.T) {
	for _, tt := range []struct {
		d  time.Duration
		ok bool
	}{
		{0, true},
		{time.Nanosecond, true},
		{90 * time.Second, true},
		{config.MaxMinTTL, true},
		{config.MaxMinTTL + time.Nanosecond, false},
		{-time.Nanosecond, false},
		{-config.MaxMinTTL, false},
	} {
		err := config.CheckMinTTL(tt.d)
		if (err == nil) != tt.ok {
			t.Errorf("CheckMinTTL(%v) = %v, want ok %v", tt.d, err, tt.ok)
		}
		if err != nil && (!errors.Is(err, config.ErrMinTTLRange) || err.Error() != "not between 0s and 24h") {
			t.Errorf("CheckMinTTL(%v) = %q, want config.ErrMinTTLRange", tt.d, err)
		}
	}
	if config.MaxMinTTL != 24*time.Hour {
		t.Errorf("MaxMinTTL = %v, but messages say 24h", config.MaxMinTTL)
	}
}
