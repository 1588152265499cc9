// Package action tests the GitHub Action (action.yml at the repository
// root) as a runner runs it: nektos/act executes a workflow that uses it
// (uses: ./) on this host, with GitHub's GITHUB_OUTPUT, GITHUB_ENV and
// GITHUB_PATH files and its log masking, against the PingOne emulator on a
// free loopback port. The install path downloads a release (goreleaser's
// snapshot in dist/, or an archive built here the way goreleaser names it)
// from a loopback HTTP server.
//
// act is built by scripts/act.sh into bin/act (make action-test). Without
// it the act tests skip, unless P1CTL_REQUIRE_ACT=1.
package action

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/p1ctl/p1ctl/internal/emulator"
)

// EnvRequire makes a missing bin/act a failure instead of a skip.
const EnvRequire = "P1CTL_REQUIRE_ACT"

// EnvRelease names a goreleaser dist/ directory (make release-snapshot, or
// a --single-target snapshot) to install from; without it the test builds
// the linux archive and checksums.txt itself.
const EnvRelease = "P1CTL_ACTION_RELEASE"

var root = func() string {
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return dir
}()

// action is the part of action.yml the static checks read.
type action struct {
	Inputs map[string]struct {
		Required bool    `yaml:"required"`
		Default  *string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name  string            `yaml:"name"`
			ID    string            `yaml:"id"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
			Uses  string            `yaml:"uses"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func readAction(t *testing.T) *action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a
}

// Inputs reach the shell only through env: an expression pasted into run:
// text is shell code an input value could break out of. Every expression
// names an input or step output that exists.
func TestActionInputsThroughEnv(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using %q, want composite", a.Runs.Using)
	}
	for _, name := range []string{"client-id", "client-secret", "environment-id", "region", "auth-method", "private-key", "scopes", "min-ttl", "version", "download-url"} {
		if _, ok := a.Inputs[name]; !ok {
			t.Errorf("input %s missing", name)
		}
	}
	for _, name := range []string{"client-id", "environment-id"} {
		if !a.Inputs[name].Required {
			t.Errorf("input %s is not required", name)
		}
	}
	ids := map[string]bool{}
	expr := regexp.MustCompile(`^\$\{\{ (inputs\.([a-z-]+)|steps\.([a-z-]+)\.outputs\.[a-z]+) \}\}$`)
	for _, s := range a.Runs.Steps {
		if s.Uses != "" {
			t.Errorf("step %q uses %s: remote actions would be fetched at run time", s.Name, s.Uses)
		}
		if s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash (on every runner OS)", s.Name, s.Shell)
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q pastes an expression into its script", s.Name)
		}
		for k, v := range s.Env {
			m := expr.FindStringSubmatch(v)
			switch {
			case m == nil:
				t.Errorf("step %q env %s = %q: not a single input or step output", s.Name, k, v)
			case m[2] != "":
				if _, ok := a.Inputs[m[2]]; !ok {
					t.Errorf("step %q env %s names no input: %s", s.Name, k, v)
				}
			case !ids[m[3]]:
				t.Errorf("step %q env %s names step %s, which does not run before it", s.Name, k, m[3])
			}
		}
		if s.ID != "" {
			ids[s.ID] = true
		}
	}
}

// The runner: bin/act, and a freshly built p1ctl on a PATH of its own.
type runner struct {
	// insecure runs act with --insecure-secrets: no masking in its log,
	// so that the log shows whatever the steps print.
	insecure bool
	act      string
	p1ctlDir string // holds p1ctl
	emu      *emulator.Server
	emuURL   string
	keyPEM   string // the private_key_jwt client's key
}

