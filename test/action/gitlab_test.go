package action

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/p1ctl/p1ctl/internal/emulator"
)

// There is no GitLab runner here: these tests read templates/p1ctl.yml as
// GitLab does (the spec document, then the job with $[[ inputs.x ]]
// interpolated), and run the job's before_script and script in one sh, as
// the runner does, with the job's variables. What GitLab adds around it
// (the image, masking of CI/CD variables) is not covered.

type componentInput struct {
	Default any    `yaml:"default"`
	Type    string `yaml:"type"`
}

// component reads the template and interpolates inputs (with the spec's
// defaults for the others) into its job. It returns the job's name and
// its mapping.
func component(t *testing.T, inputs map[string]any) (string, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "templates", "p1ctl.yml"))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var header struct {
		Spec struct {
			Inputs map[string]componentInput `yaml:"inputs"`
		} `yaml:"spec"`
	}
	if err := dec.Decode(&header); err != nil {
		t.Fatalf("spec: %v", err)
	}
	var jobs yaml.Node
	if err := dec.Decode(&jobs); err != nil {
		t.Fatalf("job document: %v", err)
	}
	values := map[string]any{}
	for name, in := range header.Spec.Inputs {
		if in.Default != nil {
			values[name] = in.Default
		}
	}
	for name, v := range inputs {
		if _, ok := header.Spec.Inputs[name]; !ok {
			t.Fatalf("the component has no input %s", name)
		}
		values[name] = v
	}
	interpolate(t, &jobs, values)
	var out map[string]map[string]any
	if err := jobs.Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Fatalf("%d jobs, want 1", len(out))
	}
	for name, job := range out {
		return name, job
	}
	panic("unreachable")
}

var inputRef = regexp.MustCompile(`\$\[\[ inputs\.([a-z-]+) \]\]`)

// interpolate replaces $[[ inputs.x ]] in every string of n; a string that
// is only a reference to an array input becomes that array.
func interpolate(t *testing.T, n *yaml.Node, values map[string]any) {
	t.Helper()
	for _, c := range n.Content {
		interpolate(t, c, values)
	}
	if n.Kind != yaml.ScalarNode {
		return
	}
	if m := inputRef.FindStringSubmatch(n.Value); m != nil && m[0] == n.Value {
		v, ok := values[m[1]]
		if !ok {
			t.Fatalf("input %s has no value and no default", m[1])
		}
		if err := n.Encode(v); err != nil {
			t.Fatal(err)
		}
		return
	}
	n.Value = inputRef.ReplaceAllStringFunc(n.Value, func(ref string) string {
		name := inputRef.FindStringSubmatch(ref)[1]
		v, ok := values[name]
		if !ok {
			t.Fatalf("input %s has no value and no default", name)
		}
		return fmt.Sprint(v)
	})
}

// runJob runs the job's before_script and script in one sh -e, as the
// GitLab runner's shell does, with its variables and env (the project's
// CI/CD variables). It returns the job log and its exit status.
func runJob(t *testing.T, job map[string]any, env ...string) (string, int) {
	t.Helper()
	var lines []string
	for _, key := range []string{"before_script", "script"} {
		items, _ := job[key].([]any)
		if len(items) == 0 {
			t.Fatalf("job has no %s", key)
		}
		for _, item := range items {
			s, ok := item.(string)
			if !ok {
				t.Fatalf("%s item %v is not a string", key, item)
			}
			lines = append(lines, s)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-e", "-c", strings.Join(lines, "\n"))
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + systemPath, "HOME=" + cmd.Dir}
	vars, _ := job["variables"].(map[string]any)
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+fmt.Sprint(v))
	}
	cmd.Env = append(cmd.Env, env...)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("the job did not finish in time:\n%s", log.String())
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("job log:\n%s", log.String())
		}
	})
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return log.String(), cmd.ProcessState.ExitCode()
}

type gitlabRun struct {
	emu    *emulator.Server
	rel    *release
	out    string
	emuURL string
}

func newGitlabRun(t *testing.T) *gitlabRun {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the component installs the linux release")
	}
	srv, err := emulator.New(emulator.DefaultFixture())
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &gitlabRun{emu: srv, rel: loadRelease(t), out: t.TempDir(), emuURL: url}
}

// The project's CI/CD variables: the secret, masked and protected in
// GitLab, and the emulator's URLs.
func (g *gitlabRun) projectVars() []string {
	return []string{
		"PINGONE_CLIENT_SECRET=" + emulator.DemoClientSecret,
		"PINGONE_AUTH_URL=" + g.emuURL,
		"PINGONE_API_URL=" + g.emuURL + "/v1",
		"P1CTL_MAX_RETRIES=0",
		"T_OUT=" + g.out,
	}
}

