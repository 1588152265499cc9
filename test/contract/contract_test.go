// Package contract checks p1emu and p1ctl against Ping's OpenAPI
// description of the PingOne management API (the subset in openapi/,
// derived by tools/openapi-subset): every emulator response for the
// operations it serves, and every request p1ctl sends to them.
//
// It is a module of its own so that the validator (pb33f's
// libopenapi-validator, which implements OpenAPI 3.1 and JSON Schema
// 2020-12) never becomes a dependency of p1ctl's binary.
package contract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/p1ctl/p1ctl/internal/cli"
	"github.com/p1ctl/p1ctl/internal/emulator"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// subsetPath is the checked-in contract.
const subsetPath = "openapi/pingone-subset.yaml"

// retiredEnvironmentID is a soft-deleted environment added to the demo
// data, so that softDeletedAt and hardDeleteAllowedAt are checked too.
const retiredEnvironmentID = "2c0b8a2e-5d5f-4d1e-9f0a-6b1c3e7d9a41"

// exchange is one request and the answer the emulator gave.
type exchange struct {
	req    *http.Request
	status int
	header http.Header
	body   []byte
}

// recorder is the middleware between clients and the emulator that keeps
// every exchange for validation.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	log  []exchange
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	saved := r.Clone(context.Background())
	saved.Body = io.NopCloser(bytes.NewReader(body))
	rw := httptest.NewRecorder()
	rec.next.ServeHTTP(rw, r)
	for k, v := range rw.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rw.Code)
	_, _ = w.Write(rw.Body.Bytes())
	rec.mu.Lock()
	rec.log = append(rec.log, exchange{req: saved, status: rw.Code, header: rw.Header().Clone(), body: rw.Body.Bytes()})
	rec.mu.Unlock()
}

// take returns the exchanges so far and clears the log.
func (rec *recorder) take() []exchange {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := rec.log
	rec.log = nil
	return out
}

// managementAPI reports whether an exchange is for an operation of the
// subset (the token endpoint and admin paths are not in Ping's
// description).
func (e exchange) managementAPI() bool {
	p := e.req.URL.Path
	return p == "/v1/environments" || strings.HasPrefix(p, "/v1/environments/")
}

// newValidator loads the subset, with the emulator's API base as the only
// server (Ping's is https://api.pingone.{tld}/v1).
func newValidator(t *testing.T, apiBase string) validator.Validator {
	t.Helper()
	spec, err := os.ReadFile(subsetPath)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		t.Fatalf("load %s: %v", subsetPath, err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("build %s: %v", subsetPath, err)
	}
	model.Model.Servers = []*v3.Server{{URL: apiBase}}
	// Formats (uuid, date-time, uri) are asserted, not just annotations.
	return validator.NewValidatorFromV3Model(&model.Model, config.WithFormatAssertions())
}

// newServer starts the emulator behind a recorder, with the demo data plus
// a DELETE_PENDING environment the organization reader can see.
func newServer(t *testing.T) (*emulator.Server, *recorder, *httptest.Server) {
	t.Helper()
	f := emulator.DefaultFixture()
	f.Environments = append(f.Environments, map[string]any{
		"id": retiredEnvironmentID, "name": "Retired", "type": "SANDBOX", "region": "EU",
		"status": "DELETE_PENDING", "softDeletedAt": "2025-10-01T09:00:00Z", "hardDeleteAllowedAt": "2025-10-31T09:00:00Z",
		"license": map[string]any{"id": "e18c55cd-03fd-4c1a-a337-d375b48d4919", "package": "TRIAL"},
	})
	srv, err := emulator.New(f)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: srv}
	ts := httptest.NewServer(rec)
	t.Cleanup(ts.Close)
	return srv, rec, ts
}

// token gets an access token with client_secret_basic.
func token(t *testing.T, base, envID, id, secret string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/"+envID+"/as/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := jsonDecode(resp.Body, &body); err != nil || body.AccessToken == "" {
		t.Fatalf("token for %s: status %d, %v", id, resp.StatusCode, err)
	}
	return body.AccessToken
}