func newRunner(t *testing.T) *runner {
	t.Helper()
	act := filepath.Join(root, "bin", "act")
	if _, err := os.Stat(act); err != nil {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("%s: %v (scripts/act.sh --build-only builds it)", act, err)
		}
		t.Skipf("%s not built (make action-test builds it); set %s=1 to fail instead", act, EnvRequire)
	}
	if runtime.GOOS != "linux" {
		t.Skip("act runs the ubuntu-latest job on the host: linux only")
	}
	r := &runner{act: act, p1ctlDir: buildP1ctl(t)}
	srv, err := emulator.New(emulator.DefaultFixture())
	if err != nil {
		t.Fatal(err)
	}
	r.emuURL, err = srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	r.emu = srv
	key, err := os.ReadFile(filepath.Join(root, "internal", "emulator", emulator.PrivateKeyClientKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	r.keyPEM = string(key)
	return r
}

var built atomic.Pointer[string]

// buildP1ctl builds p1ctl once per test binary, into a directory that
// holds nothing else (the PATH of the "already installed" cases).
func buildP1ctl(t *testing.T) string {
	t.Helper()
	if dir := built.Load(); dir != nil {
		return *dir
	}
	dir, err := os.MkdirTemp("", "p1ctl-action-bin-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-X github.com/p1ctl/p1ctl/internal/build.Version=9.9.9-onpath", "-o", filepath.Join(dir, "p1ctl"), "./cmd/p1ctl")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	built.Store(&dir)
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dir := built.Load(); dir != nil {
		os.RemoveAll(*dir)
	}
	os.Exit(code)
}

// job is one act run: the log of the whole job, and its exit status.
type job struct {
	log    string
	failed bool
	out    string // the job's T_OUT directory, where steps leave files
}

// systemPath is the PATH of the act runs: the system's tools (bash, curl,
// tar, sha256sum), no p1ctl.
const systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// run runs workflow (a job "p1" on ubuntu-latest) with act on the host,
// with PATH path. vars (NAME=value) are the workflow's env context
// (act --env), as a job's env: would be.
func (r *runner) run(t *testing.T, workflow string, path string, vars ...string) *job {
	t.Helper()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	out := filepath.Join(dir, "out")
	for _, d := range []string{home, out} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	wf := filepath.Join(dir, "workflow.yml")
	if err := os.WriteFile(wf, []byte(workflow), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.act, "push", "-W", wf,
		"-P", "ubuntu-latest=-self-hosted",
		"--no-cache-server", "--action-offline-mode",
		"--action-cache-path", filepath.Join(dir, "act"),
		"--env-file", os.DevNull, "--secret-file", os.DevNull, "--var-file", os.DevNull)
	for _, v := range vars {
		cmd.Args = append(cmd.Args, "--env", v)
	}
	if r.insecure {
		cmd.Args = append(cmd.Args, "--insecure-secrets")
	}
	// The repository root, which checkout copies: uses: ./ is action.yml
	// there.
	cmd.Dir = root
	// A host job inherits act's environment.
	cmd.Env = []string{
		"PATH=" + path,
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"T_OUT=" + out,
		"PINGONE_AUTH_URL=" + r.emuURL,
		"PINGONE_API_URL=" + r.emuURL + "/v1",
		"P1CTL_MAX_RETRIES=0",
	}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("act did not finish in time:\n%s", buf.String())
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("act: %v\n%s", err, buf.String())
	}
	j := &job{log: buf.String(), failed: err != nil, out: out}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("act log:\n%s", j.log)
		}
	})
	return j
}

// file reads what a step left in T_OUT.
func (j *job) file(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(j.out, name))
	if err != nil {
		t.Fatalf("%s: %v (the step that writes it did not run)", name, err)
	}
	return string(data)
}

// noLeak fails if the log shows any of the values: the token, the secret
// and each line of a key may be on the runner's log only as the runner's
// mask, ***.
func (j *job) noLeak(t *testing.T, what string, values ...string) {
	t.Helper()
	for _, v := range values {
		if len(v) < 8 {
			t.Fatalf("%s %q is too short to look for", what, v)
		}
		if strings.Contains(j.log, v) {
			t.Errorf("the log shows the %s", what)
		}
	}
}

