package auditcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/emulator"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/testutil"
)

// start is the emulator's clock: activities are recorded a second apart.
var start = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// world is an emulator whose clock advances a second per request.
type world struct {
	srv  *emulator.Server
	ts   *httptest.Server
	tick atomic.Int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{}
	srv, err := emulator.New(emulator.DefaultFixture(), emulator.WithClock(func() time.Time {
		return start.Add(time.Duration(w.tick.Add(1)) * time.Second)
	}))
	if err != nil {
		t.Fatal(err)
	}
	w.srv, w.ts = srv, httptest.NewServer(srv)
	t.Cleanup(w.ts.Close)
	return w
}

// token requests a token; it returns the token ("" on failure) and the
// answer's correlation ID.
func (w *world) token(t *testing.T, id, secret string) (string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.ts.URL+"/"+emulator.DemoEnvironmentID+"/as/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := w.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return body.AccessToken, resp.Header.Get("Correlation-Id")
}

func (w *world) readEnv(t *testing.T, token, envID string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.ts.URL+"/v1/environments/"+envID, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := w.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// options runs as clientID with token against base; out collects stdout.
func options(base, clientID, token string, out *bytes.Buffer) *Options {
	ios, _, _, _ := iostreams.Test()
	ios.Out = out
	return &Options{
		IO: ios,
		Settings: func() (*config.Settings, error) {
			return &config.Settings{ClientID: clientID, ClientSecret: "s", EnvironmentID: emulator.DemoEnvironmentID,
				TokenURL: base + "/as/token", APIURL: base + "/v1"}, nil
		},
		APIClient: func() (*api.Client, error) {
			return &api.Client{BaseURL: base + "/v1", HTTP: http.DefaultClient, Tokens: testutil.StaticToken(token)}, nil
		},
		Now:      func() time.Time { return start.Add(time.Hour) },
		Since:    "24h",
		Until:    "now",
		PageSize: DefaultPageSize,
		Output:   export.Options{Format: output.FormatTable},
	}
}

// ndjsonActivities runs opts with -o ndjson and decodes each line.
func ndjsonActivities(t *testing.T, opts *Options, out *bytes.Buffer) []api.Activity {
	t.Helper()
	opts.Output.Format = export.FormatNDJSON
	if err := run(context.Background(), opts); err != nil {
		t.Fatalf("run: %v", err)
	}
	var list []api.Activity
	for line := range strings.Lines(out.String()) {
		var a api.Activity
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("line %q is not one JSON activity: %v", line, err)
		}
		list = append(list, a)
	}
	return list
}

func types(list []api.Activity) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Action.Type+"/"+a.Result.Status)
	}
	return out
}

func TestAuditShowsOwnActivityNewestFirst(t *testing.T) {
	w := newWorld(t)
	tok, _ := w.token(t, emulator.DemoClientID, emulator.DemoClientSecret)
	w.readEnv(t, tok, emulator.DemoEnvironmentID)
	w.readEnv(t, tok, emulator.StagingEnvironmentID) // 403: FAILED
	w.token(t, emulator.PostClientID, "wrong")       // another client's

	var out bytes.Buffer
	got := types(ndjsonActivities(t, options(w.ts.URL, emulator.DemoClientID, tok, &out), &out))
	want := []string{"ENVIRONMENT.READ/FAILED", "ENVIRONMENT.READ/SUCCESS", "ACCESS_TOKEN.ISSUED/SUCCESS"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("own activities = %v, want %v (newest first)", got, want)
	}

	out.Reset()
	opts := options(w.ts.URL, emulator.DemoClientID, tok, &out)
	opts.AllClients = true
	if got := types(ndjsonActivities(t, opts, &out)); len(got) != 4 || got[0] != "ACCESS_TOKEN.ISSUED/FAILED" {
		t.Errorf("--all-clients = %v, want the other client's failed token request first of 4", got)
	}

	out.Reset()
	opts = options(w.ts.URL, emulator.DemoClientID, tok, &out)
	opts.Client = emulator.PostClientID
	if got := types(ndjsonActivities(t, opts, &out)); len(got) != 1 {
		t.Errorf("--client = %v, want the post client's one activity", got)
	}
}