// validateResponses checks each exchange's answer against the contract and
// returns how many statuses of each kind were checked.
func validateResponses(t *testing.T, v validator.Validator, log []exchange) map[int]int {
	t.Helper()
	seen := map[int]int{}
	for _, e := range log {
		if !e.managementAPI() {
			continue
		}
		resp := &http.Response{
			StatusCode: e.status, Header: e.header, Request: e.req,
			Body: io.NopCloser(bytes.NewReader(e.body)),
		}
		if ok, errs := v.ValidateHttpResponse(e.req, resp); !ok && len(contractErrors(errs)) > 0 {
			errs = contractErrors(errs)
			t.Errorf("response to %s %s (%d) breaks the contract:%s\nbody: %s", e.req.Method, e.req.URL, e.status, describe(errs), e.body)
		}
		seen[e.status]++
	}
	return seen
}

// contractErrors drops the one check Ping's description cannot pass: its
// Retry-After header schema is oneOf [{format: int32}, {}], which every
// value matches twice, so oneOf fails for any header. The emulator's
// Retry-After is checked by TestRetryAfterHeader instead.
func contractErrors(errs []*verrors.ValidationError) []*verrors.ValidationError {
	var out []*verrors.ValidationError
	for _, e := range errs {
		if strings.Contains(strings.ToLower(e.Message), "header 'retry-after'") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// validateRequests checks each request against the contract.
func validateRequests(t *testing.T, v validator.Validator, log []exchange) int {
	t.Helper()
	n := 0
	for _, e := range log {
		if !e.managementAPI() {
			continue
		}
		if ok, errs := v.ValidateHttpRequest(e.req); !ok {
			t.Errorf("p1ctl's request %s %s breaks the contract:%s", e.req.Method, e.req.URL, describe(errs))
		}
		n++
	}
	return n
}

// describe lists validation errors, one a line, with each schema
// failure's location.
func describe(errs []*verrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  - %s: %s", e.Message, e.Reason)
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n      %s at %s (%s)", f.Reason, f.FieldPath, f.KeywordLocation)
		}
	}
	return b.String()
}