// The steps after the action: the token output works against the
// management API, and the exported settings are there, the secret not.
const afterSteps = `
      - name: After the action
        env:
          TOKEN: ${{ steps.p1.outputs.token }}
          P1CTL_USED: ${{ steps.p1.outputs.p1ctl }}
        run: |
          set -euo pipefail
          printf '%s' "$TOKEN" > "$T_OUT/token"
          printf '%s' "$P1CTL_USED" > "$T_OUT/p1ctl"
          # Printing the token is safe only because the action masked it.
          if [ -n "${T_ECHO:-}" ]; then
            echo "the token: $TOKEN"
            echo "the secret: $T_SECRET"
          fi
          curl --fail --silent --show-error -o "$T_OUT/environment.json" \
            -H "Authorization: Bearer $TOKEN" "$PINGONE_API_URL/environments/$PINGONE_ENVIRONMENT_ID"
          env | grep -E '^(PINGONE|P1CTL)_' | sort > "$T_OUT/env"
          command -v p1ctl > "$T_OUT/which" || true
          ls "$RUNNER_TEMP" > "$T_OUT/runner_temp"
`

func secretWorkflow(with string) string {
	return `name: action-test
on: push
jobs:
  p1:
    runs-on: ubuntu-latest
    steps:
      # act copies the repository (act's working directory) into the
      # job's workspace here, fetching nothing.
      - uses: actions/checkout@v4
      - id: p1
        uses: ./
        with:
          client-id: ${{ env.T_CLIENT_ID }}
          # From env, not secrets.*: only the action's own mask hides it.
          client-secret: ${{ env.T_SECRET }}
          environment-id: ${{ env.T_ENV }}
` + with + afterSteps
}

// With p1ctl on PATH: a token from the emulator as the step output,
// usable by a later step, never shown; the settings exported, the secret
// not.
func TestActionToken(t *testing.T) {
	r := newRunner(t)
	j := r.run(t, secretWorkflow(`          region: NA
          min-ttl: 5m
`), r.p1ctlDir+":"+systemPath,
		"T_CLIENT_ID="+emulator.DemoClientID, "T_SECRET="+emulator.DemoClientSecret, "T_ENV="+emulator.DemoEnvironmentID, "T_ECHO=1")
	if j.failed {
		t.Fatal("the job failed")
	}
	token := j.file(t, "token")
	if !regexp.MustCompile(`^ey[\w-]+\.[\w-]+\.[\w-]+$`).MatchString(token) {
		t.Fatalf("token output %q is not a JWT", token)
	}
	if n := r.emu.Count("token"); n != 1 {
		t.Errorf("the emulator saw %d token requests, want 1", n)
	}
	var env struct{ ID string }
	if err := json.Unmarshal([]byte(j.file(t, "environment.json")), &env); err != nil || env.ID != emulator.DemoEnvironmentID {
		t.Errorf("the API call with the token answered %+v (%v)", env, err)
	}
	j.noLeak(t, "token", token)
	j.noLeak(t, "secret", emulator.DemoClientSecret)
	// The later step printed both: the runner showed them masked.
	for _, line := range []string{"the token: ***", "the secret: ***"} {
		if !strings.Contains(j.log, line) {
			t.Errorf("the log lacks %q", line)
		}
	}
	exported := j.file(t, "env")
	for _, want := range []string{
		"PINGONE_CLIENT_ID=" + emulator.DemoClientID,
		"PINGONE_ENVIRONMENT_ID=" + emulator.DemoEnvironmentID,
		"PINGONE_REGION=NA",
		"P1CTL_CACHE_DIR=",
	} {
		if !strings.Contains(exported, want) {
			t.Errorf("later steps lack %s", want)
		}
	}
	if strings.Contains(exported, "SECRET") || strings.Contains(exported, emulator.DemoClientSecret) {
		t.Error("the secret was exported to later steps")
	}
	if got := j.file(t, "p1ctl"); got != filepath.Join(r.p1ctlDir, "p1ctl") {
		t.Errorf("p1ctl output %q, want the one on PATH", got)
	}
}

