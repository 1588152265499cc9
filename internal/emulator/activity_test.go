package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/p1ctl/p1ctl/internal/api"
)

// activityFilterFor is a filter over the hour around the fake clock's start.
func activityWindow(extra string) string {
	f := `recordedAt gt "2025-06-01T11:00:00Z" and recordedAt lt "2025-06-01T13:00:00Z"`
	if extra != "" {
		f += " and " + extra
	}
	return f
}

func activitiesURL(base, filter string, extra url.Values) string {
	q := url.Values{"filter": {filter}}
	for k, v := range extra {
		q[k] = v
	}
	return base + "/v1/environments/" + DemoEnvironmentID + "/activities?" + q.Encode()
}

// activityItems returns _embedded.activities of a page.
func activityItems(t *testing.T, r response) []map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	emb, _ := r.json(t)["_embedded"].(map[string]any)
	raw, _ := emb["activities"].([]any)
	out := make([]map[string]any, len(raw))
	for i, a := range raw {
		out[i], _ = a.(map[string]any)
	}
	return out
}

func str(m map[string]any, path string) string {
	s, _ := lookupString(m, path)
	return s
}

func TestActivitiesRecordTokensAndReads(t *testing.T) {
	clock := newFakeClock()
	_, ts := newTestServer(t, WithClock(clock.Now))
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	clock.Advance(time.Second)
	bad := postForm(t, tokenURL(ts.URL, DemoEnvironmentID), clientCredentials(), DemoClientID, "wrong")
	clock.Advance(time.Second)
	get(t, ts.URL+"/v1/environments/"+DemoEnvironmentID, demo)
	clock.Advance(time.Second)
	get(t, ts.URL+"/v1/environments/"+StagingEnvironmentID, demo) // 403

	items := activityItems(t, get(t, activitiesURL(ts.URL, activityWindow(`actors.client.id eq "`+DemoClientID+`"`), nil), demo))
	want := []struct{ action, status string }{
		{ActionEnvironmentRead, "FAILED"},
		{ActionEnvironmentRead, "SUCCESS"},
		{ActionTokenIssued, "FAILED"},
		{ActionTokenIssued, "SUCCESS"},
	}
	if len(items) != len(want) {
		t.Fatalf("got %d activities, want %d", len(items), len(want))
	}
	for i, w := range want {
		if got := str(items[i], "action.type") + " " + str(items[i], "result.status"); got != w.action+" "+w.status {
			t.Errorf("activity %d (newest first) = %s, want %s %s", i, got, w.action, w.status)
		}
	}
	if got := str(items[2], "correlationId"); got != bad.header.Get(correlationHeader) || got == "" {
		t.Errorf("failed token request's correlationId = %q, want its Correlation-Id %q", got, bad.header.Get(correlationHeader))
	}

	// The failed request is found by its correlation ID alone.
	byCorr := activityItems(t, get(t, activitiesURL(ts.URL, activityWindow(`correlationid eq "`+bad.header.Get(correlationHeader)+`"`), nil), demo))
	if len(byCorr) != 1 || str(byCorr[0], "result.status") != "FAILED" {
		t.Errorf("by correlation ID: %v", byCorr)
	}
}

func TestActivitiesPaging(t *testing.T) {
	clock := newFakeClock()
	_, ts := newTestServer(t, WithClock(clock.Now))
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	for range 4 {
		clock.Advance(time.Second)
		get(t, ts.URL+"/v1/environments/"+DemoEnvironmentID, demo)
	}
	r := get(t, activitiesURL(ts.URL, activityWindow(""), url.Values{"limit": {"2"}}), demo)
	if n := len(activityItems(t, r)); n != 2 {
		t.Fatalf("first page has %d items, want 2", n)
	}
	seen := 2
	next := str(r.json(t), "_links.next.href")
	for next != "" {
		r = get(t, next, demo)
		seen += len(activityItems(t, r))
		next = str(r.json(t), "_links.next.href")
	}
	if seen != 5 {
		t.Errorf("paging saw %d activities, want 5", seen)
	}
}