func TestAuditTable(t *testing.T) {
	w := newWorld(t)
	tok, _ := w.token(t, emulator.DemoClientID, emulator.DemoClientSecret)
	w.readEnv(t, tok, emulator.DemoEnvironmentID)
	var out bytes.Buffer
	if err := run(context.Background(), options(w.ts.URL, emulator.DemoClientID, tok, &out)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || strings.Fields(lines[0])[0] != "TIME" {
		t.Fatalf("table:\n%s", out.String())
	}
	row := strings.Fields(lines[1])
	if row[1] != emulator.ActionEnvironmentRead || row[2] != "SUCCESS" || !strings.Contains(lines[1], "Administrators") || !strings.Contains(lines[1], "p1ctl demo worker") {
		t.Errorf("first row %q: want the environment read, its result, actor and resource names", lines[1])
	}
}

func TestAuditCorrelationIDFindsFailedRequest(t *testing.T) {
	w := newWorld(t)
	tok, _ := w.token(t, emulator.DemoClientID, emulator.DemoClientSecret)
	_, corr := w.token(t, emulator.DemoClientID, "wrong")
	w.readEnv(t, tok, emulator.DemoEnvironmentID)
	var out bytes.Buffer
	opts := options(w.ts.URL, emulator.DemoClientID, tok, &out)
	opts.CorrelationID = corr
	got := ndjsonActivities(t, opts, &out)
	if len(got) != 1 || got[0].CorrelationID != corr || got[0].Result.Status != "FAILED" {
		t.Errorf("--correlation-id %s = %v, want the one failed token request", corr, types(got))
	}

	// Another client's request is found too: the ID names the request.
	_, other := w.token(t, emulator.PostClientID, "wrong")
	out.Reset()
	opts = options(w.ts.URL, emulator.DemoClientID, tok, &out)
	opts.CorrelationID = other
	if got := ndjsonActivities(t, opts, &out); len(got) != 1 || got[0].Actors.Client.ID != emulator.PostClientID {
		t.Errorf("--correlation-id of the post client's request = %v, want it", types(got))
	}
}

func TestAuditActionsAndLimitAcrossPages(t *testing.T) {
	w := newWorld(t)
	tok, _ := w.token(t, emulator.DemoClientID, emulator.DemoClientSecret)
	for range 3 {
		w.readEnv(t, tok, emulator.DemoEnvironmentID)
	}
	w.token(t, emulator.DemoClientID, emulator.DemoClientSecret)

	var out bytes.Buffer
	opts := options(w.ts.URL, emulator.DemoClientID, tok, &out)
	opts.Actions = []string{emulator.ActionEnvironmentRead}
	if got := types(ndjsonActivities(t, opts, &out)); len(got) != 3 || got[0] != "ENVIRONMENT.READ/SUCCESS" {
		t.Errorf("--action ENVIRONMENT.READ = %v, want the 3 reads", got)
	}

	// Two actions: PingOne gets the client condition, p1ctl checks both.
	out.Reset()
	opts = options(w.ts.URL, emulator.DemoClientID, tok, &out)
	opts.Actions = []string{emulator.ActionEnvironmentRead, emulator.ActionTokenIssued}
	if got := ndjsonActivities(t, opts, &out); len(got) != 5 {
		t.Errorf("two --action = %v, want all 5", types(got))
	}

	w.srv.Reset()
	w.token(t, emulator.DemoClientID, emulator.DemoClientSecret)
	for range 4 {
		w.readEnv(t, tok, emulator.DemoEnvironmentID)
	}
	out.Reset()
	opts = options(w.ts.URL, emulator.DemoClientID, tok, &out)
	opts.Limit, opts.PageSize = 3, 2
	if got := ndjsonActivities(t, opts, &out); len(got) != 3 {
		t.Errorf("--limit 3 --page-size 2 printed %d activities, want 3", len(got))
	}
	if n := w.srv.Count(emulator.EndpointActivities); n != 2 {
		t.Errorf("--limit 3 --page-size 2 made %d requests, want 2 (and no page past the limit)", n)
	}
}

func TestAuditForbiddenNamesRole(t *testing.T) {
	w := newWorld(t)
	tok, _ := w.token(t, emulator.NoRolesClientID, emulator.NoRolesClientSecret)
	var out bytes.Buffer
	err := run(context.Background(), options(w.ts.URL, emulator.NoRolesClientID, tok, &out))
	p := cmdutil.Describe(err)
	if p.Code != cmdutil.ExitForbidden || !strings.Contains(p.Hint, "Identity Data Read Only") || !strings.Contains(p.Hint, "Environment Admin") {
		t.Errorf("Describe = %d, hint %q; want exit %d, the hint naming the roles that read audit data", p.Code, p.Hint, cmdutil.ExitForbidden)
	}
}

// TestAuditFilterSent checks what reaches PingOne, and that bad values
// stop before any request.
func TestAuditFilterSent(t *testing.T) {
	var filters []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		filters = append(filters, r.URL.Query().Get("filter"))
		w.Write([]byte(`{"_links":{},"_embedded":{"activities":[]},"size":0}`))
	}))
	t.Cleanup(ts.Close)
	const client = "5b41efba-9307-4181-b0e2-c52a68e3b165"
	window := `recordedat gt "2026-11-30T11:00:00.000Z" and recordedat lt "2026-12-01T11:00:00.000Z"`
	tests := []struct {
		name   string
		set    func(*Options)
		filter string // "" = usage error before any request
	}{
		{"default: own client", func(*Options) {}, window + ` and actors.client.id eq "` + client + `"`},
		{"all clients", func(o *Options) { o.AllClients = true }, window},
		{"all clients, one action", func(o *Options) { o.AllClients, o.Actions = true, []string{"A.B"} }, window + ` and action.type eq "A.B"`},
		{"correlation ID wins", func(o *Options) { o.CorrelationID = "c-1" }, window + ` and correlationid eq "c-1"`},
		{"resource before client", func(o *Options) { o.ResourceID = "r-1" }, window + ` and resources.id eq "r-1"`},
		{"since as a time", func(o *Options) { o.Since, o.Until = "2026-11-01", "2026-11-02T00:00:00Z" },
			`recordedat gt "2026-11-01T00:00:00.000Z" and recordedat lt "2026-11-02T00:00:00.000Z" and actors.client.id eq "` + client + `"`},
		{"since in days", func(o *Options) { o.Since = "2d"; o.AllClients = true },
			`recordedat gt "2026-11-29T11:00:00.000Z" and recordedat lt "2026-12-01T11:00:00.000Z"`},
		{"quote in --client", func(o *Options) { o.Client = `x" or actors.client.id eq "y` }, ""},
		{"backslash in --resource-id", func(o *Options) { o.ResourceID = `a\` }, ""},
		{"space in --action", func(o *Options) { o.Actions = []string{"A B"} }, ""},
		{"empty --action", func(o *Options) { o.Actions = []string{""} }, ""},
		{"bad --since", func(o *Options) { o.Since = "yesterday" }, ""},
		{"empty --since", func(o *Options) { o.Since = "" }, ""},
		{"negative --since", func(o *Options) { o.Since = "-1h" }, ""},
		{"--until before --since", func(o *Options) { o.Since, o.Until = "1h", "2h" }, ""},
		{"--client with --all-clients", func(o *Options) { o.Client, o.AllClients = client, true }, ""},
		{"--page-size 0", func(o *Options) { o.PageSize = 0 }, ""},
		{"negative --limit", func(o *Options) { o.Limit = -1 }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			filters = nil
			var out bytes.Buffer
			opts := options(ts.URL, client, "tok", &out)
			opts.Now = func() time.Time { return time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC) }
			tt.set(opts)
			err := run(context.Background(), opts)
			if tt.filter == "" {
				if code := cmdutil.Describe(err).Code; code != cmdutil.ExitUsage || len(filters) != 0 {
					t.Errorf("exit %d after %d requests (%v); want a usage error before any", code, len(filters), err)
				}
				return
			}
			if err != nil || len(filters) != 1 || filters[0] != tt.filter {
				t.Errorf("err %v, filters %q; want %q", err, filters, tt.filter)
			}
		})
	}
}

func TestAuditJSONAndYAML(t *testing.T) {
	w := newWorld(t)
	tok, _ := w.token(t, emulator.DemoClientID, emulator.DemoClientSecret)
	w.readEnv(t, tok, emulator.DemoEnvironmentID)
	var out bytes.Buffer
	opts := options(w.ts.URL, emulator.DemoClientID, tok, &out)
	opts.Output.Format = output.FormatJSON
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list) != 2 || list[0]["correlationId"] == nil {
		t.Errorf("-o json: %v, %d activities; want one array of 2 as PingOne sent them:\n%s", err, len(list), out.String())
	}
	out.Reset()
	opts.Output.Format = output.FormatYAML
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n- "); n != 1 || !strings.HasPrefix(out.String(), "- ") {
		t.Errorf("-o yaml: want a sequence of 2 entries:\n%s", out.String())
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"90m":                       now.Add(-90 * time.Minute),
		"7d":                        now.AddDate(0, 0, -7),
		"now":                       now,
		"2026-11-30":                time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		"2026-11-30T08:00:00+01:00": time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC),
	} {
		if got, err := parseWhen(in, now); err != nil || !got.Equal(want) {
			t.Errorf("parseWhen(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// TestFilterValueEscaped: even a value that skipped the check cannot end
// its string.
func TestFilterValueEscaped(t *testing.T) {
	q := &api.ActivityQuery{ClientID: `a" or x eq "b`}
	f := q.Filter()
	if !strings.HasSuffix(f, `actors.client.id eq "a\" or x eq \"b"`) {
		t.Errorf("filter %q does not escape the quotes", f)
	}
}

// TestAuditFilters checks --jq over the array and, with -o ndjson, per
// activity, on the shared renderer.
func TestAuditFilters(t *testing.T) {
	w := newWorld(t)
	tok, _ := w.token(t, emulator.DemoClientID, emulator.DemoClientSecret)
	w.readEnv(t, tok, emulator.DemoEnvironmentID)
	tests := []struct {
		o    export.Options
		want string
	}{
		{export.Options{JQ: "length"}, "2\n"},
		{export.Options{JQ: ".[].action.type"}, "ENVIRONMENT.READ\nACCESS_TOKEN.ISSUED\n"},
		{export.Options{Format: export.FormatNDJSON, JQ: ".result.status"}, "SUCCESS\nSUCCESS\n"},
		{export.Options{Template: `{{range .}}{{tablerow .action.type .result.status}}{{end}}`}, "ENVIRONMENT.READ     SUCCESS\nACCESS_TOKEN.ISSUED  SUCCESS\n"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		opts := options(w.ts.URL, emulator.DemoClientID, tok, &out)
		opts.Output = tt.o
		if err := opts.Output.Compile(tt.o.Format != ""); err != nil {
			t.Fatal(err)
		}
		if err := run(context.Background(), opts); err != nil {
			t.Fatalf("%+v: %v", tt.o, err)
		}
		if out.String() != tt.want {
			t.Errorf("%+v: %q, want %q", tt.o, out.String(), tt.want)
		}
	}
}