// Unmasked, the log shows what the steps print: the action itself prints
// neither the token nor the secret, except in ::add-mask:: commands (which
// act shows as ***, masked or not).
func TestActionRawLog(t *testing.T) {
	r := newRunner(t)
	r.insecure = true
	j := r.run(t, secretWorkflow(""), r.p1ctlDir+":"+systemPath,
		"T_CLIENT_ID="+emulator.DemoClientID, "T_SECRET="+emulator.DemoClientSecret, "T_ENV="+emulator.DemoEnvironmentID)
	if j.failed {
		t.Fatal("the job failed")
	}
	// act reports what a step wrote to GITHUB_OUTPUT ("::set-output::
	// token=..."), which GitHub's runner does not: those lines are act's,
	// not the steps' output.
	var steps []string
	for _, line := range strings.Split(j.log, "\n") {
		if !strings.Contains(line, "\u2699  ::set-output:: ") {
			steps = append(steps, line)
		}
	}
	j.log = strings.Join(steps, "\n")
	j.noLeak(t, "token", j.file(t, "token"))
	j.noLeak(t, "secret", emulator.DemoClientSecret)
	// The add-mask commands were there: the secret's, then the token's.
	if n := strings.Count(j.log, "\u2699  ***"); n < 2 {
		t.Errorf("%d mask commands in the log, want the secret's and the token's", n)
	}
}

// failedWith runs attempt until its job fails with want in the log, at
// most three times. act v0.2.89 returns from a step whose command exits
// non-zero without waiting for the copy of its terminal output
// (pkg/container/host_environment.go, exec), so now and then the last
// lines of a failed step, the message under test, never reach the log;
// the GitHub runner waits for them. A run whose job succeeds, or which
// fails with the message, is final.
func failedWith(t *testing.T, want *regexp.Regexp, attempt func() *job) *job {
	t.Helper()
	for i := 1; ; i++ {
		j := attempt()
		if !j.failed || want.MatchString(j.log) || i == 3 {
			return j
		}
		t.Logf("attempt %d: act dropped the failed step's last lines; running the job again", i)
	}
}

// A missing input fails the step with p1ctl's own message and exit
// status 2, and no later step runs.
func TestActionMissingInput(t *testing.T) {
	message := regexp.MustCompile(`p1ctl: .*PINGONE_ENVIRONMENT_ID`)
	var r *runner
	j := failedWith(t, message, func() *job {
		r = newRunner(t)
		return r.run(t, secretWorkflow(""), r.p1ctlDir+":"+systemPath,
			"T_CLIENT_ID="+emulator.DemoClientID, "T_SECRET="+emulator.DemoClientSecret, "T_ENV=")
	})
	if !j.failed {
		t.Fatal("the job succeeded without an environment ID")
	}
	if !message.MatchString(j.log) {
		t.Error("the log lacks p1ctl's message naming PINGONE_ENVIRONMENT_ID")
	}
	if !strings.Contains(j.log, "exit status 2") {
		t.Error("the step did not fail with p1ctl's usage status 2")
	}
	if _, err := os.Stat(filepath.Join(j.out, "token")); err == nil {
		t.Error("the step after the failed action ran")
	}
	if n := r.emu.Count("token"); n != 0 {
		t.Errorf("%d token requests without an environment ID", n)
	}
	j.noLeak(t, "secret", emulator.DemoClientSecret)
}

// An input is data, not shell code: a command substitution in the client
// ID is passed to p1ctl as it is.
func TestActionInputIsNotShell(t *testing.T) {
	r := newRunner(t)
	j := r.run(t, secretWorkflow(`          scopes: '$(touch "$T_OUT/pwned-scope")'
`), r.p1ctlDir+":"+systemPath,
		`T_CLIENT_ID=$(touch "$T_OUT/pwned")`, "T_SECRET="+emulator.DemoClientSecret, "T_ENV="+emulator.DemoEnvironmentID)
	if !j.failed {
		t.Fatal("the job succeeded with a bad client ID")
	}
	for _, f := range []string{"pwned", "pwned-scope"} {
		if _, err := os.Stat(filepath.Join(j.out, f)); err == nil {
			t.Errorf("an input ran as shell code (%s)", f)
		}
	}
}

