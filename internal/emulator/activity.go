package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// EndpointActivities is GET or POST /v1/environments/{envId}/activities.
const EndpointActivities = "activities"

// Action types the emulator records. PingOne's own names for these events
// are not confirmed (see docs/audit.md): these follow its RESOURCE.VERB form.
const (
	ActionTokenIssued     = "ACCESS_TOKEN.ISSUED"
	ActionEnvironmentRead = "ENVIRONMENT.READ"
	ActionSecretRotated   = "APPLICATION_SECRET.UPDATED"
	ActionSecretEnded     = "APPLICATION_SECRET.PREVIOUS_DELETED"
)

// permReadActivity is the permission the emulator requires to read audit
// activities. PingOne's identifier for it is not confirmed.
const permReadActivity = "audit:read:activity"

// Paging of the activity list: PingOne documents a default of 100.
const (
	defaultActivityPage = 100
	maxActivityPage     = 1000
	maxActivitiesKept   = 100000
	maxActivityBody     = 64 << 10
)

// Activity is one audit event as the emulator serves it, in PingOne's shape.
type Activity struct {
	ID            string             `json:"id"`
	RecordedAt    string             `json:"recordedAt"`
	CreatedAt     string             `json:"createdAt"`
	CorrelationID string             `json:"correlationId"`
	Action        ActivityAction     `json:"action"`
	Actors        ActivityActors     `json:"actors"`
	Resources     []ActivityResource `json:"resources"`
	Result        ActivityResult     `json:"result"`

	env  string    // environment whose log holds it
	time time.Time // recordedAt, for filtering
}

// ActivityAction is what was done.
type ActivityAction struct {
	Type        string `json:"type"`
	Description string `json:"description"`
}

// ActivityActors is who did it: always a client, for the emulator.
type ActivityActors struct {
	Client ActivityClient `json:"client"`
}

// ActivityClient is the client that acted.
type ActivityClient struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Environment idRef  `json:"environment"`
}

// ActivityResource is what it was done to.
type ActivityResource struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// ActivityResult says how it ended: SUCCESS or FAILED.
type ActivityResult struct {
	Status      string `json:"status"`
	Description string `json:"description,omitempty"`
}

// auditLog holds the activities, oldest first.
type auditLog struct {
	mu   sync.Mutex
	list []*Activity
}

// RecordActivity adds an activity by client c (which must be a fixture
// client) to c's environment's audit log. status is the HTTP status the
// request was answered with: 2xx is SUCCESS, anything else FAILED.
// correlationID is the request's Correlation-Id. ServeHTTP records token
// requests, environment reads and secret rotations; other handlers may
// call it for theirs.
func (s *Server) RecordActivity(clientID, correlationID, actionType, description string, resource ActivityResource, status int) {
	c := s.data.clients[idKey(clientID)]
	if c == nil {
		return
	}
	now := s.now().UTC()
	result := ActivityResult{Status: "SUCCESS"}
	if status < 200 || status > 299 {
		result = ActivityResult{Status: "FAILED", Description: fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))}
	}
	a := &Activity{
		ID:            newUUID(),
		RecordedAt:    now.Format("2006-01-02T15:04:05.000Z"),
		CreatedAt:     now.Format("2006-01-02T15:04:05.000Z"),
		CorrelationID: correlationID,
		Action:        ActivityAction{Type: actionType, Description: description},
		Actors: ActivityActors{Client: ActivityClient{
			ID: c.ID, Name: c.Name, Type: "CLIENT", Environment: idRef{c.EnvironmentID},
		}},
		Resources: []ActivityResource{resource},
		Result:    result,
		env:       idKey(c.EnvironmentID),
		time:      now,
	}
	s.audit.mu.Lock()
	defer s.audit.mu.Unlock()
	if len(s.audit.list) >= maxActivitiesKept {
		s.audit.list = slices.Delete(s.audit.list, 0, len(s.audit.list)-maxActivitiesKept+1)
	}
	s.audit.list = append(s.audit.list, a)
}

// Activities returns a copy of every recorded activity, oldest first.
func (s *Server) Activities() []Activity {
	s.audit.mu.Lock()
	defer s.audit.mu.Unlock()
	out := make([]Activity, len(s.audit.list))
	for i, a := range s.audit.list {
		out[i] = *a
	}
	return out
}

// resetActivities empties the audit log (Reset).
func (s *Server) resetActivities() {
	s.audit.mu.Lock()
	defer s.audit.mu.Unlock()
	s.audit.list = nil
}

// auditRequest records the activity a finished request makes, if any:
// token requests by a known client (whatever their result), and reads of
// an environment and secret rotations by an authenticated client.
func (s *Server) auditRequest(w *statusWriter, r *http.Request, kind string, c *clientRecord) {
	status := w.entry.Status
	if status == 0 {
		return
	}
	corr := w.Header().Get(correlationHeader)
	switch kind {
	case EndpointToken:
		id := tokenRequestClient(r)
		app := s.data.clients[idKey(id)]
		if app == nil {
			return
		}
		s.RecordActivity(app.ID, corr, ActionTokenIssued, "Access token request (client credentials)",
			ActivityResource{Type: "APPLICATION", ID: app.ID, Name: app.Name}, status)
	case EndpointEnvironment:
		if c == nil {
			return
		}
		id := strings.TrimPrefix(r.URL.Path, "/v1/environments/")
		res := ActivityResource{Type: "ENVIRONMENT", ID: id}
		if env := s.data.envByID[idKey(id)]; env != nil {
			res.Name, _ = env["name"].(string)
		}
		s.RecordActivity(c.ID, corr, ActionEnvironmentRead, "Environment read", res, status)
	case EndpointSecret, EndpointSecretPrevious:
		// /v1/environments/{envId}/applications/{appId}/secret[/previous]
		seg := strings.Split(r.URL.Path, "/")
		if c == nil || len(seg) < 6 || r.Method == http.MethodGet {
			return
		}
		res := ActivityResource{Type: "APPLICATION", ID: seg[5]}
		if app := s.data.clients[idKey(seg[5])]; app != nil {
			res.Name = app.Name
		}
		action, desc := ActionSecretRotated, "Application secret rotated"
		if kind == EndpointSecretPrevious {
			action, desc = ActionSecretEnded, "Previous application secret ended"
		}
		s.RecordActivity(c.ID, corr, action, desc, res, status)
	}
}