// TestEmulatorResponses sends the operations of the contract, with each
// parameter, and each documented error, and validates every answer.
func TestEmulatorResponses(t *testing.T) {
	srv, rec, ts := newServer(t)
	v := newValidator(t, ts.URL+"/v1")
	org := token(t, ts.URL, emulator.DemoEnvironmentID, emulator.OrgReaderClientID, emulator.OrgReaderClientSecret)
	demo := token(t, ts.URL, emulator.DemoEnvironmentID, emulator.DemoClientID, emulator.DemoClientSecret)
	api := ts.URL + "/v1/environments"
	byOrg := `organization.id eq "` + emulator.DemoOrganizationID + `"`

	get := func(u, tok string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	q := func(kv ...string) string {
		vals := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			vals.Set(kv[i], kv[i+1])
		}
		return api + "?" + vals.Encode()
	}

	for _, c := range []struct {
		name, url, token string
		status           int
	}{
		{"read", api + "/" + emulator.DemoEnvironmentID, demo, 200},
		{"read, non-ASCII name", api + "/" + emulator.EUEnvironmentID, demo, 200},
		{"read, capabilities and account", api + "/" + emulator.LabsEnvironmentID, org, 200},
		{"read, soft-deleted", api + "/" + retiredEnvironmentID, org, 200},
		{"read, expand", api + "/" + emulator.LabsEnvironmentID + "?expand=billOfMaterials", org, 200},
		{"bill of materials", api + "/" + emulator.LabsEnvironmentID + "/billOfMaterials", org, 200},
		{"list", api, org, 200},
		{"list, filter", q("filter", `name sw "S"`), org, 200},
		{"list, filter and limit", q("filter", byOrg, "limit", "2"), org, 200},
		{"list, limit", q("limit", "1"), demo, 200},
		{"list, expand", q("expand", "billOfMaterials"), org, 200},
		{"list, order", q("order", "-name"), org, 200},
		{"list, everything", q("filter", byOrg, "limit", "3", "expand", "billOfMaterials", "order", "createdAt"), org, 200},
		{"400 not a UUID", api + "/production", demo, 400},
		{"400 limit", q("limit", "0"), demo, 400},
		{"400 filter", q("filter", `region eq "EU"`), demo, 400},
		{"400 expand", q("expand", "roles"), demo, 400},
		{"401 no token", api + "/" + emulator.DemoEnvironmentID, "", 401},
		{"401 bad token", api, "not-a-token", 401},
		{"403", api + "/" + emulator.StagingEnvironmentID, demo, 403},
		{"403 bill of materials", api + "/" + emulator.LabsEnvironmentID + "/billOfMaterials", demo, 403},
		{"404", api + "/99999999-9999-4999-8999-999999999999", demo, 404},
		{"404 bill of materials", api + "/" + emulator.DemoEnvironmentID + "/billOfMaterials", demo, 404},
	} {
		if got := get(c.url, c.token); got != c.status {
			t.Errorf("%s: status %d, want %d", c.name, got, c.status)
		}
	}
	// Follow the next links of a paged list: they must be valid requests
	// whose answers are valid too.
	next := q("filter", byOrg, "limit", "1", "order", "name")
	for pages := 0; next != "" && pages < 10; pages++ {
		req, _ := http.NewRequest(http.MethodGet, next, nil)
		req.Header.Set("Authorization", "Bearer "+org)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Links map[string]struct{ Href string } `json:"_links"`
		}
		err = jsonDecode(resp.Body, &page)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		next = page.Links["next"].Href
	}
	srv.InjectFault(emulator.Fault{Endpoint: emulator.EndpointEnvironments, Status: 429, RetryAfter: "1", Times: 1})
	srv.InjectFault(emulator.Fault{Endpoint: emulator.EndpointEnvironment, Status: 429, Times: 1})
	if got := get(api, org); got != 429 {
		t.Errorf("429 fault on the list: status %d", got)
	}
	if got := get(api+"/"+emulator.DemoEnvironmentID, org); got != 429 {
		t.Errorf("429 fault on a read: status %d", got)
	}

	log := rec.take()
	seen := validateResponses(t, v, log)
	for _, status := range []int{200, 400, 401, 403, 404, 429} {
		if seen[status] == 0 {
			t.Errorf("no %d answer was validated", status)
		}
	}
	// The next links the emulator wrote are requests of the contract.
	var followed []exchange
	for _, e := range log {
		if e.req.URL.Query().Has("cursor") {
			followed = append(followed, e)
		}
	}
	if len(followed) == 0 {
		t.Error("no next link was followed")
	}
	validateRequests(t, v, followed)
}