// private_key_jwt: the key reaches p1ctl in a 0600 file that is gone
// after the step; no line of it is shown.
func TestActionPrivateKey(t *testing.T) {
	r := newRunner(t)
	wf := `name: action-test
on: push
jobs:
  p1:
    runs-on: ubuntu-latest
    steps:
      # act copies the repository (act's working directory) into the
      # job's workspace here, fetching nothing.
      - uses: actions/checkout@v4
      - id: p1
        uses: ./
        with:
          client-id: ` + emulator.PrivateKeyClientID + `
          environment-id: ` + emulator.DemoEnvironmentID + `
          auth-method: private_key_jwt
          private-key: ${{ env.T_KEY }}
` + afterSteps
	j := r.run(t, wf, r.p1ctlDir+":"+systemPath, "T_KEY="+r.keyPEM, "T_SECRET=not-used-here")
	if j.failed {
		t.Fatal("the job failed")
	}
	j.noLeak(t, "token", j.file(t, "token"))
	for _, line := range strings.Split(r.keyPEM, "\n") {
		if len(line) >= 8 && !strings.HasPrefix(line, "-----") {
			j.noLeak(t, "private key", line)
		}
	}
	if temp := j.file(t, "runner_temp"); strings.Contains(temp, "p1ctl-key") {
		t.Errorf("the key file is left in RUNNER_TEMP: %s", temp)
	}
	if strings.Contains(j.file(t, "env"), "PRIVATE_KEY") {
		t.Error("the key file was exported to later steps")
	}
}

// release is a set of release files served over loopback HTTP as
// /v{version}/{name}.
type release struct {
	version string
	files   map[string][]byte
	gets    atomic.Int32
}

// loadRelease reads goreleaser's dist/ (P1CTL_ACTION_RELEASE), or builds
// the linux/amd64 archive and checksums.txt as goreleaser names them.
func loadRelease(t *testing.T) *release {
	t.Helper()
	if dist := os.Getenv(EnvRelease); dist != "" {
		// Relative to the repository root, where make runs.
		if !filepath.IsAbs(dist) {
			dist = filepath.Join(root, dist)
		}
		return distRelease(t, dist)
	}
	// Built once per test binary; each test counts its own downloads.
	if rel := builtRel.Load(); rel != nil {
		return &release{version: rel.version, files: rel.files}
	}
	rel := builtRelease(t)
	builtRel.Store(rel)
	return &release{version: rel.version, files: rel.files}
}

var builtRel atomic.Pointer[release]

func distRelease(t *testing.T, dist string) *release {
	t.Helper()
	meta, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
	if err != nil {
		t.Fatalf("%s: %v (make release-snapshot, or goreleaser release --snapshot --single-target)", EnvRelease, err)
	}
	var m struct{ Version string }
	if err := json.Unmarshal(meta, &m); err != nil || m.Version == "" {
		t.Fatalf("%s/metadata.json: no version (%v)", dist, err)
	}
	rel := &release{version: m.Version, files: map[string][]byte{}}
	for _, name := range []string{"checksums.txt", archiveName(m.Version)} {
		data, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatalf("%s: %v", EnvRelease, err)
		}
		rel.files[name] = data
	}
	return rel
}

func archiveName(version string) string {
	return fmt.Sprintf("p1ctl_%s_%s_%s.tar.gz", version, runtime.GOOS, runtime.GOARCH)
}

func builtRelease(t *testing.T) *release {
	t.Helper()
	const version = "0.0.1-test"
	dir, err := os.MkdirTemp("", "p1ctl-action-release-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "p1ctl")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-X github.com/p1ctl/p1ctl/internal/build.Version="+version, "-o", bin, "./cmd/p1ctl")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	// As goreleaser lays the archive out: the binary and the docs at the top.
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{"README.md", 0o644, []byte("p1ctl\n")}, {"p1ctl", 0o755, exe}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	name := archiveName(version)
	sum := sha256.Sum256(buf.Bytes())
	// sha256sum's format, as goreleaser writes checksums.txt; another
	// platform's line first, so the lookup must pick by name.
	checksums := fmt.Sprintf("%s  p1ctl_%s_darwin_arm64.tar.gz\n%s  %s\n", strings.Repeat("0", 64), version, hex.EncodeToString(sum[:]), name)
	return &release{version: version, files: map[string][]byte{"checksums.txt": []byte(checksums), name: buf.Bytes()}}
}

