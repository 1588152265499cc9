package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/p1ctl/p1ctl/internal/cli"
	"github.com/p1ctl/p1ctl/internal/emulator"
)

// TestMain lets the test binary stand in for the p1ctl binary: testscript
// puts it on PATH as "p1ctl", and running it under that name runs
// cli.Main exactly as the built binary does.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"p1ctl": func() { os.Exit(cli.Main()) },
	})
}

// UnknownEnvironmentID is a well-formed environment ID that the emulator
// does not know.
const UnknownEnvironmentID = "00000000-0000-4000-8000-000000000000"

// TestScripts runs the end-to-end scripts in testdata/script, each against
// its own emulator.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:   "testdata/script",
		Setup: setupEmulator,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"emu":       cmdEmu,
			"expandenv": cmdExpandEnv,
			"perm":      cmdPerm,
			"agecache":  cmdAgeCache,
			"tlsemu":    cmdTLSEmu,
			"hangbus":   cmdHangBus,
			"absent":    cmdAbsent,
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			if cond == "keyring" {
				// scripts/keyring-test.sh sets it inside a D-Bus session
				// with an unlocked gnome-keyring.
				return os.Getenv("P1CTL_KEYRING_TEST") == "1", nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// setupEmulator starts an emulator for one script and describes it in the
// script's environment. HOME and the XDG directories point into the
// script's work directory, so no user config or cache leaks in.
func setupEmulator(env *testscript.Env) error {
	// The emulator's clock runs ahead of the real one by what "emu
	// advance" added, so scripts can see expiries without waiting.
	ahead := new(atomic.Int64)
	srv, err := emulator.New(emulator.DefaultFixture(), emulator.WithClock(func() time.Time {
		return time.Now().Add(time.Duration(ahead.Load()))
	}))
	if err != nil {
		return err
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		return err
	}
	env.Defer(func() { srv.Close() })
	env.Values["emu"] = srv
	env.Values["emuahead"] = ahead

	key, err := os.ReadFile(filepath.Join("..", "..", "internal", "emulator", emulator.PrivateKeyClientKeyFile))
	if err != nil {
		return err
	}
	keyFile := filepath.Join(env.WorkDir, "private-key.pem")
	if err := os.WriteFile(keyFile, key, 0o600); err != nil {
		return err
	}

	// Scripts fail fast unless they test retries: those set
	// P1CTL_MAX_RETRIES themselves.
	env.Setenv("P1CTL_MAX_RETRIES", "0")
	// Under -race, skip the race runtime's one-second pause at exit.
	env.Setenv("GORACE", "atexit_sleep_ms=0")

	// Only keyring.txtar's run reaches a session bus, the throwaway one
	// scripts/keyring-test.sh starts: no other script may touch the
	// developer's keychain.
	if os.Getenv("P1CTL_KEYRING_TEST") == "1" {
		env.Setenv("DBUS_SESSION_BUS_ADDRESS", os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
	}

	home := filepath.Join(env.WorkDir, "home")
	for name, value := range map[string]string{
		"HOME":            home,
		"XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":  filepath.Join(home, ".cache"),
		"EMU":             base,
		"EMU_API":         base + "/v1",
		"EMU_HOST":        strings.TrimPrefix(base, "http://"),
		"DEMO_ENV":        emulator.DemoEnvironmentID,
		"EU_ENV":          emulator.EUEnvironmentID,
		"STAGING_ENV":     emulator.StagingEnvironmentID,
		"LABS_ENV":        emulator.LabsEnvironmentID,
		"UNKNOWN_ENV":     UnknownEnvironmentID,
		"DEMO_CLIENT":     emulator.DemoClientID,
		"DEMO_SECRET":     emulator.DemoClientSecret,
		"POST_CLIENT":     emulator.PostClientID,
		"POST_SECRET":     emulator.PostClientSecret,
		"JWT_CLIENT":      emulator.JWTClientID,
		"JWT_SECRET":      emulator.JWTClientSecret,
		"PK_CLIENT":       emulator.PrivateKeyClientID,
		"PK_KEY":          keyFile,
		"NOROLES_CLIENT":  emulator.NoRolesClientID,
		"NOROLES_SECRET":  emulator.NoRolesClientSecret,
		"DISABLED_CLIENT": emulator.DisabledClientID,
		"DISABLED_SECRET": emulator.DisabledClientSecret,
		"ORG_CLIENT":      emulator.OrgReaderClientID,
		"ORG_SECRET":      emulator.OrgReaderClientSecret,
		"IDENTITY_CLIENT": emulator.IdentityClientID,
		"IDENTITY_SECRET": emulator.IdentityClientSecret,
		"LOCKED_CLIENT":   emulator.LockedClientID,
	} {
		env.Setenv(name, value)
	}
	return nil
}

// cmdHangBus listens on a Unix socket at PATH that accepts connections and
// never answers, as a hung D-Bus daemon would, until the script ends:
//
//	hangbus PATH
func cmdHangBus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: hangbus PATH")
	}
	l, err := net.Listen("unix", ts.MkAbs(args[0]))
	ts.Check(err)
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	ts.Defer(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
}

// cmdTLSEmu starts a second emulator for the script, serving HTTPS as
// p1emu --tls does, writes its CA certificate to $WORK/emu-ca.pem and sets
// EMU_TLS, EMU_TLS_API and EMU_CA:
//
//	tlsemu
func cmdTLSEmu(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: tlsemu")
	}
	srv, err := emulator.New(emulator.DefaultFixture(), emulator.WithTLS())
	ts.Check(err)
	base, err := srv.Start("127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { srv.Close() })
	ca := ts.MkAbs("emu-ca.pem")
	ts.Check(os.WriteFile(ca, srv.CACertPEM(), 0o644))
	ts.Setenv("EMU_TLS", base)
	ts.Setenv("EMU_TLS_API", base+"/v1")
	ts.Setenv("EMU_CA", ca)
}

// cmdEmu drives the script's emulator:
//
//	emu count KIND N              the emulator saw N requests of KIND ("all" for any)
//	emu fault KIND STATUS [TIMES] [RETRY-AFTER]
//	emu delay KIND DURATION [TIMES]
//	emu body KIND STATUS BODY     answer with a raw body (e.g. truncated JSON)
//	emu bigbody KIND BYTES        answer with a body of BYTES bytes
//	emu redirect KIND STATUS URL  answer with a redirect to URL
//	emu advance DURATION          move the emulator's clock forward
//	emu revoke                    invalidate every token issued so far
//	emu reset                     clear counters and faults
func cmdEmu(ts *testscript.TestScript, neg bool, args []string) {
	srv := ts.Value("emu").(*emulator.Server)
	if len(args) == 0 {
		ts.Fatalf("usage: emu count|fault|delay|body|bigbody|redirect|revoke|reset ...")
	}
	kind := func(s string) string {
		if s == "all" || s == "any" {
			return ""
		}
		return s
	}
	atoi := func(s string) int {
		n, err := strconv.Atoi(s)
		ts.Check(err)
		return n
	}
	switch args[0] {
	case "count":
		if len(args) != 3 {
			ts.Fatalf("usage: emu count KIND N")
		}
		got, want := srv.Count(kind(args[1])), atoi(args[2])
		if (got == want) == neg {
			ts.Fatalf("emulator saw %d %s request(s), want %s%d", got, args[1], map[bool]string{true: "not ", false: ""}[neg], want)
		}
	case "fault":
		if len(args) < 3 {
			ts.Fatalf("usage: emu fault KIND STATUS [TIMES] [RETRY-AFTER]")
		}
		f := emulator.Fault{Endpoint: kind(args[1]), Status: atoi(args[2])}
		if len(args) > 3 {
			f.Times = atoi(args[3])
		}
		if len(args) > 4 {
			f.RetryAfter = args[4]
		}
		srv.InjectFault(f)
	case "delay":
		if len(args) < 3 {
			ts.Fatalf("usage: emu delay KIND DURATION [TIMES]")
		}
		d, err := time.ParseDuration(args[2])
		ts.Check(err)
		f := emulator.Fault{Endpoint: kind(args[1]), Delay: d}
		if len(args) > 3 {
			f.Times = atoi(args[3])
		}
		srv.InjectFault(f)
	case "body":
		if len(args) != 4 {
			ts.Fatalf("usage: emu body KIND STATUS BODY")
		}
		srv.InjectFault(emulator.Fault{Endpoint: kind(args[1]), Status: atoi(args[2]), Body: args[3]})
	case "bigbody":
		if len(args) != 3 {
			ts.Fatalf("usage: emu bigbody KIND BYTES")
		}
		srv.InjectFault(emulator.Fault{Endpoint: kind(args[1]), Status: 200, BodySize: int64(atoi(args[2]))})
	case "redirect":
		if len(args) != 4 {
			ts.Fatalf("usage: emu redirect KIND STATUS URL")
		}
		srv.InjectFault(emulator.Fault{Endpoint: kind(args[1]), Status: atoi(args[2]), Location: args[3]})
	case "quirk":
		// emu quirk missing-env-forbidden: PingOne's 403 rather than 404
		// for an environment that does not exist, until emu reset.
		// emu quirk reject-new-secret: rotated secrets are refused at the
		// token endpoint, until emu reset.
		q := srv.Quirks()
		switch {
		case len(args) == 2 && args[1] == "missing-env-forbidden":
			q.MissingEnvironmentForbidden = true
		case len(args) == 2 && args[1] == "reject-new-secret":
			q.RejectNewSecret = true
		default:
			ts.Fatalf("usage: emu quirk missing-env-forbidden|reject-new-secret")
		}
		srv.SetQuirks(q)
	case "advance":
		// emu advance DURATION: move the emulator's clock forward (token
		// and previous-secret expiries), for the rest of the script.
		if len(args) != 2 {
			ts.Fatalf("usage: emu advance DURATION")
		}
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		ts.Value("emuahead").(*atomic.Int64).Add(int64(d))
	case "revoke":
		srv.RevokeTokens()
	case "reset":
		srv.Reset()
	default:
		ts.Fatalf("unknown emu command %q", args[0])
	}
}

// cmdExpandEnv copies SRC to DST (mode 0600) with $VARIABLES expanded from
// the script's environment, for config files that name the emulator's URL.
//
//	expandenv SRC DST
func cmdExpandEnv(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: expandenv SRC DST")
	}
	data := ts.ReadFile(args[0])
	dst := ts.MkAbs(args[1])
	ts.Check(os.MkdirAll(filepath.Dir(dst), 0o700))
	ts.Check(os.WriteFile(dst, []byte(os.Expand(data, ts.Getenv)), 0o600))
}