// TestP1ctlRequests runs p1ctl's env read, env list and api commands
// against the emulator and validates each management API request p1ctl
// sends (path, parameters, the limit range) and each answer it gets.
func TestP1ctlRequests(t *testing.T) {
	_, rec, ts := newServer(t)
	v := newValidator(t, ts.URL+"/v1")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for k, val := range map[string]string{
		"P1CTL_CONFIG": cfg, "P1CTL_CACHE_DIR": filepath.Join(dir, "cache"), "P1CTL_PROFILE": "",
		"PINGONE_AUTH_URL": ts.URL, "PINGONE_API_URL": ts.URL + "/v1",
		"PINGONE_ENVIRONMENT_ID": emulator.DemoEnvironmentID,
		"PINGONE_CLIENT_ID":      emulator.OrgReaderClientID, "PINGONE_CLIENT_SECRET": emulator.OrgReaderClientSecret,
		"PINGONE_AUTH_METHOD": "client_secret_basic",
	} {
		t.Setenv(k, val)
	}
	byOrg := `organization.id eq "` + emulator.DemoOrganizationID + `"`
	runs := [][]string{
		{"env", "read"},
		{"env", "read", emulator.LabsEnvironmentID, "-o", "json"},
		{"env", "read", retiredEnvironmentID, "-o", "json"},
		{"env", "list"},
		{"env", "list", "--limit", "1", "--filter", byOrg},
		{"env", "list", "--filter", `name sw "S"`, "-o", "json"},
		{"api", "/environments", "--paginate"},
		{"api", "/environments?limit=2&filter=" + strings.ReplaceAll(url.QueryEscape(byOrg), "+", "%20") + "&order=name&expand=billOfMaterials", "--paginate"},
		{"api", "/environments/" + emulator.LabsEnvironmentID + "?expand=billOfMaterials"},
		{"api", "/environments/" + emulator.LabsEnvironmentID + "/billOfMaterials"},
	}
	for _, args := range runs {
		ios, _, stdout, stderr := iostreams.Test()
		if code := cli.Run(context.Background(), args, ios, nil); code != 0 {
			t.Fatalf("p1ctl %s: exit %d, stderr %s", strings.Join(args, " "), code, stderr)
		}
		if stdout.Len() == 0 {
			t.Errorf("p1ctl %s printed nothing", strings.Join(args, " "))
		}
	}
	log := rec.take()
	if n := validateRequests(t, v, log); n < len(runs) {
		t.Errorf("%d management API requests validated for %d runs", n, len(runs))
	}
	validateResponses(t, v, log)
}

// TestRetryAfterHeader checks what contractErrors skips: a 429's
// Retry-After is a whole number of seconds (RFC 9110's delay-seconds).
func TestRetryAfterHeader(t *testing.T) {
	srv, rec, ts := newServer(t)
	srv.InjectFault(emulator.Fault{Endpoint: emulator.EndpointEnvironments, Status: 429, RetryAfter: "3", Times: 1})
	resp, err := http.Get(ts.URL + "/v1/environments")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" {
		t.Errorf("status %d, Retry-After %q; want 429, 3", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if n, err := strconv.ParseInt(resp.Header.Get("Retry-After"), 10, 32); err != nil || n < 0 {
		t.Errorf("Retry-After %q is not an int32 of seconds", resp.Header.Get("Retry-After"))
	}
	rec.take()
}

// TestValidatorRejects guards the other tests against passing vacuously
// (a server that matches nothing, a schema that is not applied): requests
// and answers that break the contract must fail.
func TestValidatorRejects(t *testing.T) {
	const base = "http://127.0.0.1:1/v1"
	v := newValidator(t, base)
	for _, u := range []string{
		base + "/environments?limit=0",
		base + "/environments?limit=5001",
		base + "/environments?limit=ten",
		base + "/environments/not-a-uuid",
		base + "/environments/" + emulator.DemoEnvironmentID + "/roles",
	} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if ok, _ := v.ValidateHttpRequest(req); ok {
			t.Errorf("request GET %s passed", u)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/environments/"+emulator.DemoEnvironmentID, nil)
	for name, body := range map[string]string{
		"no name":     `{"id":"` + emulator.DemoEnvironmentID + `","type":"SANDBOX","region":"NA","organization":{"id":"` + emulator.DemoOrganizationID + `"},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z"}`,
		"bad region":  `{"id":"` + emulator.DemoEnvironmentID + `","name":"x","type":"SANDBOX","region":"MARS","organization":{"id":"` + emulator.DemoOrganizationID + `"},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z"}`,
		"404 without": `{"message":"gone"}`,
	} {
		status := 200
		if strings.HasPrefix(name, "404") {
			status = 404
		}
		resp := &http.Response{StatusCode: status, Request: req, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body))}
		if ok, _ := v.ValidateHttpResponse(req, resp); ok {
			t.Errorf("answer %q passed", name)
		}
	}
}
