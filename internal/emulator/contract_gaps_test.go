package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBillOfMaterialsEndpoint(t *testing.T) {
	srv, ts := newTestServer(t)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)

	env := get(t, ts.URL+"/v1/environments/"+LabsEnvironmentID, org)
	if env.status != 200 {
		t.Fatalf("read Labs: status %d", env.status)
	}
	link := env.json(t)["_links"].(map[string]any)["billOfMaterials"].(map[string]any)["href"].(string)
	bom := get(t, link, org)
	if bom.status != 200 {
		t.Fatalf("GET %s: status %d, want 200 (the link must lead somewhere)", link, bom.status)
	}
	body := bom.json(t)
	if body["solutionType"] != "CUSTOMER" || len(body["products"].([]any)) != 2 {
		t.Errorf("bill of materials = %v, want Labs' fixture data", body)
	}
	if self := body["_links"].(map[string]any)["self"].(map[string]any)["href"]; self != link {
		t.Errorf("self = %v, want %s", self, link)
	}
	if n := srv.Count(EndpointBillOfMaterials); n != 1 {
		t.Errorf("Count(%s) = %d, want 1", EndpointBillOfMaterials, n)
	}

	for _, tc := range []struct {
		name, id string
		status   int
	}{
		{"environment without one", DemoEnvironmentID, 404},
		{"unknown environment", "99999999-9999-4999-8999-999999999999", 404},
		{"not a UUID", "labs", 400},
	} {
		if got := get(t, ts.URL+"/v1/environments/"+tc.id+"/billOfMaterials", org); got.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, got.status, tc.status)
		}
	}
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	if got := get(t, link, demo); got.status != 403 {
		t.Errorf("without a role on Labs: status %d, want 403", got.status)
	}
}

func TestExpandBillOfMaterials(t *testing.T) {
	_, ts := newTestServer(t)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)
	api := ts.URL + "/v1/environments"

	embedded := func(env map[string]any) bool {
		e, ok := env["_embedded"].(map[string]any)
		return ok && e["billOfMaterials"] != nil
	}
	read := get(t, api+"/"+LabsEnvironmentID+"?expand=billOfMaterials", org)
	if read.status != 200 || !embedded(read.json(t)) {
		t.Fatalf("read with expand: status %d, body %s; want _embedded.billOfMaterials", read.status, read.body)
	}
	if plain := get(t, api+"/"+LabsEnvironmentID, org); embedded(plain.json(t)) {
		t.Error("read without expand embeds the bill of materials")
	}

	list := get(t, api+"?expand=billOfMaterials", org)
	if list.status != 200 {
		t.Fatalf("list with expand: status %d", list.status)
	}
	for _, e := range list.json(t)["_embedded"].(map[string]any)["environments"].([]any) {
		env := e.(map[string]any)
		_, has := env["billOfMaterials"]
		if embedded(env) != has {
			t.Errorf("environment %v: embedded %v, has a bill of materials %v", env["id"], embedded(env), has)
		}
	}

	for _, u := range []string{api + "?expand=roles", api + "/" + LabsEnvironmentID + "?expand=roles"} {
		got := get(t, u, org)
		if got.status != 400 || detailTarget(got.json(t)) != "expand" {
			t.Errorf("GET %s: status %d, body %s; want 400 naming expand", u, got.status, got.body)
		}
	}
}

func TestListEnvironmentsOrder(t *testing.T) {
	_, ts := newTestServer(t)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)
	names := func(u string) []string {
		t.Helper()
		var out []string
		for u != "" {
			got := get(t, u, org)
			if got.status != 200 {
				t.Fatalf("GET %s: status %d %s", u, got.status, got.body)
			}
			m := got.json(t)
			for _, e := range m["_embedded"].(map[string]any)["environments"].([]any) {
				out = append(out, e.(map[string]any)["name"].(string))
			}
			u = ""
			if next, ok := m["_links"].(map[string]any)["next"].(map[string]any); ok {
				u = next["href"].(string)
			}
		}
		return out
	}
	api := ts.URL + "/v1/environments"
	asc := names(api + "?order=name")
	if !slices.IsSortedFunc(asc, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) || len(asc) != 4 {
		t.Errorf("order=name: %q, want 4 names in ascending order", asc)
	}
	// Paged with a filter that honours limit: the order holds across pages.
	desc := names(api + "?order=-name&limit=1&filter=" + url.QueryEscape(`organization.id eq "`+DemoOrganizationID+`"`))
	want := slices.Clone(asc)
	slices.Reverse(want)
	if !slices.Equal(desc, want) {
		t.Errorf("order=-name over pages of 1: %q, want %q", desc, want)
	}
	created := names(api + "?order=createdAt")
	if created[0] != "Administrators" {
		t.Errorf("order=createdAt: %q, want the oldest (Administrators) first", created)
	}
	bad := get(t, api+"?order=region", org)
	if bad.status != 400 || detailTarget(bad.json(t)) != "order" {
		t.Errorf("order=region: status %d, body %s; want 400 naming order", bad.status, bad.body)
	}
}