// The job installs the release, gets a token, and the script uses it,
// with p1ctl on PATH reusing the cached token; neither the token nor the
// secret is printed.
func TestGitLabComponent(t *testing.T) {
	g := newGitlabRun(t)
	name, job := component(t, map[string]any{
		"job-name":       "pingone",
		"version":        g.rel.version,
		"download-url":   g.rel.serve(t, false),
		"client-id":      emulator.DemoClientID,
		"environment-id": emulator.DemoEnvironmentID,
		"min-ttl":        "5m",
		"script": []string{
			`printf '%s' "$P1CTL_TOKEN" > "$T_OUT/token"`,
			`curl --fail --silent --show-error -H "Authorization: Bearer $P1CTL_TOKEN" "$PINGONE_API_URL/environments/$PINGONE_ENVIRONMENT_ID" -o "$T_OUT/environment.json"`,
			`p1ctl env read -o json > "$T_OUT/read.json"`,
		},
	})
	if name != "pingone" {
		t.Errorf("job named %q, want the job-name input", name)
	}
	log, code := runJob(t, job, g.projectVars()...)
	if code != 0 {
		t.Fatalf("the job exited %d", code)
	}
	token, err := os.ReadFile(filepath.Join(g.out, "token"))
	if err != nil || !regexp.MustCompile(`^ey[\w-]+\.[\w-]+\.[\w-]+$`).Match(token) {
		t.Fatalf("P1CTL_TOKEN %q is not a JWT (%v)", token, err)
	}
	for _, f := range []string{"environment.json", "read.json"} {
		if data, err := os.ReadFile(filepath.Join(g.out, f)); err != nil || !strings.Contains(string(data), emulator.DemoEnvironmentID) {
			t.Errorf("%s: %q %v", f, data, err)
		}
	}
	if n := g.emu.Count("token"); n != 1 {
		t.Errorf("%d token requests, want 1: the script's p1ctl reuses the job's cached token", n)
	}
	if strings.Contains(log, string(token)) || strings.Contains(log, emulator.DemoClientSecret) {
		t.Error("the job log shows the token or the secret")
	}
	if !strings.Contains(log, "p1ctl version "+g.rel.version) {
		t.Errorf("the log does not show the installed version %s", g.rel.version)
	}
}

// A tampered archive fails the job before any token request.
func TestGitLabComponentTampered(t *testing.T) {
	g := newGitlabRun(t)
	_, job := component(t, map[string]any{
		"version":        g.rel.version,
		"download-url":   g.rel.serve(t, true),
		"client-id":      emulator.DemoClientID,
		"environment-id": emulator.DemoEnvironmentID,
		"script":         []string{`touch "$T_OUT/ran"`},
	})
	log, code := runJob(t, job, g.projectVars()...)
	if code == 0 {
		t.Fatal("the job succeeded with a tampered archive")
	}
	if !strings.Contains(log, "does not match checksums.txt") {
		t.Error("the log does not say the checksum failed")
	}
	if _, err := os.Stat(filepath.Join(g.out, "ran")); err == nil {
		t.Error("the script ran")
	}
	if n := g.emu.Count("token"); n != 0 {
		t.Errorf("%d token requests", n)
	}
}

// Without an environment ID (input or variable) the job fails with p1ctl's
// message and status 2; the script does not run.
func TestGitLabComponentMissingSetting(t *testing.T) {
	g := newGitlabRun(t)
	_, job := component(t, map[string]any{
		"version":      g.rel.version,
		"download-url": g.rel.serve(t, false),
		"client-id":    emulator.DemoClientID,
		"script":       []string{`touch "$T_OUT/ran"`},
	})
	log, code := runJob(t, job, g.projectVars()...)
	if code != 2 {
		t.Fatalf("the job exited %d, want p1ctl's usage status 2", code)
	}
	if !regexp.MustCompile(`p1ctl: .*PINGONE_ENVIRONMENT_ID`).MatchString(log) {
		t.Error("the log lacks p1ctl's message naming PINGONE_ENVIRONMENT_ID")
	}
	if _, err := os.Stat(filepath.Join(g.out, "ran")); err == nil {
		t.Error("the script ran")
	}
}

// The spec: version is required (no default); the job reaches inputs only
// through variables.
func TestGitLabComponentSpec(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "templates", "p1ctl.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var header struct {
		Spec struct {
			Inputs map[string]componentInput `yaml:"inputs"`
		} `yaml:"spec"`
	}
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&header); err != nil {
		t.Fatal(err)
	}
	if in, ok := header.Spec.Inputs["version"]; !ok || in.Default != nil {
		t.Error("input version must exist and have no default (required)")
	}
	_, job := component(t, map[string]any{"version": "9.8.7-spec"})
	for _, item := range job["before_script"].([]any) {
		if strings.Contains(item.(string), "9.8.7-spec") {
			t.Error("an input is pasted into before_script; pass it through variables")
		}
	}
}