func TestActivitiesPOSTForm(t *testing.T) {
	_, ts := newTestServer(t)
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	now := time.Now().UTC()
	body := `{"filter": "recordedat gt \"` + now.Add(-time.Hour).Format(time.RFC3339) + `\" and recordedat lt \"` + now.Add(time.Hour).Format(time.RFC3339) + `\"", "limit": 10}`
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/environments/"+DemoEnvironmentID+"/activities", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+demo)
	req.Header.Set("Content-Type", "application/json")
	if items := activityItems(t, do(t, req)); len(items) != 1 || str(items[0], "action.type") != ActionTokenIssued {
		t.Errorf("POST form: %v", items)
	}
}

func TestActivitiesRefusals(t *testing.T) {
	_, ts := newTestServer(t)
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	noRoles := basicToken(t, ts.URL, NoRolesClientID, NoRolesClientSecret)
	tests := []struct {
		name, filter, token string
		status              int
		detail              string
	}{
		{"no time range", `actors.client.id eq "x"`, demo, 400, "INVALID_VALUE"},
		{"only a lower bound", `recordedat gt "2025-01-01T00:00:00Z"`, demo, 400, "INVALID_VALUE"},
		{"bad time", `recordedat gt "yesterday" and recordedat lt "2025-01-01T00:00:00Z"`, demo, 400, "INVALID_VALUE"},
		{"or", activityWindow(`action.type eq "A" or action.type eq "B"`), demo, 400, "INVALID_VALUE"},
		{"two conditions", activityWindow(`action.type eq "A" and resources.id eq "B"`), demo, 400, "INVALID_VALUE"},
		{"unknown attribute", activityWindow(`secret eq "A"`), demo, 400, "INVALID_VALUE"},
		{"unquoted value", activityWindow(`action.type eq A`), demo, 400, "INVALID_VALUE"},
		{"injected quote stays in the value", activityWindow(`actors.client.id eq "a\" or action.type eq \"b"`), demo, 200, ""},
		{"no audit role", activityWindow(""), noRoles, 403, "INSUFFICIENT_PERMISSIONS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, activitiesURL(ts.URL, tt.filter, nil), tt.token)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.detail != "" && detailCode(r.json(t)) != tt.detail {
				t.Errorf("detail %q, want %q", detailCode(r.json(t)), tt.detail)
			}
		})
	}
}

// FuzzActivityFilterValue: whatever a value holds, the filter p1ctl builds
// around it parses as the time range plus that one condition, value intact.
func FuzzActivityFilterValue(f *testing.F) {
	for _, seed := range []string{DemoClientID, `a" or action.type eq "b`, `x\`, `\"`, "é\t"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if v == "" {
			t.Skip("an empty client ID adds no condition")
		}
		q := api.ActivityQuery{Since: time.Unix(0, 0), Until: time.Unix(60, 0), ClientID: v}
		got, err := parseActivityFilter(q.Filter())
		if err != nil {
			t.Fatalf("filter %q: %v", q.Filter(), err)
		}
		if got.attr != "actors.client.id" || got.value != v {
			t.Errorf("filter %q parsed as %s = %q, want actors.client.id = %q", q.Filter(), got.attr, got.value, v)
		}
	})
}

func TestActivitiesRecordSecretRotations(t *testing.T) {
	clock := newFakeClock()
	_, ts := newTestServer(t, WithClock(clock.Now))
	demo := basicToken(t, ts.URL, DemoClientID, DemoClientSecret)
	clock.Advance(time.Second)
	if r := send(t, http.MethodPost, secretURL(ts.URL, DemoClientID), demo, `{"previous":{"expiresAt":"2025-06-01T13:00:00Z"}}`); r.status != http.StatusOK {
		t.Fatalf("rotate: %d %s", r.status, r.body)
	}
	clock.Advance(time.Second)
	send(t, http.MethodDelete, secretURL(ts.URL, DemoClientID)+"/previous", demo, "")
	clock.Advance(time.Second)
	send(t, http.MethodPost, secretURL(ts.URL, "99999999-9999-4999-8999-999999999999"), demo, "") // 404: FAILED

	items := activityItems(t, get(t, activitiesURL(ts.URL, activityWindow(`resources.type eq "APPLICATION"`), nil), demo))
	var got []string
	for _, a := range items {
		got = append(got, str(a, "action.type")+"/"+str(a, "result.status"))
	}
	want := []string{ActionSecretRotated + "/FAILED", ActionSecretEnded + "/SUCCESS", ActionSecretRotated + "/SUCCESS", ActionTokenIssued + "/SUCCESS"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("application activities = %v, want %v", got, want)
	}
}