func TestDeletePendingTimestamps(t *testing.T) {
	f := DefaultFixture()
	env := f.Environments[3]
	env["softDeletedAt"] = "2025-10-01T09:00:00Z"
	env["hardDeleteAllowedAt"] = "2025-10-31T09:00:00Z"
	if _, err := New(f); err == nil || !strings.Contains(err.Error(), "DELETE_PENDING") {
		t.Fatalf("deletion times on an ACTIVE environment: err = %v, want one naming DELETE_PENDING", err)
	}
	env["status"] = "DELETE_PENDING"
	_, ts := newTestServerWith(t, f)
	org := basicToken(t, ts.URL, OrgReaderClientID, OrgReaderClientSecret)
	got := get(t, ts.URL+"/v1/environments/"+LabsEnvironmentID, org).json(t)
	if got["softDeletedAt"] != "2025-10-01T09:00:00Z" || got["hardDeleteAllowedAt"] != "2025-10-31T09:00:00Z" {
		t.Errorf("served %v, %v; want the fixture's deletion times", got["softDeletedAt"], got["hardDeleteAllowedAt"])
	}
	env["hardDeleteAllowedAt"] = "next month"
	if _, err := New(f); err == nil || !strings.Contains(err.Error(), "hardDeleteAllowedAt") {
		t.Errorf("bad hardDeleteAllowedAt: err = %v, want one naming the field", err)
	}
}

func TestTLSAndPublicURL(t *testing.T) {
	const public = "https://auth.p1emu.test:8443"
	srv, err := New(DefaultFixture(), WithTLS(), WithPublicURL(public+"/"))
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("Start = %s, want an https URL", base)
	}

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CACertPEM()) {
		t.Fatal("CACertPEM is not a PEM certificate")
	}
	trusting := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := trusting.Get(base + "/" + DemoEnvironmentID + "/as/.well-known/openid-configuration")
	if err != nil {
		t.Fatalf("HTTPS with the CA trusted: %v", err)
	}
	resp.Body.Close()
	if _, err := (&http.Client{Timeout: 10 * time.Second}).Get(base + "/_emulator/stats"); err == nil {
		t.Error("a client without the CA accepted the certificate")
	}

	// The certificate names the public host too, for clients that reach
	// the emulator through a hosts entry.
	conf := &tls.Config{RootCAs: pool, ServerName: "auth.p1emu.test"}
	conn, err := tls.Dial("tcp", strings.TrimPrefix(base, "https://"), conf)
	if err != nil {
		t.Errorf("TLS for the public host name: %v", err)
	} else {
		conn.Close()
	}

	ts := trusting
	disc := decodeGet(t, ts, base+"/"+DemoEnvironmentID+"/as/.well-known/openid-configuration", "")
	if want := public + "/" + DemoEnvironmentID + "/as"; disc["issuer"] != want {
		t.Errorf("issuer = %v, want %s", disc["issuer"], want)
	}
	if !strings.HasPrefix(disc["token_endpoint"].(string), public+"/") {
		t.Errorf("token_endpoint = %v, want it under %s", disc["token_endpoint"], public)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/"+DemoEnvironmentID+"/as/token", strings.NewReader(clientCredentials().Encode()))
	req.Header.Set("Content-Type", formContentType)
	req.SetBasicAuth(DemoClientID, DemoClientSecret)
	tr := decodeDo(t, ts, req)
	tok, _ := tr["access_token"].(string)
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token answer %v has no JWT", tr)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	if claims["iss"] != public+"/"+DemoEnvironmentID+"/as" {
		t.Errorf("token iss = %v, want the public issuer", claims["iss"])
	}
	env := decodeGet(t, ts, base+"/v1/environments/"+DemoEnvironmentID, tok)
	self := env["_links"].(map[string]any)["self"].(map[string]any)["href"]
	if self != public+"/v1/environments/"+DemoEnvironmentID {
		t.Errorf("_links.self = %v, want it under %s", self, public)
	}
}

func TestPublicURLChecked(t *testing.T) {
	for _, bad := range []string{"ftp://x", "https://", "https://h/v1", "https://u:p@h", "https://h?x=1"} {
		if _, err := New(DefaultFixture(), WithPublicURL(bad)); err == nil {
			t.Errorf("WithPublicURL(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "u:p") {
			t.Errorf("WithPublicURL(%q): error %q shows the user info", bad, err)
		}
	}
}

// decodeGet sends a GET with an optional bearer token through c and
// decodes the JSON answer.
func decodeGet(t *testing.T, c *http.Client, u, token string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return decodeDo(t, c, req)
}

// decodeDo sends req through c and decodes the JSON answer.
func decodeDo(t *testing.T, c *http.Client, req *http.Request) map[string]any {
	t.Helper()
	resp, err := c.Do(req.WithContext(t.Context()))
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("%s %s: status %d, decode: %v", req.Method, req.URL, resp.StatusCode, err)
	}
	return m
}

// detailTarget returns details[0].target of an API error body.
func detailTarget(m map[string]any) string {
	d, _ := m["details"].([]any)
	if len(d) == 0 {
		return ""
	}
	first, _ := d[0].(map[string]any)
	s, _ := first["target"].(string)
	return s
}