// tokenRequestClient is the client ID a token request claimed, by HTTP
// Basic, the client_id parameter or a client assertion's issuer; "" if
// none. It is what the request said, authenticated or not.
func tokenRequestClient(r *http.Request) string {
	if id, _, ok := r.BasicAuth(); ok {
		return formUnescape(id)
	}
	if r.PostForm == nil {
		return ""
	}
	if id := r.PostForm.Get("client_id"); id != "" {
		return id
	}
	if a := r.PostForm.Get("client_assertion"); a != "" {
		algs := []jose.SignatureAlgorithm{jose.HS256, jose.HS384, jose.HS512, jose.RS256, jose.RS384, jose.RS512, jose.ES256}
		if tok, err := jwt.ParseSigned(a, algs); err == nil {
			var claims jwt.Claims
			if tok.UnsafeClaimsWithoutVerification(&claims) == nil {
				return claims.Issuer
			}
		}
	}
	return ""
}

// activityList is the HAL collection of the activities endpoint.
type activityList struct {
	Links    map[string]link        `json:"_links"`
	Embedded map[string][]*Activity `json:"_embedded"`
	Count    int                    `json:"count"`
	Size     int                    `json:"size"`
}

// activityQuery is the POST form's body, as PingOne documents it.
type activityQuery struct {
	Filter string          `json:"filter"`
	Limit  json.RawMessage `json:"limit"`
	Cursor string          `json:"cursor"`
}

// serveActivities answers GET and POST /v1/environments/{envId}/activities:
// the activities of envId matching the filter, newest first, paged by limit
// and a cursor. The POST form takes filter and limit in a JSON body; its next
// links are GET links carrying them in the query.
func (s *Server) serveActivities(w http.ResponseWriter, r *http.Request, c *clientRecord, envID string) {
	var q activityQuery
	switch r.Method {
	case http.MethodGet:
		v := r.URL.Query()
		q.Filter, q.Cursor = v.Get("filter"), v.Get("cursor")
		if v.Has("limit") {
			q.Limit = json.RawMessage(v.Get("limit"))
		}
		if !v.Has("filter") {
			writeInvalidData(w, "filter", "A filter with a recordedAt or createdAt range is required.")
			return
		}
	case http.MethodPost:
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != jsonContentType {
			writeInvalidData(w, "body", "The request body must be "+jsonContentType+".")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxActivityBody))
		if err != nil || json.Unmarshal(body, &q) != nil {
			writeInvalidData(w, "body", "The request body is not a valid JSON object.")
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		writeAPIError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
			fmt.Sprintf("The request could not be completed. The method %s is not allowed for this resource.", r.Method))
		return
	}
	if !isUUID(envID) {
		writeInvalidData(w, "environmentId", "The environment ID must be a valid UUID.")
		return
	}
	limit := defaultActivityPage
	if len(q.Limit) > 0 {
		n, err := strconv.Atoi(string(q.Limit))
		if err != nil || n < 1 || n > maxActivityPage {
			writeInvalidData(w, "limit", fmt.Sprintf("The limit must be an integer from 1 to %d.", maxActivityPage))
			return
		}
		limit = n
	}
	filter, err := parseActivityFilter(q.Filter)
	if err != nil {
		writeInvalidData(w, "filter", fmt.Sprintf("Unsupported filter: %v.", err))
		return
	}
	offset := 0
	if q.Cursor != "" {
		if offset, err = decodeCursor(q.Cursor); err != nil {
			writeInvalidData(w, "cursor", "The cursor is not valid.")
			return
		}
	}
	if _, ok := s.environmentFor(w, c, permReadActivity, envID); !ok {
		return
	}

	var matching []*Activity
	s.audit.mu.Lock()
	for i := len(s.audit.list) - 1; i >= 0; i-- { // newest first
		if a := s.audit.list[i]; a.env == idKey(envID) && filter.matches(a) {
			matching = append(matching, a)
		}
	}
	s.audit.mu.Unlock()
	start := min(offset, len(matching))
	end := min(start+limit, len(matching))
	page := matching[start:end]

	self := s.apiBaseURL(r) + "/environments/" + envID + "/activities"
	links := map[string]link{"self": {self}}
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		links["self"] = link{self + "?" + r.URL.RawQuery}
	}
	if end < len(matching) {
		next := url.Values{}
		next.Set("filter", q.Filter)
		next.Set("limit", strconv.Itoa(limit))
		next.Set("cursor", encodeCursor(end))
		links["next"] = link{self + "?" + next.Encode()}
	}
	writeJSON(w, http.StatusOK, activityList{
		Links:    links,
		Embedded: map[string][]*Activity{"activities": page},
		Count:    len(matching),
		Size:     len(page),
	})
}
