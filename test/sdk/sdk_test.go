// Package sdk runs PingOne's official Go SDK, unchanged, against p1emu:
// the SDK's client-credentials example (read an environment), then the
// environment list paged through its iterator, with only the SDK's
// configuration pointing at the emulator (custom domain, API domain, no
// token storage) and p1emu's CA trusted through SSL_CERT_FILE.
package sdk

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pingidentity/pingone-go-client/config"
	"github.com/pingidentity/pingone-go-client/oauth2"
	"github.com/pingidentity/pingone-go-client/pingone"
)

// The demo client's environments (internal/emulator/demo.go): it reads
// Administrators and Développement – Zürich.
var demoEnvironments = []string{"3a1498e5-ac2c-4d1c-a88e-06ceb44623a0", "d44e6307-e87e-4bda-b119-9b66b9db8c0f"}

func TestSDKClientCredentialsAgainstP1emu(t *testing.T) {
	exports, base := startP1emu(t)
	// Go reads SSL_CERT_FILE when it first loads the system roots: set
	// before the SDK makes its first HTTPS request.
	t.Setenv("SSL_CERT_FILE", exports["SSL_CERT_FILE"])
	host := strings.TrimPrefix(base, "https://")

	// The SDK example's code, with configuration for the emulator: its
	// custom-domain auth shape (https://HOST/as/token) and API domain.
	serviceCfg := config.NewConfiguration()
	serviceCfg.WithGrantType(oauth2.GrantTypeClientCredentials)
	serviceCfg.WithClientID(exports["PINGONE_CLIENT_ID"])
	serviceCfg.WithClientSecret(exports["PINGONE_CLIENT_SECRET"])
	serviceCfg.WithEnvironmentID(exports["PINGONE_ENVIRONMENT_ID"])
	serviceCfg.WithCustomDomain(host)
	serviceCfg.WithAPIDomain(host)
	serviceCfg.WithStorageType(config.StorageTypeNone) // no OS keychain in CI
	configuration := pingone.NewConfiguration(serviceCfg)
	configuration.AppendUserAgent("p1ctl-sdk-test")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, err := pingone.NewAPIClient(ctx, configuration)
	if err != nil {
		t.Fatalf("NewAPIClient: %v", err)
	}

	envID := uuid.MustParse(exports["PINGONE_ENVIRONMENT_ID"])
	env, resp, err := client.EnvironmentsApi.GetEnvironmentById(ctx, envID).Execute()
	if err != nil {
		t.Fatalf("GetEnvironmentById: %v", err)
	}
	if resp.StatusCode != 200 || env.Id != envID || env.Name != "Administrators" {
		t.Errorf("GetEnvironmentById: status %d, id %v, name %q; want the demo environment", resp.StatusCode, env.Id, env.Name)
	}

	// One environment a page: the SDK follows _links.next, which it
	// accepts only on the host it called.
	var ids []string
	pages := 0
	for page, err := range client.EnvironmentsApi.GetEnvironments(ctx).Limit(1).Execute() {
		if err != nil {
			t.Fatalf("GetEnvironments page %d: %v", pages+1, err)
		}
		pages++
		for _, e := range page.Data.GetEmbedded().Environments {
			ids = append(ids, e.Id.String())
		}
	}
	if pages != len(demoEnvironments) || !slices.Equal(ids, demoEnvironments) {
		t.Errorf("GetEnvironments: %d pages, environments %v; want %d pages of one, %v", pages, ids, len(demoEnvironments), demoEnvironments)
	}
}

// startP1emu builds p1emu from this repository and starts it with --tls,
// as docs/emulator.md tells SDK users to, and returns its --print-env
// exports and base URL. It stops with the test.
func startP1emu(t *testing.T) (map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "p1emu")
	build := exec.Command("go", "build", "-o", bin, "./cmd/p1emu")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build p1emu: %v\n%s", err, out)
	}
	urlFile, caFile := filepath.Join(dir, "url"), filepath.Join(dir, "ca.pem")
	cmd := exec.Command(bin, "--tls", "--ca-out", caFile, "--url-file", urlFile, "--print-env")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	exports := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		name, value, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if ok {
			exports[name] = strings.Trim(value, "'")
		}
		if name == "PINGONE_AUTH_METHOD" { // the last line
			break
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if data, err := os.ReadFile(urlFile); err == nil {
			return exports, strings.TrimSpace(string(data))
		}
		if time.Now().After(deadline) {
			t.Fatalf("p1emu did not start: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