// serve serves rel on a loopback port; tamper flips one byte of the
// archive after its checksum was taken.
func (rel *release) serve(t *testing.T, tamper bool) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel.gets.Add(1)
		name, ok := strings.CutPrefix(r.URL.Path, "/v"+rel.version+"/")
		data, found := rel.files[name]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		if tamper && strings.HasSuffix(name, ".tar.gz") {
			data = bytes.Clone(data)
			data[len(data)/2] ^= 0x01
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func installWorkflow(version, url string) string {
	return secretWorkflow(`          version: ` + version + `
          download-url: ` + url + `
`)
}

// Without p1ctl on PATH, the action installs the release for the runner's
// OS and architecture, checked against checksums.txt, and later steps find
// it on PATH.
func TestActionInstall(t *testing.T) {
	r := newRunner(t)
	rel := loadRelease(t)
	j := r.run(t, installWorkflow(rel.version, rel.serve(t, false)), systemPath,
		"T_CLIENT_ID="+emulator.DemoClientID, "T_SECRET="+emulator.DemoClientSecret, "T_ENV="+emulator.DemoEnvironmentID)
	if j.failed {
		t.Fatal("the job failed")
	}
	installed := j.file(t, "p1ctl")
	if !strings.HasSuffix(installed, "/p1ctl-"+rel.version+"/bin/p1ctl") {
		t.Errorf("p1ctl output %q is not the installed release", installed)
	}
	if which := strings.TrimSpace(j.file(t, "which")); which != installed {
		t.Errorf("later steps find p1ctl at %q, want %q (GITHUB_PATH)", which, installed)
	}
	if !strings.Contains(j.log, "p1ctl version "+rel.version) {
		t.Errorf("the log does not show the installed version %s", rel.version)
	}
	j.noLeak(t, "token", j.file(t, "token"))
	j.noLeak(t, "secret", emulator.DemoClientSecret)
}

// A tampered archive is refused: nothing installed, no token asked for.
func TestActionInstallTampered(t *testing.T) {
	var r *runner
	var rel *release
	j := failedWith(t, regexp.MustCompile(`does not match checksums\.txt`), func() *job {
		r, rel = newRunner(t), loadRelease(t)
		return r.run(t, installWorkflow(rel.version, rel.serve(t, true)), systemPath,
			"T_CLIENT_ID="+emulator.DemoClientID, "T_SECRET="+emulator.DemoClientSecret, "T_ENV="+emulator.DemoEnvironmentID)
	})
	if !j.failed {
		t.Fatal("the job succeeded with a tampered archive")
	}
	if !strings.Contains(j.log, "does not match checksums.txt") {
		t.Error("the log does not say the checksum failed")
	}
	if rel.gets.Load() != 2 {
		t.Errorf("%d downloads, want checksums.txt and the archive", rel.gets.Load())
	}
	if strings.Contains(j.log, "p1ctl version "+rel.version) {
		t.Error("the tampered binary ran")
	}
	if n := r.emu.Count("token"); n != 0 {
		t.Errorf("%d token requests after a failed install", n)
	}
}

// A version with no release fails the step, naming the download.
func TestActionInstallMissingVersion(t *testing.T) {
	j := failedWith(t, regexp.MustCompile(`could not download`), func() *job {
		r, rel := newRunner(t), loadRelease(t)
		return r.run(t, installWorkflow("0.0.0-nosuch", rel.serve(t, false)), systemPath,
			"T_CLIENT_ID="+emulator.DemoClientID, "T_SECRET="+emulator.DemoClientSecret, "T_ENV="+emulator.DemoEnvironmentID)
	})
	if !j.failed {
		t.Fatal("the job succeeded without a release")
	}
	if !strings.Contains(j.log, "could not download") || !strings.Contains(j.log, "v0.0.0-nosuch/") {
		t.Error("the log does not name the failed download")
	}
}