// cmdAbsent fails if any FILE (stdout and stderr name the last command's
// output) holds the contents of NEEDLE, such as a random secret a command
// wrote there: scripts cannot put an unknown value in a pattern.
//
//	absent NEEDLE FILE...
func cmdAbsent(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: absent NEEDLE FILE...")
	}
	needle := strings.TrimSpace(ts.ReadFile(args[0]))
	if len(needle) < 8 {
		ts.Fatalf("%s holds %d bytes: too short to search for", args[0], len(needle))
	}
	for _, name := range args[1:] {
		if strings.Contains(ts.ReadFile(name), needle) {
			ts.Fatalf("%s holds the contents of %s", name, args[0])
		}
	}
}

// cmdPerm asserts a file's permission bits, in octal.
//
//	perm PATH 600
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: perm PATH MODE")
	}
	info, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	want, err := strconv.ParseUint(args[1], 8, 32)
	ts.Check(err)
	if got := uint64(info.Mode().Perm()); (got == want) == neg {
		ts.Fatalf("%s has mode %o, want %s%o", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// cmdAgeCache makes the tokens cached in DIR older by DURATION, as if they
// had been stored that long ago: their stored_at and expires_at move back.
//
//	agecache DIR 20m
func cmdAgeCache(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: agecache DIR DURATION")
	}
	age, err := time.ParseDuration(args[1])
	ts.Check(err)
	files, err := filepath.Glob(filepath.Join(ts.MkAbs(args[0]), "*.json"))
	ts.Check(err)
	if len(files) == 0 {
		ts.Fatalf("no cached token in %s", args[0])
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		ts.Check(err)
		var doc map[string]any
		ts.Check(json.Unmarshal(data, &doc))
		for _, field := range []string{"stored_at", "expires_at"} {
			v, _ := doc[field].(string)
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				ts.Fatalf("%s: %s %q: %v", f, field, v, err)
			}
			doc[field] = t.Add(-age).Format(time.RFC3339Nano)
		}
		data, err = json.Marshal(doc)
		ts.Check(err)
		ts.Check(os.WriteFile(f, data, 0o600))
	}
}
